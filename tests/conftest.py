"""Shared fixtures. The suite runs against real services: SQLite (default) or PostgreSQL when
DATABASE_URL is set, and Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379/15)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from portal.db import all_models, get_engine

FIXTURES = Path(__file__).parent / "fixtures"
CMRT_FILE = FIXTURES / "xlsx" / "cmrt-6.5-101.xlsx"
ENCRYPTED_PDF = FIXTURES / "pdf" / "libreoffice-writer-password.pdf"
PASSWORD = "correct horse battery"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PG_URL = os.environ.get("DATABASE_URL", "")
QUEUE_PREFIX = f"test{os.getpid()}"


def using_postgres() -> bool:
    return PG_URL.startswith("postgresql")


@pytest.fixture(scope="session")
def redis_conn() -> Redis:
    conn = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        conn.ping()
    except RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}). Start it (`make services`) "
                    "or point TEST_REDIS_URL at one; these tests need a real Redis.", pytrace=False)
    return conn


@pytest.fixture(scope="session")
def pg_ready() -> None:
    if not using_postgres():
        return
    try:
        with get_engine(PG_URL).connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} ({exc}).", pytrace=False)


@pytest.fixture
def database_url(tmp_path: Path, pg_ready: None) -> Iterator[str]:
    """A fresh, empty schema per test: a new SQLite file, or PostgreSQL tables dropped and created."""
    all_models()
    if using_postgres():
        engine = get_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        SQLModel.metadata.create_all(engine)
        yield PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'portal.db'}"
        SQLModel.metadata.create_all(get_engine(url))
        yield url
        get_engine(url).dispose()


@pytest.fixture
def env(database_url: str, redis_conn: Redis, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Environment for the app, for jobs run in this process and for spawned worker processes."""
    values = {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "QUEUE_PREFIX": QUEUE_PREFIX,
        "SECRET_KEY": "test-secret-key",
        "MAX_UPLOAD_MB": "5",
        "PUBLIC_URL": "http://127.0.0.1:9",
        "PASSPORT_API_KEY": "",
        # admins log in with a password alone in most tests; tests/portal/test_auth_two_factor.py
        # turns the requirement on
        "REQUIRE_ADMIN_TOTP": "0",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    redis_conn.flushdb()  # the test database (15 unless TEST_REDIS_URL says otherwise)
    return values


@pytest.fixture
def app(env: dict[str, str]):  # noqa: ANN201
    from portal import create_app
    app = create_app({"TESTING": True})
    yield app


@pytest.fixture
def session(app) -> Iterator[Session]:  # noqa: ANN001
    with Session(get_engine(app.config["SETTINGS"].database_url), expire_on_commit=False) as s:
        yield s


@pytest.fixture
def client(app):  # noqa: ANN001, ANN201
    return app.test_client()


# --- generators (instead of hand-built rows) ---------------------------------------------------

def gen_user(session: Session, role: str = "supplier", email: str | None = None,
             supplier: str | None = "Tatra Magnetics s.r.o."):  # noqa: ANN201
    from portal.accounts import create_user
    email = email or f"{role}{gen_user.counter}@example.test"
    gen_user.counter += 1
    user = create_user(session, email=email, password=PASSWORD, role=role,
                       supplier_name=supplier if role == "supplier" else None)
    session.commit()
    return user


gen_user.counter = 0


def csrf_token(client, url: str) -> str:  # noqa: ANN001
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def upload(client, path: Path, filename: str | None = None, content: bytes | None = None):  # noqa: ANN001, ANN201
    import io
    token = csrf_token(client, "/documents/")
    data = content if content is not None else path.read_bytes()
    return client.post("/documents/", data={"csrf_token": token, "file": (io.BytesIO(data), filename or path.name)},
                       content_type="multipart/form-data")


# --- the real stack: gunicorn + `flask --app wsgi worker` as separate processes ----------------

class LiveStack:
    def __init__(self, url: str, env: dict[str, str], read_key: str, logs: Path | None = None) -> None:
        self.url, self.env, self.read_key = url, env, read_key
        self.logs = logs  # web.log and worker.log (e-mails are logged there: no SMTP_HOST)


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc, timeout: float = 30) -> None:  # noqa: ANN001
    import time
    import requests
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"web server exited with {proc.returncode}")
        try:
            if requests.get(url + "/healthz", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("web server did not come up in time")


@pytest.fixture
def live_stack(env: dict[str, str], session: Session, tmp_path: Path) -> Iterator[LiveStack]:
    import subprocess
    import sys

    from portal.clients.models import ApiKey
    port = _free_port()
    push_row, push_key = ApiKey.generate("portal-push", "write")
    read_row, read_key = ApiKey.generate("erp", "read")
    session.add(push_row)
    session.add(read_row)
    session.commit()
    url = f"http://127.0.0.1:{port}"
    proc_env = {**os.environ, **env, "PUBLIC_URL": url, "PASSPORT_API_URL": url + "/api/v1",
                "PASSPORT_API_KEY": push_key, "SWEEP_INTERVAL_S": "5"}
    bin_dir = Path(sys.executable).parent
    logs = tmp_path / "logs"
    logs.mkdir()
    web = subprocess.Popen([str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
                            "wsgi:app"], env=proc_env, stdout=open(logs / "web.log", "wb"),
                           stderr=subprocess.STDOUT)
    worker = subprocess.Popen([str(bin_dir / "flask"), "--app", "wsgi", "worker"], env=proc_env,
                              stdout=open(logs / "worker.log", "wb"), stderr=subprocess.STDOUT)
    try:
        _wait_until_up(url, web)
        yield LiveStack(url, proc_env, read_key, logs)
    finally:
        for proc in (worker, web):
            proc.terminate()
        for proc in (worker, web):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if os.environ.get("SHOW_STACK_LOGS"):
            for log in logs.iterdir():
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-5000:]}")


def extracted_draft(app, session, path: Path, supplier_name: str = "Tatra Magnetics s.r.o."):  # noqa: ANN001, ANN201
    """A supplier user uploads `path` and the extraction job runs in-process (call it before a live
    stack starts, whose worker would race it). Returns (declaration, supplier_client, supplier_email)."""
    from sqlmodel import select

    from portal.documents.jobs import extract_document
    from portal.documents.models import Document
    from portal.requests.models import Declaration
    supplier_client = app.test_client()
    email = gen_user(session, supplier=supplier_name).email
    login(supplier_client, email)
    upload(supplier_client, path)
    doc = session.exec(select(Document).order_by(Document.id.desc())).first()
    extract_document(doc.id)
    return session.exec(select(Declaration).where(Declaration.document_id == doc.id)).one(), supplier_client, email


def submit(client, session, decl) -> None:  # noqa: ANN001
    """The supplier signs and submits the declaration as it stands."""
    token = csrf_token(client, f"/declarations/{decl.id}")
    response = client.post(f"/declarations/{decl.id}/submit", data={
        "csrf_token": token, "lock_version": decl.lock_version, "signatory_name": "Priya Martin",
        "signatory_title": "Sustainability Manager", "confirm": "yes"})
    assert response.status_code == 303
    session.refresh(decl)
    assert decl.status == "submitted", decl.errors


def submitted_declaration(app, session, supplier_name: str = "Tatra Magnetics s.r.o."):  # noqa: ANN001, ANN201
    """A CMRT uploaded, extracted (in-process job), checked and attested by a supplier user.
    Returns (declaration, supplier_client, reviewer_client)."""
    decl, supplier_client, _ = extracted_draft(app, session, CMRT_FILE, supplier_name)
    submit(supplier_client, session, decl)
    reviewer = app.test_client()
    login(reviewer, gen_user(session, "procurement").email)
    return decl, supplier_client, reviewer


def form_as_shown(decl) -> dict[str, str]:  # noqa: ANN001
    """The declaration's form fields as its edit page fills them in (what a supplier who changes
    nothing posts back), by WTForms name."""
    from wtforms import FieldList, FormField

    from portal.schema_forms import form_class, to_form_data

    def leaves(form):  # noqa: ANN001, ANN202
        for field in form:
            if isinstance(field, FormField):
                yield from leaves(field.form)
            elif isinstance(field, FieldList):
                for entry in field:
                    yield from (leaves(entry.form) if isinstance(entry, FormField) else [entry])
            else:
                yield field
    filled = form_class(decl.document_type)(data=to_form_data(decl.record))
    return {field.name: field._value() if hasattr(field, "_value") else field.data
            for field in leaves(filled) if field.data not in (None, "")}
