"""Audit trail: every write records who, when, what, before and after."""

from __future__ import annotations

from typing import Any, Optional

from sqlmodel import Session

from portal.db import insert_rows
from portal.timeutil import utcnow

from .models import AuditEntry


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: Any,
           actor_user_id: Optional[int] = None, field_path: Optional[str] = None,
           before: Any = None, after: Any = None, source_sha256: Optional[str] = None) -> AuditEntry:
    entry = AuditEntry(actor=actor, actor_user_id=actor_user_id, action=action, entity=entity,
                       entity_id=str(entity_id), field_path=field_path, before=before, after=after,
                       source_sha256=source_sha256)
    session.add(entry)
    return entry


def record_many(session: Session, *, actor: str, action: str, entity: str, entity_id: Any,
                changes: list[tuple[str, Any, Any]], actor_user_id: Optional[int] = None,
                source_sha256: Optional[str] = None) -> int:
    """One row per (field_path, before, after), written in one driver call (record_rows)."""
    return record_rows(session, change_rows(actor=actor, action=action, entity=entity, entity_id=entity_id,
                                            changes=changes, actor_user_id=actor_user_id,
                                            source_sha256=source_sha256))


def entry_row(*, actor: str, action: str, entity: str, entity_id: Any, actor_user_id: Optional[int] = None,
              field_path: Optional[str] = None, before: Any = None, after: Any = None,
              source_sha256: Optional[str] = None) -> dict[str, Any]:
    """What `record` adds, as column values for record_rows (written with other rows at once)."""
    return {"at": utcnow(), "actor": actor, "actor_user_id": actor_user_id, "action": action, "entity": entity,
            "entity_id": str(entity_id), "source_sha256": source_sha256, "field_path": field_path,
            "before": before, "after": after}


def change_rows(*, actor: str, action: str, entity: str, entity_id: Any, changes: list[tuple[str, Any, Any]],
                actor_user_id: Optional[int] = None, source_sha256: Optional[str] = None) -> list[dict[str, Any]]:
    """One entry_row per (field_path, before, after), sharing one time."""
    common = {"at": utcnow(), "actor": actor, "actor_user_id": actor_user_id, "action": action,
              "entity": entity, "entity_id": str(entity_id), "source_sha256": source_sha256}
    return [{**common, "field_path": path, "before": before, "after": after} for path, before, after in changes]


def record_rows(session: Session, rows: list[dict[str, Any]]) -> int:
    """Entries (entry_row, change_rows) in one driver call (portal.db.insert_rows), in order:
    an edit of many fields is a row each, and SQLAlchemy's per-row parameter handling was most of
    the ORM's cost. The rows are what the ORM would write."""
    if not rows:
        return 0
    session.flush()     # entries added before these keep their place in the trail (ids in order)
    insert_rows(session, AuditEntry.__table__, rows)
    return len(rows)
