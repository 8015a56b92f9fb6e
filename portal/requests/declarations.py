"""A supplier's declaration: draft edits, pre-fill from an extracted upload, attestation.

Every write is audited so the history of each value can be shown: a person's edit one row per
field (path, before, after); an extraction's prefill one row with the whole record before and
after (PREFILLED), whose fields review/provenance.py reads out of it with `leaf_changes`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Optional

from sqlalchemy import bindparam
from sqlmodel import Session, select

from portal import audit
from portal.auth.models import User
from portal.documents.models import Document
from portal.i18n import gettext, ngettext
from portal.timeutil import utcnow

from . import findings
from .labels import type_noun
from .models import Declaration, DeclarationRequest, DeclarationStatus, DeclarationVersion, RequestStatus

EDITABLE = (DeclarationStatus.draft.value, DeclarationStatus.changes_requested.value)
PREFILLED = "declaration.prefilled"     # the audit action of a prefill: the whole record in one row


class DeclarationError(Exception):
    """Shown to the user as is."""


def flatten(node: Any, path: str = "") -> dict[str, Any]:
    """{"/company/name": "Acme", "/smelters/0/metal": "tin", …} (leaves only)."""
    if isinstance(node, dict) and node:
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(flatten(value, f"{path}/{key}"))
        return out
    if isinstance(node, list) and node:
        out = {}
        for i, value in enumerate(node):
            out.update(flatten(value, f"{path}/{i}"))
        return out
    return {path or "/": node}


def audit_changes(session: Session, decl: Declaration, actor: User | None, before: Any, after: Any,
                  action: str, source_sha256: Optional[str] = None) -> int:
    return audit.record_rows(session, change_entries(decl, actor, before, after, action, source_sha256))


def leaf_changes(before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    """(path, before, after) of each leaf that differs between two records, in path order."""
    # an empty record is no value: flatten({}) would be one leaf "/" worth {}, a change of nothing
    old, new = (flatten(v) if v else {} for v in (before, after))
    return [(p, old.get(p), new.get(p)) for p in sorted(old.keys() | new.keys()) if old.get(p) != new.get(p)]


def change_entries(decl: Declaration, actor: User | None, before: Any, after: Any, action: str,
                   source_sha256: Optional[str] = None) -> list[dict[str, Any]]:
    """The audit rows of a change of the declaration's record, one per changed leaf."""
    return audit.change_rows(actor=actor.email if actor else "worker", actor_user_id=actor.id if actor else None,
                             action=action, entity="declaration", entity_id=decl.id,
                             changes=leaf_changes(before, after), source_sha256=source_sha256)


def prefill_entry(decl: Declaration, before: Any, sha256: Optional[str]) -> list[dict[str, Any]]:
    """The audit row of a prefill: the whole record before (None for the empty draft) and after,
    in one row, not one per field — an extraction fills hundreds of fields at once, and writing
    each as its own row was the biggest part of a job's cost. None when the record did not change
    (a re-extraction that reads the same values), as no field row was written then either."""
    if (before or {}) == (decl.record or {}):
        return []
    return [audit.entry_row(actor="worker", action=PREFILLED, entity="declaration", entity_id=decl.id,
                            before=before or None, after=decl.record, source_sha256=sha256)]


def source_sha256(session: Session, decl: Declaration) -> Optional[str]:
    doc = session.get(Document, decl.document_id) if decl.document_id else None
    return doc.sha256 if doc else None


def check_lock(decl: Declaration, lock_version: int) -> None:
    if decl.lock_version != lock_version:
        raise DeclarationError(gettext("Someone else changed this declaration while you were editing it. "
                                       "The page now shows their version; check it and make your change again."))


def start(session: Session, user: User, document_type: str, request: DeclarationRequest | None = None,
          document: Document | None = None) -> Declaration:
    """The supplier's open declaration for a request (reused), or a new one."""
    if request is not None:
        existing = session.exec(select(Declaration).where(Declaration.request_id == request.id)
                                .order_by(Declaration.id.desc())).first()
        if existing is not None and existing.status != DeclarationStatus.approved.value:
            if document is not None and existing.status in EDITABLE:
                existing.document_id = document.id
            return existing
    decl = Declaration(supplier_id=user.supplier_id, request_id=request.id if request else None,
                       document_id=document.id if document else None, document_type=document_type,
                       created_by_id=user.id, record={})
    session.add(decl)
    session.flush()
    audit.record(session, actor=user.email, actor_user_id=user.id, action="declaration.started",
                 entity="declaration", entity_id=decl.id, after={"document_type": document_type,
                                                                 "request_id": decl.request_id})
    return decl


def save_draft(session: Session, decl: Declaration, user: User, record: dict, lock_version: int) -> None:
    if decl.status not in EDITABLE:
        raise DeclarationError(gettext("This declaration is submitted; it cannot be edited now."))
    check_lock(decl, lock_version)
    before = decl.record
    decl.record = record
    decl.errors = findings.current(session, decl).all()
    decl.lock_version += 1
    decl.updated_at = utcnow()
    audit_changes(session, decl, user, before, record, "field.edited", source_sha256(session, decl))


def prefill_from_document(session: Session, doc: Document, entries: Optional[list[dict[str, Any]]] = None) -> None:
    """Called when extraction finishes: fill the drafts waiting for this document. One read of
    the document's declarations; a declaration an upload outside any request starts is inserted
    filled (not inserted empty, read back and updated). Each prefilled declaration's audit row
    (prefill_entry) is written at the end in one INSERT, after `entries` (audit.entry_row values
    the caller writes with them)."""
    entries = list(entries or [])
    if doc.result is not None:
        entries += _prefill(session, doc)
    audit.record_rows(session, entries)


_OF_DOCUMENT = select(Declaration).where(Declaration.document_id == bindparam("of_document"))   # built once


def _prefill(session: Session, doc: Document) -> list[dict[str, Any]]:
    declarations = session.exec(_OF_DOCUMENT, params={"of_document": doc.id}).all()
    if not declarations:
        # an upload outside any request starts its own declaration
        decl = Declaration(supplier_id=doc.supplier_id, document_id=doc.id, created_by_id=doc.uploaded_by_id,
                           document_type=doc.document_type, record={})
        _fill(decl, doc)
        session.add(decl)
        session.flush()
        return prefill_entry(decl, None, doc.sha256)
    entries = []
    for decl in declarations:
        if decl.status not in EDITABLE:
            continue
        if doc.document_type != decl.document_type and decl.request_id is not None:
            decl.errors = [{"path": "/", "message": wrong_type_message(doc.document_type, decl.document_type)}]
            continue
        before = decl.record
        _fill(decl, doc)
        entries += prefill_entry(decl, before, doc.sha256)
    return entries


def _fill(decl: Declaration, doc: Document) -> None:
    decl.document_type = doc.document_type
    decl.record = doc.result["record"]
    decl.errors = doc.result["errors"]
    decl.lock_version += 1
    decl.updated_at = utcnow()


def wrong_type_message(uploaded: str | None, asked: str) -> str:
    return (f"The uploaded file is a {type_noun(uploaded)}, but this request asks for a {type_noun(asked)}. "
            f"Upload your {type_noun(asked)} instead.")


def content_hash(record: dict) -> str:
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def attest(session: Session, decl: Declaration, user: User, *, signatory_name: str, signatory_title: str,
           confirmed: bool, ip: Optional[str], lock_version: int) -> DeclarationVersion:
    """Freeze the draft as a new version and hand it to procurement."""
    if decl.status not in EDITABLE:
        raise DeclarationError(gettext("This declaration is already submitted."))
    check_lock(decl, lock_version)
    problems = []
    if not signatory_name.strip():
        problems.append(gettext("the signatory's name"))
    if not signatory_title.strip():
        problems.append(gettext("the signatory's title"))
    if not confirmed:
        problems.append(gettext("the confirmation that the information is correct"))
    if problems:
        raise DeclarationError(gettext("To submit, give %(missing)s.", missing=", ".join(problems)))
    now = findings.current(session, decl)
    decl.errors = now.all()
    if now.schema:
        raise DeclarationError(ngettext("Correct the problem marked in the form before submitting.",
                                        "Correct the %(num)d problems marked in the form before submitting.",
                                        len(now.schema)))
    decl.current_version += 1
    version = DeclarationVersion(declaration_id=decl.id, number=decl.current_version, record=decl.record,
                                 content_sha256=content_hash(decl.record), source_document_sha256=source_sha256(session, decl),
                                 signatory_name=signatory_name.strip()[:200], signatory_title=signatory_title.strip()[:200],
                                 attested_by_id=user.id, attested_ip=(ip or "")[:64] or None)
    session.add(version)
    decl.status = DeclarationStatus.submitted.value
    decl.submitted_at = decl.updated_at = utcnow()
    decl.lock_version += 1
    if decl.request_id:
        request = session.get(DeclarationRequest, decl.request_id)
        request.status, request.submitted_at, request.updated_at = RequestStatus.submitted.value, utcnow(), utcnow()
    audit.record(session, actor=user.email, actor_user_id=user.id, action="declaration.attested",
                 entity="declaration", entity_id=decl.id,
                 after={"version": version.number, "content_sha256": version.content_sha256,
                        "signatory": version.signatory_name, "title": version.signatory_title, "ip": ip},
                 source_sha256=version.source_document_sha256)
    return version
