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
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=PG_CONNECT_ARGS)


# A host that vanishes mid-transaction (a cut link, a power loss) must not keep its row locks
# for the kernel's default two hours: bench/hosts.py saw a cut worker's half-written result lock
# its document, so the sweeper (which skips locked rows) could not hand it to another worker.
# The server probes a silent client after 10 s and drops it after ~25 s (30 s when its data goes
# unacknowledged), which aborts the transaction; the client gives up on a dead server alike and
# on connecting after 10 s. All well inside STUCK_AFTER_S.
_TCP = {"tcp_keepalives_idle": 10, "tcp_keepalives_interval": 5, "tcp_keepalives_count": 3,
        "tcp_user_timeout": 30_000}
PG_CONNECT_ARGS = {
    "connect_timeout": 10,
    "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
    "tcp_user_timeout": 30_000,
    "options": " ".join(f"-c {name}={value}" for name, value in _TCP.items()),
}


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
