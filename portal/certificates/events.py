"""Events about certificates: recorded in certificate_event, and handed to the webhooks package
(portal.webhooks.emit) for the types subscribers can receive, once that package exists."""

from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import Any, Callable, Optional

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.suppliers.models import Supplier
from portal.timeutil import utcnow

from .models import Certificate, CertificateEvent

log = logging.getLogger(__name__)
WEBHOOK_TYPES = {"certificate.expiring", "certificate.expired"}


Emitter = Callable[[Session, str, dict], Any]


def webhook_emitter() -> Optional[Emitter]:
    """portal.webhooks.emit, or None. Looked up at call time (the webhooks package is built
    alongside and may appear later); a batch looks it up once, a failed import is not cheap."""
    try:
        return getattr(importlib.import_module("portal.webhooks"), "emit", None)
    except ImportError:
        return None


def payload_of(cert: Certificate, supplier: Optional[Supplier], state: str, today: date) -> dict[str, Any]:
    return {
        "certificate": {
            "id": cert.id, "scheme": cert.scheme, "standard": cert.standard,
            "certificate_number": cert.certificate_number, "holder": {"name": cert.holder_name},
            "issuer": {"name": cert.issuer_name}, "issue_date": cert.issue_date.isoformat() if cert.issue_date else None,
            "expiry_date": cert.expiry_date.isoformat(), "state": state,
            "days_left": (cert.expiry_date - today).days,
        },
        "supplier": {"id": supplier.id, "name": supplier.name} if supplier else None,
        "products": cert.products or [],
    }


def event_key(event_type: str, cert: Certificate, suffix: str = "") -> str:
    """One event of a type per certificate and expiry date (and suffix: which reminder)."""
    return f"{event_type}:{cert.id}:{cert.expiry_date.isoformat()}{':' + suffix if suffix else ''}"[:120]


def recorded_keys(session: Session, certificate_ids: list[int]) -> set[str]:
    """The dedupe keys already recorded for these certificates (one query for a batch)."""
    if not certificate_ids:
        return set()
    return set(session.exec(select(CertificateEvent.dedupe_key)
                            .where(CertificateEvent.certificate_id.in_(certificate_ids))).all())


class EventBatch:
    """The events of one batch of the daily job, written by one multi-row INSERT: ORM objects one
    at a time cost a catch-up run over a large register most of its time. Callers check
    `recorded_keys` first; the unique key still refuses a duplicate when an overlapping run got
    there in between (the batch then rolls back and is retried)."""

    def __init__(self, session: Session, today: date) -> None:
        self.session, self.today = session, today
        self.rows: list[dict[str, Any]] = []
        self.emit = webhook_emitter()

    def add(self, cert: Certificate, event_type: str, payload: dict[str, Any], suffix: str = "") -> None:
        self.rows.append({"certificate_id": cert.id, "event_type": event_type,
                          "dedupe_key": event_key(event_type, cert, suffix),
                          "on_day": self.today, "payload": payload, "created_at": utcnow()})
        if self.emit is not None and event_type in WEBHOOK_TYPES:
            # its subscription query need not flush this batch's pending rows first (thousands
            # of one-row flushes in a catch-up run); they are written together later
            with self.session.no_autoflush:
                self.emit(self.session, event_type, payload)

    def write(self) -> None:
        if self.rows:
            self.session.execute(insert(CertificateEvent), self.rows)
            self.rows = []


def record_event(session: Session, cert: Certificate, event_type: str, today: date,
                 payload: Optional[dict[str, Any]] = None, dedupe_key: Optional[str] = None) -> Optional[CertificateEvent]:
    """Record one event once (None if its key was recorded before), emitting its webhook."""
    key = (dedupe_key or event_key(event_type, cert))[:120]
    if session.exec(select(CertificateEvent.id).where(CertificateEvent.dedupe_key == key)).first():
        return None
    state = event_type.rsplit(".", 1)[-1]
    payload = payload or payload_of(cert, session.get(Supplier, cert.supplier_id), state, today)
    event = CertificateEvent(certificate_id=cert.id, event_type=event_type, dedupe_key=key, on_day=today,
                             payload=payload)
    try:
        with session.begin_nested():
            session.add(event)
    except IntegrityError:  # an overlapping run recorded it first
        return None
    emit = webhook_emitter() if event_type in WEBHOOK_TYPES else None
    if emit is not None:
        emit(session, event_type, payload)
    return event
