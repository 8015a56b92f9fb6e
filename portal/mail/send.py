"""Record an e-mail, then deliver it: by SMTP when SMTP_HOST is set, else to the log (make run),
where the admin's e-mail page shows it too."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Optional

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.db import session_scope
from portal.settings import Settings, load_settings
from portal.timeutil import utcnow

from .models import OutgoingEmail

log = logging.getLogger(__name__)


def queue_email(session: Session, *, to: str, subject: str, body: str, kind: str,
                dedupe_key: Optional[str] = None, entity: Optional[str] = None,
                entity_id: object = None) -> Optional[OutgoingEmail]:
    """Add the e-mail in the caller's transaction. None when `dedupe_key` was sent already."""
    if dedupe_key and session.exec(select(OutgoingEmail.id).where(OutgoingEmail.dedupe_key == dedupe_key)).first():
        return None
    email = OutgoingEmail(to=to, subject=subject[:300], body=body, kind=kind, dedupe_key=dedupe_key,
                          entity=entity, entity_id=None if entity_id is None else str(entity_id))
    try:
        with session.begin_nested():
            session.add(email)
    except IntegrityError:  # a concurrent run recorded the same dedupe_key first
        return None
    return email


def deliver_pending(settings: Settings | None = None, limit: int = 500) -> int:
    """Send what is pending. Idempotent: each row is sent once (its status changes first)."""
    settings = settings or load_settings()
    sent = 0
    with session_scope(settings.database_url) as session:
        pending = session.exec(select(OutgoingEmail).where(OutgoingEmail.status == "pending")
                               .order_by(OutgoingEmail.id).limit(limit)).all()
        for email in pending:
            try:
                _deliver(settings, email)
                email.status = "sent" if settings.smtp_host else "logged"
                email.sent_at = utcnow()
                sent += 1
            except (OSError, smtplib.SMTPException) as exc:
                email.status, email.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
    return sent


def _deliver(settings: Settings, email: OutgoingEmail) -> None:
    if not settings.smtp_host:
        log.info("e-mail (not sent, no SMTP_HOST) to %s: %s\n%s", email.to, email.subject, email.body)
        return
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, email.to, email.subject
    message.set_content(email.body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
