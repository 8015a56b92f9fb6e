"""The supplier's start page: open requests (overdue first), their declarations, documents."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import case
from sqlmodel import select

from ingestion import document_types
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.web import db

from . import labels
from .hooks import start_page_panels
from .labels import ANSWERED, declaration_label, request_label
from .models import Declaration, DeclarationRequest

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@roles_required(Role.supplier)
def index():  # noqa: ANN201
    today = date.today()
    supplier_id = current_user.supplier_id
    overdue_first = case((DeclarationRequest.due_date < today, 0), else_=1)
    open_requests = db().exec(
        select(DeclarationRequest).where(DeclarationRequest.supplier_id == supplier_id,
                                         DeclarationRequest.status.not_in(ANSWERED))
        .order_by(overdue_first, DeclarationRequest.due_date).limit(200)).all()
    answered = db().exec(
        select(DeclarationRequest).where(DeclarationRequest.supplier_id == supplier_id,
                                         DeclarationRequest.status.in_(ANSWERED))
        .order_by(DeclarationRequest.updated_at.desc()).limit(50)).all()
    declarations = db().exec(select(Declaration).where(Declaration.supplier_id == supplier_id)
                             .order_by(Declaration.updated_at.desc()).limit(100)).all()
    titles = {t: labels.type_title(t) for t in document_types()}
    return render_template("requests/dashboard.html", open_requests=open_requests, answered=answered,
                           declarations=declarations, titles=titles, today=today,
                           request_label=request_label, declaration_label=declaration_label,
                           panels=start_page_panels(db(), supplier_id))

