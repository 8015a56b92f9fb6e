"""Checking an e-mail and password. The answer takes as long for an unknown or switched-off
account as for a real one: a password hash is always checked, against a dummy hash when there
is no account, so the login time does not reveal which e-mail addresses have accounts."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Optional

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from .models import User


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # made with the same method and cost as real hashes (werkzeug's default), once per process
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(session: Session, email: str, password: str) -> Optional[User]:
    """The active user with this e-mail and password, or None."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    matches = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    return user if user is not None and matches and user.active else None
