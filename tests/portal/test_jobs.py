"""Extraction job and sweeper against a real Redis (jobs run in-process here; the stack test
runs them in a real worker process)."""

from datetime import timedelta

from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.documents.jobs import extract_document, job_id
from portal.documents.models import Document
from portal.requests.models import Declaration
from portal.maintenance import sweep
from portal.queues import EXTRACT, queue
from portal.settings import load_settings
from portal.timeutil import utcnow
from tests.conftest import CMRT_FILE, gen_user, login, upload


def _uploaded(client, session) -> Document:  # noqa: ANN001
    user = gen_user(session)
    login(client, user.email)
    upload(client, CMRT_FILE)
    return session.exec(select(Document)).one()


def test_extraction_stores_the_spec_result(client, session):
    doc = _uploaded(client, session)
    assert extract_document(doc.id) in ("extracted", "needs_review")
    session.refresh(doc)
    assert doc.document_type == "cmrt" and doc.result["schema"] == "cmrt/1"
    assert doc.result["record"]["company"]["name"] == "Tatra Magnetics s.r.o."
    assert doc.result["fields"]["/company/name"]["source"] == {"sheet": "Declaration", "cell": "D8"}
    # the upload starts a draft declaration, pre-filled for the supplier to check
    decl = session.exec(select(Declaration).where(Declaration.document_id == doc.id)).one()
    assert decl.status == "draft" and decl.record == doc.result["record"] and decl.errors == doc.result["errors"]
    status = client.get(f"/documents/{doc.id}/status").get_json()
    assert status["final"] is True and status["status"] == doc.status


def test_extraction_is_idempotent(client, session):
    doc = _uploaded(client, session)
    first = extract_document(doc.id)
    assert extract_document(doc.id) == f"already {first}"
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.entity_id == str(doc.id))).all()
    assert actions.count("document.extracted") == 1


def test_sweeper_requeues_documents_lost_with_redis(client, session, redis_conn):
    doc = _uploaded(client, session)
    q = queue(load_settings(), EXTRACT)
    q.empty()  # as if Redis restarted: it keeps nothing on disk
    redis_conn.delete(f"rq:job:{job_id(doc.id)}")
    doc.updated_at = utcnow() - timedelta(minutes=5)
    session.add(doc)
    session.commit()
    assert sweep()["requeued"] == 1
    assert q.job_ids == [job_id(doc.id)]
    assert sweep()["requeued"] == 0  # already in flight: not enqueued twice


def test_sweeper_recovers_a_document_stuck_in_extracting(client, session, redis_conn):
    doc = _uploaded(client, session)
    queue(load_settings(), EXTRACT).empty()
    redis_conn.delete(f"rq:job:{job_id(doc.id)}")
    doc.status, doc.attempts = "extracting", 1
    doc.extraction_started_at = utcnow() - timedelta(hours=1)
    session.add(doc)
    session.commit()
    assert sweep()["requeued"] == 1
    session.refresh(doc)
    assert doc.status == "queued"
    # after the last attempt it ends as failed with a reason, not stuck forever
    queue(load_settings(), EXTRACT).empty()
    redis_conn.delete(f"rq:job:{job_id(doc.id)}")
    doc.status, doc.attempts, doc.extraction_started_at = "extracting", 3, utcnow() - timedelta(hours=1)
    session.add(doc)
    session.commit()
    assert sweep()["failed"] == 1
    session.refresh(doc)
    assert doc.status == "failed" and "kept stopping" in doc.failure_reason
