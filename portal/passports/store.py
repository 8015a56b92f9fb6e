"""Passport lifecycle: create, change (as a new immutable revision), publish, soft delete, and
reads at a point in time. No Flask here: the API, bulk jobs and supplier data all come through it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional
from uuid import uuid4

from sqlmodel import Session, select

from portal.timeutil import iso, utcnow

from . import events
from .errors import StoreError
from .gtin import digital_link_path, level
from .lookup import effective_data
from .models import Passport, PassportRevision
from .validation import validate_data, validate_identity

DEFAULT_SOURCE = "api"


class Change:
    """Who makes a change and why: stored on the revision."""

    def __init__(self, actor: str, source_system: Optional[str] = None, source_declaration_id: Optional[str] = None,
                 note: Optional[str] = None, public_reason: Optional[str] = None,
                 override_reason: Optional[str] = None) -> None:
        self.actor, self.source_system = actor, (source_system or DEFAULT_SOURCE).strip()[:100] or DEFAULT_SOURCE
        self.source_declaration_id, self.note = source_declaration_id, note
        self.public_reason, self.override_reason = public_reason, override_reason

    @classmethod
    def from_body(cls, actor: str, body: dict[str, Any]) -> "Change":
        override = body.get("override") or {}
        return cls(actor, body.get("source_system"), body.get("source_declaration_id"), body.get("note"),
                   body.get("public_reason"), override.get("reason"))


def _revision(passport: Passport, data: dict, change: Change, owners: Optional[dict],
              changed: list[str]) -> PassportRevision:
    passport.version += 1
    passport.updated_at = utcnow()
    product = data.get("product") or {}
    passport.part_number = product.get("part_number")
    return PassportRevision(passport_id=passport.id, number=passport.version, status=passport.status, data=data,
                            owners=owners or None, changed=changed, actor=change.actor[:254],
                            source_system=change.source_system, source_declaration_id=change.source_declaration_id,
                            note=change.note, public_reason=change.public_reason,
                            override_reason=change.override_reason)


def live_passport(session: Session, gtin: str, lot: Optional[str] = None,
                  serial: Optional[str] = None, sandbox: bool = False) -> Optional[Passport]:
    key = digital_link_path(gtin, lot, serial)
    return session.exec(select(Passport).where(Passport.dl_key == key, Passport.deleted_at.is_(None),
                                               Passport.sandbox == sandbox)).first()


def build(body: dict[str, Any], change: Change, schema_checked: bool = False,
          sandbox: bool = False) -> tuple[Passport, PassportRevision]:
    """A new passport and its first revision from a create body (already checked against
    PassportCreate when `schema_checked`); raises VALIDATION / COMPOSITION_INVALID.
    Duplicates are the caller's check."""
    passport_row, revision_row = build_rows(body, change, schema_checked, sandbox)
    return Passport(**passport_row), PassportRevision(**revision_row)


def build_rows(body: dict[str, Any], change: Change, schema_checked: bool = False,
               sandbox: bool = False, now: Optional[datetime] = None,
               passport_id: Optional[str] = None) -> tuple[dict, dict]:
    """`build` as column values, every column given: bulk creation inserts a thousand of these
    with one INSERT per table, where building ORM objects cost more than the inserts. `now`:
    the creation time (a bulk call's rows share its transaction's); `passport_id`: a new id
    (models.new_ids makes a batch's at once)."""
    gtin, lot, serial = validate_identity(body)
    data = body.get("data") or {}
    validate_data(data, schema_checked=schema_checked)
    now = now or utcnow()
    published = body.get("status") == "published"
    passport = {"id": passport_id or uuid4().hex, "gtin": gtin, "lot": lot, "serial": serial,
                "dl_key": digital_link_path(gtin, lot, serial),
                "part_number": (data.get("product") or {}).get("part_number"),
                "status": "published" if published else "draft", "version": 1, "created_at": now,
                "updated_at": now, "published_at": now if published else None, "deleted_at": None,
                "sandbox": sandbox}
    revision = {"passport_id": passport["id"], "number": 1, "status": passport["status"], "data": data,
                "owners": None, "changed": sorted(data), "actor": change.actor[:254],
                "source_system": change.source_system, "source_declaration_id": change.source_declaration_id,
                "note": change.note, "public_reason": change.public_reason,
                "override_reason": change.override_reason, "created_at": now}
    return passport, revision


def create(session: Session, body: dict[str, Any], change: Change, public_url: str,
           schema_checked: bool = False, sandbox: bool = False) -> tuple[Passport, PassportRevision]:
    passport, revision = build(body, change, schema_checked, sandbox)
    existing = live_passport(session, passport.gtin, passport.lot, passport.serial, sandbox)
    if existing is not None:
        raise StoreError("GTIN_EXISTS", "A passport for this GTIN, lot and serial already exists.",
                         {"id": existing.id, "gtin": existing.gtin, "lot": existing.lot, "serial": existing.serial})
    session.add(passport)
    session.add(revision)
    events.created(session, passport, public_url)
    if passport.status == "published":
        emit_published(session, passport, public_url)
        check_compliance(session, passport, public_url)
    return passport, revision


def current_revision(session: Session, passport: Passport) -> PassportRevision:
    return session.exec(select(PassportRevision).where(PassportRevision.passport_id == passport.id,
                                                       PassportRevision.number == passport.version)).one()


def revision_at(session: Session, passport: Passport, at: datetime) -> Optional[PassportRevision]:
    """The revision in force at `at` (None before the passport existed)."""
    return session.exec(select(PassportRevision).where(PassportRevision.passport_id == passport.id,
                                                       PassportRevision.created_at <= at)
                        .order_by(PassportRevision.number.desc()).limit(1)).first()


def owned_elements(revision: PassportRevision) -> dict[str, Any]:
    return dict(revision.owners or {})


def patch(session: Session, passport: Passport, body: dict[str, Any], change: Change,
          public_url: Optional[str] = None) -> PassportRevision:
    """Replace (or with null remove) top-level elements. Identity is immutable; elements owned by a
    supplier declaration type change only with an override and its reason."""
    for name in ("gtin", "lot", "serial"):
        if name in body and body[name] != getattr(passport, name):
            raise StoreError("VALIDATION", f"{name} cannot be changed; create a new passport instead.",
                             [{"path": f"/{name}", "message": "immutable"}])
    current = current_revision(session, passport)
    if body.get("version") is not None and body["version"] != passport.version:
        raise StoreError("VERSION_CONFLICT", f"The passport is at version {passport.version}, "
                         f"not {body['version']}: read it again and reapply your change.",
                         {"version": passport.version})
    updates = body.get("data") or {}
    owners = owned_elements(current)
    owned = sorted(name for name in updates if name in owners)
    if owned and not change.override_reason:
        raise StoreError("ELEMENT_OWNED", "These elements come from supplier declarations; send "
                         "\"override\": {\"reason\": …} to change them by hand.",
                         [{"path": f"/data/{name}", "owner": owners[name]} for name in owned])
    data = dict(current.data)
    changed = []
    for name, value in updates.items():
        if data.get(name) != value:
            changed.append(name)
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    validate_data(data)
    if not changed:
        return current   # nothing changed: no empty revision
    revision = _revision(passport, data, change, owners, sorted(changed))
    session.add(passport)
    session.add(revision)
    _changed(session, passport, revision, public_url)
    return revision


def replace(session: Session, passport: Passport, body: dict[str, Any], change: Change,
            public_url: Optional[str] = None) -> PassportRevision:
    """PUT: the body's `data` is the whole new data. A patch that sets every element it names and
    removes every other, so identity, version and ownership rules are patch's own."""
    current = current_revision(session, passport)
    new = body.get("data") or {}
    updates = {**{name: None for name in current.data if name not in new}, **new}
    return patch(session, passport, {**body, "data": updates}, change, public_url)


def _changed(session: Session, passport: Passport, revision: PassportRevision, public_url: Optional[str]) -> None:
    """passport.updated, and on a published passport the category findings as compliance.alert."""
    if public_url is None:
        from portal.settings import load_settings
        public_url = load_settings().public_url
    events.updated(session, passport, revision, public_url)
    if passport.status == "published":
        check_compliance(session, passport, public_url)


def check_compliance(session: Session, passport: Passport, public_url: str) -> list[dict[str, str]]:
    """Category findings on the passport's effective data (with what it inherits); raised as
    compliance.alert when it is published."""
    session.flush()
    return events.compliance_check(session, passport, effective_data(session, passport, published_only=False),
                                   public_url)


def apply_elements(session: Session, passport: Passport, elements: dict[str, Any], owners: dict[str, Any],
                   change: Change) -> Optional[PassportRevision]:
    """Supplier data: set `elements` (None removes one) and their `owners` entries (None drops one).
    A new revision, or None when neither the data nor the provenance changed."""
    current = current_revision(session, passport)
    data = dict(current.data)
    for name, value in elements.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    new_owners = {**owned_elements(current), **owners}
    new_owners = {name: owner for name, owner in new_owners.items() if owner is not None}
    changed = sorted(name for name in elements if current.data.get(name) != data.get(name))
    if not changed and new_owners == owned_elements(current):
        return None
    validate_data(data)
    revision = _revision(passport, data, change, new_owners, changed)
    session.add(passport)
    session.add(revision)
    _changed(session, passport, revision, None)
    return revision


def publish(session: Session, passport: Passport, change: Change, public_url: str) -> Optional[PassportRevision]:
    """draft → published as a new revision with the same data; publishing twice changes nothing."""
    if passport.status == "published":
        return None
    current = current_revision(session, passport)
    passport.status, passport.published_at = "published", utcnow()
    revision = _revision(passport, current.data, change, current.owners, [])
    session.add(passport)
    session.add(revision)
    events.status_changed(session, passport, "draft", public_url)
    emit_published(session, passport, public_url)
    check_compliance(session, passport, public_url)
    return revision


def soft_delete(session: Session, passport: Passport, public_url: Optional[str] = None) -> None:
    before = passport.status
    passport.deleted_at = passport.updated_at = utcnow()
    session.add(passport)
    if public_url is not None:
        events.status_changed(session, passport, before, public_url)


emit_published = events.published          # passport.published and qr.ready
digital_link = events.digital_link


def passport_json(passport: Passport, revision: PassportRevision, public_url: str) -> dict[str, Any]:
    return {
        "id": passport.id, "gtin": passport.gtin, "lot": passport.lot, "serial": passport.serial,
        "level": level(passport.lot, passport.serial), "status": revision.status, "version": revision.number,
        "digital_link": digital_link(public_url, passport),
        "created_at": iso(passport.created_at), "updated_at": iso(revision.created_at),
        "published_at": iso(passport.published_at) if revision.status == "published" else None,
        "data": revision.data, "owners": revision.owners or {},
    }


def revision_json(revision: PassportRevision, with_data: bool = False) -> dict[str, Any]:
    out = {"number": revision.number, "status": revision.status, "actor": revision.actor,
           "source_system": revision.source_system, "source_declaration_id": revision.source_declaration_id,
           "note": revision.note, "public_reason": revision.public_reason,
           "override_reason": revision.override_reason, "changed": revision.changed or [],
           "created_at": iso(revision.created_at)}
    if with_data:
        out["data"] = revision.data
    return out
