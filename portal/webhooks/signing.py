"""HMAC-SHA256 webhook signatures over the delivery id, a timestamp and the body, so that a
captured delivery can be replayed neither later nor under another delivery id.

Headers of every delivery:
  `X-Portal-Delivery: <id>`            the same id on every retry of a delivery: dedupe on it
  `X-Portal-Timestamp: <unix seconds>`
  `X-Portal-Signature: t=<unix seconds>,v2=<hex HMAC-SHA256(secret, "<id>.<t>.<body>")>`
Receivers recompute the HMAC from the raw body and the delivery id they received, reject
timestamps further than the tolerance from their clock, and drop ids they have seen (v1, which
signed only "<t>.<body>", is no longer sent: the id was not covered)."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Portal-Signature"
DELIVERY_HEADER = "X-Portal-Delivery"
TIMESTAMP_HEADER = "X-Portal-Timestamp"
TOLERANCE_S = 300


def _digest(secret: str, delivery_id: str, ts: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{delivery_id}.{ts}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, delivery_id: str | int, timestamp: int | None = None) -> str:
    ts = int(time.time()) if timestamp is None else timestamp
    return f"t={ts},v2={_digest(secret, str(delivery_id), ts, body)}"


def signed_headers(secret: str, body: bytes, delivery_id: str | int) -> dict[str, str]:
    """The three headers of a delivery, with one timestamp for the signature and its header."""
    ts = int(time.time())
    return {SIGNATURE_HEADER: sign(secret, body, delivery_id, ts), DELIVERY_HEADER: str(delivery_id),
            TIMESTAMP_HEADER: str(ts)}


def verify(secret: str, body: bytes, signature: str, delivery_id: str | int,
           now: float | None = None, tolerance: int = TOLERANCE_S) -> bool:
    """For receivers: `verify(secret, raw_body, headers["X-Portal-Signature"],
    headers["X-Portal-Delivery"])`. False for a forged, altered, re-addressed or stale delivery."""
    try:
        fields = dict(part.split("=", 1) for part in signature.split(","))
        ts = int(fields["t"])
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - ts) > tolerance:
        return False
    return hmac.compare_digest(_digest(secret, str(delivery_id), ts, body), fields.get("v2", ""))
