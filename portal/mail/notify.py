"""Who gets which e-mail about declaration requests; each message is recorded before it is sent."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlmodel import Session, select

from portal.auth.models import Role, User
from portal.i18n import gettext, language, ngettext
from portal.queues import MAINTENANCE, queue
from portal.requests.labels import type_title
from portal.settings import Settings, load_settings

from .send import deliver_pending, queue_email


def supplier_recipients(session: Session, supplier_id: int) -> list[tuple[str, str | None]]:
    """(e-mail, chosen language or None) of each contact: e-mails go out in the recipient's language."""
    return [(email, lang) for email, lang in session.exec(
        select(User.email, User.language).where(User.supplier_id == supplier_id, User.role == Role.supplier.value)).all()]


def _due_words(offset: int, due: date) -> str:
    if offset > 0:
        return ngettext("is due in %(num)d day, on %(date)s", "is due in %(num)d days, on %(date)s", offset,
                        date=due.isoformat())
    if offset < 0:
        return ngettext("was due on %(date)s (%(num)d day ago)", "was due on %(date)s (%(num)d days ago)", -offset,
                        date=due.isoformat())
    return gettext("is due today")


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
        for email, lang in supplier_recipients(db(), supplier_id):
            with language(lang):
                what, by = type_title(document_type), due.isoformat()
                queue_email(db(), to=email, kind="request.new", entity="supplier", entity_id=supplier_id,
                            subject=gettext("Declaration requested: %(what)s by %(date)s", what=what, date=by),
                            body=gettext("Hello,\n\nwe ask you for a %(what)s by %(date)s.\nAnswer it here: %(url)s\n",
                                         what=what, date=by, url=f"{settings.public_url}/dashboard"))
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
                for email, lang in supplier_recipients(session, req.supplier_id):
                    with language(lang):
                        what, when = type_title(req.document_type), _due_words(offset, due)
                        if queue_email(session, to=email, kind="request.reminder", entity="request", entity_id=req.id,
                                       dedupe_key=f"request-reminder:{req.id}:{offset}:{email}",
                                       subject=gettext("Reminder: %(what)s %(when)s", what=what, when=when),
                                       body=gettext("Hello,\n\nthe %(what)s we asked for %(when)s.\nAnswer it here: %(url)s\n",
                                                    what=what, when=when, url=f"{settings.public_url}/dashboard")):
                            queued += 1
    deliver_pending(settings)
    return queued
