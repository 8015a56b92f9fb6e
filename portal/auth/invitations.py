"""Invitations: a one-time link to set a password. Only the token's hash is stored; it expires."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Optional

from sqlmodel import Field, Session, SQLModel, select

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


def create_invitation(session: Session, user: User, ttl_hours: int, created_by: Optional[User] = None) -> str:
    """Returns the token (for the link); earlier open invitations of the user stop working."""
    for old in session.exec(select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))):
        old.used_at = utcnow()
    token = secrets.token_urlsafe(32)
    session.add(Invitation(user_id=user.id, token_hash=_hash(token), expires_at=utcnow() + timedelta(hours=ttl_hours),
                           created_by_id=created_by.id if created_by else None))
    return token


def find_valid(session: Session, token: str) -> Optional[Invitation]:
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == _hash(token))).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation
