"""Supplier side: answer a request by form, by upload, or both; attest and submit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from ingestion import document_types, load_schema
from portal import schema_forms
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.documents.models import Document
from portal.documents.status import status_view
from portal.documents.uploads import UploadRejected, accept_upload
from portal.i18n import gettext, ngettext
from portal.mail.notify import enqueue_delivery
from portal.streams import TooLarge, read_limited
from portal.web import db, settings

from . import declarations, labels, notifications
from .access import get_declaration, get_request
from .badges import row_badges
from .hooks import decision_warnings
from .labels import declaration_label
from .models import Declaration, DeclarationVersion

bp = Blueprint("answer", __name__)


@bp.post("/requests/<int:request_id>/answer")
@roles_required(Role.supplier)
def start(request_id: int):  # noqa: ANN201
    req = get_request(request_id)
    decl = declarations.start(db(), current_user, req.document_type, request=req)
    db().commit()
    return redirect(url_for(".edit", declaration_id=decl.id), code=303)


@bp.post("/declarations/new")
@roles_required(Role.supplier)
def new():  # noqa: ANN201
    document_type = request.form.get("document_type", "")
    if document_type not in document_types():
        abort(404)
    decl = declarations.start(db(), current_user, document_type)
    db().commit()
    return redirect(url_for(".edit", declaration_id=decl.id), code=303)


def _navigate(data: Any, parts: list[str]) -> Any:
    for part in parts:
        data = data[int(part)] if isinstance(data, list) else data.setdefault(part, [] if part else {})
    return data


def _apply_row_action(raw: dict, action: str) -> None:
    """"add:smelters" appends an empty row; "remove:smelters-3" deletes row 3 (no JS needed)."""
    verb, _, name = action.partition(":")
    parts = name.split(schema_forms.SEP)
    try:
        if verb == "add":
            target = _navigate(raw, parts[:-1]) if len(parts) > 1 else raw
            target.setdefault(parts[-1], [])
            if target[parts[-1]] is None:
                target[parts[-1]] = []
            target[parts[-1]].append({} if _is_object_list(raw, parts) else "")
        elif verb == "remove":
            del _navigate(raw, parts[:-1])[int(parts[-1])]
    except (KeyError, IndexError, ValueError, TypeError):
        pass  # a stale button: the re-rendered form shows the current rows


def _is_object_list(raw: dict, parts: list[str]) -> bool:
    rows = _navigate(raw, parts)
    return not rows or isinstance(rows[0], dict)


def _build_record(decl: Declaration, form: Any) -> dict:
    """Form values + the schema's constants + anything in the record the form does not show."""
    record = schema_forms.to_record(form.data)
    for key, value in (decl.record or {}).items():
        if key not in form._fields:
            record.setdefault(key, value)
    for key, value in schema_forms.consts(decl.document_type).items():
        record[key] = {**value, **record.get(key, {})} if isinstance(value, dict) else value
    return record


def _save_posted_form(decl: Declaration, action: str = "save") -> Any:
    """Save the posted form as the draft (after an add/remove-row action); returns the form, or
    None when the save was refused (the reason is flashed, nothing is written)."""
    form_cls = schema_forms.form_class(decl.document_type)
    form = form_cls(request.form)
    if action.startswith(("add:", "remove:")):
        raw = form.data
        _apply_row_action(raw, action)
        form = form_cls(data=raw)
    try:
        declarations.save_draft(db(), decl, current_user, _build_record(decl, form),
                                request.form.get("lock_version", -1, type=int))
        db().commit()
    except declarations.DeclarationError as exc:
        db().rollback()
        flash(str(exc), "error")
        return None
    return form


@bp.route("/declarations/<int:declaration_id>", methods=["GET", "POST"])
@roles_required(Role.supplier)
def edit(declaration_id: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)
    editable = decl.status in declarations.EDITABLE
    if request.method == "POST" and editable:
        action = request.form.get("action", "save")
        form = _save_posted_form(decl, action)
        if form is None or not action.startswith(("add:", "remove:")):
            if form is not None:
                flash(gettext("Draft saved.") if not decl.errors else
                      ngettext("Draft saved. %(num)d problem is marked below.",
                               "Draft saved. %(num)d problems are marked below.", len(decl.errors)),
                      "success" if not decl.errors else "warn")
            return redirect(url_for(".edit", declaration_id=decl.id), code=303)
    else:
        form = schema_forms.form_class(decl.document_type)(data=schema_forms.to_form_data(decl.record or {}))
    findings = schema_forms.attach_errors(form, labels.human_findings(decl.document_type, decl.errors))
    doc = db().get(Document, decl.document_id) if decl.document_id else None
    same_type = doc is not None and doc.document_type == decl.document_type
    versions = db().exec(select(DeclarationVersion).where(DeclarationVersion.declaration_id == decl.id)
                         .order_by(DeclarationVersion.number.desc())).all()
    return render_template("requests/edit.html", decl=decl, form=form, findings=findings, doc=doc,
                           doc_view=status_view(doc) if doc else None, editable=editable,
                           wrong_type=bool(doc and doc.document_type and doc.document_type != decl.document_type),
                           schema=load_schema(decl.document_type), notes=decl.field_notes or {},
                           label=declaration_label(decl.status), versions=versions,
                           request_=get_request(decl.request_id) if decl.request_id else None,
                           max_mb=settings().max_upload_mb,
                           badges=row_badges(decl.document_type, doc.result if same_type else None, decl.record),
                           warnings=decision_warnings(db(), decl, for_reviewer=False) if editable else [])


@bp.post("/declarations/<int:declaration_id>/upload")
@roles_required(Role.supplier)
def upload(declaration_id: int):  # noqa: ANN201
    decl = get_declaration(declaration_id)
    if decl.status not in declarations.EDITABLE:
        abort(404)
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(gettext("Choose a file to upload."), "error")
        return redirect(url_for(".edit", declaration_id=decl.id), code=303)
    try:
        content, sha256 = read_limited(file.stream, settings().max_upload_bytes)
        outcome = accept_upload(db(), settings(), current_user, file.filename, content, sha256,
                                declaration=decl)
    except TooLarge:
        flash(gettext("The file is larger than the %(limit)s MB limit. Upload a smaller file.",
                      limit=settings().max_upload_mb), "error")
    except UploadRejected as exc:
        flash(str(exc), "error")
    else:
        flash(gettext("The file is saved; we are reading it and will fill in the form for you to check.")
              if not outcome.duplicate else gettext("You uploaded this file before; its data is used again."), "success")
    return redirect(url_for(".edit", declaration_id=decl.id), code=303)


@bp.post("/declarations/<int:declaration_id>/submit")
@roles_required(Role.supplier)
def submit(declaration_id: int):  # noqa: ANN201
    """Sign and submit. The page posts the form's fields along (`with_form`): they are saved as the
    draft first, so an edit not yet saved is never dropped — even when submitting is refused."""
    decl = get_declaration(declaration_id)
    lock_version = request.form.get("lock_version", -1, type=int)
    if request.form.get("with_form") == "1" and decl.status in declarations.EDITABLE:
        if _save_posted_form(decl) is None:
            return redirect(url_for(".edit", declaration_id=decl.id), code=303)
        lock_version = decl.lock_version
    try:
        declarations.attest(db(), decl, current_user, signatory_name=request.form.get("signatory_name", ""),
                            signatory_title=request.form.get("signatory_title", ""),
                            confirmed=request.form.get("confirm") == "yes", ip=request.remote_addr,
                            lock_version=lock_version)
        notifications.declaration_submitted(db(), decl, settings().public_url)
        db().commit()
        enqueue_delivery(settings())
        flash(gettext("Submitted. Procurement will review it; you will see their answer here."), "success")
    except declarations.DeclarationError as exc:
        db().rollback()
        flash(str(exc), "error")
    return redirect(url_for(".edit", declaration_id=decl.id), code=303)


@bp.get("/templates/<document_type>.xlsx")
@roles_required(Role.supplier, Role.procurement, Role.admin)
def template(document_type: str):  # noqa: ANN201
    """The Excel template of a type, generated from its schema, to fill offline and upload."""
    from ingestion.xlsx.schema_template import build_schema_template
    if document_type not in document_types():
        abort(404)
    return Response(build_schema_template(document_type),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{document_type}-template.xlsx"'})
