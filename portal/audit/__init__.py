"""Audit trail: every write records who, when, what, before and after."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Optional

from sqlalchemy.engine import Dialect
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
    """One row per (field_path, before, after), written as one INSERT run over all rows by the
    driver (executemany): an extraction's prefill audits every field (hundreds of rows). The
    statement is compiled once per dialect and the values go through the columns' own bind
    processors, so the rows are what the ORM would write, at half its cost (SQLAlchemy's
    per-row parameter handling was most of it)."""
    if not changes:
        return 0
    session.flush()     # entries added before these keep their place in the trail (ids in order)
    connection = session.connection()
    sql, order, processors = _insert_many(connection.dialect)
    common = {"at": utcnow(), "actor": actor, "actor_user_id": actor_user_id, "action": action,
              "entity": entity, "entity_id": str(entity_id), "source_sha256": source_sha256}
    common = {key: processors[key](value) if processors[key] else value for key, value in common.items()}
    as_json = processors["after"] or (lambda value: value)
    rows = [{**common, "field_path": path, "before": as_json(before), "after": as_json(after)}
            for path, before, after in changes]
    connection.exec_driver_sql(sql, [tuple(row[key] for key in order) for row in rows] if order else rows)
    return len(changes)


_COLUMNS = ("at", "actor", "actor_user_id", "action", "entity", "entity_id", "field_path", "before", "after",
            "source_sha256")


@lru_cache(maxsize=8)
def _insert_many(dialect: Dialect) -> tuple[str, list[str] | None, dict[str, Callable[[Any], Any] | None]]:
    """The audit INSERT as the driver takes it: SQL text, the column order of its positional
    parameters (None for named ones), and each column's bind processor for this dialect."""
    table = AuditEntry.__table__
    compiled = table.insert().compile(dialect=dialect, column_keys=list(_COLUMNS))
    processors = {key: table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in _COLUMNS}
    return compiled.string, list(compiled.positiontup) if compiled.positiontup else None, processors
