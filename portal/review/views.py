"""Procurement's review: a queue of extracted documents, a field-by-field screen, decisions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.documents.fields import field_rows, unplaced_errors
from portal.documents.models import Document, DocumentStatus
from portal.documents.status import status_view
from portal.documents.views import get_document
from portal.passports.models import OutboxMessage
from portal.passports.outbox import enqueue_push
from portal.suppliers.models import Supplier
from portal.timeutil import utcnow
from portal.web import db, settings

from . import service

bp = Blueprint("review", __name__, url_prefix="/review")
REVIEWERS = (Role.procurement, Role.admin)


@bp.get("/")
@roles_required(*REVIEWERS)
def queue():  # noqa: ANN201
    show = request.args.get("show", "open")
    query = select(Document, Supplier).join(Supplier, Supplier.id == Document.supplier_id)
    if show == "open":
        query = query.where(Document.review_status == "awaiting_review")
    elif show == "failed":
        query = query.where(Document.status == DocumentStatus.failed.value)
    rows = db().exec(query.order_by(Document.created_at).limit(500)).all()
    return render_template("review/queue.html", rows=rows, show=show, now=utcnow(), status_view=status_view)


@bp.get("/<int:document_id>")
@roles_required(*REVIEWERS)
def detail(document_id: int):  # noqa: ANN201
    doc = get_document(document_id)
    supplier = db().get(Supplier, doc.supplier_id)
    rows = field_rows(doc.record or {}, (doc.result or {}).get("fields", {}), doc.errors)
    outbox = db().exec(select(OutboxMessage).where(OutboxMessage.document_id == doc.id)
                       .order_by(OutboxMessage.id.desc())).first()
    history = db().exec(select(AuditEntry).where(AuditEntry.entity == "document",
                                                 AuditEntry.entity_id == str(doc.id))
                        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())).all()
    return render_template("review/detail.html", doc=doc, supplier=supplier, rows=rows, outbox=outbox,
                           history=history, unplaced_errors=unplaced_errors(rows, doc.errors), view=status_view(doc))


def _back(document_id: int):  # noqa: ANN202
    return redirect(url_for(".detail", document_id=document_id), code=303)


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return -1


@bp.post("/<int:document_id>/fields")
@roles_required(*REVIEWERS)
def correct(document_id: int):  # noqa: ANN201
    doc = get_document(document_id)
    try:
        service.correct_field(db(), doc, current_user, request.form.get("path", ""),
                              request.form.get("value", ""), _version())
        db().commit()
        flash(f"Saved {request.form.get('path')}.", "success")
    except service.ReviewConflict as exc:
        db().rollback()
        flash(str(exc), "error")
    return _back(document_id)


@bp.post("/<int:document_id>/approve")
@roles_required(*REVIEWERS)
def approve(document_id: int):  # noqa: ANN201
    doc = get_document(document_id)
    try:
        message = service.approve(db(), doc, current_user, _version())
        db().commit()  # commit the approval and its outbox row, then enqueue the push
    except service.ReviewConflict as exc:
        db().rollback()
        flash(str(exc), "error")
        return _back(document_id)
    enqueue_push(settings(), message.id)
    flash("Approved. The record is being sent to the passport store.", "success")
    return _back(document_id)


@bp.post("/<int:document_id>/reject")
@roles_required(*REVIEWERS)
def reject(document_id: int):  # noqa: ANN201
    doc = get_document(document_id)
    try:
        service.reject(db(), doc, current_user, request.form.get("reason", ""), _version())
        db().commit()
        flash("Sent back to the supplier with your reason.", "success")
    except service.ReviewConflict as exc:
        db().rollback()
        flash(str(exc), "error")
    return _back(document_id)
