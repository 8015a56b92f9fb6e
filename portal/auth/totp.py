"""TOTP two-factor sign-in (RFC 6238 codes from an authenticator app, through pyotp). Staff may
turn it on; admins must when REQUIRE_ADMIN_TOTP is on. A lost phone is reset by an operator:
`flask --app wsgi users reset-totp --email E`."""

from __future__ import annotations

import hmac
import time

import pyotp
import segno

from portal.settings import Settings

from .models import Role, User

ISSUER = "Supplier Declaration Portal"
STEP_S = 30


def new_secret() -> str:
    return pyotp.random_base32()


def qr_svg_data_uri(secret: str, email: str) -> str:
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def spaced(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def accept_code(user: User, code: str, secret: str | None = None) -> bool:
    """True when `code` is the current code (or the one before/after, for clock drift) and newer
    than the last accepted one, which it then becomes: a code cannot be used twice."""
    code = "".join((code or "").split())
    secret = secret or user.totp_secret
    if not secret or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // STEP_S
    for step in (now - 1, now, now + 1):
        if step > (user.totp_last_step or -1) and hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def offered_to(user: User) -> bool:
    return user.is_staff


def required_for(settings: Settings, user: User) -> bool:
    return user.role == Role.admin.value and settings.require_admin_totp
