"""A supplier's contacts as e-mail recipients, and delivery handed to the worker. What the e-mails
say lives with the area that sends them (requests, certificates, access, auth)."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.auth.models import Role, User
from portal.queues import MAINTENANCE, queue
from portal.settings import Settings

from .send import deliver_pending


def supplier_recipients(session: Session, supplier_id: int) -> list[tuple[str, str | None]]:
    """(e-mail, chosen language or None) of each contact: e-mails go out in the recipient's language."""
    return [(email, lang) for email, lang in session.exec(
        select(User.email, User.language).where(User.supplier_id == supplier_id, User.role == Role.supplier.value)).all()]


def enqueue_delivery(settings: Settings) -> None:
    """Deliver in the worker; if Redis is away, the periodic job delivers later."""
    from redis.exceptions import RedisError
    try:
        queue(settings, MAINTENANCE).enqueue(deliver_pending, job_timeout=120, result_ttl=600)
    except RedisError:
        pass
