"""Stable status codes -> words a supplier understands (the UI never shows raw codes), and the
progress note a running extraction leaves for the supplier's page ("Reading page 2 of 5 by OCR…").

The note lives in Redis with a short expiry, not in the Document row: it changes every few
seconds, means nothing once the job ends, and losing it (Redis restarted) loses nothing.
"""

from __future__ import annotations

import logging
from flask import current_app, has_app_context
from redis.exceptions import RedisError

from portal.i18n import N_, gettext
from portal.i18n.stored import translate_stored
from portal.queues import redis_connection
from portal.settings import Settings

from .models import Document

log = logging.getLogger(__name__)
PROGRESS_TTL_S = 900          # longer than any page takes; a dead job's note fades by itself
PROGRESS_MAX_CHARS = 120

STATUS_LABELS = {
    "queued": (N_("Waiting to be processed"), "pending"),
    "extracting": (N_("Reading the file…"), "pending"),
    "extracted": (N_("Read successfully"), "ok"),
    "needs_review": (N_("Read, with findings to check"), "warn"),
    "failed": (N_("Could not be read"), "error"),
}


def status_view(doc: Document) -> dict:
    label, tone = STATUS_LABELS.get(doc.status, (doc.status, "pending"))
    label = gettext(label)
    if doc.status == "extracting" and has_app_context():
        label = translate_stored(read_progress(current_app.config["SETTINGS"], doc.id)) or label
    return {
        "status": doc.status,
        "label": label,
        "tone": tone,
        # the worker stores its reason in English, to be read in the supplier's language
        "reason": translate_stored(doc.failure_reason),
    }


def progress_key(settings: Settings, document_id: int) -> str:
    return f"{settings.queue_prefix}-progress-document-{document_id}"


def read_progress(settings: Settings, document_id: int) -> str | None:
    try:
        raw = redis_connection(settings.redis_url).get(progress_key(settings, document_id))
    except RedisError:
        return None
    return raw.decode("utf-8", "replace") if raw else None


class ProgressWriter:
    """What the extraction job hands to ingestion to report progress (never raises); `written`
    tells the job whether there is a note to clear (most files leave none)."""

    def __init__(self, settings: Settings, document_id: int) -> None:
        self.settings, self.document_id, self.written = settings, document_id, False

    def __call__(self, note: str) -> None:
        self.written = True
        try:
            redis_connection(self.settings.redis_url).set(progress_key(self.settings, self.document_id),
                                                          note[:PROGRESS_MAX_CHARS], ex=PROGRESS_TTL_S)
        except RedisError as exc:
            log.info("document %s: progress note not written (%s)", self.document_id, exc)


def progress_writer(settings: Settings, document_id: int) -> ProgressWriter:
    return ProgressWriter(settings, document_id)


def clear_progress(settings: Settings, document_id: int) -> None:
    try:
        redis_connection(settings.redis_url).delete(progress_key(settings, document_id))
    except RedisError:
        pass
