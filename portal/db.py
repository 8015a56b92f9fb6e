"""Database engines and sessions, shared by the web app, the CLI and the worker's jobs."""

from __future__ import annotations

import importlib
import json
import operator
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable, Optional

from sqlalchemy import JSON, ColumnElement, String, Table, any_, bindparam, event, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
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


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]],
                encoded: Optional[dict[str, list[Any]]] = None) -> None:
    """Insert many rows (column values, every row the same keys) in one driver call: COPY on
    PostgreSQL, the driver's executemany elsewhere. For a thousand rows SQLAlchemy's per-row
    work (building each row's parameters, converting every value, psycopg's pipeline per row)
    costs more than the database's; here each column's conversion runs once per distinct value
    (a batch shares its creation time) and the driver gets plain tuples. The rows are stored
    exactly as a Core INSERT stores them: the same type conversions, the same JSON serializer.

    Columns that are None in every row and have no default are left out (the database writes
    NULL there all the same). A column missing from the rows must have no Python-side default,
    which a Core INSERT would have filled in: such a call is refused rather than stored wrong.

    `encoded`: a column's values (one per row, in order) already in the form its type's bind
    processor gives the driver, used instead of the rows' own (bulk creation hands over the
    JSON text the hash chain encoded already)."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    missing = [c.name for c in table.c if c.name not in rows[0] and c.default is not None]
    if missing:
        raise ValueError(f"insert_rows({table.name}): no value for {missing}, which have defaults")
    names, columns = [], []
    encoded = encoded or {}
    for name in rows[0]:
        if name in encoded:
            names.append(name)
            columns.append(encoded[name])
            continue
        values = list(map(operator.itemgetter(name), rows))
        if values.count(None) == len(values) and _no_default(table, name):
            continue
        convert = _copy_text(table.c[name].type, dialect) or \
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        names.append(name)
        columns.append(values if convert is None else _converted(convert, values))
    tuples = list(zip(*columns))
    quote = dialect.identifier_preparer
    target = f"{quote.format_table(table)} ({', '.join(quote.quote(name) for name in names)})"
    if dialect.name == "postgresql":
        _copy(conn, f"COPY {target} FROM STDIN", tuples)
    elif dialect.paramstyle == "qmark":
        conn.exec_driver_sql(f"INSERT INTO {target} VALUES ({', '.join('?' * len(names))})", tuples)
    else:   # a driver this code was not measured on: SQLAlchemy's own path
        session.execute(insert(table), [{name: row[name] for name in names} for row in rows])


def _copy_text(column_type: Any, dialect: Any) -> Optional[Callable[[Any], Any]]:  # noqa: ANN401
    """For COPY on PostgreSQL, a plain JSON column's values as the JSON text psycopg would send
    (the dialect's serializer, json.dumps unless set; None as the type says): psycopg's JSON
    wrapper and its dumper cost more per value than the encoding (an edit's audit rows, two values each)."""
    if dialect.name != "postgresql" or type(column_type) is not JSON:
        return None
    dumps = dialect._json_serializer or json.dumps
    null = None if column_type.none_as_null else "null"
    return lambda value: null if value is None else dumps(value)


def _no_default(table: Table, name: str) -> bool:
    column = table.c[name]
    return column.default is None and column.server_default is None


def _converted(convert: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """Each value converted, a run of the same object (the batch's creation time, a shared
    list of element names) converted once."""
    out: list[Any] = []
    last: Any = object()
    done: Optional[Any] = None
    for value in values:
        if value is not last:
            last, done = value, convert(value)
        out.append(done)
    return out


def _copy(conn: Connection, statement: str, tuples: list[tuple[Any, ...]]) -> None:
    """COPY … FROM STDIN in the session's transaction, its errors raised as SQLAlchemy's
    (IntegrityError for a duplicate, as an INSERT's would be)."""
    driver = conn.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in tuples:
                copy.write_row(row)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(statement, None, exc, conn.dialect.loaded_dbapi.Error) from exc


def in_values(session: Session, column: ColumnElement[str], values: list[str]) -> ColumnElement[bool]:
    """`column IN values` for a long list of texts, sent as one parameter: an array on
    PostgreSQL, a JSON list read by json_each on SQLite. `column.in_(values)` renders one
    parameter per value, which the driver then parses and binds: for the thousand Digital Link
    keys of a bulk call 2 ms on SQLite, 6 ms on PostgreSQL."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return column == any_(bindparam("values", values, type_=ARRAY(String)))
    if dialect == "sqlite":
        listed = func.json_each(bindparam("values", json.dumps(values))).table_valued("value")
        return column.in_(select(listed.c.value))
    return column.in_(values)
