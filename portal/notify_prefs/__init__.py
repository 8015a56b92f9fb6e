"""Each user chooses how declaration e-mails reach them: immediately, or gathered into one
e-mail a day. A held e-mail is recorded like any other (status "held"), so it shows in the
user's Notifications list at once; the daily digest job sends it and marks it "in digest"."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.auth.models import User
from portal.i18n import N_
from portal.mail.models import OutgoingEmail

HELD = "held"          # waits for the recipient's daily digest
IN_DIGEST = "digested"  # sent inside a digest e-mail
STATUS_WORDS = {"pending": N_("Being sent"), "sent": N_("Sent"), "logged": N_("Sent (written to the server log)"),
                "failed": N_("Not sent"), HELD: N_("Waiting for your daily digest"),
                IN_DIGEST: N_("Sent in a daily digest")}  # translated where shown


def wants_digest(session: Session, email: str) -> bool:
    return bool(session.exec(select(User.email_digest).where(User.email == email)).first())


def hold_for_digest(session: Session, outgoing: OutgoingEmail | None) -> None:
    """Keep a just-queued e-mail for the recipient's digest if that is their choice."""
    if outgoing is not None and wants_digest(session, outgoing.to):
        outgoing.status = HELD


def release_held(session: Session, email: str) -> int:
    """Someone switching back to "immediately" gets what was waiting now rather than tomorrow."""
    held = session.exec(select(OutgoingEmail).where(OutgoingEmail.to == email, OutgoingEmail.status == HELD)).all()
    for outgoing in held:
        outgoing.status = "pending"
    return len(held)
