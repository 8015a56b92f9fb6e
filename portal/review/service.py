"""Review actions: correct a field, approve, reject. Each writes an audit row in the same
transaction, and each checks the document version so two reviewers cannot silently overwrite
each other."""

from __future__ import annotations

import copy
import json
from typing import Any

from sqlmodel import Session

from ingestion import validate_record
from portal import audit
from portal.auth.models import User
from portal.documents.models import Document, ReviewStatus
from portal.passports.models import OutboxMessage
from portal.suppliers.models import Supplier
from portal.timeutil import iso, utcnow


class ReviewConflict(Exception):
    """Shown to the reviewer as is."""


def _check(doc: Document, version: int) -> None:
    if doc.version != version:
        raise ReviewConflict("Someone else changed this document while you were looking at it. "
                             "The page now shows their version; check it and try again.")
    if doc.review_status not in (ReviewStatus.awaiting_review.value,):
        raise ReviewConflict("This document is not waiting for review any more.")


def _split_pointer(path: str) -> list[str | int]:
    if not path.startswith("/"):
        raise ReviewConflict(f"{path!r} is not a field path.")
    parts: list[str | int] = []
    for raw in path[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return parts


def coerce(text: str, current: Any) -> Any:
    """Turn the reviewer's text into the JSON type the field had, so the schema judges the value
    and not the HTML form's habit of sending strings."""
    text = text.strip()
    if text == "":
        return None
    if isinstance(current, bool):
        return text.lower() in ("true", "yes", "1")
    if isinstance(current, (int, float)):
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text  # let the schema report it
        return int(number) if number.is_integer() and isinstance(current, int) else number
    if isinstance(current, (list, dict)):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def correct_field(session: Session, doc: Document, user: User, path: str, text: str, version: int) -> None:
    _check(doc, version)
    parts = _split_pointer(path)
    record = copy.deepcopy(doc.record or {})
    node: Any = record
    try:
        for part in parts[:-1]:
            node = node[part]
        before = node[parts[-1]] if (isinstance(node, dict) and parts[-1] in node) or (
            isinstance(node, list) and isinstance(parts[-1], int) and parts[-1] < len(node)) else None
        after = coerce(text, before)
        node[parts[-1]] = after
    except (KeyError, IndexError, TypeError):
        raise ReviewConflict(f"The record has no field {path}.") from None
    if before == after:
        return
    doc.record = record
    doc.errors = validate_record(doc.document_type, record)
    doc.version += 1
    doc.updated_at = utcnow()
    audit.record(session, actor=user.email, actor_user_id=user.id, action="field.corrected",
                 entity="document", entity_id=doc.id, field_path=path, before=before, after=after,
                 source_sha256=doc.sha256)


def approve(session: Session, doc: Document, user: User, version: int) -> OutboxMessage:
    _check(doc, version)
    errors = validate_record(doc.document_type, doc.record or {})
    if errors:
        doc.errors = errors
        raise ReviewConflict(f"Correct the {len(errors)} finding(s) marked below before approving.")
    supplier = session.get(Supplier, doc.supplier_id)
    doc.review_status, doc.reviewed_by_id, doc.reviewed_at = ReviewStatus.approved.value, user.id, utcnow()
    doc.version += 1
    message = OutboxMessage(document_id=doc.id, payload={
        "source_system": "supplier-portal",
        "source_declaration_id": f"document-{doc.id}",
        "note": f"Approved by {user.email}",
        "data": {"declarations": [{
            "document_type": doc.document_type,
            "schema": (doc.result or {}).get("schema"),
            "record": doc.record,
            "supplier": {"id": supplier.id, "name": supplier.name},
            "source_document": {"sha256": doc.sha256, "filename": doc.filename},
            "approved_by": user.email,
            "approved_at": iso(doc.reviewed_at),
        }]},
    })
    session.add(message)
    audit.record(session, actor=user.email, actor_user_id=user.id, action="document.approved",
                 entity="document", entity_id=doc.id, before={"review_status": "awaiting_review"},
                 after={"review_status": "approved"}, source_sha256=doc.sha256)
    return message


def reject(session: Session, doc: Document, user: User, reason: str, version: int) -> None:
    _check(doc, version)
    reason = reason.strip()
    if not reason:
        raise ReviewConflict("Say why the document is sent back: the supplier sees this reason.")
    doc.review_status, doc.review_reason = ReviewStatus.rejected.value, reason[:2000]
    doc.reviewed_by_id, doc.reviewed_at = user.id, utcnow()
    doc.version += 1
    audit.record(session, actor=user.email, actor_user_id=user.id, action="document.rejected",
                 entity="document", entity_id=doc.id, before={"review_status": "awaiting_review"},
                 after={"review_status": "rejected", "reason": doc.review_reason}, source_sha256=doc.sha256)
