"""Outbox: approved records are pushed to the passport store's HTTP API, with retries.

The row is written in the same transaction as the approval; the push job only takes its id.
Transient failures (connection errors, timeouts, 429, 5xx) are retried with exponential
backoff (or the server's Retry-After); other 4xx answers are final and shown in the review screen.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import timedelta

import requests
from redis.exceptions import RedisError
from sqlalchemy import Text, cast
from sqlmodel import or_, select

from portal import audit
from portal.db import session_scope
from portal.queues import PUSH, queue
from portal.settings import Settings, load_settings
from portal.timeutil import utcnow

from .models import OutboxMessage, PushAttempt, RemotePassport
from .supplier_data import product_references
from .targets import NotPushable, push_requests

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}
PROBE_AFTER = timedelta(hours=1)


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
    error, transient, retry_after, bodies, attempts_log = None, False, None, [], []
    try:
        approved = _approved_declarations(settings, payload) if flavour == "dppespr" else None
        plan = push_requests(flavour, settings.passport_api_url, payload, approved)
    except NotPushable as exc:
        plan, error = [], f"Not sent: {exc}"
    known = _remote_ids(settings, flavour, plan)
    for i, (url, body) in enumerate(plan):
        # one key per request, the same on every attempt: a retry repeats only what did not arrive
        key = f"outbox-{message_id}" if len(plan) == 1 else f"outbox-{message_id}-{i}"
        headers = {"X-API-Key": settings.passport_api_key, "Idempotency-Key": key}
        remote_id = known.get(_gtin_of(body)) if flavour == "dppespr" else None
        method, url = ("PUT", f"{url}/id/{remote_id}") if remote_id else ("POST", url)
        attempt = PushAttempt(message_id=message_id, target=flavour, method=method, url=url[:500], request_id=key)
        attempts_log.append(attempt)
        started = time.monotonic()
        try:
            response = requests.request(method, url, json=body, headers=headers, timeout=(5, 30))
        except requests.RequestException as exc:
            error, transient = f"Could not reach the passport store: {type(exc).__name__}", True
            _close(attempt, started, None, error)
            break
        _close(attempt, started, response.status_code, None if response.ok else _error_message(response))
        if response.status_code in TRANSIENT_STATUS:
            retry_after = response.headers.get("Retry-After")
            error, transient = f"HTTP {response.status_code} from the passport store", True
            break
        if response.ok:
            bodies.append({**_json(response), **({"id": remote_id} if remote_id else {})})
        elif response.status_code == 409 and flavour == "dppespr" and _remote_ids(settings, flavour, [(url, body)]):
            # another push (another worker) created this passport a moment ago: update it on the next attempt
            error, transient = "HTTP 409: another push created this passport just now; it is updated next", True
            break
        elif response.status_code == 409 and flavour == "dppespr":
            error = ("HTTP 409: the platform has a passport for this GTIN that this portal did not create, "
                     "so it cannot update it; link it there or remove it, then retry")
            break
        else:
            error = f"HTTP {response.status_code}: {_error_message(response)}"
            break

    with session_scope(settings.database_url) as session:
        for attempt in attempts_log:
            session.add(attempt)
        msg = session.get(OutboxMessage, message_id)
        if msg is None or msg.status in ("sent", "failed"):
            return "superseded"
        msg.attempts = attempts
        if flavour == "dppespr":
            _remember_platform_ids(session, plan, bodies)
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
            # a target that was down is probed again later (sweep.probe_failed_pushes); a refusal waits
            # for a person to correct the data and send it again
            msg.next_attempt_at = utcnow() + PROBE_AFTER if transient else None
            log.warning("outbox %s: giving up: %s", message_id, error)
    if msg.status == "retrying":
        enqueue_push(settings, message_id, delay)
    return msg.status


def _approved_declarations(settings: Settings, payload: dict) -> list[tuple[str, dict]]:
    """The approved declarations that may name this payload's products, in approval order, as their
    outbox payloads carry them. Left out: the ones the target refused (a person corrects and approves
    them again), so that one refused declaration does not hold back every other supplier's update of
    the same product."""
    declarations = (payload.get("data") or {}).get("declarations") or [{}]
    gtins = product_references(declarations[0] if isinstance(declarations[0], dict) else {})[0]
    if not gtins:
        return []
    # a GTIN is digits only, so a payload naming it holds its significant digits as they are: the
    # database skips the others (targets.combined_elements checks the GTIN itself)
    names_one = or_(*[cast(OutboxMessage.payload, Text).contains(gtin.lstrip("0")) for gtin in sorted(gtins)])
    with session_scope(settings.database_url) as session:
        rows = session.exec(select(OutboxMessage.payload).where(
            or_(OutboxMessage.status != "failed", OutboxMessage.next_attempt_at.is_not(None)), names_one)
            .order_by(OutboxMessage.id)).all()
    approved = []
    for payload in rows:
        declarations = ((payload or {}).get("data") or {}).get("declarations") or []
        if declarations and isinstance(declarations[0], dict):
            approved.append((str(payload.get("source_declaration_id") or ""), declarations[0]))
    return approved


def _close(attempt: PushAttempt, started: float, status: int | None, error: str | None) -> None:
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    attempt.status_code, attempt.error = status, (error or None) and error[:500]


def _gtin_of(body: dict) -> str | None:
    gtin = (body.get("product") or {}).get("gtin_ean")
    return str(gtin).zfill(14) if gtin else None


def _remote_ids(settings: Settings, flavour: str, plan: list) -> dict[str, str]:
    """The platform's ids of the passports this portal created there before (by GTIN-14)."""
    gtins = [g for g in (_gtin_of(body) for _url, body in plan) if g] if flavour == "dppespr" else []
    if not gtins:
        return {}
    with session_scope(settings.database_url) as session:
        rows = session.exec(select(RemotePassport).where(RemotePassport.target == flavour,
                                                         RemotePassport.gtin.in_(gtins))).all()
        return {r.gtin: r.remote_id for r in rows}


def _remember_platform_ids(session, plan: list, bodies: list[dict]) -> None:  # noqa: ANN001
    for (_url, body), answer in zip(plan, bodies):
        gtin, remote_id = _gtin_of(body), answer.get("id")
        if not gtin or remote_id is None:
            continue
        row = session.exec(select(RemotePassport).where(RemotePassport.target == "dppespr",
                                                        RemotePassport.gtin == gtin)).first()
        row = row or RemotePassport(target="dppespr", gtin=gtin, remote_id=str(remote_id)[:64])
        row.remote_id, row.updated_at = str(remote_id)[:64], utcnow()
        session.add(row)


def retry_failed(settings: Settings, message_id: int, actor: str) -> bool:
    """Procurement sends a failed message again (from the review screen): a fresh set of attempts."""
    with session_scope(settings.database_url) as session:
        msg = session.get(OutboxMessage, message_id)
        if msg is None or msg.status != "failed":
            return False
        msg.status, msg.attempts, msg.next_attempt_at = "pending", 0, None
        audit.record(session, actor=actor, action="passport.push_retried", entity="declaration",
                     entity_id=msg.declaration_id, before={"last_error": msg.last_error})
    enqueue_push(settings, message_id)
    return True


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


def probe_failed_pushes() -> int:
    """Messages that failed because the target was unreachable or overloaded get a fresh round of
    attempts once their probe time has come, so they go out when the target is back."""
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        due = session.exec(select(OutboxMessage).where(OutboxMessage.status == "failed",
                                                       OutboxMessage.next_attempt_at.is_not(None),
                                                       OutboxMessage.next_attempt_at < utcnow())).all()
        for msg in due:
            msg.status, msg.attempts, msg.next_attempt_at = "pending", 0, None
        ids = [msg.id for msg in due]
    return sum(enqueue_push(settings, message_id) for message_id in ids)
