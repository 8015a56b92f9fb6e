"""The passport store's periodic sweep: Redis keeps nothing on disk, so the database rows decide
which webhook deliveries and bulk jobs still have to run; stored idempotent answers expire."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import delete

from portal.api.models import IdempotentRequest
from portal.db import session_scope
from portal.settings import load_settings
from portal.timeutil import utcnow
from portal.webhooks.delivery import sweep_due

from .bulk import requeue_stalled

# a client retrying for longer than this is not retrying any more (the outbox gives up far sooner)
IDEMPOTENCY_TTL = timedelta(days=7)


def sweep() -> dict[str, int]:
    with session_scope(load_settings().database_url) as session:
        expired = session.exec(delete(IdempotentRequest).where(
            IdempotentRequest.created_at < utcnow() - IDEMPOTENCY_TTL)).rowcount
    return {"webhook_deliveries": sweep_due(), "bulk_jobs": requeue_stalled(), "idempotency_keys_expired": expired}
