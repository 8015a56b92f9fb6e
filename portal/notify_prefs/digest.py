"""The daily digest: one e-mail per user who chose it, listing the declaration e-mails held for
them. Idempotent per day: the digest's dedupe key holds the date, and the held e-mails change
status in the same transaction that records the digest, so a second run sends nothing twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import select

from portal.auth.models import User
from portal.db import session_scope
from portal.i18n import gettext, language, ngettext
from portal.mail.models import OutgoingEmail
from portal.mail.send import deliver_pending, queue_email
from portal.settings import load_settings

from . import HELD, IN_DIGEST


def send_daily_digests(today: date | None = None) -> int:
    """Periodic (hourly, like the other daily jobs): queue and deliver today's digests."""
    settings = load_settings()
    today = today or date.today()
    queued = 0
    with session_scope(settings.database_url) as session:
        held: dict[str, list[OutgoingEmail]] = defaultdict(list)
        rows = session.exec(select(OutgoingEmail).where(OutgoingEmail.status == HELD)
                            .order_by(OutgoingEmail.id).with_for_update(skip_locked=True)).all()
        for outgoing in rows:
            held[outgoing.to].append(outgoing)
        for to, emails in held.items():
            with language(session.exec(select(User.language).where(User.email == to)).first()):
                subject = ngettext("Your daily summary: %(num)d update on declarations",
                                   "Your daily summary: %(num)d updates on declarations", len(emails))
                body = _body(emails, settings.public_url)
            digest = queue_email(session, to=to, kind="notifications.digest", entity="user", entity_id=to,
                                 dedupe_key=f"digest:{today.isoformat()}:{to}"[:200], subject=subject, body=body)
            if digest is None:
                continue  # today's digest went out already; these wait for tomorrow's
            for outgoing in emails:
                outgoing.status = IN_DIGEST
            queued += 1
    if queued:
        deliver_pending(settings)
    return queued


def _body(emails: list[OutgoingEmail], public_url: str) -> str:
    parts = [ngettext("Hello,\n\nhere is what happened to your declarations since the last summary (%(num)d update).\n",
                      "Hello,\n\nhere is what happened to your declarations since the last summary (%(num)d updates).\n",
                      len(emails))]
    for outgoing in emails:
        parts.append(f"\n— {outgoing.subject} ({outgoing.created_at:%Y-%m-%d %H:%M} UTC)\n{outgoing.body.strip()}\n")
    parts.append("\n" + gettext("You get this summary once a day. Change that here: %(url)s",
                                url=f"{public_url}/settings/notifications") + "\n")
    return "".join(parts)
