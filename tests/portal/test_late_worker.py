"""A worker host cut off from the network finishes its job late, just as the sweeper gives the
document up (bench/hosts.py cuts one mid-run). The late result and the sweeper's re-queue must not
interleave: the document ends with one final state and one result event, not a result that the
sweeper turns back to "queued" and a second run writes again."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from portal.audit.models import AuditEntry
from portal.db import get_engine
from portal.documents.models import Document
from portal.maintenance import sweep
from portal.timeutil import utcnow
from tests.conftest import gen_user, login, using_postgres
from tests.portal.test_hardening_queue import _forget_rq_jobs, _upload_variant

pytestmark = pytest.mark.skipif(not using_postgres(), reason="row locks are PostgreSQL's; SQLite has one writer")


def test_the_sweeper_leaves_alone_a_document_whose_late_result_is_being_written(client, session, redis_conn, env):
    login(client, gen_user(session).email)
    doc = _upload_variant(client, session, 1)
    _forget_rq_jobs(redis_conn, doc)                 # its worker is gone: RQ holds nothing for it
    doc.status, doc.attempts = "extracting", 1
    doc.extraction_started_at = utcnow() - timedelta(hours=1)
    session.add(doc)
    session.commit()

    # the late worker's result transaction, as extract_document writes it: the row locked first
    late = Session(get_engine(env["DATABASE_URL"]), expire_on_commit=False)
    row = late.get(Document, doc.id, with_for_update=True)
    swept: dict[str, int] = {}
    sweeper = threading.Thread(target=lambda: swept.update(sweep()))
    sweeper.start()
    sweeper.join(timeout=3)
    row.status, row.extracted_at, row.result = "extracted", utcnow(), {"document_type": "cmrt", "errors": []}
    late.add(AuditEntry(actor="worker", action="document.extracted", entity="document", entity_id=str(doc.id)))
    late.commit()
    late.close()
    sweeper.join(timeout=30)

    assert swept["requeued"] == 0 and swept["failed"] == 0
    session.expire_all()
    assert session.get(Document, doc.id).status == "extracted"     # not turned back to queued
    events = session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.entity_id == str(doc.id), AuditEntry.action.in_(("document.extracted", "document.failed")))).one()
    assert events == 1


def test_the_server_gives_up_a_silent_client_well_inside_stuck_after(env):
    """A worker host cut off mid-transaction holds its row locks until PostgreSQL drops the
    connection; the portal's connections ask the server to do so within about half a minute."""
    from sqlalchemy import text

    from portal.settings import load_settings
    with get_engine(env["DATABASE_URL"]).connect() as conn:
        shown = {name: int(conn.execute(text(f"SHOW {name}")).scalar()) for name in
                 ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count", "tcp_user_timeout")}
    probes_s = shown["tcp_keepalives_idle"] + shown["tcp_keepalives_interval"] * shown["tcp_keepalives_count"]
    assert 0 < probes_s <= 30 and 0 < shown["tcp_user_timeout"] <= 30_000, shown
    assert max(probes_s, shown["tcp_user_timeout"] / 1000) < load_settings().stuck_after_s
