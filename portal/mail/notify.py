"""Who gets which e-mail about declaration requests; each message is recorded before it is sent."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlmodel import Session, select

from ingestion import load_schema
from portal.auth.models import Role, User
from portal.queues import MAINTENANCE, queue
from portal.settings import Settings, load_settings

from .send import deliver_pending, queue_email


def supplier_recipients(session: Session, supplier_id: int) -> list[str]:
    return list(session.exec(select(User.email).where(User.supplier_id == supplier_id,
                                                      User.role == Role.supplier.value)).all())


def _title(document_type: str) -> str:
    return load_schema(document_type).get("title", document_type)


def enqueue_delivery(settings: Settings) -> None:
    """Deliver in the worker; if Redis is away, the periodic job delivers later."""
    from redis.exceptions import RedisError
    try:
        queue(settings, MAINTENANCE).enqueue(deliver_pending, job_timeout=120, result_ttl=600)
    except RedisError:
        pass


def notify_new_requests(supplier_ids: list[int], document_type: str, due: date) -> None:
    from portal.web import db
    settings = current_app.config["SETTINGS"]
    for supplier_id in supplier_ids:
        for email in supplier_recipients(db(), supplier_id):
            queue_email(db(), to=email, kind="request.new", entity="supplier", entity_id=supplier_id,
                        subject=f"Declaration requested: {_title(document_type)} by {due.isoformat()}",
                        body=(f"Hello,\n\nwe ask you for a {_title(document_type)} by {due.isoformat()}.\n"
                              f"Answer it here: {settings.public_url}/dashboard\n"))
    db().commit()
    enqueue_delivery(settings)


def send_request_reminders(today: date | None = None) -> int:
    """Periodic: a reminder at each configured offset from the due date, once per request and
    offset (the dedupe key makes a second run on the same day send nothing)."""
    from portal.db import session_scope
    from portal.requests.labels import ANSWERED
    from portal.requests.models import DeclarationRequest
    settings = load_settings()
    today = today or date.today()
    queued = 0
    with session_scope(settings.database_url) as session:
        for offset in settings.reminder_offsets:
            due = date.fromordinal(today.toordinal() + offset)
            requests = session.exec(select(DeclarationRequest).where(
                DeclarationRequest.due_date == due, DeclarationRequest.status.not_in(ANSWERED))).all()
            for req in requests:
                when = f"is due in {offset} day(s), on {due.isoformat()}" if offset > 0 else \
                    f"was due on {due.isoformat()} ({-offset} day(s) ago)" if offset < 0 else "is due today"
                for email in supplier_recipients(session, req.supplier_id):
                    if queue_email(session, to=email, kind="request.reminder", entity="request", entity_id=req.id,
                                   dedupe_key=f"request-reminder:{req.id}:{offset}:{email}",
                                   subject=f"Reminder: {_title(req.document_type)} {when}",
                                   body=(f"Hello,\n\nthe {_title(req.document_type)} we asked for {when}.\n"
                                         f"Answer it here: {settings.public_url}/dashboard\n")):
                        queued += 1
    deliver_pending(settings)
    return queued
