"""Redis connection and the RQ queues. Every job is defined with its queue and timeout here."""

from __future__ import annotations

from functools import lru_cache

from redis import Redis
from rq import Queue

from portal.settings import Settings

EXTRACT = "extract"
PUSH = "push"
MAINTENANCE = "maintenance"


@lru_cache(maxsize=4)
def redis_connection(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10)


def queue(settings: Settings, name: str) -> Queue:
    timeouts = {EXTRACT: settings.job_timeout_s, PUSH: 60, MAINTENANCE: 120}
    return Queue(f"{settings.queue_prefix}-{name}", connection=redis_connection(settings.redis_url),
                 default_timeout=timeouts[name])


def all_queues(settings: Settings) -> list[Queue]:
    # Order is priority: a worker takes extraction work first.
    return [queue(settings, EXTRACT), queue(settings, PUSH), queue(settings, MAINTENANCE)]


def heartbeat_interval_s(settings: Settings) -> int:
    """How often a busy worker proves it is alive (RQ's job_monitoring_interval). Several beats
    fit into STUCK_AFTER_S, so the sweeper can tell a worker that died from a slow job."""
    return max(1, min(30, settings.stuck_after_s // 4))
