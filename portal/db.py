"""Database engines and sessions, shared by the web app, the CLI and the worker's jobs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
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
    from portal.api import models as _api  # noqa: F401
    from portal.audit import models as _audit  # noqa: F401
    from portal.auth import invitations as _invitations  # noqa: F401
    from portal.auth import models as _auth  # noqa: F401
    from portal.certificates import register as _certificates  # noqa: F401 - its models and approval hook
    from portal.documents import models as _documents  # noqa: F401
    from portal.mail import models as _mail  # noqa: F401
    from portal.passports import models as _passports  # noqa: F401
    from portal.products import models as _products  # noqa: F401
    from portal.requests import models as _requests  # noqa: F401
    from portal.suppliers import models as _suppliers  # noqa: F401
    from portal.webhooks import models as _webhooks  # noqa: F401
