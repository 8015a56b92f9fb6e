"""Lifecycle events (DPPespr): append-only facts about the product behind a passport — made,
sold, in use, serviced, refurbished, recycled, disposed of. They sit beside the revisions and never
change the passport's data, so a published passport stays exactly as published.

An event is about the whole passport (a model, a lot, an item) or, with `serial`, about one unit of
a lot or model. After RECYCLED or DISPOSED nothing more can happen to that unit (or, without a
serial, to any unit of the passport)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Optional

from sqlmodel import Session, or_, select

from portal import webhooks
from portal.i18n import N_, gettext
from portal.timeutil import iso, utcnow

from .errors import StoreError
from .models import LifecycleEvent, Passport

# In the order a product lives them; the labels are what people read on the passport page.
EVENT_TYPES: dict[str, str] = {
    "MANUFACTURED": N_("Manufactured"), "PLACED_ON_MARKET": N_("Placed on the market"), "SOLD": N_("Sold"),
    "IN_USE": N_("In use"), "SERVICED": N_("Serviced"), "REPAIRED": N_("Repaired"), "REFURBISHED": N_("Refurbished"),
    "REMANUFACTURED": N_("Remanufactured"), "REUSED": N_("Reused"), "RECYCLED": N_("Recycled"),
    "DISPOSED": N_("Disposed of")}
END_OF_LIFE = ("RECYCLED", "DISPOSED")
FUTURE_TOLERANCE = timedelta(minutes=5)   # clocks differ a little; a later time is a mistake


def english(event_type: str) -> str:
    """The event's name as the API and its error messages give it."""
    return EVENT_TYPES.get(event_type, event_type.replace("_", " ").capitalize())


def label(event_type: str) -> str:
    """The event in the page's language, for the passport page."""
    return gettext(english(event_type))


def events_of(session: Session, passport: Passport, serial: Optional[str] = None) -> list[LifecycleEvent]:
    """The passport's events, oldest first (when they happened, then when recorded). With `serial`
    only that unit's events and those about the whole passport."""
    query = select(LifecycleEvent).where(LifecycleEvent.passport_id == passport.id)
    if serial is not None:
        query = query.where(or_(LifecycleEvent.serial.is_(None), LifecycleEvent.serial == serial))
    return list(session.exec(query.order_by(LifecycleEvent.occurred_at, LifecycleEvent.recorded_at)).all())


def add_event(session: Session, passport: Passport, body: dict[str, Any], recorded_by: str,
              public_url: str) -> LifecycleEvent:
    """Append an event from an API body already checked against LifecycleEventCreate; raises
    VALIDATION or LIFECYCLE_ENDED with a sentence saying what to change."""
    serial = body.get("serial")
    if passport.serial and serial not in (None, passport.serial):
        raise StoreError("VALIDATION", f"This passport is for serial number {passport.serial}; "
                         f"leave out serial or send that one.", [{"path": "/serial", "message": "another unit"}])
    serial = serial if not passport.serial else None   # an item passport's events are the item's
    occurred = body.get("occurred_at") or utcnow()
    if occurred > utcnow() + FUTURE_TOLERANCE:
        raise StoreError("VALIDATION", "occurred_at is in the future; record an event once it has happened.",
                         [{"path": "/occurred_at", "message": "in the future"}])
    ended = _ended(session, passport, serial)
    if ended is not None:
        unit = f"Serial number {serial}" if serial else "This product"
        raise StoreError("LIFECYCLE_ENDED", f"{unit} was already {english(ended.event_type).lower()} "
                         f"on {ended.occurred_at.strftime('%Y-%m-%d')}; nothing can happen to it after that.",
                         {"event_id": ended.id, "event_type": ended.event_type})
    evidence = body.get("evidence")
    evt = LifecycleEvent(passport_id=passport.id, event_type=body["event_type"], occurred_at=occurred,
                         serial=serial, location=body.get("location"), note=body.get("note"),
                         actor=body.get("actor"), evidence=evidence or None, recorded_by=recorded_by[:254])
    session.add(evt)
    webhooks.emit(session, "passport.lifecycle_event", {
        "passport_id": passport.id, "gtin": passport.gtin, "lot": passport.lot,
        "serial": serial or passport.serial, "event_id": evt.id, "event_type": evt.event_type,
        "occurred_at": iso(occurred), "events_url": f"{public_url.rstrip('/')}/api/v1/passports/{passport.id}/events"})
    return evt


def _ended(session: Session, passport: Passport, serial: Optional[str]) -> Optional[LifecycleEvent]:
    """The end-of-life event that closes this unit (or the whole passport), if any."""
    query = select(LifecycleEvent).where(LifecycleEvent.passport_id == passport.id,
                                         LifecycleEvent.event_type.in_(END_OF_LIFE))
    # one unit recycled leaves the rest of the lot (and events about the whole lot) open
    query = query.where(LifecycleEvent.serial.is_(None) if serial is None
                        else or_(LifecycleEvent.serial.is_(None), LifecycleEvent.serial == serial))
    return session.exec(query.order_by(LifecycleEvent.occurred_at).limit(1)).first()


def event_json(evt: LifecycleEvent) -> dict[str, Any]:
    return {"id": evt.id, "event_type": evt.event_type, "label": english(evt.event_type),
            "occurred_at": iso(evt.occurred_at), "serial": evt.serial, "location": evt.location,
            "note": evt.note, "actor": evt.actor, "evidence": evt.evidence, "recorded_by": evt.recorded_by,
            "recorded_at": iso(evt.recorded_at)}


def status(events: list[LifecycleEvent], unit: Optional[str] = None) -> Optional[str]:
    """The lifecycle status: the type of the latest event about the whole passport (or about
    `unit`); one unit of a lot being recycled says nothing about the lot. None before any."""
    relevant = [e for e in events if e.serial is None or (unit is not None and e.serial == unit)]
    return relevant[-1].event_type if relevant else None


@dataclass
class Timeline:
    """What a public answer shows: the events and the status they add up to."""

    events: list[LifecycleEvent]
    status: Optional[str]


def timeline(session: Session, passport: Passport, unit: Optional[str] = None) -> Timeline:
    """An item's own events; with `unit`, one unit's (and the whole passport's) of a lot or model."""
    unit = None if passport.serial else unit
    events = events_of(session, passport, unit)
    return Timeline(events, status(events, unit))


def jsonld(line: Optional[Timeline], link: str) -> dict[str, Any]:
    """`lifecycleStatus` and `lifecycleEvents` for the credential subject (empty when no events)."""
    if line is None or not line.events:
        return {}
    events = line.events
    items = []
    for evt in events:
        item: dict[str, Any] = {"type": ["LifecycleEvent"], "id": f"{link}#event-{evt.id}",
                                "eventType": evt.event_type, "eventDate": iso(evt.occurred_at)}
        optional = {"serialNumber": evt.serial, "location": evt.location, "description": evt.note,
                    "performedBy": {"name": evt.actor} if evt.actor else None}
        item.update({k: v for k, v in optional.items() if v})
        if evt.evidence and evt.evidence.get("url"):
            item["evidence"] = {"type": ["Link"], "linkURL": evt.evidence["url"],
                                "linkName": evt.evidence.get("title") or "Evidence", "linkType": "evidence"}
        items.append(item)
    result: dict[str, Any] = {"lifecycleEvents": items}
    if line.status:
        result["lifecycleStatus"] = line.status
    return result

