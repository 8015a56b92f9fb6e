"""The passport store's periodic sweep: Redis keeps nothing on disk, so the database rows decide
which webhook deliveries and bulk jobs still have to run and which passports still wait for the
approved declarations that name them; stored idempotent answers expire."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import delete

from portal.clients.models import IdempotentRequest
from portal.db import session_scope
from portal.settings import load_settings
from portal.timeutil import utcnow
from portal.webhooks.delivery import sweep_due

from . import contributions
from .bulk import requeue_stalled
from .errors import StoreError
from .models import Passport
from .outbox import probe_failed_pushes

log = logging.getLogger(__name__)

# a client retrying for longer than this is not retrying any more (the outbox gives up far sooner)
IDEMPOTENCY_TTL = timedelta(days=7)


def sweep() -> dict[str, int]:
    with session_scope(load_settings().database_url) as session:
        expired = session.exec(delete(IdempotentRequest).where(
            IdempotentRequest.created_at < utcnow() - IDEMPOTENCY_TTL)).rowcount
    return {"webhook_deliveries": sweep_due(), "bulk_jobs": requeue_stalled(), "idempotency_keys_expired": expired,
            "late_links": link_waiting(), "failed_pushes_probed": probe_failed_pushes()}


def link_waiting(limit: int = 500) -> int:
    """Passports created without the API's create (bulk, imports) or given their part number later
    receive the approved declarations that name them. One transaction per passport, so one that
    cannot take its data (logged) does not hold the others back."""
    database_url = load_settings().database_url
    with session_scope(database_url) as session:
        passport_ids = sorted({pid for pid, _received in contributions.waiting_links(session)})[:limit]
    linked = 0
    for passport_id in passport_ids:
        try:
            with session_scope(database_url) as session:
                linked += len(contributions.pick_up(session, session.get(Passport, passport_id), "sweeper"))
        except StoreError as exc:
            log.warning("late link to passport %s refused: %s %s", passport_id, exc.message, exc.details)
    return linked
