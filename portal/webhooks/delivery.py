"""Delivering webhooks: one RQ job per attempt, retried with exponential backoff; the delivery row
is the log and the truth (a periodic sweep re-enqueues what Redis may have lost)."""

from __future__ import annotations

import json
import logging
import random
import time
from datetime import timedelta

import requests
from redis.exceptions import RedisError
from sqlmodel import or_, select

from rq import Queue

from portal.db import session_scope
from portal.queues import PUSH, queue
from portal.settings import load_settings
from portal.timeutil import iso, utcnow

from .models import Event, WebhookDelivery, WebhookSubscription
from .signing import signed_headers
from .urls import target_problem

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TIMEOUT = (5, 10)


def backoff_seconds(attempts: int) -> float:
    """10 s, 20 s, 40 s … capped at an hour, with jitter so failed receivers are not hit in step."""
    return min(10 * 2 ** (attempts - 1), 3600) * random.uniform(0.8, 1.2)


def enqueue_delivery(delivery_id: int, delay: float = 0) -> bool:
    settings = load_settings()
    try:
        q = queue(settings, PUSH)
        kwargs = dict(job_timeout=30, result_ttl=600, failure_ttl=86400, description=f"webhook delivery {delivery_id}")
        if delay > 0:
            q.enqueue_in(timedelta(seconds=delay), deliver, delivery_id, **kwargs)
        else:
            q.enqueue(deliver, delivery_id, **kwargs)
        return True
    except RedisError as exc:
        log.warning("webhook delivery %s: could not enqueue (%s); the sweep will retry", delivery_id, exc)
        return False


def enqueue_deliveries(delivery_ids: list[int]) -> int:
    """Many at once (a bulk call's events) in one Redis pipeline; what fails is left to the sweep."""
    if len(delivery_ids) == 1:
        return int(enqueue_delivery(delivery_ids[0]))
    settings = load_settings()
    try:
        q = queue(settings, PUSH)
        jobs = [Queue.prepare_data(deliver, (delivery_id,), timeout=30, result_ttl=600, failure_ttl=86400,
                                   description=f"webhook delivery {delivery_id}") for delivery_id in delivery_ids]
        with q.connection.pipeline() as pipe:
            q.enqueue_many(jobs, pipeline=pipe)
            pipe.execute()
        return len(jobs)
    except RedisError as exc:
        log.warning("%s webhook deliveries: could not enqueue (%s); the sweep will retry", len(delivery_ids), exc)
        return 0


def body_of(evt: Event) -> bytes:
    return json.dumps({"id": evt.id, "type": evt.type, "created_at": iso(evt.created_at), "data": evt.payload},
                      separators=(",", ":"), ensure_ascii=False).encode()


def deliver(delivery_id: int) -> str:
    """One attempt. Idempotent: a delivered or failed delivery is not sent again."""
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.status in ("delivered", "failed"):
            return delivery.status if delivery else "missing"
        evt = session.get(Event, delivery.event_id)
        sub = session.get(WebhookSubscription, delivery.subscription_id)
        url, secret, attempts, disabled = sub.url, sub.secret, delivery.attempts + 1, sub.disabled_at is not None
        body = body_of(evt)
        event_type = evt.type

    status_code, started = None, time.monotonic()
    problem = "the subscription was disabled" if disabled else target_problem(url, settings.webhook_allowed_hosts)
    if problem:
        error, transient = f"Refused: {problem}", False
    else:
        headers = {"Content-Type": "application/json", "User-Agent": "supplier-portal-webhooks/1",
                   "X-Portal-Event": event_type, **signed_headers(secret, body, delivery_id)}
        try:
            # no redirects: a redirect could point at an address the check above refuses
            response = requests.post(url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False)
            status_code = response.status_code
            error = None if 200 <= status_code < 300 else f"HTTP {status_code}"
            transient = error is not None
        except requests.RequestException as exc:
            error, transient = f"Could not reach the receiver: {type(exc).__name__}", True
    duration_ms = int((time.monotonic() - started) * 1000)

    delay = 0.0
    with session_scope(settings.database_url) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery.status in ("delivered", "failed"):
            return "superseded"
        delivery.attempts, delivery.last_status_code, delivery.last_duration_ms = attempts, status_code, duration_ms
        if error is None:
            delivery.status, delivery.delivered_at, delivery.last_error = "delivered", utcnow(), None
            delivery.next_attempt_at = None
        elif transient and attempts < MAX_ATTEMPTS:
            delay = backoff_seconds(attempts)
            delivery.status, delivery.last_error = "retrying", error[:500]
            delivery.next_attempt_at = utcnow() + timedelta(seconds=delay)
        else:
            delivery.status, delivery.last_error, delivery.next_attempt_at = "failed", error[:500], None
        status = delivery.status
    log.info("webhook delivery %s (%s) attempt %s: %s", delivery_id, event_type, attempts, error or "delivered")
    if status == "retrying":
        enqueue_delivery(delivery_id, delay)
    return status


def sweep_due() -> int:
    """Re-enqueue deliveries that are due (pending ones whose enqueue was lost, retries whose
    scheduled job vanished with a Redis restart). Idempotent, run periodically by the worker."""
    settings = load_settings()
    now = utcnow()
    grace = timedelta(seconds=30)
    with session_scope(settings.database_url) as session:
        due = session.exec(select(WebhookDelivery.id).where(
            WebhookDelivery.status.in_(("pending", "retrying")),
            or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at < now - grace),
            WebhookDelivery.created_at < now - grace).limit(1000)).all()
    return sum(enqueue_delivery(delivery_id) for delivery_id in due)
