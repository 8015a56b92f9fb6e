"""The sweeper: Redis keeps nothing on disk, so the database rows decide what still has to run."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import or_, select

from portal.db import session_scope
from portal.documents import jobs as extraction
from portal.documents.models import Document, DocumentStatus
from portal.passports.models import OutboxMessage
from portal.passports.outbox import enqueue_push
from portal.queues import EXTRACT, queue
from portal.settings import load_settings
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
        ))).all()
        to_enqueue = []
        for doc in stuck:
            if extraction.job_in_flight(q, extraction.job_id(doc.id, settings)):
                continue
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
