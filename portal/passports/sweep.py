"""The passport store's periodic sweep: Redis keeps nothing on disk, so the database rows decide
which webhook deliveries and bulk jobs still have to run."""

from __future__ import annotations

from portal.webhooks.delivery import sweep_due

from .bulk import requeue_stalled


def sweep() -> dict[str, int]:
    return {"webhook_deliveries": sweep_due(), "bulk_jobs": requeue_stalled()}
