"""Rows that are history (audit entries, attested declaration versions, passport revisions) are
written once: the ORM refuses to update or delete them, so no code path can rewrite the past."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event


class ImmutableRowError(ValueError):
    """An attempt to change or delete a row that is history. A bug in the caller, never user input."""


def immutable(model: type, advice: str) -> type:
    """Refuse ORM updates and deletes of `model`'s rows; `advice` says what to do instead."""
    def refuse(_mapper: Any, _connection: Any, target: Any) -> None:
        raise ImmutableRowError(f"{type(target).__name__} rows are immutable; {advice}")

    event.listen(model, "before_update", refuse)
    event.listen(model, "before_delete", refuse)
    return model
