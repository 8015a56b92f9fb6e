"""The passport webhook events (the DPP-Tool set): passport.created, passport.updated,
passport.status_changed, passport.published, qr.ready and compliance.alert, each emitted by the store
function where the change happens, in the change's transaction. A sandbox passport's events go to
sandbox subscriptions only (webhooks.emit)."""

from __future__ import annotations

from typing import Any, Optional

from sqlmodel import Session

from portal import webhooks
from portal.timeutil import iso

from . import categories
from .models import Passport, PassportRevision


def digital_link(public_url: str, passport: Passport) -> Optional[str]:
    return f"{public_url.rstrip('/')}/{passport.dl_key}" if passport.dl_key else None


def passport_ref(passport: Passport, public_url: str) -> dict[str, Any]:
    """What every passport event says about the passport (its data is one GET away)."""
    return {"passport_id": passport.id, "gtin": passport.gtin, "lot": passport.lot, "serial": passport.serial,
            "version": passport.version, "status": "deleted" if passport.deleted_at else passport.status,
            "digital_link": digital_link(public_url, passport)}


def _emit(session: Session, event_type: str, passport: Passport, payload: dict[str, Any]) -> None:
    webhooks.emit(session, event_type, payload, sandbox=bool(passport.sandbox))


def created_payload(passport: Passport, public_url: str) -> dict[str, Any]:
    return {**passport_ref(passport, public_url), "created_at": iso(passport.created_at)}


def created(session: Session, passport: Passport, public_url: str) -> None:
    _emit(session, "passport.created", passport, created_payload(passport, public_url))


def updated(session: Session, passport: Passport, revision: PassportRevision, public_url: str) -> None:
    _emit(session, "passport.updated", passport, {**passport_ref(passport, public_url),
                                                  "changed": list(revision.changed or []),
                                                  "updated_at": iso(revision.created_at)})


def status_changed(session: Session, passport: Passport, before: str, public_url: str) -> None:
    ref = passport_ref(passport, public_url)
    _emit(session, "passport.status_changed", passport, {**ref, "from": before, "to": ref["status"]})


def published_payloads(passport: Passport, public_url: str) -> dict[str, dict[str, Any]]:
    """{"passport.published": …, "qr.ready": …}: from now on the QR code's link answers."""
    ref = passport_ref(passport, public_url)
    api = f"{public_url.rstrip('/')}/api/v1/passports/{passport.id}"
    return {"passport.published": {key: ref[key] for key in ("passport_id", "gtin", "lot", "serial", "version",
                                                             "digital_link")}
            | {"published_at": iso(passport.published_at)},
            "qr.ready": {**ref, "qr_png": f"{api}/qr.png", "qr_svg": f"{api}/qr.svg"}}


def published(session: Session, passport: Passport, public_url: str) -> None:
    for event_type, payload in published_payloads(passport, public_url).items():
        _emit(session, event_type, passport, payload)


def alert_payload(passport: Passport, found: list[dict[str, str]], public_url: str) -> dict[str, Any]:
    return {**passport_ref(passport, public_url), "category": found[0]["category"], "findings": found}


def compliance_check(session: Session, passport: Passport, data: dict[str, Any], public_url: str
                     ) -> list[dict[str, str]]:
    """The category findings on `data` (the passport's effective data); on a published passport
    they are raised as compliance.alert."""
    found = categories.findings(data)
    if found and passport.status == "published" and passport.deleted_at is None:
        _emit(session, "compliance.alert", passport, alert_payload(passport, found, public_url))
    return found
