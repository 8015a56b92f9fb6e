"""Audit trail: every write records who, when, what, before and after."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import insert
from sqlmodel import Session

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
    """One row per (field_path, before, after), written as one INSERT: an extraction's prefill
    audits every field (hundreds of rows), and building an ORM object per row cost more than
    the rest of the job."""
    if not changes:
        return 0
    common = {"at": utcnow(), "actor": actor, "actor_user_id": actor_user_id, "action": action,
              "entity": entity, "entity_id": str(entity_id), "source_sha256": source_sha256}
    session.execute(insert(AuditEntry), [{**common, "field_path": path, "before": before, "after": after}
                                         for path, before, after in changes])
    return len(changes)
