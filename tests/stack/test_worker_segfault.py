"""A job whose work horse dies (a parser's segfault) fails its document at once, clearly, and the
worker goes on with the next job; RQ itself runs no failure callback when a horse dies."""

from __future__ import annotations

from rq import Callback
from rq.job import Job
from sqlmodel import select

from portal.documents.jobs import INTERNAL_ERROR, enqueue_extraction, job_id, on_extraction_failure
from portal.documents.models import Document, DocumentStatus
from portal.queues import EXTRACT, queue
from portal.settings import load_settings
from tests.conftest import CMRT_FILE, gen_user, login, upload
from tests.portal.test_hardening_queue import cmrt_variant
from tests.stack.faulty_jobs import segfault
from tests.stack.test_worker_fault import STARTUP_ALLOWANCE_S, _document, _stop, _wait, _worker


def test_a_segfaulting_job_fails_its_document_and_the_next_job_runs(env, client, session, tmp_path, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    login(client, gen_user(session).email)
    upload(client, CMRT_FILE, filename="crash.xlsx", content=cmrt_variant(1))
    upload(client, CMRT_FILE, filename="ok.xlsx", content=cmrt_variant(2))
    crashing, healthy = session.exec(select(Document.id).order_by(Document.id)).all()
    settings = load_settings()
    q = queue(settings, EXTRACT)
    # the crashing document's job replaced by one whose horse segfaults, no retry left
    Job.fetch(job_id(crashing, settings), connection=q.connection).delete()
    q.enqueue(segfault, crashing, job_id=job_id(crashing, settings), on_failure=Callback(on_extraction_failure),
              at_front=True)
    enqueue_extraction(settings, healthy)
    log = tmp_path / "worker.log"
    worker = _worker(env, log)
    try:
        doc = _wait(lambda: (d := _document(env["DATABASE_URL"], crashing)).status == DocumentStatus.failed.value
                    and d, STARTUP_ALLOWANCE_S + 20, "the crashed document to fail", [log])
        assert doc.failure_code == "internal_error" and doc.failure_reason == INTERNAL_ERROR
        _wait(lambda: _document(env["DATABASE_URL"], healthy).status in
              (DocumentStatus.extracted.value, DocumentStatus.needs_review.value),
              STARTUP_ALLOWANCE_S + 20, "the next document to be extracted", [log])
        assert worker.poll() is None, "the worker itself died"
        assert "signal 11" in log.read_text(errors="replace")
    finally:
        _stop(worker)

