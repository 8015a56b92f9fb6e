"""Accepting an upload: sniff, deduplicate, store, commit, then enqueue (in that order)."""

from __future__ import annotations

import logging
import math
import tempfile
from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Any
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ingestion import ExtractionError, sniff_kind
from portal import audit
from portal.auth.models import User
from portal.i18n import gettext, ngettext
from portal.i18n.stored import translate_stored
from portal.settings import Settings
from portal.timeutil import utcnow

from . import storage
from .jobs import enqueue_extraction
from .models import Document

log = logging.getLogger(__name__)
ACCEPTED_KINDS = {"pdf", "xlsx", "image"}
RATE_WINDOW = timedelta(hours=1)


class UploadRejected(Exception):
    """The upload is refused before anything is stored; the message is shown to the user."""


@dataclass
class UploadOutcome:
    document: Document
    duplicate: bool
    enqueued: bool


def sniff_bytes(content: bytes) -> str:
    with tempfile.TemporaryDirectory(prefix="sniff-") as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(content)
        try:
            kind = sniff_kind(path)
        except ExtractionError as exc:
            raise UploadRejected(translate_stored(exc.reason)) from None
    if kind not in ACCEPTED_KINDS:
        raise UploadRejected(gettext("Only PDF, Excel (.xlsx) and image (JPEG, PNG, TIFF) files are accepted — "
                                     "save the file as one of those and upload it again."))
    return kind


def accept_upload(session: Session, settings: Settings, user: User, filename: str,
                  content: bytes, sha256: str, declaration: Any = None) -> UploadOutcome:
    """Store and enqueue an upload. With `declaration`, the extracted data will fill that draft."""
    if not content:
        raise UploadRejected(gettext("The file is empty — choose the file again."))
    existing = _existing(session, user.supplier_id, sha256)
    if existing is not None:
        return _duplicate(session, existing, declaration)
    kind = sniff_bytes(content)
    check_upload_rate(session, settings, user.supplier_id)
    storage.put(session, content, sha256)
    doc = Document(supplier_id=user.supplier_id, uploaded_by_id=user.id, sha256=sha256,
                   filename=storage.display_name(filename), size_bytes=len(content), file_kind=kind)
    if not insert_document(session, doc):
        # the same file in a simultaneous upload (two tabs, a double click) was committed first
        return _duplicate(session, _existing(session, user.supplier_id, sha256), declaration)
    if declaration is not None:
        _link(session, declaration, doc)
    audit.record(session, actor=user.email, actor_user_id=user.id, action="document.uploaded",
                 entity="document", entity_id=doc.id, after={"filename": doc.filename, "kind": kind},
                 source_sha256=sha256)
    session.commit()  # the row is the truth: commit first, then enqueue
    enqueued = enqueue_extraction(settings, doc.id)
    return UploadOutcome(doc, duplicate=False, enqueued=enqueued)


def _existing(session: Session, supplier_id: int, sha256: str) -> Document | None:
    return session.exec(select(Document).where(Document.supplier_id == supplier_id,
                                               Document.sha256 == sha256)).first()


def _duplicate(session: Session, existing: Document, declaration: Any) -> UploadOutcome:
    if declaration is not None:
        _link(session, declaration, existing)
        session.commit()
    return UploadOutcome(existing, duplicate=True, enqueued=False)


def insert_document(session: Session, doc: Document) -> bool:
    """Insert the row; False when the unique (supplier, sha256) key shows that a concurrent
    upload of the same file got there first. Only this insert is undone (a savepoint)."""
    try:
        with session.begin_nested():
            session.add(doc)
    except IntegrityError:
        return False
    return True


def check_upload_rate(session: Session, settings: Settings, supplier_id: int) -> None:
    """At most UPLOADS_PER_HOUR new files per supplier in any hour (a duplicate costs nothing):
    one company cannot flood the workers. Refused before anything is stored; the message says
    when to try again."""
    limit = settings.uploads_per_hour
    since = utcnow() - RATE_WINDOW
    recent = session.exec(select(Document.created_at).where(
        Document.supplier_id == supplier_id, Document.created_at > since)
        .order_by(Document.created_at.desc()).limit(limit)).all()
    if len(recent) < limit:
        return
    oldest = min(recent)
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=timezone.utc)
    minutes = max(1, math.ceil((oldest + RATE_WINDOW - utcnow()).total_seconds() / 60))
    raise UploadRejected(ngettext(
        "Your company has uploaded %(limit)d files in the last hour, the most we accept. This file "
        "was not saved; upload it again in %(num)d minute. Files you uploaded before are not affected.",
        "Your company has uploaded %(limit)d files in the last hour, the most we accept. This file "
        "was not saved; upload it again in %(num)d minutes. Files you uploaded before are not affected.",
        minutes, limit=limit))


def _link(session: Session, declaration: Any, doc: Document) -> None:
    """Attach the upload to the draft; an already extracted file fills it at once."""
    from portal.requests.declarations import prefill_from_document  # requests builds on documents
    declaration.document_id = doc.id
    session.flush()
    if doc.result is not None:
        prefill_from_document(session, doc)
