"""The /api/v1 blueprint: X-API-Key authentication, per-key rate limits, errors in the SPEC §6 shape,
and `write_endpoint` (write scope, Idempotency-Key replay, one commit)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import timedelta
from functools import wraps
from typing import Any, Callable, Optional

from flask import Blueprint, g, jsonify, request
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from portal.passports.access import RESTRICTED_SCOPE, Audience, key_audience, may_read
from portal.passports.errors import StoreError
from portal.queues import redis_connection
from portal.timeutil import utcnow
from portal.web import db, settings

from .errors import ApiError
from portal.clients.models import ApiKey, IdempotentRequest, find_key
from .strict import check_request

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = {"api.openapi"}
WINDOW_S = 60
MAX_JSON_DEPTH = 32   # a passport is a few levels deep; hundreds of levels only attack the parser
TOO_DEEP = f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep; no request of this API needs that."


@bp.errorhandler(StoreError)
def api_error(exc: StoreError):  # noqa: ANN201
    response = jsonify(exc.body())
    response.status_code = exc.status
    if exc.code == "RATE_LIMITED":
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response


@bp.errorhandler(404)
def api_not_found(_exc):  # noqa: ANN001, ANN201
    return ApiError("NOT_FOUND", "No such resource.").response()


@bp.errorhandler(405)
def api_method(_exc):  # noqa: ANN001, ANN201
    return ApiError("METHOD_NOT_ALLOWED", "Method not allowed on this resource.").response()


@bp.errorhandler(413)
def api_too_large(_exc):  # noqa: ANN001, ANN201
    return ApiError("PAYLOAD_TOO_LARGE", "The request body is too large.").response()


@bp.errorhandler(RecursionError)
def api_too_deep(_exc):  # noqa: ANN001, ANN201 - JSON nested beyond what the parser can follow
    return ApiError("VALIDATION", TOO_DEEP).response()


bp.before_request(check_request)   # first: 405/OPTIONS/parameters need no key


@bp.before_request
def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    now = utcnow()
    key = request.headers.get("X-API-Key", "")
    if not key and request.headers.get("Authorization", "")[:7].lower() == "bearer ":
        row, g.api_scope = _bearer()
    else:
        row = find_key(db(), key)
        refusal = row.refusal(now) if row is not None else "unknown"
        if refusal == "expired":
            raise ApiError("INVALID_API_KEY", "This API key's access grant has expired; ask for access again.")
        if refusal:
            raise ApiError("INVALID_API_KEY", "Missing or invalid API key: send it in the X-API-Key header "
                           "(or an OAuth2 bearer token from POST /oauth/token in Authorization).")
        g.api_scope = row.scope
    g.api_key = row
    _rate_limit(row)
    if row.last_used_at is None or now - row.last_used_at.replace(tzinfo=now.tzinfo) > timedelta(minutes=1):
        row.last_used_at = now   # at most once a minute: reads stay cheap
        db().add(row)
        db().commit()


def _bearer() -> tuple[ApiKey, str]:
    """An OAuth2 bearer token: the api_key its client acts through, and the token's scope."""
    from authlib.oauth2 import OAuth2Error

    from .oauth import bearer_principal
    try:
        return bearer_principal()
    except OAuth2Error:
        g.bearer_refused = True
        raise ApiError("INVALID_API_KEY", "The bearer token is invalid, expired or revoked: "
                       "get a new one from POST /oauth/token.") from None


def _rate_limit(key: ApiKey) -> None:
    limit = key.rate_limit_per_minute or settings().api_rate_limit_per_minute
    count_request(f"key:{key.id}", limit, "with this key")


def count_request(bucket: str, limit: int, who: str) -> None:
    """Fixed one-minute window per bucket (a key, or a client address on the public endpoints) in
    Redis, shared by all web workers; past `limit` a 429 with Retry-After. If Redis is down the
    API keeps answering (the limit protects capacity; losing it briefly is the lesser harm)."""
    now = time.time()
    window = int(now // WINDOW_S)
    name = f"{settings().queue_prefix}:ratelimit:{bucket}:{window}"
    try:
        pipe = redis_connection(settings().redis_url).pipeline()
        pipe.incr(name)
        pipe.expire(name, WINDOW_S + 5)
        count = pipe.execute()[0]
    except RedisError as exc:
        log.warning("rate limit not enforced, Redis unavailable: %s", exc)
        return
    g.rate_limit = (limit, max(0, limit - count), (window + 1) * WINDOW_S)
    if count > limit:
        retry_after = max(1, int((window + 1) * WINDOW_S - now + 0.999))
        raise ApiError("RATE_LIMITED", f"More than {limit} requests in a minute {who}; "
                       f"retry after {retry_after} s.", {"limit": limit, "retry_after": retry_after})


@bp.after_request
def rate_limit_headers(response):  # noqa: ANN001, ANN201
    if g.pop("bearer_refused", False):
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'   # RFC 6750 §3
    if "rate_limit" in g:
        limit, remaining, reset = g.rate_limit
        response.headers["X-RateLimit-Limit"] = str(limit)
        response.headers["X-RateLimit-Remaining"] = str(remaining)
        response.headers["X-RateLimit-Reset"] = str(reset)
    return response


def require_write() -> None:
    # an OAuth2 token may carry less than its client may do ("read" from a write client)
    if "write" not in g.api_scope.split():
        raise ApiError("INSUFFICIENT_SCOPE", "This API key or token may only read; writing needs the write scope.",
                       {"required_scope": "write", "key_scope": g.api_scope})


def json_body() -> dict[str, Any]:
    try:
        # strict: NaN/Infinity are not JSON and no database column could store them
        body = json.loads(request.get_data() or b"null", parse_constant=_no_constants)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ApiError("VALIDATION", "The request body must be a JSON object.")
    if _depth_exceeds(body, MAX_JSON_DEPTH):
        raise ApiError("VALIDATION", TOO_DEEP)
    if _bad_text(body):
        # PostgreSQL text holds neither NUL nor unpaired surrogates; refuse them here, not on insert
        raise ApiError("VALIDATION", "Text must be valid Unicode without NUL characters.")
    return body


def _depth_exceeds(node: Any, limit: int) -> bool:
    """Iterative, so that checking a hostile body cannot itself run out of stack."""
    stack = [(node, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return False


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def bad_text(value: str) -> bool:
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _bad_text(node: Any) -> bool:
    if isinstance(node, str):
        return bad_text(node)
    if isinstance(node, dict):
        return any(_bad_text(k) or _bad_text(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_bad_text(v) for v in node)
    return False


def reader(gtin: Optional[str] = None) -> Audience:
    """What the caller may read of the passport(s) of `gtin` (portal/passports/access.py): the
    key's scope, or the bearer token's when it asked for less than its client may do."""
    return key_audience(g.api_key, g.get("api_scope"), gtin)


def require_sources_access(gtin: Optional[str] = None) -> None:
    """Contribution sources (which supplier, which declaration) are restricted (access.json)."""
    if not may_read(reader(gtin), "passport", "/contributions"):
        raise ApiError("INSUFFICIENT_SCOPE", "Which supplier and declaration a passport's data came from is "
                       f"restricted: it needs a key with the {RESTRICTED_SCOPE} scope.", {"required_scope": RESTRICTED_SCOPE})


def actor() -> str:
    return f"api:{g.api_key.name}"


def sandbox() -> bool:
    """True for a sandbox key or client: it reads and writes the sandbox namespace only. Staff in
    the portal (no key) work in the live namespace."""
    key = g.get("api_key")
    return bool(key is not None and key.sandbox)


def refuse_in_sandbox(what: str) -> None:
    if sandbox():
        raise ApiError("SANDBOX_UNSUPPORTED", f"{what} is not available to sandbox keys: it would reach live "
                       "data. Use a live key.")


def write_endpoint(view: Callable[..., tuple[Any, int]]) -> Callable[..., Any]:
    """Write scope; the view returns (body, status) without committing. With an Idempotency-Key
    the answer is stored in the same transaction, and a repeat gets it back (200,
    `Idempotent-Replayed: true`) instead of a second change."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any):  # noqa: ANN202
        require_write()
        key = request.headers.get("Idempotency-Key", "").strip()
        digest = hashlib.sha256(f"{request.method} {request.path}\n".encode() + request.get_data()).hexdigest()
        if key:
            if len(key) > 100 or bad_text(key):
                raise ApiError("VALIDATION", "Idempotency-Key: at most 100 characters.")
            replay = _replay(key, digest)
            if replay is not None:
                return replay
        body, status = view(*args, **kwargs)
        if key and 200 <= status < 300:
            db().add(IdempotentRequest(api_key_id=g.api_key.id, key=key, request_sha256=digest,
                                       status_code=status, body=body))
        try:
            db().commit()
        except IntegrityError:
            db().rollback()
            g.pop("after_commit", None)
            replay = _replay(key, digest) if key else None
            if replay is None:
                # the only unique rule a write can break after its own checks: the same
                # GTIN+lot+serial created by a concurrent request
                raise ApiError("GTIN_EXISTS", "A passport for this GTIN, lot and serial was just created "
                               "by another request.") from None
            return replay
        for callback in g.pop("after_commit", []):
            callback()
        return jsonify(body), status

    return wrapped


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback` once the write_endpoint's transaction has committed (e.g. enqueue a job)."""
    g.setdefault("after_commit", []).append(callback)


def _replay(key: str, digest: str):  # noqa: ANN202
    seen = db().exec(select(IdempotentRequest).where(IdempotentRequest.api_key_id == g.api_key.id,
                                                     IdempotentRequest.key == key)).first()
    if seen is None:
        return None
    if seen.request_sha256 != digest:
        raise ApiError("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was used for a different request.")
    response = jsonify(seen.body)
    response.headers["Idempotent-Replayed"] = "true"
    return response, 200
