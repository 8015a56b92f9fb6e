"""The sweeper: Redis keeps nothing on disk, so the database rows decide what still has to run."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from rq import Worker
from rq.job import Job, JobStatus

from sqlmodel import or_, select

from portal.db import session_scope
from portal.documents import jobs as extraction
from portal.documents.models import Document, DocumentStatus
from portal.passports.models import OutboxMessage
from portal.passports.outbox import enqueue_push
from portal.queues import EXTRACT, queue, redis_connection
from portal.settings import Settings, load_settings
from portal.timeutil import utcnow

log = logging.getLogger(__name__)
QUEUED_GRACE = timedelta(seconds=30)   # leave fresh uploads to their own job


def sweep() -> dict[str, int]:
    """Re-enqueue documents stuck in queued/extracting and outbox messages that are due."""
    settings = load_settings()
    now = utcnow()
    counts = {"requeued": 0, "failed": 0, "pushes": 0}
    q = queue(settings, EXTRACT)
    with session_scope(settings.database_url) as session:
        stuck = session.exec(select(Document).where(or_(
            (Document.status == DocumentStatus.queued.value) & (Document.updated_at < now - QUEUED_GRACE),
            (Document.status == DocumentStatus.extracting.value)
            & (Document.extraction_started_at < now - timedelta(seconds=settings.stuck_after_s)),
        # locked until the re-queue is committed; a row a late worker is finishing right now is
        # skipped (its result write holds the lock), not turned back to queued under it
        )).with_for_update(skip_locked=True)).all()
        to_enqueue = []
        for doc in stuck:
            job = extraction.live_job(q, extraction.job_id(doc.id, settings))
            if job is not None:
                if not worker_gone(job, settings, now):
                    continue  # queued, or started by a worker that is alive: it will finish
                log.warning("document %s: its worker %s stopped sending heartbeats; re-queueing",
                            doc.id, job.worker_name)
                job.delete()  # frees the job id, so that the document can be enqueued again
            if doc.attempts >= extraction.MAX_ATTEMPTS:
                extraction._mark_failed(session, doc, "timeout", "Processing this file kept stopping "
                                        "before it finished. Upload a smaller or simpler copy.")
                counts["failed"] += 1
            else:
                doc.status, doc.updated_at = DocumentStatus.queued.value, now
                to_enqueue.append(doc.id)
        due = session.exec(select(OutboxMessage.id).where(
            OutboxMessage.status.in_(("pending", "retrying")),
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at < now - QUEUED_GRACE),
            OutboxMessage.created_at < now - QUEUED_GRACE)).all()
    for document_id in to_enqueue:
        counts["requeued"] += extraction.enqueue_extraction(settings, document_id)
    for message_id in due:
        counts["pushes"] += enqueue_push(settings, message_id)
    if any(counts.values()):
        log.info("sweep: %s", counts)
    return counts


def worker_gone(job: Job, settings: Settings, now: datetime) -> bool:
    """True for a started job whose worker has sent no heartbeat for STUCK_AFTER_S (a busy
    worker beats every few seconds, see queues.heartbeat_interval_s): it was killed, ran out of
    memory or lost its host. RQ itself would wait ~10 minutes before giving the job up."""
    if job.get_status(refresh=False) != JobStatus.STARTED:
        return False
    conn = redis_connection(settings.redis_url)
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name,
                                connection=conn) if job.worker_name else None
    if worker is None:
        return True  # its registration is gone: it shut down or expired
    beats = [_aware(b) for b in (job.last_heartbeat, worker.last_heartbeat) if b is not None]
    return not beats or now - max(beats) > timedelta(seconds=settings.stuck_after_s)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
