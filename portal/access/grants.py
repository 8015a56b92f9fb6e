"""Access requests from the public passport page and the admin's decision (no Flask here).

An approval makes an API key with the passport:restricted scope that stops working after N days.
Its secret is not made at approval: like an invitation's link, it is minted when the e-mail is
delivered (mint_key), so it exists only in the message sent, never in a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Mapping, Optional

from sqlmodel import Session, select

from portal import audit
from portal.clients.models import ApiKey
from portal.mail.redact import KEY_PLACEHOLDER
from portal.mail.send import mints_secret, queue_email
from portal.passports.access import RESTRICTED_SCOPE
from portal.passports.models import Passport
from portal.i18n import gettext
from portal.requests.labels import enum_label
from portal.settings import Settings
from portal.suppliers.service import EMAIL
from portal.timeutil import as_utc, iso, utcnow

from .models import ROLES, AccessRequest

MAX_GRANT_DAYS = 365
REQUESTS_PER_HOUR = 5
LIMITS = {"name": 200, "organisation": 200, "email": 254, "purpose": 2000}


@dataclass
class Problems:
    """Per form field, what to fix, in words."""
    fields: dict[str, str]

    def __bool__(self) -> bool:
        return bool(self.fields)


def check_form(form: Mapping[str, str]) -> tuple[dict[str, str], Problems]:
    values = {name: (form.get(name) or "").strip() for name in ("name", "organisation", "email", "role", "purpose")}
    problems: dict[str, str] = {}
    if not values["name"]:
        problems["name"] = gettext("Enter your name.")
    if not values["organisation"]:
        problems["organisation"] = gettext("Enter your organisation.")
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            problems[name] = gettext("Use at most %(n)d characters.", n=limit)
    if "email" not in problems and not EMAIL.match(values["email"]):
        problems["email"] = gettext("Enter an e-mail address like name@company.com.")
    if values["role"] not in ROLES:
        problems["role"] = gettext("Choose what you do with the product.")
    if "purpose" not in problems and len(values["purpose"]) < 10:
        problems["purpose"] = gettext("Say in a sentence or two what you need the details for.")
    if any("\x00" in v for v in values.values()):
        problems["purpose"] = gettext("Remove the invisible control characters from the text.")
    return values, Problems(problems)


def too_many(session: Session, client_address: str) -> bool:
    """The public form is open to anyone: one sender may file REQUESTS_PER_HOUR requests an hour,
    so a script cannot bury the admins' page (it is told so; nothing is stored)."""
    recent = session.exec(select(AccessRequest.id).where(
        AccessRequest.client_address == client_address[:64],
        AccessRequest.created_at > utcnow() - timedelta(hours=1)).limit(REQUESTS_PER_HOUR)).all()
    return len(recent) >= REQUESTS_PER_HOUR


def submit(session: Session, passport: Passport, digital_link: str, values: dict[str, str], client_address: str
           ) -> tuple[AccessRequest, bool]:
    """Store a checked request; (request, False) when the same person already waits for an answer
    about the same passport (a second click changes nothing)."""
    waiting = session.exec(select(AccessRequest).where(
        AccessRequest.passport_id == passport.id, AccessRequest.email == values["email"],
        AccessRequest.status == "pending")).first()
    if waiting is not None:
        return waiting, False
    request = AccessRequest(passport_id=passport.id, digital_link=digital_link[:300],
                            client_address=client_address[:64], **values)
    session.add(request)
    session.flush()
    audit.record(session, actor=f"public:{values['email']}", action="access_request.created",
                 entity="access_request", entity_id=request.id,
                 after={k: values[k] for k in ("name", "organisation", "email", "role")})
    return request, True


def approve(session: Session, request: AccessRequest, days: int, actor: str, actor_user_id: Optional[int]
            ) -> ApiKey:
    """A restricted-scope key valid `days` days, and the e-mail that will carry its secret."""
    if request.status != "pending":
        raise ValueError(gettext("this request has been decided already"))
    if not 1 <= days <= MAX_GRANT_DAYS:
        raise ValueError(gettext("a grant lasts 1 to %(max)d days", max=MAX_GRANT_DAYS))
    now = utcnow()
    # the grant covers the product asked about (all its lots and units), not the whole store
    passport = session.get(Passport, request.passport_id) if request.passport_id else None
    if passport is None or not passport.gtin:   # a grant without a GTIN would read every passport
        raise ValueError(gettext("the passport this request was made from is gone"))
    # the generated secret is thrown away: the usable one is minted at delivery
    key, _unused = ApiKey.generate(f"Access grant {request.id}: {request.organisation}"[:100], RESTRICTED_SCOPE,
                                   created_by=actor, expires_at=now + timedelta(days=days),
                                   restricted_gtin=passport.gtin)
    session.add(key)
    session.flush()
    request.status, request.grant_days, request.api_key_id = "approved", days, key.id
    request.decided_by, request.decided_at = actor, now
    audit.record(session, actor=actor, actor_user_id=actor_user_id, action="access_request.approved",
                 entity="access_request", entity_id=request.id, before={"status": "pending"},
                 after={"status": "approved", "days": days, "api_key_id": key.id, "expires_at": iso(key.expires_at),
                        "gtin": key.restricted_gtin})
    queue_email(session, to=request.email, kind="access_grant", entity="access_request", entity_id=request.id,
                subject="Your access to restricted product passport data",
                body=(f"Hello {request.name},\n\nyour request for restricted passport data "
                      f"({enum_label(request.role).lower()}, {request.organisation}) is approved "
                      f"for {days} days, until {key.expires_at:%Y-%m-%d}.\n\n"
                      f"Your API key (keep it secret; it is shown nowhere else):\n{KEY_PLACEHOLDER}\n\n"
                      f"Send it in the X-API-Key header when you read {request.digital_link} "
                      f"(Accept: application/ld+json) or the passport API.\n"))
    return key


def reject(session: Session, request: AccessRequest, reason: str, actor: str, actor_user_id: Optional[int]) -> None:
    if request.status != "pending":
        raise ValueError(gettext("this request has been decided already"))
    if not 3 <= len(reason) <= 500 or "\x00" in reason:
        raise ValueError(gettext("give the reason the requester will read (3 to 500 characters)"))
    request.status, request.reason = "rejected", reason
    request.decided_by, request.decided_at = actor, utcnow()
    audit.record(session, actor=actor, actor_user_id=actor_user_id, action="access_request.rejected",
                 entity="access_request", entity_id=request.id, before={"status": "pending"},
                 after={"status": "rejected", "reason": reason})
    queue_email(session, to=request.email, kind="access_declined", entity="access_request", entity_id=request.id,
                subject="Your request for restricted product passport data",
                body=(f"Hello {request.name},\n\nyour request for restricted passport data about "
                      f"{request.digital_link} was declined:\n{reason}\n"))


@mints_secret("access_grant", "access_request", KEY_PLACEHOLDER)
def mint_key(session: Session, settings: Settings, request_id: int) -> Optional[str]:
    """A fresh secret for an approved grant, at delivery time (the one made at approval, or at an
    earlier delivery, stops working). None when the grant was revoked or has expired."""
    del settings   # a minter's signature (portal.mail.send.Minter)
    request = session.get(AccessRequest, request_id)
    key = session.get(ApiKey, request.api_key_id) if request and request.api_key_id else None
    if key is None or request.status != "approved" or key.refusal(utcnow()) is not None:
        return None
    return key.rekey()


def grant_state(request: AccessRequest, key: Optional[ApiKey]) -> str:
    """In words, for the admin page."""
    if request.status == "pending":
        return gettext("Waiting for a decision")
    if request.status == "rejected":
        return gettext("Declined")
    if key is None:
        return gettext("Approved")
    if key.revoked_at is not None:
        return gettext("Approved, key revoked")
    until = as_utc(key.expires_at) if key.expires_at else None
    if until is not None and until <= utcnow():
        return gettext("Approved, expired %(day)s", day=until.strftime("%Y-%m-%d"))
    return gettext("Approved, valid until %(day)s", day=until.strftime("%Y-%m-%d")) if until else gettext("Approved")
