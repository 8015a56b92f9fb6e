"""The register's daily job: announce state changes (events), open a renewal request at the first
reminder, remind suppliers at the configured offsets, and tell the quality team what changed.

Idempotent: run it twice the same day and nobody gets two e-mails, no event or request is made
twice. The certificate row says what was announced already (a cheap filter for the next run);
unique dedupe keys on e-mails and events are the guarantee when two runs overlap.

Work goes in batches of whole suppliers, each batch its own transaction written with few
flushes: the first run over a large register (every expiring and expired certificate at once)
has to be fast, not only the ordinary day.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, Optional

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal import audit
from portal.auth.models import Role, User
from portal.db import session_scope
from portal.i18n import N_
from portal.mail.send import deliver_pending
from portal.requests.models import DeclarationRequest
from portal.settings import Settings, load_settings
from portal.suppliers.models import Supplier

from .events import EventBatch, event_key, payload_of, recorded_keys
from .models import Certificate
from .reminders import Plan, quality_digest, remind_suppliers
from .states import State, current, first_reminder_horizon, reminder_key, state_of

log = logging.getLogger(__name__)
BATCH = 500
SYSTEM_EMAIL = "certificate-register@portal.invalid"   # .invalid: reserved, never delivered
RENEWAL_MIN_DAYS = 14        # a renewal request opened late still gives the supplier two weeks
ANNOUNCED = (State.expiring, State.expired)


def run_daily(today: date | None = None, settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or load_settings()
    today = today or date.today()
    started = time.monotonic()
    counts: Counter[str] = Counter()
    with session_scope(settings.database_url) as session:
        work = _work(session, today, settings)
        system_user_id = register_user(session).id
    for ids in _batches(work):
        for attempt in (1, 2):
            try:
                with session_scope(settings.database_url) as session:
                    counts.update(_batch(session, settings, today, ids, system_user_id))
                break
            except IntegrityError:
                # an overlapping run wrote some of the same events first; the retry sees them
                if attempt == 2:
                    raise
                log.info("certificate register: a batch overlapped another run, retrying")
    with session_scope(settings.database_url) as session:
        counts["digests"] = quality_digest(session, settings, today)
    deliver_pending(settings)
    result = {**counts, "candidates": len(work), "seconds": round(time.monotonic() - started, 3)}
    log.info("certificate register %s: %s", today.isoformat(), result)
    return result


def _wants(state: State, key: Optional[str]) -> tuple[Optional[str], bool]:
    """(the state to announce, whether a renewal request is due). A renewal is asked for while
    reminders go out, or when the expiring window opens before the first reminder; not for a
    certificate that lapsed so long ago that reminders stopped."""
    announce = state.value if state in ANNOUNCED else None
    return announce, key is not None or state is State.expiring


def _work(session: Session, today: date, settings: Settings) -> list[tuple[int, int]]:
    """(supplier_id, certificate_id) of current certificates inside the horizon whose announced
    state, reminder or renewal is not yet what today asks for. Read as plain tuples."""
    horizon = today + timedelta(days=first_reminder_horizon(settings))
    rows = session.exec(select(Certificate.id, Certificate.supplier_id, Certificate.scheme, Certificate.expiry_date,
                               Certificate.announced_state, Certificate.last_reminder_key,
                               Certificate.renewal_request_id)
                        .where(current(), Certificate.expiry_date <= horizon)).all()
    probe = Certificate()
    work = []
    for cert_id, supplier_id, scheme, expiry, announced, last_key, renewal in rows:
        probe.scheme, probe.expiry_date = scheme, expiry
        key = reminder_key(expiry, today, settings)
        announce, renew = _wants(state_of(probe, today, settings), key)
        if (announce and announce != announced) or (key and key != last_key) or (renew and renewal is None):
            work.append((supplier_id, cert_id))
    return sorted(work)


def _batches(work: list[tuple[int, int]]) -> Iterator[list[int]]:
    """About BATCH certificates each, never splitting a supplier: its reminder is one e-mail."""
    batch: list[int] = []
    for i, (supplier_id, cert_id) in enumerate(work):
        batch.append(cert_id)
        if len(batch) >= BATCH and (i + 1 == len(work) or work[i + 1][0] != supplier_id):
            yield batch
            batch = []
    if batch:
        yield batch


def register_user(session: Session) -> User:
    """Requests need a creator; the register's own user is inactive, so nobody can log in as it."""
    user = session.exec(select(User).where(User.email == SYSTEM_EMAIL)).first()
    if user is not None:
        return user
    user = User(email=SYSTEM_EMAIL, password_hash="", role=Role.quality.value, active=False)
    user.set_password(secrets.token_urlsafe(32))
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:   # an overlapping run created it first
        return session.exec(select(User).where(User.email == SYSTEM_EMAIL)).one()
    return user


def _batch(session: Session, settings: Settings, today: date, ids: list[int], system_user_id: int) -> Counter[str]:
    """Decide, insert the new requests, queue the e-mails, then write every certificate once:
    each flush costs a round trip per row on PostgreSQL, so the rows change together at the end."""
    done: Counter[str] = Counter()
    # an overlapping run (PostgreSQL) skips rows this one works on instead of waiting for them
    certs = session.exec(select(Certificate).where(Certificate.id.in_(ids), current())
                         .with_for_update(skip_locked=True)).all()
    suppliers = {s.id: s for s in session.exec(select(Supplier).where(
        Supplier.id.in_({c.supplier_id for c in certs}))).all()}
    recorded = recorded_keys(session, [c.id for c in certs])
    events = EventBatch(session, today)
    plans = [Plan(c, state_of(c, today, settings), reminder_key(c.expiry_date, today, settings)) for c in certs]
    for plan in plans:
        cert = plan.cert
        announce, renew = _wants(plan.state, plan.key)
        if announce and cert.announced_state != announce:
            plan.announce = announce
            if event_key(f"certificate.{announce}", cert) not in recorded:
                events.add(cert, f"certificate.{announce}",
                           payload_of(cert, suppliers.get(cert.supplier_id), announce, today))
                done[f"events_{announce}"] += 1
        if renew and cert.renewal_request_id is None \
                and event_key("certificate.renewal_requested", cert) not in recorded:
            plan.renewal = _renewal_request(session, cert, today, system_user_id)
            done["renewal_requests"] += 1
    session.flush()          # the new requests get their ids; nothing else is pending yet
    due = [p for p in plans if p.key and p.key != p.cert.last_reminder_key
           and event_key("certificate.reminder_sent", p.cert, p.key) not in recorded]
    emails, reminded = remind_suppliers(session, settings, today, due)
    done["emails"] += emails
    with session.no_autoflush:
        for plan in plans:
            if plan.renewal is not None:
                _link_renewal(session, plan.cert, plan.renewal, system_user_id, events)
        for plan in reminded:
            events.add(plan.cert, "certificate.reminder_sent", {"certificate_id": plan.cert.id, "reminder": plan.key,
                                                                "to": plan.reminded_to}, suffix=plan.key or "")
    _write_certificates(session, plans, {id(p) for p in reminded})
    events.write()
    return done


def _write_certificates(session: Session, plans: list[Plan], reminded: set[int]) -> None:
    """What was announced, requested and reminded, as one UPDATE statement for the batch: the
    same three columns on every row, so that it runs as a single executemany (row objects
    changed one by one made a statement or two per certificate, a round trip each on PostgreSQL)."""
    rows = []
    for plan in plans:
        cert = plan.cert
        row = {"id": cert.id, "announced_state": plan.announce or cert.announced_state,
               "renewal_request_id": plan.renewal.id if plan.renewal is not None else cert.renewal_request_id,
               "last_reminder_key": plan.key if id(plan) in reminded else cert.last_reminder_key}
        if (row["announced_state"], row["renewal_request_id"], row["last_reminder_key"]) != \
                (cert.announced_state, cert.renewal_request_id, cert.last_reminder_key):
            rows.append(row)
    if rows:
        session.execute(update(Certificate), rows)


def _renewal_message(cert: Certificate, today: date) -> str:
    """The renewal request's message, kept in English and shown in the supplier's language
    (portal.i18n.stored): the scheme and number are values, not a phrase of their own."""
    values = {"scheme": cert.standard or cert.scheme_title, "number": cert.certificate_number,
              "date": cert.expiry_date.isoformat()}
    if cert.expiry_date < today:
        return N_("Please upload the renewed %(scheme)s certificate %(number)s. The current one expired on %(date)s.") % values
    return N_("Please upload the renewed %(scheme)s certificate %(number)s. The current one expires on %(date)s.") % values


def _renewal_request(session: Session, cert: Certificate, today: date, system_user_id: int) -> DeclarationRequest:
    due = max(cert.expiry_date, today + timedelta(days=RENEWAL_MIN_DAYS))
    request = DeclarationRequest(
        supplier_id=cert.supplier_id, document_type="certificate", due_date=due, products=cert.products,
        created_by_id=system_user_id,
        message=_renewal_message(cert, today)[:4000])
    session.add(request)
    return request


def _link_renewal(session: Session, cert: Certificate, request: DeclarationRequest, system_user_id: int,
                  events: EventBatch) -> None:
    """The request is written (the certificate links to it in _write_certificates); record the
    claim whose unique key keeps two overlapping runs from both opening one (the loser's batch
    rolls back and retries), and audit the request."""
    events.add(cert, "certificate.renewal_requested",
               {"certificate_id": cert.id, "request_id": request.id, "due_date": request.due_date.isoformat()})
    audit.record(session, actor="certificate-register", actor_user_id=system_user_id, action="request.created",
                 entity="request", entity_id=request.id,
                 after={"type": "certificate", "due": request.due_date.isoformat(), "supplier_id": cert.supplier_id,
                        "renewal_of_certificate": cert.id})
