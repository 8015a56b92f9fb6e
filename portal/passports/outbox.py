"""Outbox: approved records are pushed to the passport store's HTTP API, with retries.

The row is written in the same transaction as the approval; the push job only takes its id.
Transient failures (connection errors, timeouts, 429, 5xx) are retried with exponential
backoff (or the server's Retry-After); other 4xx answers are final and shown in the review screen.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

import requests
from redis.exceptions import RedisError

from portal import audit
from portal.db import session_scope
from portal.queues import PUSH, queue
from portal.settings import Settings, load_settings
from portal.timeutil import utcnow

from .models import OutboxMessage
from .targets import NotPushable, push_requests

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


def backoff_seconds(attempts: int, retry_after: str | None = None) -> float:
    if retry_after and retry_after.strip().isdigit():
        return min(float(retry_after), 3600.0)
    return min(5 * 2 ** (attempts - 1), 900) * random.uniform(0.8, 1.2)


def enqueue_push(settings: Settings, message_id: int, delay: float = 0) -> bool:
    try:
        q = queue(settings, PUSH)
        kwargs = dict(job_timeout=60, result_ttl=3600, failure_ttl=86400,
                      description=f"push outbox message {message_id}")
        if delay > 0:
            q.enqueue_in(timedelta(seconds=delay), push_outbox_message, message_id, **kwargs)
        else:
            q.enqueue(push_outbox_message, message_id, **kwargs)
        return True
    except RedisError as exc:
        log.warning("outbox %s: could not enqueue (%s); the sweeper will retry", message_id, exc)
        return False


def push_outbox_message(message_id: int) -> str:
    """Send one outbox message. Idempotent: a sent message is not sent again, and the
    Idempotency-Key makes the passport store ignore a repeat of a request that did arrive."""
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        msg = session.get(OutboxMessage, message_id)
        if msg is None or msg.status in ("sent", "failed"):
            return msg.status if msg else "missing"
        payload, attempts = msg.payload, msg.attempts + 1

    flavour = settings.passport_api_flavour
    error, transient, retry_after, bodies = None, False, None, []
    try:
        plan = push_requests(flavour, settings.passport_api_url, payload)
    except NotPushable as exc:
        plan, error = [], f"Not sent: {exc}"
    for i, (url, body) in enumerate(plan):
        # one key per request, the same on every attempt: a retry repeats only what did not arrive
        key = f"outbox-{message_id}" if len(plan) == 1 else f"outbox-{message_id}-{i}"
        headers = {"X-API-Key": settings.passport_api_key, "Idempotency-Key": key}
        try:
            response = requests.post(url, json=body, headers=headers, timeout=(5, 30))
        except requests.RequestException as exc:
            error, transient = f"Could not reach the passport store: {type(exc).__name__}", True
            break
        if response.status_code in TRANSIENT_STATUS:
            retry_after = response.headers.get("Retry-After")
            error, transient = f"HTTP {response.status_code} from the passport store", True
            break
        if response.ok:
            bodies.append(_json(response))
        elif response.status_code == 409 and flavour == "dppespr":
            bodies.append({})   # that product's passport exists there already: nothing to add
        else:
            error = f"HTTP {response.status_code}: {_error_message(response)}"
            break

    with session_scope(settings.database_url) as session:
        msg = session.get(OutboxMessage, message_id)
        if msg is None or msg.status in ("sent", "failed"):
            return "superseded"
        msg.attempts = attempts
        if error is None:
            msg.status, msg.sent_at, msg.last_error = "sent", utcnow(), None
            _remember_remote_ids(msg, flavour, bodies)
            audit.record(session, actor="worker", action="passport.pushed", entity="declaration",
                         entity_id=msg.declaration_id, after={"target": flavour, "answers": bodies})
            return "sent"
        msg.last_error = error[:500]
        if transient and attempts < MAX_ATTEMPTS:
            delay = backoff_seconds(attempts, retry_after)
            msg.status, msg.next_attempt_at = "retrying", utcnow() + timedelta(seconds=delay)
            log.info("outbox %s: %s; retry %s in %.0fs", message_id, error, attempts, delay)
        else:
            msg.status = "failed"
            log.warning("outbox %s: giving up: %s", message_id, error)
    if msg.status == "retrying":
        enqueue_push(settings, message_id, delay)
    return msg.status


def _remember_remote_ids(msg: OutboxMessage, flavour: str, bodies: list[dict]) -> None:
    if flavour == "portal":
        body = bodies[0] if bodies else {}
        msg.remote_declaration_id = str(body.get("id"))
        passports = body.get("passports") or []
        if passports:   # the first passport it updated, for the review screen
            msg.remote_passport_id = str(passports[0].get("passport_id"))
            msg.remote_revision = passports[0].get("version")
    else:
        ids = [str(b["id"]) for b in bodies if b.get("id") is not None]
        msg.remote_passport_id = ids[0][:64] if ids else None


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error_message(response: requests.Response) -> str:
    try:
        error = response.json()["error"]   # {"error": {"message": …}} here, {"error": "…"} on DPPespr
        return str(error["message"] if isinstance(error, dict) else error)[:300]
    except (ValueError, KeyError, TypeError):
        return response.text[:300]
