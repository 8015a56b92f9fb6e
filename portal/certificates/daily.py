"""The register's daily job: announce state changes (events), remind suppliers at the configured
offsets, open a renewal request at the first one, and tell the quality team what changed.

Idempotent: run it twice the same day and nobody gets two e-mails, no event or request is made
twice. The certificate row says what was announced already (a cheap filter for the next run);
unique dedupe keys on e-mails and events are the guarantee when two runs overlap.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, func, select

from portal import audit
from portal.auth.models import Role, User
from portal.db import session_scope
from portal.mail.notify import supplier_recipients
from portal.mail.send import deliver_pending, queue_email
from portal.requests.models import DeclarationRequest
from portal.settings import Settings, load_settings

from .events import record_event
from .models import Certificate, CertificateEvent
from .states import State, current, first_reminder_horizon, reminder_key, state_of

log = logging.getLogger(__name__)
BATCH = 500
SYSTEM_EMAIL = "certificate-register@portal.invalid"   # .invalid: reserved, never delivered
RENEWAL_MIN_DAYS = 14        # a renewal request opened late still gives the supplier two weeks


def run_daily(today: date | None = None, settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or load_settings()
    today = today or date.today()
    started = time.monotonic()
    counts: Counter[str] = Counter()
    with session_scope(settings.database_url) as session:
        ids = _ids_needing_work(session, today, settings)
    for start in range(0, len(ids), BATCH):
        with session_scope(settings.database_url) as session:
            context = _Context(session, settings, today)
            query = select(Certificate).where(Certificate.id.in_(ids[start:start + BATCH]), current())
            # an overlapping run (PostgreSQL) skips rows this one works on instead of waiting
            for cert in session.exec(query.with_for_update(skip_locked=True)).all():
                counts.update(_process(context, cert))
    with session_scope(settings.database_url) as session:
        counts["digests"] = _quality_digest(session, settings, today)
    deliver_pending(settings)
    result = {**counts, "candidates": len(ids), "seconds": round(time.monotonic() - started, 3)}
    log.info("certificate register %s: %s", today.isoformat(), result)
    return result


def _ids_needing_work(session: Session, today: date, settings: Settings) -> list[int]:
    """Current certificates inside the horizon whose announced state, reminder or renewal is not
    yet what today asks for. Read as plain tuples: tens of thousands a second."""
    horizon = today + timedelta(days=first_reminder_horizon(settings))
    rows = session.exec(select(Certificate.id, Certificate.scheme, Certificate.expiry_date, Certificate.announced_state,
                               Certificate.last_reminder_key, Certificate.renewal_request_id)
                        .where(current(), Certificate.expiry_date <= horizon)).all()
    probe = Certificate()
    ids = []
    for cert_id, scheme, expiry, announced, last_key, renewal in rows:
        probe.scheme, probe.expiry_date = scheme, expiry
        state = state_of(probe, today, settings)
        key = reminder_key(expiry, today, settings)
        wants_state = state.value if state in (State.expiring, State.expired) else None
        if (wants_state and wants_state != announced) or (key and key != last_key) \
                or (renewal is None and (key or wants_state)):
            ids.append(cert_id)
    return sorted(ids)


class _Context:
    """Per batch: the session, and what is looked up once (recipients, the register's user)."""

    def __init__(self, session: Session, settings: Settings, today: date) -> None:
        self.session, self.settings, self.today = session, settings, today
        self._recipients: dict[int, list[str]] = {}
        self._system_user_id: int | None = None

    def recipients(self, supplier_id: int) -> list[str]:
        if supplier_id not in self._recipients:
            self._recipients[supplier_id] = supplier_recipients(self.session, supplier_id)
        return self._recipients[supplier_id]

    def system_user_id(self) -> int:
        if self._system_user_id is None:
            self._system_user_id = register_user(self.session).id
        return self._system_user_id


def register_user(session: Session) -> User:
    """Requests need a creator; the register's own user is inactive, so nobody can log in as it."""
    import secrets
    user = session.exec(select(User).where(User.email == SYSTEM_EMAIL)).first()
    if user is None:
        user = User(email=SYSTEM_EMAIL, password_hash="", role=Role.quality.value, active=False)
        user.set_password(secrets.token_urlsafe(32))
        session.add(user)
        session.flush()
    return user


def _process(ctx: _Context, cert: Certificate) -> Counter[str]:
    done: Counter[str] = Counter()
    state = state_of(cert, ctx.today, ctx.settings)
    if state in (State.expiring, State.expired) and cert.announced_state != state.value:
        if record_event(ctx.session, cert, f"certificate.{state.value}", ctx.today):
            done[f"events_{state.value}"] += 1
        cert.announced_state = state.value
    key = reminder_key(cert.expiry_date, ctx.today, ctx.settings)
    opened = None
    if cert.renewal_request_id is None and (key or state in (State.expiring, State.expired)):
        opened = _open_renewal(ctx, cert)
        done["renewal_requests"] += opened is not None
    if key and key != cert.last_reminder_key:
        done["emails"] += _remind(ctx, cert, key, state, opened)
        cert.last_reminder_key = key
    return done


def _open_renewal(ctx: _Context, cert: Certificate) -> DeclarationRequest | None:
    """Once per certificate: the event's unique key is the claim, so that two overlapping runs
    cannot both open a request (None when another run did)."""
    due = max(cert.expiry_date, ctx.today + timedelta(days=RENEWAL_MIN_DAYS))
    claim = record_event(ctx.session, cert, "certificate.renewal_requested", ctx.today,
                         dedupe_key=f"certificate.renewal_requested:{cert.id}:{cert.expiry_date.isoformat()}",
                         payload={"certificate_id": cert.id, "due_date": due.isoformat()})
    if claim is None:
        return None
    request = DeclarationRequest(
        supplier_id=cert.supplier_id, document_type="certificate", due_date=due, products=cert.products,
        created_by_id=ctx.system_user_id(),
        message=(f"Please upload the renewed {cert.label}. The current one "
                 f"{'expired' if cert.expiry_date < ctx.today else 'expires'} on {cert.expiry_date.isoformat()}.")[:4000])
    ctx.session.add(request)
    ctx.session.flush()
    cert.renewal_request_id = request.id
    claim.payload = {**claim.payload, "request_id": request.id}
    audit.record(ctx.session, actor="certificate-register", actor_user_id=ctx.system_user_id(), action="request.created",
                 entity="request", entity_id=request.id,
                 after={"type": "certificate", "due": due.isoformat(), "supplier_id": cert.supplier_id,
                        "renewal_of_certificate": cert.id})
    return request


def _remind(ctx: _Context, cert: Certificate, key: str, state: State, opened: DeclarationRequest | None) -> int:
    days_left = (cert.expiry_date - ctx.today).days
    when = (f"expires in {days_left} day(s), on {cert.expiry_date.isoformat()}" if days_left > 0 else
            f"expires today, {cert.expiry_date.isoformat()}" if days_left == 0 else
            f"expired on {cert.expiry_date.isoformat()} ({-days_left} day(s) ago)")
    renewal = ("We have opened a renewal request for it" if opened else "A renewal request is open for it") \
        if cert.renewal_request_id else "Please upload the renewed certificate"
    body = (f"Hello,\n\nyour {cert.label} {when}.\n{renewal}: upload the renewed certificate here: "
            f"{ctx.settings.public_url}/dashboard\n\nThank you.\n")
    subject = f"{'Certificate expired' if state is State.expired else 'Certificate expiring'}: {cert.label}"
    sent = 0
    for email in ctx.recipients(cert.supplier_id):
        if queue_email(ctx.session, to=email, subject=subject, body=body, kind="certificate.reminder",
                       entity="certificate", entity_id=cert.id,
                       dedupe_key=f"cert-reminder:{cert.id}:{cert.expiry_date.isoformat()}:{key}:{email}"[:200]):
            sent += 1
    return sent


def _quality_digest(session: Session, settings: Settings, today: date) -> int:
    """One e-mail a day to the quality team: what entered "expiring" or "expired" today."""
    counts = dict(session.exec(select(CertificateEvent.event_type, func.count()).where(
        CertificateEvent.on_day == today,
        CertificateEvent.event_type.in_(("certificate.expiring", "certificate.expired")))
        .group_by(CertificateEvent.event_type)).all())
    if not counts:
        return 0
    expiring, expired = counts.get("certificate.expiring", 0), counts.get("certificate.expired", 0)
    body = (f"Hello,\n\ntoday ({today.isoformat()}) in the certificate register:\n"
            f"- {expiring} certificate(s) entered their expiring window\n- {expired} certificate(s) expired\n\n"
            f"Renewal requests went to the suppliers. The dashboard: {settings.public_url}/certificates/\n")
    sent = 0
    users = session.exec(select(User.email).where(User.role == Role.quality.value, User.active.is_(True))).all()
    for email in users:
        if queue_email(session, to=email, subject=f"Certificate register: {expiring} expiring, {expired} expired",
                       body=body, kind="certificate.digest", dedupe_key=f"cert-digest:{today.isoformat()}:{email}"):
            sent += 1
    return sent
