"""Record an e-mail, then deliver it: by SMTP when SMTP_HOST is set, else to the server log
(make run). The record, which the E-mails page lists, never holds a secret (see redact.py): an
invitation's one-time link is made at delivery and exists only in the message sent (or the log)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Callable, Optional

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.db import all_models, session_scope
from portal.settings import Settings, load_settings
from portal.timeutil import utcnow

from .models import OutgoingEmail
from .redact import redact

log = logging.getLogger(__name__)

# A secret made at delivery: (session, settings, the e-mail's entity id) → the secret, or None
# when its owner is gone (the e-mail is then not sent).
Minter = Callable[[Session, Settings, int], Optional[str]]

# (kind, entity) of the e-mails that carry a secret made at delivery → (minter, its placeholder).
# The features that send such e-mails register here when imported (portal.model_registry names
# them), so this module imports none of them and no import circle forms.
SECRET_MINTERS: dict[tuple[str, str], tuple[Minter, str]] = {}


def mints_secret(kind: str, entity: str, placeholder: str) -> Callable[[Minter], Minter]:
    """Register the decorated function as the minter of `kind` e-mails about `entity`."""
    def register(mint: Minter) -> Minter:
        SECRET_MINTERS[(kind, entity)] = (mint, placeholder)
        return mint
    return register


def queue_email(session: Session, *, to: str, subject: str, body: str, kind: str,
                dedupe_key: Optional[str] = None, entity: Optional[str] = None,
                entity_id: object = None) -> Optional[OutgoingEmail]:
    """Add the e-mail in the caller's transaction. None when `dedupe_key` was sent already."""
    if dedupe_key and session.exec(select(OutgoingEmail.id).where(OutgoingEmail.dedupe_key == dedupe_key)).first():
        return None
    email = OutgoingEmail(to=to, subject=redact(subject)[:300], body=redact(body), kind=kind, dedupe_key=dedupe_key,
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
    all_models()   # every feature's minter registered before a secret-bearing e-mail is read
    sent = 0
    with session_scope(settings.database_url) as session:
        # rows locked (PostgreSQL): two delivery jobs at once neither send twice nor mint two links
        pending = session.exec(select(OutgoingEmail).where(OutgoingEmail.status == "pending")
                               .order_by(OutgoingEmail.id).limit(limit).with_for_update(skip_locked=True)).all()
        for email in pending:
            body = _body_to_send(session, settings, email)
            if body is None:
                email.status, email.error = "failed", ("not sent: the invitation was replaced by a newer one or expired"
                                                      if email.kind == "invitation" else
                                                      "not sent: the access grant was revoked or has expired")
                continue
            try:
                _deliver(settings, email, body)
                email.status = "sent" if settings.smtp_host else "logged"
                email.sent_at = utcnow()
                sent += 1
            except (OSError, smtplib.SMTPException) as exc:
                email.status, email.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
    return sent


def _body_to_send(session: Session, settings: Settings, email: OutgoingEmail) -> Optional[str]:
    """The message as the recipient gets it. A secret (an invitation's link, an access grant's API
    key) is minted here, at delivery, rather than stored: it exists in no table, not even encrypted
    (encrypting it with a key from SECRET_KEY would leave it readable to anyone holding the
    database and the key, which every web process has). Minting replaces the stored hash in the
    same transaction that marks the e-mail sent. None: nothing to send (the secret's owner is gone)."""
    minter = SECRET_MINTERS.get((email.kind, email.entity or ""))
    if minter is None or not (email.entity_id or "").isdigit():
        return email.body
    mint, placeholder = minter
    secret = mint(session, settings, int(email.entity_id))
    return None if secret is None else email.body.replace(placeholder, secret)



def _deliver(settings: Settings, email: OutgoingEmail, body: str) -> None:
    if not settings.smtp_host:
        # the only place the full message (with any link) is written when there is no SMTP;
        # a warning so that it shows in the worker's output without any logging set-up
        log.warning("e-mail (not sent, no SMTP_HOST) to %s: %s\n%s", email.to, email.subject, body)
        return
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, email.to, email.subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
