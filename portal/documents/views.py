"""Supplier side: upload documents, follow their status, read the review outcome."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlmodel import select

from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.i18n import N_, gettext
from portal.streams import TooLarge, read_limited
from portal.web import db, get_or_404, settings

from . import storage
from .fields import field_rows, unplaced_errors
from .models import FINAL_STATUSES, Document
from .status import status_view
from .uploads import UploadRejected, accept_upload

bp = Blueprint("documents", __name__, url_prefix="/documents")


class UploadForm(FlaskForm):
    file = FileField(N_("Declaration file (PDF, Excel .xlsx, or a JPEG, PNG or TIFF photo or scan)"),
                     validators=[FileRequired(N_("Choose a file to upload."))])  # translated where shown


def get_document(document_id: int) -> Document:
    """The one place that decides who may see a document: its supplier's users and staff.
    Anyone else gets 404, so ids of other companies reveal nothing."""
    doc = get_or_404(Document, document_id)
    if current_user.is_supplier and doc.supplier_id != current_user.supplier_id:
        abort(404)
    if not current_user.is_supplier and not current_user.is_staff:
        abort(404)
    return doc


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.supplier)
def index():  # noqa: ANN201
    form = UploadForm()
    if request.method == "POST":
        if form.validate_on_submit():
            return _handle_upload(form)
        for message in form.file.errors:
            flash(gettext(message), "error")
    docs = db().exec(select(Document).where(Document.supplier_id == current_user.supplier_id)
                     .order_by(Document.created_at.desc()).limit(200)).all()
    return render_template("documents/index.html", form=form, documents=docs,
                           max_mb=settings().max_upload_mb, status_view=status_view)


def _handle_upload(form: UploadForm):  # noqa: ANN202
    upload = form.file.data
    try:
        content, sha256 = read_limited(upload.stream, settings().max_upload_bytes)
        outcome = accept_upload(db(), settings(), current_user, upload.filename, content, sha256)
    except TooLarge:
        flash(gettext("The file is larger than the %(limit)s MB limit. Upload a smaller file.",
                      limit=settings().max_upload_mb), "error")
        return redirect(url_for(".index"), code=303)
    except UploadRejected as exc:
        flash(str(exc), "error")
        return redirect(url_for(".index"), code=303)
    doc = outcome.document
    if outcome.duplicate:
        flash(gettext("You uploaded this file already on %(when)s UTC as “%(name)s”; it is not processed again.",
                      when=f"{doc.created_at:%Y-%m-%d %H:%M}", name=doc.filename), "info")
    elif not outcome.enqueued:
        flash(gettext("The file is saved. Processing starts as soon as the worker is reachable."), "info")
    else:
        flash(gettext("The file is saved and is being processed."), "success")
    return redirect(url_for(".detail", document_id=doc.id), code=303)


@bp.get("/<int:document_id>")
@login_required
def detail(document_id: int):  # noqa: ANN201
    doc = get_document(document_id)
    result = doc.result or {}
    rows = field_rows(result.get("record", {}), result.get("fields", {}), result.get("errors")) if result else []
    from portal.requests.labels import declaration_label
    from portal.requests.models import Declaration
    declarations = db().exec(select(Declaration).where(Declaration.document_id == doc.id)).all()
    return render_template("documents/detail.html", doc=doc, view=status_view(doc), rows=rows,
                           unplaced_errors=unplaced_errors(rows, result.get("errors")),
                           declarations=declarations, declaration_label=declaration_label)


@bp.get("/<int:document_id>/status")
@login_required
def status(document_id: int):  # noqa: ANN201
    """Polled by status.js: one small JSON answer, the page reloads once the state is final."""
    doc = get_document(document_id)
    view = status_view(doc)
    return {**view, "final": doc.status in FINAL_STATUSES}
