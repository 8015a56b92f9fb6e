"""The password policy, the one place that decides whether a password may be set: at least
MIN_LENGTH characters and not one of the 10,000 most common passwords (data/common-passwords.txt:
the first 10,000 lines of Royce Williams' list of 20,000 common passwords as shipped by Django,
BSD licence, ordered by how often they occur in leaks). Compared case-insensitively, so
"Password1234" counts as "password1234"."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

from portal.i18n import gettext

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"


class PasswordPolicyError(ValueError):
    pass


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
                     if line.strip())


def password_problem(password: str) -> Optional[str]:
    """What is wrong with the password, in words the user can act on; None when it may be set."""
    if len(password) < MIN_LENGTH:
        return gettext("Use at least %(n)d characters (this one has %(length)d).", n=MIN_LENGTH, length=len(password))
    if len(password) > MAX_LENGTH:
        return gettext("Use at most %(n)d characters.", n=MAX_LENGTH)
    if password.strip().lower() in common_passwords():
        return gettext("This is one of the most common passwords, which attackers try first. Choose another.")
    return None


def check_password_policy(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise PasswordPolicyError(problem)
