"""The worker prepares in its parent what every job needs and hands each forked job a warm,
safe start: its own database connections (never the parent's), the inherited heap frozen."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.documents.models import Document
from portal.requests.models import Declaration
from portal.requests.declarations import PREFILLED, flatten
from tests.conftest import CMRT_FILE, gen_user, login, upload

ROOT = Path(__file__).resolve().parents[2]

FORK_CHECK = textwrap.dedent("""
    import gc, os
    from sqlalchemy import text
    from portal.db import get_engine, session_scope
    from portal.settings import load_settings
    from portal.worker import prepare_for_forking

    settings = load_settings()
    prepare_for_forking(settings)
    assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()
    engine = get_engine(settings.database_url)
    with engine.connect() as conn:                 # back into the pool when the block ends
        parent_dbapi = id(conn.connection.dbapi_connection)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        with get_engine(settings.database_url).connect() as conn:
            conn.execute(text("SELECT 1"))
            same = id(conn.connection.dbapi_connection) == parent_dbapi
        with session_scope(settings.database_url) as session:
            session.exec(text("SELECT 1"))
        os.write(write, b"shared" if same else b"own")
        os._exit(0)
    os.waitpid(pid, 0)
    print(os.read(read, 10).decode())
    with engine.connect() as conn:                 # the parent's pooled connection still works
        assert conn.execute(text("SELECT 1")).scalar() == 1
        assert id(conn.connection.dbapi_connection) == parent_dbapi
""")


def test_a_forked_job_opens_its_own_connections(env):
    done = subprocess.run([sys.executable, "-c", FORK_CHECK], env={**env, "PATH": "/usr/bin:/bin"}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "own"


def test_a_real_worker_extracts_and_audits_the_prefilled_record_in_one_entry(client, session, env):
    user = gen_user(session)
    login(client, user.email)
    upload(client, CMRT_FILE)
    doc = session.exec(select(Document)).one()
    worker = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "worker", "--burst"],
                            env={**env, "PATH": "/usr/bin:/bin"}, cwd=ROOT, capture_output=True, text=True,
                            timeout=180)
    assert worker.returncode == 0, worker.stderr
    session.expire_all()
    doc = session.get(Document, doc.id)
    assert doc.status in ("extracted", "needs_review")
    decl = session.exec(select(Declaration).where(Declaration.document_id == doc.id)).one()
    audited = session.exec(select(AuditEntry).where(AuditEntry.entity == "declaration",
                                                    AuditEntry.entity_id == str(decl.id))
                           .where(AuditEntry.action.in_([PREFILLED, "field.extracted"]))).all()
    # one entry for the whole record (the empty draft before it is no value), none per field
    assert [(a.action, a.field_path, a.before) for a in audited] == [(PREFILLED, None, None)]
    (entry,) = audited
    assert entry.after == decl.record and len(flatten(entry.after)) > 50
    assert entry.after["company"]["name"] == "Tatra Magnetics s.r.o."
    assert entry.actor == "worker" and entry.source_sha256 == doc.sha256 and entry.at is not None
