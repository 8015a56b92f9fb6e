"""Queueing under load and abuse: a timeout is reported as a timeout, one supplier's documents
cannot occupy every worker, uploads are rate-limited per supplier, and two simultaneous uploads
of one file end as one document."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import linecache
import signal
import threading
import traceback
import zipfile
from datetime import timedelta

import pytest
from rq.timeouts import JobTimeoutException
from sqlmodel import Session, select

from portal.db import get_engine
from portal.documents.jobs import extract_document, job_id
from portal.documents.models import Document
from portal.documents.uploads import accept_upload, insert_document
from portal.maintenance import sweep
from portal.queues import EXTRACT, queue
from portal.settings import load_settings
from portal.timeutil import utcnow
from tests.conftest import CMRT_FILE, gen_user, login, upload


def cmrt_variant(n: int) -> bytes:
    """The same workbook with different bytes (a zip comment), so its sha256 differs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(CMRT_FILE.read_bytes())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.comment = f"variant {n}".encode()
    return out.getvalue()


def _upload_variant(client, session, n: int) -> Document:  # noqa: ANN001
    upload(client, CMRT_FILE, filename=f"cmrt-{n}.xlsx", content=cmrt_variant(n))
    return session.exec(select(Document).order_by(Document.id.desc())).first()


def _forget_rq_jobs(redis_conn, *docs: Document) -> None:  # noqa: ANN001
    """As if RQ had run these jobs: nothing of them left queued (the tests run jobs in-process)."""
    queue(load_settings(), EXTRACT).empty()
    for doc in docs:
        redis_conn.delete(f"rq:job:{job_id(doc.id)}")


# --- timeouts ----------------------------------------------------------------------------------

def _in_the_extractor(frame) -> bool:  # noqa: ANN001
    return any("/ingestion/" in entry.filename for entry in traceback.extract_stack(frame))


def _in_the_jobs_wait(frame) -> bool:  # noqa: ANN001 - the job's own frame, sleeping (EXTRACT_DELAY_S)
    return (frame.f_code.co_name == "extract_document"
            and "time.sleep" in linecache.getline(frame.f_code.co_filename, frame.f_lineno))


class _TimeoutInside:
    """RQ's job timeout (JobTimeoutException from a signal), delivered once `where(frame)` holds."""

    def __init__(self, where) -> None:  # noqa: ANN001
        self.where = where

    def _fire(self, _signum, frame) -> None:  # noqa: ANN001
        if self.where(frame):
            raise JobTimeoutException("Task exceeded maximum timeout value")
        signal.setitimer(signal.ITIMER_REAL, 0.005)   # not there yet: look again shortly

    def __enter__(self) -> "_TimeoutInside":
        signal.signal(signal.SIGALRM, self._fire)
        signal.setitimer(signal.ITIMER_REAL, 0.005)
        return self

    def __exit__(self, *_exc) -> None:  # noqa: ANN002
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


@pytest.mark.parametrize("where", [_in_the_extractor, _in_the_jobs_wait])
def test_a_job_timeout_is_reported_as_a_timeout(client, session, monkeypatch, where):
    """Inside the extractor (which turns every exception into "could not be read") and in the
    job itself; not retried, since the same file would time out again."""
    login(client, gen_user(session).email)
    doc = _upload_variant(client, session, 1)
    if where is _in_the_jobs_wait:
        monkeypatch.setenv("EXTRACT_DELAY_S", "5")   # the timeout arrives during the job's own wait
    with _TimeoutInside(where):
        assert extract_document(doc.id) == "failed"
    session.refresh(doc)
    seconds = load_settings().job_timeout_s
    assert doc.failure_code == "timeout"
    assert doc.failure_reason.startswith(f"Reading this file took longer than {seconds} seconds")
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert f"took longer than {seconds} seconds" in page and "could not be read" not in page


# --- fair queueing -----------------------------------------------------------------------------

def test_one_suppliers_documents_wait_for_each_other_not_for_others(app, client, session, redis_conn):
    login(client, gen_user(session).email)
    running, waiting = _upload_variant(client, session, 1), _upload_variant(client, session, 2)
    other_client = app.test_client()
    login(other_client, gen_user(session, supplier="Other Metals GmbH").email)
    other = _upload_variant(other_client, session, 3)
    _forget_rq_jobs(redis_conn, running, waiting, other)
    # a slow file of the first supplier is being read (EXTRACT_PER_SUPPLIER=1 by default)
    running.status, running.extraction_started_at = "extracting", utcnow()
    session.add(running)
    session.commit()

    assert extract_document(waiting.id) == "deferred"      # the worker is free again at once
    session.refresh(waiting)
    assert waiting.status == "queued" and waiting.attempts == 0
    assert extract_document(other.id) in ("extracted", "needs_review")   # not delayed

    # the slow file finishes and hands the slot over to the supplier's waiting document
    q = queue(load_settings(), EXTRACT)
    assert q.job_ids == []
    assert extract_document(running.id) in ("extracted", "needs_review")
    assert q.job_ids == [job_id(waiting.id)]
    assert extract_document(waiting.id) in ("extracted", "needs_review")


def test_a_document_of_a_dead_run_does_not_hold_the_slot(client, session, redis_conn):
    login(client, gen_user(session).email)
    abandoned, waiting = _upload_variant(client, session, 1), _upload_variant(client, session, 2)
    _forget_rq_jobs(redis_conn, abandoned, waiting)
    abandoned.status, abandoned.attempts = "extracting", 1
    abandoned.extraction_started_at = utcnow() - timedelta(hours=1)
    session.add(abandoned)
    session.commit()
    assert extract_document(waiting.id) in ("extracted", "needs_review")
    assert sweep()["requeued"] == 1   # and the sweeper runs the abandoned one again


def test_deferred_documents_are_picked_up_by_the_sweeper(client, session, redis_conn):
    login(client, gen_user(session).email)
    running, waiting = _upload_variant(client, session, 1), _upload_variant(client, session, 2)
    _forget_rq_jobs(redis_conn, running, waiting)
    running.status, running.extraction_started_at = "extracting", utcnow()
    session.add(running)
    session.commit()
    assert extract_document(waiting.id) == "deferred"
    assert sweep()["requeued"] == 0            # give the hand-over its chance first
    session.refresh(waiting)
    waiting.updated_at = utcnow() - timedelta(minutes=5)   # the hand-over was lost
    session.add(waiting)
    session.commit()
    assert sweep()["requeued"] == 1
    assert queue(load_settings(), EXTRACT).job_ids == [job_id(waiting.id)]


# --- upload rate limit -------------------------------------------------------------------------

def test_uploads_per_hour_are_limited_per_supplier_with_a_clear_message(app, client, session):
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], uploads_per_hour=2)
    login(client, gen_user(session).email)
    _upload_variant(client, session, 1)
    _upload_variant(client, session, 2)
    response = upload(client, CMRT_FILE, filename="third.xlsx", content=cmrt_variant(3))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "uploaded 2 files in the last hour" in page and "upload it again in 60 minutes" in page
    assert len(session.exec(select(Document)).all()) == 2     # refused before anything was stored
    # the same file again is a duplicate, not a new upload: still recognised
    again = upload(client, CMRT_FILE, filename="again.xlsx", content=cmrt_variant(1))
    assert "/documents/" in again.headers["Location"] and "already" in client.get(
        again.headers["Location"]).get_data(as_text=True)
    # another supplier has its own allowance
    other = app.test_client()
    login(other, gen_user(session, supplier="Other Metals GmbH").email)
    upload(other, CMRT_FILE, filename="x.xlsx", content=cmrt_variant(4))
    assert len(session.exec(select(Document)).all()) == 3


# --- the duplicate-upload race ------------------------------------------------------------------

def test_losing_the_duplicate_race_returns_the_existing_document(app, session):
    """The state after the race: the other upload's row is committed between our duplicate check
    and our insert. The unique key refuses our row; the savepoint keeps the session usable."""
    user = gen_user(session)
    content = cmrt_variant(1)
    settings = app.config["SETTINGS"]
    sha = hashlib.sha256(content).hexdigest()
    first = accept_upload(session, settings, user, "first.xlsx", content, sha)
    with Session(get_engine(settings.database_url), expire_on_commit=False) as late:
        row = Document(supplier_id=user.supplier_id, uploaded_by_id=user.id, sha256=sha,
                       filename="second.xlsx", size_bytes=len(content), file_kind="xlsx")
        assert insert_document(late, row) is False
        late.commit()   # the rest of the transaction is intact
    assert [d.id for d in session.exec(select(Document)).all()] == [first.document.id]


def test_two_simultaneous_uploads_of_one_file_make_one_document(app, session):
    user = gen_user(session)
    content = cmrt_variant(7)
    sha = hashlib.sha256(content).hexdigest()
    settings = app.config["SETTINGS"]
    start, outcomes, errors = threading.Barrier(2), [], []

    def go(name: str) -> None:
        try:
            with Session(get_engine(settings.database_url), expire_on_commit=False) as s:
                start.wait()
                outcomes.append(accept_upload(s, settings, s.merge(user), name, content, sha))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(f"copy{i}.xlsx",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len({o.document.id for o in outcomes}) == 1 and sorted(o.duplicate for o in outcomes) == [False, True]
    assert len(session.exec(select(Document)).all()) == 1
