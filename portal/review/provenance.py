"""Where each value on the review screen came from: read from the file, typed by the supplier, or
corrected by a reviewer — worked out from the audit trail, the one record of every write — and
whether it still says what its source cell or box says."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from portal.audit.models import AuditEntry
from portal.documents.fields import field_rows
from portal.requests.declarations import PREFILLED, leaf_changes

# field.extracted: a prefill's field, one row each, as prefills were audited before PREFILLED
ORIGINS = {"field.extracted": "file", "field.edited": "supplier", "field.corrected": "reviewer", PREFILLED: "file"}


def field_origins(session: Session, declaration_id: int) -> dict[str, dict[str, Any]]:
    """path -> {"origin": file|supplier|reviewer, "by", "at", "before", "after"} of its last write.
    A prefill's one row (the whole record before and after) writes each field it changed, as its
    own row per field would have: a field the file left as it was keeps its earlier origin."""
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.entity == "declaration", AuditEntry.entity_id == str(declaration_id),
        AuditEntry.action.in_(list(ORIGINS))).order_by(AuditEntry.id)).all()
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        writes = (leaf_changes(entry.before, entry.after) if entry.action == PREFILLED
                  else [(entry.field_path or "/", entry.before, entry.after)])
        for path, before, after in writes:
            out[path] = {"origin": ORIGINS[entry.action], "by": entry.actor, "at": entry.at,
                         "before": before, "after": after}
    return out


def annotate(rows: list[dict], origins: dict[str, dict], extracted_record: dict | None) -> None:
    """Adds to each row its `origin` (with before/after) and, where the file gave a value,
    `file_value` and `differs` — a value that no longer says what the source says is flagged, and
    its confidence (which was about the file's value) no longer applies."""
    from_file = {r["path"]: r["value"] for r in field_rows(extracted_record or {}, {}, None)}
    for row in rows:
        origin = origins.get(row["path"])
        row["origin"] = origin or ({"origin": "file"} if row["path"] in from_file else {"origin": "supplier"})
        if row["path"] in from_file:
            row["file_value"] = from_file[row["path"]]
            row["differs"] = from_file[row["path"]] != row["value"]
        else:
            row["file_value"], row["differs"] = None, False
        if row["differs"]:
            row["confidence"] = None
