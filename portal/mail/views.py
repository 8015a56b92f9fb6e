"""The record of e-mails sent (and, without SMTP, the place to read them)."""

from flask import Blueprint, render_template
from sqlmodel import select

from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.web import db

from .models import OutgoingEmail
from .redact import redact

bp = Blueprint("mail", __name__, url_prefix="/mail")


@bp.get("/")
@roles_required(Role.admin, Role.procurement, Role.quality)
def index():  # noqa: ANN201
    emails = db().exec(select(OutgoingEmail).order_by(OutgoingEmail.id.desc()).limit(200)).all()
    # redacted again on display: rows stored before secrets were kept out of the record
    return render_template("mail/index.html", emails=emails, redact=redact)
