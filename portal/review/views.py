"""Procurement's review: a queue of submitted declarations, the fields beside their source,
corrections, approval, and requests for changes with reasons per field."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import func, or_, select

from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.documents import storage
from portal.documents.fields import field_rows, unplaced_errors
from portal.documents.models import Document
from portal.passports.models import OutboxMessage
from portal.passports.outbox import enqueue_push
from portal.requests.access import get_declaration
from portal.mail.notify import enqueue_delivery
from portal.i18n import gettext as _
from portal.requests import entry_words, labels, notifications
from portal.requests import findings as declaration_findings
from portal.requests.badges import row_badges
from portal.requests.declarations import PREFILLED
from portal.requests.hooks import decision_warnings
from portal.requests.labels import declaration_label
from portal.requests.models import Declaration, DeclarationVersion
from portal.suppliers.models import Supplier
from portal.timeutil import utcnow
from portal.web import db, settings

from . import provenance, sections, service
from .source import render_source_page, sheet_neighbourhood

bp = Blueprint("review", __name__, url_prefix="/review")
REVIEWERS = (Role.procurement, Role.admin)
PAGE_SIZE = 50
QUEUES = {"open": ("submitted", "in_review"), "changes": ("changes_requested",), "approved": ("approved",)}


@bp.get("/")
@roles_required(*REVIEWERS)
def queue():  # noqa: ANN201
    show = request.args.get("show", "open")
    page = max(1, request.args.get("page", 1, type=int))
    query = select(Declaration, Supplier).join(Supplier, Supplier.id == Declaration.supplier_id)
    count = select(func.count()).select_from(Declaration)
    if show in QUEUES:
        query = query.where(Declaration.status.in_(QUEUES[show]))
        count = count.where(Declaration.status.in_(QUEUES[show]))
    total = db().exec(count).one()
    rows = db().exec(query.order_by(Declaration.submitted_at, Declaration.id)
                     .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return render_template("review/queue.html", rows=rows, show=show, now=utcnow(), page=page, total=total,
                           pages=max(1, -(-total // PAGE_SIZE)), label=declaration_label)


@bp.get("/<int:declaration_id>")
@roles_required(*REVIEWERS)
def detail(declaration_id: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)  # opening it writes nothing: "Start review" or a first decision does
    doc = db().get(Document, decl.document_id) if decl.document_id else None
    findings = labels.human_findings(decl.document_type, decl.errors)
    rows = field_rows(decl.record or {}, (doc.result or {}).get("fields", {}) if doc and doc.result else {},
                      [{"path": f["path"], "message": f["message"]} for f in findings])
    provenance.annotate(rows, provenance.field_origins(db(), decl.id),
                        (doc.result or {}).get("record") if doc and doc.result else None)
    badges = row_badges(decl.document_type, doc.result if doc and doc.document_type == decl.document_type else None,
                        decl.record)
    selected = request.args.get("field") or next((r["path"] for r in rows if r["source"]), None)
    source = next((r["source"] for r in rows if r["path"] == selected), None)
    neighbourhood = None
    if doc and source and source.get("sheet"):
        neighbourhood = _neighbourhood(doc, source)
    outbox = db().exec(select(OutboxMessage).where(OutboxMessage.declaration_id == decl.id)
                       .order_by(OutboxMessage.id.desc())).first()
    versions = db().exec(select(DeclarationVersion).where(DeclarationVersion.declaration_id == decl.id)
                         .order_by(DeclarationVersion.number.desc())).all()
    return render_template("review/detail.html", decl=decl, doc=doc, supplier=db().get(Supplier, decl.supplier_id),
                           rows=rows, sections=sections.build(rows, decl.document_type, selected, badges,
                                                              request.args.get("field")),
                           unplaced_errors=unplaced_errors(rows, findings), outbox=outbox,
                           selected=selected, source=source, neighbourhood=neighbourhood, versions=versions,
                           label=declaration_label(decl.status), notes=decl.field_notes or {},
                           warnings=decision_warnings(db(), decl, for_reviewer=True), as_text=service.as_text,
                           blocking=len(declaration_findings.current(db(), decl).schema))


def _neighbourhood(doc: Document, source: dict) -> dict | None:
    with tempfile.TemporaryDirectory(prefix="review-") as tmp:
        path = Path(tmp) / "source.xlsx"
        path.write_bytes(storage.get_bytes(db(), doc.sha256))
        try:
            return sheet_neighbourhood(str(path), source["sheet"], source["cell"])
        except Exception:  # noqa: BLE001 - a preview must never break the review screen
            return None


@bp.get("/<int:declaration_id>/page/<int:page>.png")
@roles_required(*REVIEWERS)
def page_image(declaration_id: int, page: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)
    doc = db().get(Document, decl.document_id) if decl.document_id else None
    if doc is None or doc.file_kind not in ("pdf", "image"):
        abort(404)
    bbox = [float(v) for v in request.args.get("bbox", "").split(",") if v.strip()][:4] or None
    try:
        png = render_source_page(doc.sha256, doc.file_kind, page, bbox, lambda: storage.get_bytes(db(), doc.sha256))
    except ValueError:
        abort(404)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})


@bp.get("/<int:declaration_id>/history")
@roles_required(*REVIEWERS)
def history(declaration_id: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)
    query = select(AuditEntry).where(AuditEntry.entity == "declaration", AuditEntry.entity_id == str(decl.id))
    path = request.args.get("field")
    if path:  # a prefill's one entry holds every field it filled: its lines about this one are shown
        query = query.where(or_(AuditEntry.field_path == path, AuditEntry.action == PREFILLED))
    entries = db().exec(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1000)).all()
    lines = {e.id: entry_words.history_lines(decl.document_type, e.action, e.field_path, e.before, e.after, path)
             for e in entries}
    if path:
        entries = [e for e in entries if lines[e.id] or e.action != PREFILLED]
    # the source document by its file name, as the supplier uploaded it (the fingerprint stays its title)
    hashes = {e.source_sha256 for e in entries if e.source_sha256}
    files = {d.sha256: d.filename for d in db().exec(select(Document).where(
        Document.supplier_id == decl.supplier_id, Document.sha256.in_(hashes)))} if hashes else {}
    return render_template("review/history.html", decl=decl, entries=entries, lines=lines, field=path, files=files)


def _back(declaration_id: int, **args):  # noqa: ANN003, ANN202
    return redirect(url_for(".detail", declaration_id=declaration_id, **args), code=303)


def _lock() -> int:
    return request.form.get("lock_version", -1, type=int)


def _attempt(action: Callable[[], Any], success: str) -> tuple[bool, Any]:
    """Run one review action in its transaction: commit and say `success`, or roll back and show
    why it was refused."""
    try:
        result = action()
        db().commit()
    except service.ReviewConflict as exc:
        db().rollback()
        flash(str(exc), "error")
        return False, None
    flash(success, "success")
    return True, result


@bp.post("/<int:declaration_id>/fields")
@roles_required(*REVIEWERS)
def correct(declaration_id: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)
    path = request.form.get("path", "")
    _attempt(lambda: service.correct_field(db(), decl, current_user, path, request.form.get("value", ""), _lock()),
             _("Saved %(field)s.", field=labels.field_label(decl.document_type, path)))
    return _back(declaration_id, field=path)


@bp.post("/<int:declaration_id>/start")
@roles_required(*REVIEWERS)
def start(declaration_id: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)

    def begin() -> None:
        service.check_reviewable(decl, _lock())
        service.start_review(db(), decl, current_user)
    _attempt(begin, _("Review started: the supplier sees that the declaration is in review."))
    return _back(declaration_id)


@bp.post("/<int:declaration_id>/approve")
@roles_required(*REVIEWERS)
def approve(declaration_id: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)
    # the approval and its outbox row commit together, then the push is enqueued

    def decide() -> OutboxMessage:
        message = service.approve(db(), decl, current_user, _lock())
        notifications.declaration_approved(db(), decl, settings().public_url)
        return message
    done, message = _attempt(decide, _("Approved. The record is being sent to the passport store."))
    if done:
        enqueue_push(settings(), message.id)
        enqueue_delivery(settings())
    return _back(declaration_id)


@bp.post("/<int:declaration_id>/changes")
@roles_required(*REVIEWERS)
def request_changes(declaration_id: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)
    notes = {k.removeprefix("note:"): v for k, v in request.form.items() if k.startswith("note:")}

    def decide() -> None:
        service.request_changes(db(), decl, current_user, request.form.get("reason", ""), notes, _lock())
        notifications.changes_requested(db(), decl, settings().public_url)
    if _attempt(decide, _("Sent back to the supplier with your reasons."))[0]:
        enqueue_delivery(settings())
    return _back(declaration_id)
