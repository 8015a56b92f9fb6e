"""Accepting an upload: sniff, deduplicate, store, commit, then enqueue (in that order)."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from sqlmodel import Session, select

from ingestion import ExtractionError, sniff_kind
from portal import audit
from portal.auth.models import User
from portal.settings import Settings

from . import storage
from .jobs import enqueue_extraction
from .models import Document

log = logging.getLogger(__name__)
ACCEPTED_KINDS = {"pdf", "xlsx", "image"}


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
            raise UploadRejected(exc.reason) from None
    if kind not in ACCEPTED_KINDS:
        raise UploadRejected("Only PDF, Excel (.xlsx) and image (JPEG, PNG, TIFF) files are accepted — "
                             "save the file as one of those and upload it again.")
    return kind


def accept_upload(session: Session, settings: Settings, user: User, filename: str,
                  content: bytes, sha256: str, declaration: Any = None) -> UploadOutcome:
    """Store and enqueue an upload. With `declaration`, the extracted data will fill that draft."""
    if not content:
        raise UploadRejected("The file is empty — choose the file again.")
    existing = session.exec(select(Document).where(Document.supplier_id == user.supplier_id,
                                                   Document.sha256 == sha256)).first()
    if existing is not None:
        if declaration is not None:
            _link(session, declaration, existing)
            session.commit()
        return UploadOutcome(existing, duplicate=True, enqueued=False)
    kind = sniff_bytes(content)
    storage.put(session, content, sha256)
    doc = Document(supplier_id=user.supplier_id, uploaded_by_id=user.id, sha256=sha256,
                   filename=storage.display_name(filename), size_bytes=len(content), file_kind=kind)
    session.add(doc)
    session.flush()
    if declaration is not None:
        _link(session, declaration, doc)
    audit.record(session, actor=user.email, actor_user_id=user.id, action="document.uploaded",
                 entity="document", entity_id=doc.id, after={"filename": doc.filename, "kind": kind},
                 source_sha256=sha256)
    session.commit()  # the row is the truth: commit first, then enqueue
    enqueued = enqueue_extraction(settings, doc.id)
    return UploadOutcome(doc, duplicate=False, enqueued=enqueued)


def _link(session: Session, declaration: Any, doc: Document) -> None:
    """Attach the upload to the draft; an already extracted file fills it at once."""
    from portal.requests.declarations import prefill_from_document  # requests builds on documents
    declaration.document_id = doc.id
    session.flush()
    if doc.result is not None:
        prefill_from_document(session, doc)
