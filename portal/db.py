"""Database engines and sessions, shared by the web app, the CLI and the worker's jobs."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


_engines: dict[str, Engine] = {}
_MAX_ENGINES = 8


def get_engine(url: str) -> Engine:
    """One engine per URL and process (a forked child reuses it after dispose_after_fork)."""
    engine = _engines.get(url)
    if engine is None:
        if len(_engines) >= _MAX_ENGINES:            # tests make one URL per test; keep a few
            _engines.pop(next(iter(_engines)))
        engine = _engines[url] = _create_engine(url)
    return engine


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            # WAL lets the web app read while a worker writes; FKs are off by default in SQLite.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session for jobs and CLI commands: commits on success, rolls back on error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def all_models() -> None:
    """Import every model module so SQLModel.metadata knows every table (Alembic, create_all)."""
    # By name (portal.model_registry), so this module imports no feature and no circle forms.
    importlib.import_module("portal.model_registry").import_model_modules()


def dispose_after_fork() -> None:
    """In a forked child: forget the parent's pooled connections without closing them (they are
    the parent's sockets), so the child opens its own. SQLAlchemy's documented recipe."""
    for engine in _engines.values():
        engine.dispose(close=False)
