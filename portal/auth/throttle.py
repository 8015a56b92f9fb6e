"""Sign-in throttling: failed attempts (wrong password, unknown account, wrong code) are counted
in Redis per account and per client address; past the limit every attempt is refused, the right
password included, until the lock-out runs out.

A small Redis counter rather than Flask-Limiter: Flask-Limiter counts requests to a route and
answers 429 before the view runs, while this needs to count only *failures*, keyed by the e-mail
address typed into the form (unknown ones too, so a lock-out does not reveal which accounts
exist), cleared by a success, and the remaining time shown inside the login form."""

from __future__ import annotations

import hashlib
import logging
import math

from redis.exceptions import RedisError

from portal.i18n import ngettext
from portal.queues import redis_connection
from portal.settings import Settings

log = logging.getLogger(__name__)


def _keys(settings: Settings, email: str, address: str) -> list[tuple[str, int]]:
    """(Redis key, failures allowed) for the account and for the client address."""
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [(f"{settings.queue_prefix}:login-failures:account:{account}", settings.login_max_failures),
            (f"{settings.queue_prefix}:login-failures:address:{address}", settings.login_max_failures_per_address)]


def locked_for(settings: Settings, email: str, address: str) -> int:
    """Seconds until a sign-in for this account from this address may be tried again; 0 = now."""
    try:
        conn = redis_connection(settings.redis_url)
        wait = 0
        for key, allowed in _keys(settings, email, address):
            if int(conn.get(key) or 0) >= allowed:
                wait = max(wait, conn.ttl(key), 1)
        return wait
    except RedisError as exc:  # an unreachable Redis must not lock everybody out
        log.warning("login throttle unavailable (%s); not throttling", exc)
        return 0


def record_failure(settings: Settings, email: str, address: str) -> None:
    try:
        conn = redis_connection(settings.redis_url)
        window = settings.login_lockout_minutes * 60
        for key, allowed in _keys(settings, email, address):
            failures = conn.incr(key)
            if failures == 1 or failures >= allowed:  # the lock-out lasts a full window from the last failure
                conn.expire(key, window)
    except RedisError as exc:
        log.warning("login throttle unavailable (%s); failure not counted", exc)


def record_success(settings: Settings, email: str) -> None:
    """A successful sign-in clears the account's count (not the address's)."""
    try:
        redis_connection(settings.redis_url).delete(_keys(settings, email, "-")[0][0])
    except RedisError as exc:
        log.warning("login throttle unavailable (%s)", exc)


def lockout_message(wait_s: int) -> str:
    minutes = max(1, math.ceil(wait_s / 60))
    return ngettext("Too many sign-in attempts — try again in %(num)d minute.",
                    "Too many sign-in attempts — try again in %(num)d minutes.", minutes)
