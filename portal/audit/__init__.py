"""Audit trail: every write records who, when, what, before and after."""

from __future__ import annotations

from typing import Any, Optional

from sqlmodel import Session

from .models import AuditEntry


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: Any,
           actor_user_id: Optional[int] = None, field_path: Optional[str] = None,
           before: Any = None, after: Any = None, source_sha256: Optional[str] = None) -> AuditEntry:
    entry = AuditEntry(actor=actor, actor_user_id=actor_user_id, action=action, entity=entity,
                       entity_id=str(entity_id), field_path=field_path, before=before, after=after,
                       source_sha256=source_sha256)
    session.add(entry)
    return entry
