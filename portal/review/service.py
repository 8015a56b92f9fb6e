"""Review actions on a submitted declaration: correct a field, approve, request changes.

Each writes audit rows in the same transaction and checks the declaration's lock_version, so two
reviewers (or a reviewer and the supplier) cannot silently overwrite each other.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sqlmodel import Session

from portal import audit, webhooks
from portal.i18n import gettext, ngettext
from portal.auth.models import User
from portal.passports.models import OutboxMessage
from portal.requests import findings, labels
from portal.requests.declarations import audit_changes, check_lock, source_sha256
from portal.requests.declarations import DeclarationError as ReviewConflict
from portal.requests.hooks import run_approval_handlers
from portal.requests.models import Declaration, DeclarationRequest, DeclarationStatus, RequestStatus
from portal.suppliers.models import Supplier
from portal.timeutil import iso, utcnow

REVIEWABLE = (DeclarationStatus.submitted.value, DeclarationStatus.in_review.value)
__all__ = ["ReviewConflict", "approve", "as_text", "check_reviewable", "correct_field", "request_changes", "start_review"]


def check_reviewable(decl: Declaration, lock_version: int) -> None:
    check_lock(decl, lock_version)
    if decl.status not in REVIEWABLE:
        raise ReviewConflict(gettext("This declaration is not waiting for review any more."))


def _set_request_status(session: Session, decl: Declaration, status: RequestStatus) -> None:
    if decl.request_id:
        request = session.get(DeclarationRequest, decl.request_id)
        request.status, request.updated_at = status.value, utcnow()


def start_review(session: Session, decl: Declaration, user: User | None = None) -> None:
    """A reviewer's "Start review" (or first correction or decision) puts a submitted declaration
    and its request in review; only opening it changes nothing."""
    if decl.status == DeclarationStatus.submitted.value:
        decl.status = DeclarationStatus.in_review.value
        _set_request_status(session, decl, RequestStatus.in_review)
        if user is not None:
            audit.record(session, actor=user.email, actor_user_id=user.id, action="declaration.review_started",
                         entity="declaration", entity_id=decl.id, before={"status": "submitted"},
                         after={"status": "in_review"})


def _split_pointer(path: str) -> list[str | int]:
    if not path.startswith("/"):
        raise ReviewConflict(gettext("“%(path)s” is not a field of this declaration.", path=path))
    return [int(p) if p.isdigit() else p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def coerce(text: str, current: Any, node: dict | None = None) -> Any:
    """The reviewer's text in the JSON type the field had (or its schema gives), so the schema
    judges the value and not the HTML form's habit of sending strings."""
    text = text.strip()
    if text == "":
        return None
    kinds = (node or {}).get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    if current is None and "boolean" in kinds:
        current = False
    elif current is None and kinds & {"number", "integer"}:
        current = 0 if "integer" in kinds else 0.0
    if isinstance(current, bool):
        return text.lower() in ("true", "yes", "1")
    if isinstance(current, (int, float)):
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text  # the schema reports it
        return int(number) if number.is_integer() and isinstance(current, int) else number
    if isinstance(current, list) and not text.startswith("["):
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(current, (list, dict)):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def as_text(value: Any) -> str:
    """A value as the reviewer edits it, the reverse of `coerce`: Yes/No, a list as "a, b"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def correct_field(session: Session, decl: Declaration, user: User, path: str, text: str, lock_version: int) -> None:
    check_reviewable(decl, lock_version)
    parts = _split_pointer(path)
    record = copy.deepcopy(decl.record or {})
    node: Any = record
    try:
        for part in parts[:-1]:
            node = node[part]
        last = parts[-1]
        exists = (isinstance(node, dict) and last in node) or (isinstance(node, list) and isinstance(last, int)
                                                               and last < len(node))
        node[last] = coerce(text, node[last] if exists else None, labels.schema_node(decl.document_type, path))
    except (KeyError, IndexError, TypeError):
        raise ReviewConflict(gettext("This field is not in the declaration any more; reload the page.")) from None
    errors = findings.current(session, decl, record).all()
    _refuse_new_findings(decl, path, errors)
    if audit_changes(session, decl, user, decl.record, record, "field.corrected", source_sha256(session, decl)):
        start_review(session, decl, user)
        decl.record = record
        decl.errors = errors
        decl.lock_version += 1
        decl.updated_at = utcnow()


def _refuse_new_findings(decl: Declaration, path: str, errors: list[dict]) -> None:
    """A correction must not make the record worse: a finding about the corrected field (or any
    finding the record did not have before) refuses it, in the words the supplier would see."""
    before = {(e["path"], e["message"]) for e in decl.errors or []}
    new = [e for e in errors if (e["path"], e["message"]) not in before]
    if new:
        worded = labels.human_findings(decl.document_type, new)
        about_field = [f for f in worded if f["path"] == path] or worded
        raise ReviewConflict(gettext("Not saved — %(field)s: %(problem)s", field=about_field[0]["label"],
                                     problem=about_field[0]["message"]))


def approve(session: Session, decl: Declaration, user: User, lock_version: int) -> OutboxMessage:
    check_reviewable(decl, lock_version)
    start_review(session, decl, user)
    errors = findings.current(session, decl).schema
    if errors:
        raise ReviewConflict(ngettext("Correct the finding marked below before approving.",
                                      "Correct the %(num)d findings marked below before approving.", len(errors)))
    supplier = session.get(Supplier, decl.supplier_id)
    before = decl.status
    decl.status, decl.reviewed_by_id, decl.reviewed_at = DeclarationStatus.approved.value, user.id, utcnow()
    decl.field_notes, decl.review_reason = None, None
    decl.lock_version += 1
    _set_request_status(session, decl, RequestStatus.approved)
    request = session.get(DeclarationRequest, decl.request_id) if decl.request_id else None
    message = OutboxMessage(declaration_id=decl.id, payload={
        "source_system": "supplier-portal",
        "source_declaration_id": f"declaration-{decl.id}-v{decl.current_version}",
        "note": f"Approved by {user.email}",
        "data": {"declarations": [{
            "document_type": decl.document_type,
            "record": decl.record,
            "version": decl.current_version,
            "supplier": {"id": supplier.id, "name": supplier.name},
            "products": (request.products if request else None) or [],
            "source_document_sha256": source_sha256(session, decl),
            "approved_by": user.email,
            "approved_at": iso(decl.reviewed_at),
        }]},
    })
    session.add(message)
    declared = message.payload["data"]["declarations"][0]
    webhooks.emit(session, "declaration.approved", {
        "declaration_id": decl.id, "source_declaration_id": message.payload["source_declaration_id"],
        **{key: declared[key] for key in ("document_type", "version", "supplier", "products", "approved_by",
                                          "approved_at", "source_document_sha256", "record")}})
    run_approval_handlers(session, decl)
    audit.record(session, actor=user.email, actor_user_id=user.id, action="declaration.approved",
                 entity="declaration", entity_id=decl.id, before={"status": before},
                 after={"status": "approved", "version": decl.current_version},
                 source_sha256=source_sha256(session, decl))
    return message


def request_changes(session: Session, decl: Declaration, user: User, reason: str, field_notes: dict[str, str],
                    lock_version: int) -> None:
    """Send back to the supplier with an overall reason and/or reasons per field."""
    check_reviewable(decl, lock_version)
    start_review(session, decl, user)
    notes = {p: n.strip()[:1000] for p, n in field_notes.items() if n and n.strip()}
    reason = reason.strip()[:2000]
    if not reason and not notes:
        raise ReviewConflict(gettext("Say what needs to change — overall or next to a field: the supplier sees it."))
    before = decl.status
    decl.status, decl.review_reason, decl.field_notes = DeclarationStatus.changes_requested.value, reason or None, notes
    decl.reviewed_by_id, decl.reviewed_at = user.id, utcnow()
    decl.lock_version += 1
    _set_request_status(session, decl, RequestStatus.changes_requested)
    audit.record(session, actor=user.email, actor_user_id=user.id, action="declaration.changes_requested",
                 entity="declaration", entity_id=decl.id, before={"status": before},
                 after={"status": decl.status, "reason": reason, "field_notes": notes},
                 source_sha256=source_sha256(session, decl))
