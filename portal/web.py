"""Per-request database session and the one place that answers 404 for foreign ids."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, current_app, g
from sqlmodel import Session, SQLModel

from portal.db import get_engine

M = TypeVar("M", bound=SQLModel)


def db() -> Session:
    if "db_session" not in g:
        g.db_session = Session(get_engine(current_app.config["SETTINGS"].database_url),
                               expire_on_commit=False)
    return g.db_session


def close_db(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def get_or_404(model: type[M], ident: object) -> M:
    obj = db().get(model, ident)
    if obj is None:
        abort(404)
    return obj


def settings():  # noqa: ANN201 - returns portal.settings.Settings
    return current_app.config["SETTINGS"]
