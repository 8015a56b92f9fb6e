"""Invitations: a one-time link to set a password. Only the token's hash is stored; it expires."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Optional

from sqlmodel import Field, Session, SQLModel, select

from portal.i18n import gettext, language
from portal.mail.redact import LINK_PLACEHOLDER
from portal.mail.send import mints_secret, queue_email
from portal.settings import Settings
from portal.timeutil import utcnow

from .models import User


class Invitation(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime
    used_at: Optional[datetime] = None
    created_by_id: Optional[int] = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _open(session: Session, user: User, ttl_hours: int, created_by: Optional[User]) -> tuple[Invitation, str]:
    for old in session.exec(select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))):
        old.used_at = utcnow()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(user_id=user.id, token_hash=_hash(token), expires_at=utcnow() + timedelta(hours=ttl_hours),
                            created_by_id=created_by.id if created_by else None)
    session.add(invitation)
    session.flush()
    return invitation, token


def create_invitation(session: Session, user: User, ttl_hours: int, created_by: Optional[User] = None) -> str:
    """Returns the token (for the link); earlier open invitations of the user stop working."""
    return _open(session, user, ttl_hours, created_by)[1]


def send_invitation(session: Session, settings: Settings, user: User, company: str,
                    created_by: Optional[User] = None) -> Invitation:
    """Open an invitation and queue its e-mail. The token made here is thrown away: the e-mail is
    stored with a placeholder and the link is minted when it is delivered (mint_link), so no
    copy of a usable link is ever stored."""
    invitation, _unused = _open(session, user, settings.invite_ttl_hours, created_by)
    with language(user.language):  # the invited person's language, when one was chosen for them
        subject = gettext("%(company)s: you are invited to the supplier declaration portal", company=company)
        body = gettext("Hello,\n\nyou are invited to answer declaration requests for %(company)s.\n"
                       "Set your password here (the link works once, for %(hours)d hours):\n%(link)s\n",
                       company=company, hours=settings.invite_ttl_hours, link=LINK_PLACEHOLDER)
    queue_email(session, to=user.email, kind="invitation", entity="invitation", entity_id=invitation.id,
                subject=subject, body=body)
    return invitation


@mints_secret("invitation", "invitation", LINK_PLACEHOLDER)
def mint_link(session: Session, settings: Settings, invitation_id: int) -> Optional[str]:
    """A fresh link for an open invitation, at delivery time; the previous token stops working.
    None when the invitation was used, replaced or has expired."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    return f"{settings.public_url.rstrip('/')}/invite/{token}"


def find_valid(session: Session, token: str) -> Optional[Invitation]:
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == _hash(token))).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation
