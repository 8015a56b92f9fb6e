"""Extraction job: takes a document id, idempotent, the database row holds the state."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from redis.exceptions import RedisError
from rq import Callback, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.timeouts import JobTimeoutException
from sqlalchemy.exc import OperationalError

from ingestion import ExtractionError, extract_file
from ingestion.limits import Limits
from ingestion.pdf import ocr
from portal import audit
from portal.db import session_scope
from portal.queues import EXTRACT, queue
from portal.settings import Settings, load_settings
from portal.timeutil import utcnow

from . import storage
from .models import FINAL_STATUSES, Document, DocumentStatus
from .status import clear_progress, progress_writer

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
INTERNAL_ERROR = ("We could not process this file because of an error on our side. It is kept; "
                  "we will look into it — you can also try uploading it again later.")


def job_id(document_id: int, settings: Settings | None = None) -> str:
    # RQ job ids are global in Redis: the queue prefix keeps deployments sharing a Redis apart.
    return f"{(settings or load_settings()).queue_prefix}-extract-document-{document_id}"


def job_in_flight(q, jid: str) -> bool:  # noqa: ANN001 - q is an rq.Queue
    """True while RQ still holds a live job with this id (RQ's data expires; the row does not)."""
    try:
        job = Job.fetch(jid, connection=q.connection)
    except NoSuchJobError:
        return False
    return job.get_status(refresh=False) in (
        JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def enqueue_extraction(settings: Settings, document_id: int) -> bool:
    """Enqueue unless already in flight. False when Redis is unreachable: the sweeper retries."""
    try:
        jid, q = job_id(document_id, settings), queue(settings, EXTRACT)
        if job_in_flight(q, jid):
            return True
        q.enqueue(
            extract_document, document_id, job_id=jid, job_timeout=settings.job_timeout_s,
            retry=Retry(max=2, interval=[10, 60]), on_failure=Callback(on_extraction_failure),
            result_ttl=3600, failure_ttl=86400,
            description=f"extract document {document_id}")
        return True
    except RedisError as exc:
        log.warning("document %s: could not enqueue (%s); the sweeper will retry", document_id, exc)
        return False


def extract_document(document_id: int) -> str:
    """Run ingestion on one document. Safe to run twice: a finished document is left alone."""
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return "missing"
        if doc.status in FINAL_STATUSES:
            return f"already {doc.status}"
        doc.status = DocumentStatus.extracting.value
        doc.attempts += 1
        doc.extraction_started_at = doc.updated_at = utcnow()
        content = storage.get_bytes(session, doc.sha256)
        log.info("job %s: extracting document %s (attempt %s)", job_id(document_id), document_id, doc.attempts)

    outcome: dict
    try:
        with tempfile.TemporaryDirectory(prefix=f"doc{document_id}-") as tmp:
            path = Path(tmp) / f"document.{doc.file_kind}"
            path.write_bytes(content)
            del content
            with ocr.progress_to(progress_writer(settings, document_id)):   # "Reading page 2 of 5 by OCR…"
                result = extract_file(path, limits=Limits(max_file_bytes=settings.max_upload_bytes))
        outcome = {"result": result}
    except ExtractionError as exc:
        outcome = {"failure": (exc.code, exc.reason)}
    except (OperationalError, RedisError, MemoryError):
        raise  # transient: RQ retries the job
    except Exception:  # a bug in an extractor is not fixed by retrying
        log.exception("job %s: extractor crashed on document %s", job_id(document_id), document_id)
        outcome = {"failure": ("internal_error", INTERNAL_ERROR)}

    clear_progress(settings, document_id)
    with session_scope(settings.database_url) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.status in FINAL_STATUSES:
            return "superseded"
        if "failure" in outcome:
            _mark_failed(session, doc, *outcome["failure"])
        else:
            _store_result(session, doc, outcome["result"])
        return doc.status


def _store_result(session, doc: Document, result: dict) -> None:  # noqa: ANN001
    doc.result = result
    doc.document_type = result["document_type"]
    doc.status = (DocumentStatus.needs_review if result["errors"] else DocumentStatus.extracted).value
    doc.failure_code = doc.failure_reason = None
    doc.extracted_at = doc.updated_at = utcnow()
    audit.record(session, actor="worker", action="document.extracted", entity="document",
                 entity_id=doc.id, after={"status": doc.status, "document_type": doc.document_type,
                                          "errors": len(result["errors"])}, source_sha256=doc.sha256)
    from portal.requests.declarations import prefill_from_document
    prefill_from_document(session, doc)


def _mark_failed(session, doc: Document, code: str, reason: str) -> None:  # noqa: ANN001
    doc.status = DocumentStatus.failed.value
    doc.failure_code, doc.failure_reason = code, reason[:500]
    doc.updated_at = utcnow()
    audit.record(session, actor="worker", action="document.failed", entity="document",
                 entity_id=doc.id, after={"code": code, "reason": reason}, source_sha256=doc.sha256)


def on_extraction_failure(job: Job, connection, exc_type, exc_value, traceback) -> None:  # noqa: ANN001
    """RQ callback when the job raised or timed out: once no retry is left, write a final state."""
    if job.retries_left:
        return  # RQ runs it again
    document_id = job.args[0]
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.status in FINAL_STATUSES:
            return
        if exc_type is not None and issubclass(exc_type, JobTimeoutException):
            _mark_failed(session, doc, "timeout", "Processing this file did not finish in time. "
                         "If it is very large, split it or upload a smaller copy.")
        else:
            _mark_failed(session, doc, "internal_error", INTERNAL_ERROR)
