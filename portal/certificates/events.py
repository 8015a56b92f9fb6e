"""Events about certificates: recorded in certificate_event, and handed to the webhooks package
(portal.webhooks.emit) for the types subscribers can receive, once that package exists."""

from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import Any, Callable, Optional

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.suppliers.models import Supplier

from .models import Certificate, CertificateEvent

log = logging.getLogger(__name__)
WEBHOOK_TYPES = {"certificate.expiring", "certificate.expired"}


def _webhook_emitter() -> Optional[Callable[[Session, str, dict], Any]]:
    # Looked up at call time: the webhooks package is built alongside and may appear later.
    try:
        return getattr(importlib.import_module("portal.webhooks"), "emit", None)
    except ImportError:
        return None


def payload_of(session: Session, cert: Certificate, state: str, today: date) -> dict[str, Any]:
    supplier = session.get(Supplier, cert.supplier_id)
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


def record_event(session: Session, cert: Certificate, event_type: str, today: date,
                 payload: Optional[dict[str, Any]] = None, dedupe_key: Optional[str] = None) -> Optional[CertificateEvent]:
    """Record the event once (None if `dedupe_key` was recorded before) and emit its webhook."""
    key = dedupe_key or f"{event_type}:{cert.id}:{cert.expiry_date.isoformat()}"
    if session.exec(select(CertificateEvent.id).where(CertificateEvent.dedupe_key == key)).first():
        return None
    state = event_type.rsplit(".", 1)[-1]
    event = CertificateEvent(certificate_id=cert.id, event_type=event_type, dedupe_key=key[:120], on_day=today,
                             payload=payload or payload_of(session, cert, state, today))
    try:
        with session.begin_nested():
            session.add(event)
    except IntegrityError:  # an overlapping run recorded it first
        return None
    emit = _webhook_emitter() if event_type in WEBHOOK_TYPES else None
    if emit is not None:
        emit(session, event_type, event.payload)
    return event
