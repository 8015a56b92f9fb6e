"""Extraction job: takes a document id, idempotent, the database row holds the state."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from functools import cache

from redis.exceptions import RedisError
from rq import Callback, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.timeouts import JobTimeoutException
from sqlalchemy.exc import OperationalError
from sqlalchemy import bindparam, case, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import func, select

from ingestion import ExtractionError, extract_file
from ingestion.limits import Limits
from ingestion.pdf import ocr
from portal import audit
from portal.db import session_scope
from portal.i18n import N_
from portal.queues import EXTRACT, queue
from portal.settings import Settings, load_settings
from portal.timeutil import utcnow

from . import storage
from .models import FINAL_STATUSES, Document, DocumentStatus
from .status import clear_progress, progress_writer

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
INTERNAL_ERROR = N_("We could not process this file because of an error on our side. It is kept; "
                    "we will look into it — you can also try uploading it again later.")


def job_id(document_id: int, settings: Settings | None = None) -> str:
    # RQ job ids are global in Redis: the queue prefix keeps deployments sharing a Redis apart.
    return f"{(settings or load_settings()).queue_prefix}-extract-document-{document_id}"


def live_job(q, jid: str) -> Job | None:  # noqa: ANN001 - q is an rq.Queue
    """The job while RQ still holds it queued, scheduled or started (RQ's data expires; the row does not)."""
    try:
        job = Job.fetch(jid, connection=q.connection)
    except NoSuchJobError:
        return None
    return job if job.get_status(refresh=False) in LIVE_STATUSES else None


LIVE_STATUSES = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def job_in_flight(q, jid: str) -> bool:  # noqa: ANN001 - q is an rq.Queue
    """live_job's answer from one HGET of the job's status: every finished extraction asks it
    for its supplier's next document, and fetching the whole job costs more."""
    status = q.connection.hget(q.job_class.key_for(jid), "status")
    return status is not None and status.decode() in LIVE_STATUSES


def timeout_reason(settings: Settings) -> str:
    """Stored in English like every failure reason; shown in the supplier's language."""
    return N_("Reading this file took longer than %(seconds)d seconds, the most we allow for one file, so we "
              "stopped. If it is very large (thousands of rows or pages), split it or remove what the declaration "
              "does not need, then upload it again.") % {"seconds": settings.job_timeout_s}


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
        doc = _read_locking_supplier(session, document_id)
        if doc is None:
            return "missing"
        if doc.status in FINAL_STATUSES:
            return f"already {doc.status}"
        if not _claim_slot(session, settings, doc):
            # fair queueing: this worker is freed for other suppliers; the supplier's running
            # document hands over to this one when it finishes (the sweeper is the backstop)
            log.info("job %s: document %s deferred, its supplier has %s running",
                     job_id(document_id, settings), document_id, settings.extract_per_supplier)
            return "deferred"
        content = storage.get_bytes(session, doc.sha256)
        log.info("job %s: extracting document %s (attempt %s)", job_id(document_id, settings), document_id,
                 doc.attempts)

    outcome: dict
    progress = progress_writer(settings, document_id)
    try:
        if settings.extract_delay_s:
            time.sleep(settings.extract_delay_s)  # fault drills only (EXTRACT_DELAY_S)
        # the bytes go to the readers as they are (a workbook is read in memory, no scratch file)
        with ocr.progress_to(progress):   # "Reading page 2 of 5 by OCR…"
            result = extract_file(content, limits=Limits(max_file_bytes=settings.max_upload_bytes))
        del content
        outcome = {"result": result}
    except JobTimeoutException:
        # not retried: the same file would time out again and hold a worker each time
        outcome = {"failure": ("timeout", timeout_reason(settings))}
    except ExtractionError as exc:
        # the extractor turns any exception into "could not be read", RQ's timeout included
        timed_out = _caused_by(exc, JobTimeoutException)
        outcome = {"failure": ("timeout", timeout_reason(settings)) if timed_out else (exc.code, exc.reason)}
    except (OperationalError, RedisError, MemoryError):
        raise  # transient: RQ retries the job
    except Exception:  # a bug in an extractor is not fixed by retrying
        log.exception("job %s: extractor crashed on document %s", job_id(document_id), document_id)
        outcome = {"failure": ("internal_error", INTERNAL_ERROR)}

    if progress.written:
        clear_progress(settings, document_id)
    with session_scope(settings.database_url) as session:
        # `doc` is the row as this job claimed it, not read again: the result is written by one
        # UPDATE that only a document with no final state yet matches (see _finish)
        if "failure" in outcome:
            written = _mark_failed(session, doc, *outcome["failure"], unless_final=True)
        else:
            written = _store_result(session, doc, outcome["result"])
        if not written:
            return "superseded"
        # read in the same transaction (a session less per job); enqueued once it is committed
        waiting = waiting_documents(session, settings, doc.supplier_id)
    for waiting_id in waiting:
        enqueue_extraction(settings, waiting_id)
    return doc.status


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, kind):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _claim_statement():  # noqa: ANN202
    """UPDATE … RETURNING of _claim_slot, built once (a statement built per job cost more than the
    round trip it saves)."""
    other, table = aliased(Document), Document.__table__.c
    running = (select(func.count()).select_from(other)
               .where(other.supplier_id == bindparam("claim_supplier"), other.id != bindparam("claim_id"),
                      other.status == DocumentStatus.extracting.value, other.extraction_started_at > bindparam("recent"))
               .scalar_subquery())
    free = running < bindparam("slots")
    now = bindparam("now", type_=table.updated_at.type)
    return (update(Document).where(table.id == bindparam("claim_id")).values(
        status=case((free, DocumentStatus.extracting.value), else_=DocumentStatus.queued.value),
        attempts=case((free, table.attempts + 1), else_=table.attempts),
        extraction_started_at=case((free, now), else_=table.extraction_started_at), updated_at=now)
        .returning(table.status, table.attempts, table.extraction_started_at, table.updated_at)
        .execution_options(synchronize_session=False))


_CLAIM = _claim_statement()


def _read_locking_supplier(session, document_id: int) -> Document | None:  # noqa: ANN001
    """The document, read with its supplier row locked until the commit (PostgreSQL; SQLite takes
    its write lock at the claim's UPDATE): two workers starting documents of one supplier at once
    claim one after the other. One statement for the read and the lock."""
    return session.exec(_read_statement(), params={"read_id": document_id}).first()


@cache
def _read_statement():  # noqa: ANN202
    from portal.suppliers.models import Supplier  # documents build on suppliers, not the reverse
    return (select(Document).join(Supplier, Supplier.id == Document.supplier_id)
            .where(Document.id == bindparam("read_id")).with_for_update(of=Supplier))


def _claim_slot(session, settings: Settings, doc: Document) -> bool:  # noqa: ANN001
    """Mark the document extracting (one more attempt, started now) unless EXTRACT_PER_SUPPLIER
    documents of its supplier already are, so that one supplier's slow files cannot occupy every
    worker; a document that must wait is marked queued again. One UPDATE counts and claims, after
    the supplier's lock (_read_locking_supplier) is held, so it counts the claims committed while
    this worker waited for it; `doc` takes the values written (RETURNING), not a read again."""
    now = utcnow()
    claimed = session.execute(_CLAIM, {
        "claim_id": doc.id, "claim_supplier": doc.supplier_id, "now": now, "slots": settings.extract_per_supplier,
        # a document extracting for longer than STUCK_AFTER_S is the sweeper's, not a running slot
        "recent": now - timedelta(seconds=settings.stuck_after_s)}).one()
    for name, value in claimed._mapping.items():
        set_committed_value(doc, name, value)
    return doc.status == DocumentStatus.extracting.value


def start_waiting(settings: Settings, supplier_id: int) -> int:
    """A slot of this supplier is free: enqueue its oldest waiting documents (those deferred
    while the slot was taken; documents still queued in RQ are left where they are)."""
    with session_scope(settings.database_url) as session:
        waiting = waiting_documents(session, settings, supplier_id)
    return sum(enqueue_extraction(settings, document_id) for document_id in waiting)


def waiting_documents(session, settings: Settings, supplier_id: int) -> list[int]:  # noqa: ANN001
    """The supplier's oldest documents deferred while its slots were taken."""
    return list(session.exec(_WAITING, params={"waiting_supplier": supplier_id,
                                               "waiting_limit": settings.extract_per_supplier}).all())


_WAITING = (select(Document.id).where(Document.supplier_id == bindparam("waiting_supplier"),
                                      Document.status == DocumentStatus.queued.value)
            .order_by(Document.id).limit(bindparam("waiting_limit")))


# built once, its SET clause from the values given (a statement built per job costs more CPU than its round trip)
_FINISH = update(Document.__table__).where(Document.__table__.c.id == bindparam("finish_id"),
                                           Document.__table__.c.status.not_in(sorted(FINAL_STATUSES)))


def _finish(session, doc: Document, values: dict) -> bool:  # noqa: ANN001
    """Write a document's final state unless it has one already, in one conditional UPDATE.
    The UPDATE takes the row's lock before it checks the state (PostgreSQL re-checks a row that
    another transaction changed meanwhile), so "not final yet, so write the result" is one step:
    a worker cut off from the network may finish late while the sweeper or another worker
    handles the same document. `doc` (the claimed row, not read again) takes the values."""
    written = session.connection().execute(_FINISH, {**values, "finish_id": doc.id})
    if written.rowcount != 1:
        return False
    for name, value in values.items():
        setattr(doc, name, value)
    return True


def _store_result(session, doc: Document, result: dict) -> bool:  # noqa: ANN001
    """The extraction's result, its audit entry and the prefill; False if the document was final already."""
    now = utcnow()
    status = (DocumentStatus.needs_review if result["errors"] else DocumentStatus.extracted).value
    if not _finish(session, doc, {"result": result, "document_type": result["document_type"], "status": status,
                                  "failure_code": None, "failure_reason": None, "extracted_at": now,
                                  "updated_at": now}):
        return False
    extracted = audit.entry_row(actor="worker", action="document.extracted", entity="document", entity_id=doc.id,
                                after={"status": doc.status, "document_type": doc.document_type,
                                       "errors": len(result["errors"])}, source_sha256=doc.sha256)
    from portal.requests.declarations import prefill_from_document
    prefill_from_document(session, doc, [extracted])    # one INSERT for this entry and the fields'
    return True


def _mark_failed(session, doc: Document, code: str, reason: str, unless_final: bool = False) -> bool:  # noqa: ANN001
    """Fail the document with a reason; with `unless_final`, only if it has no final state yet
    (`doc` not read in this session: see _finish)."""
    values = {"status": DocumentStatus.failed.value, "failure_code": code, "failure_reason": reason[:500],
              "updated_at": utcnow()}
    if unless_final:
        if not _finish(session, doc, values):
            return False
    else:
        for name, value in values.items():
            setattr(doc, name, value)
    audit.record(session, actor="worker", action="document.failed", entity="document",
                 entity_id=doc.id, after={"code": code, "reason": reason}, source_sha256=doc.sha256)
    return True


def on_extraction_failure(job: Job, connection, exc_type, exc_value, traceback) -> None:  # noqa: ANN001
    """RQ callback when the job raised or timed out: once no retry is left, write a final state."""
    if job.retries_left:
        return  # RQ runs it again
    document_id = job.args[0]
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        doc = session.get(Document, document_id, with_for_update=True)
        if doc is None or doc.status in FINAL_STATUSES:
            return
        if exc_type is not None and issubclass(exc_type, JobTimeoutException):
            _mark_failed(session, doc, "timeout", timeout_reason(settings))
        else:
            _mark_failed(session, doc, "internal_error", INTERNAL_ERROR)
        supplier_id = doc.supplier_id
    start_waiting(settings, supplier_id)
