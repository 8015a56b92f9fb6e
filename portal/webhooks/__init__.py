"""Webhooks: `emit(session, event_type, payload)` records an event and a delivery for every
subscription to it, in the caller's transaction; after that transaction commits the deliveries
are enqueued (and the periodic sweep picks up whatever could not be)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert
from sqlmodel import Session, select

from portal.timeutil import utcnow

from .models import EVENT_TYPES, Event, WebhookDelivery, WebhookSubscription

__all__ = ["emit", "emit_many", "new_secret", "wanted", "EVENT_TYPES"]
_PENDING_KEY = "webhook_deliveries_to_enqueue"
_HOOKED_KEY = "webhook_hooks_installed"
_SUBSCRIPTIONS_KEY = "webhook_active_subscriptions"
_CACHE_HOOKED_KEY = "webhook_subscription_cache_hooked"


def emit(session: Session, event_type: str, payload: dict[str, Any], sandbox: bool = False) -> Event:
    """Record `event_type` with `payload` for every active subscription to it.

    Other packages call this (e.g. the certificate register with "certificate.expiring"); it only
    adds rows to `session`, so the event exists exactly when the caller's change commits.
    A sandbox event (about sandbox data) goes only to sandbox subscriptions, a live one only to live
    ones; a subscription made for one bulk job's `webhook_url` hears only that job."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}; known: {', '.join(EVENT_TYPES)}")
    evt = Event(type=event_type, payload=payload)
    subscriptions = [s for s in _active_subscriptions(session) if _hears(s, event_type, payload, sandbox)]
    session.add(evt)
    if not subscriptions:
        return evt
    session.flush()
    deliveries = [WebhookDelivery(event_id=evt.id, subscription_id=s.id) for s in subscriptions]
    session.add_all(deliveries)
    session.flush()
    _enqueue_on_commit(session, [d.id for d in deliveries])
    return evt


def emit_many(session: Session, event_type: str, payloads: list[dict[str, Any]], sandbox: bool = False) -> int:
    """`emit` for many events of one type (a bulk call's thousand passports): one INSERT for the
    events and one for their deliveries, instead of two flushes per event. Returns the deliveries."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}; known: {', '.join(EVENT_TYPES)}")
    if not payloads:
        return 0
    now = utcnow()
    subscriptions = _active_subscriptions(session)
    event_ids = session.execute(insert(Event).returning(Event.id, sort_by_parameter_order=True),
                                [{"type": event_type, "payload": p, "created_at": now} for p in payloads]).scalars().all()
    rows = [{"event_id": event_id, "subscription_id": s.id, "status": "pending", "attempts": 0, "created_at": now}
            for event_id, payload in zip(event_ids, payloads)
            for s in subscriptions if _hears(s, event_type, payload, sandbox)]
    if rows:
        ids = session.execute(insert(WebhookDelivery).returning(WebhookDelivery.id), rows).scalars().all()
        _enqueue_on_commit(session, list(ids))
    return len(rows)


def _hears(sub: WebhookSubscription, event_type: str, payload: dict[str, Any], sandbox: bool) -> bool:
    return (event_type in (sub.events or []) and bool(sub.sandbox) == sandbox
            and sub.bulk_job_id in (None, payload.get("job_id")))


def _enqueue_on_commit(session: Session, delivery_ids: list[int]) -> None:
    if not session.info.get(_HOOKED_KEY):
        # listeners live as long as the session; they act only when deliveries are pending
        sa_event.listen(session, "after_commit", _enqueue_after_commit)
        sa_event.listen(session, "after_rollback", _forget_after_rollback)
        session.info[_HOOKED_KEY] = True
    session.info.setdefault(_PENDING_KEY, []).extend(delivery_ids)


def wanted(session: Session, event_type: str, sandbox: bool = False) -> bool:
    """Whether any subscription hears `event_type`: bulk paths skip building events nobody gets."""
    return any(event_type in (s.events or []) and bool(s.sandbox) == sandbox for s in _active_subscriptions(session))


def new_secret() -> str:
    """The signing secret of a new subscription, shown to its creator once."""
    return "whsec_" + secrets.token_urlsafe(32)


def _active_subscriptions(session: Session) -> list[WebhookSubscription]:
    """Read once per transaction: a daily job emitting thousands of events would otherwise query
    (and autoflush) once per event."""
    cached = session.info.get(_SUBSCRIPTIONS_KEY)
    if cached is None:
        with session.no_autoflush:
            cached = list(session.exec(select(WebhookSubscription).where(
                WebhookSubscription.disabled_at.is_(None))).all())
        session.info[_SUBSCRIPTIONS_KEY] = cached
        if not session.info.get(_CACHE_HOOKED_KEY):
            sa_event.listen(session, "after_transaction_end", _forget_subscriptions)
            session.info[_CACHE_HOOKED_KEY] = True
    return cached


def _forget_subscriptions(session: Session, _transaction: Any) -> None:
    session.info.pop(_SUBSCRIPTIONS_KEY, None)


def _enqueue_after_commit(session: Session) -> None:
    ids = session.info.pop(_PENDING_KEY, None)
    if ids:
        from .delivery import enqueue_deliveries
        enqueue_deliveries(ids)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
