"""How declarations from many suppliers add up in one passport.

Each approved declaration that names a product becomes a *contribution* to that product's
passport. The supplier-owned elements (substances, materials, certificates, due diligence,
compliance) are recomputed from the passport's current contributions on every change, so a
contribution replaced by a newer one of its lineage (same supplier, same type) or withdrawn by
procurement simply drops out, and every change is a new revision naming its source."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlmodel import Session, and_, or_, select

from portal.i18n import N_
from portal.timeutil import iso, utcnow

from .models import Contribution, Passport, PassportRevision, ReceivedDeclaration, ReceivedProductRef
from .store import Change, apply_elements, current_revision, owned_elements
from .supplier_data import MAPPERS, matching_passports
from .validation import composition_errors

SUPPLIER_ELEMENTS = ("substances", "materials", "certificates", "due_diligence", "compliance")


def _order_key(received: ReceivedDeclaration) -> tuple[datetime, int]:
    return (received.approved_at or received.received_at, received.id or 0)


def source_ref(contribution: Contribution, received: ReceivedDeclaration) -> dict[str, Any]:
    supplier = received.supplier or {}
    return {"contribution_id": contribution.id, "supplier": supplier.get("name"), "supplier_id": supplier.get("id"),
            "document_type": received.document_type, "source_declaration_id": received.source_declaration_id}


# how two suppliers' answers combine into the product's: one SVHC above the threshold is enough, RoHS
# compliance needs every part to comply, and the claim is only as current as its oldest candidate list
_COMBINE = {
    "reach_svhc_above_threshold": lambda a, b: bool(a or b),
    "rohs_compliant": lambda a, b: bool(a and b),
    "reach_candidate_list_date": min,
    "rohs_exemptions": lambda a, b: sorted(set(a) | set(b)),
    # EU declarations of conformity: the legislation and standards any part's declaration names
    "eu_directives": lambda a, b: sorted(set(a) | set(b)),
    "eu_standards": lambda a, b: sorted(set(a) | set(b)),
    "eu_declaration_date": max,
    "eu_notified_body": lambda a, b: a if b in a else f"{a}; {b}",
}


def compose(current: list[tuple[Contribution, ReceivedDeclaration]]) -> tuple[dict, dict, dict]:
    """(elements, per-item sources, contributors per element) from contributions in approval order."""
    elements: dict[str, Any] = {}
    sources: dict[str, Any] = {}
    contributors: dict[str, list[dict]] = {}
    materials: list[tuple[dict, list]] = []
    for contribution, received in current:
        mapper = MAPPERS.get(received.document_type)
        if mapper is None:
            continue
        ref = source_ref(contribution, received)
        for name, value in mapper(received.record or {}).items():
            if name == "compliance":
                if not value:
                    continue
                merged, refs = elements.setdefault(name, {}), sources.setdefault(name, {})
                for key, answer in value.items():
                    merged[key] = _COMBINE[key](merged[key], answer) if key in merged else answer
                    refs.setdefault(key, []).append(ref)
            elif name == "materials":
                materials.append((ref, value))
            else:
                items, refs = elements.setdefault(name, []), sources.setdefault(name, [])
                for item in value:
                    same = [i for i, old in enumerate(items) if name == "certificates"
                            and (old.get("scheme"), old.get("number")) == (item.get("scheme"), item.get("number"))]
                    if same:   # one certificate declared twice: the later declaration's copy stands
                        items[same[0]], refs[same[0]] = item, ref
                    else:
                        items.append(item)
                        refs.append(ref)
            contributors.setdefault(name, []).append(ref)
    if materials:
        _compose_materials(materials, elements, sources, contributors)
    return elements, sources, contributors


def _compose_materials(materials: list[tuple[dict, list]], elements: dict, sources: dict,
                       contributors: dict) -> None:
    pairs = [(ref, item) for ref, items in materials for item in items]
    if len(materials) > 1 and composition_errors({"materials": [item for _ref, item in pairs]}):
        # the suppliers' compositions are of the whole product, not of parts that add up to it:
        # the latest one stands and the others are listed as held, never summed into a wrong 200 %
        latest_ref, latest_items = materials[-1]
        pairs = [(latest_ref, item) for item in latest_items]
        contributors["materials_held"] = [ref for ref, _items in materials[:-1]]
        contributors["materials"] = [latest_ref]
    elements["materials"] = [item for _ref, item in pairs]
    sources["materials"] = [ref for ref, _item in pairs]


def current_contributions(session: Session, passport_id: str) -> list[tuple[Contribution, ReceivedDeclaration]]:
    rows = session.exec(select(Contribution, ReceivedDeclaration)
                        .join(ReceivedDeclaration, ReceivedDeclaration.id == Contribution.received_declaration_id)
                        .where(Contribution.passport_id == passport_id, Contribution.status == "current")).all()
    return sorted(rows, key=lambda row: _order_key(row[1]))


def recompose(session: Session, passport: Passport, change: Change) -> Optional[PassportRevision]:
    """Rewrite the supplier-owned elements from the current contributions (a revision if anything changed)."""
    elements, sources, contributors = compose(current_contributions(session, passport.id))
    owned = owned_elements(current_revision(session, passport))
    updates: dict[str, Any] = {}
    owners: dict[str, Any] = {}
    for name in SUPPLIER_ELEMENTS:
        if name in elements:
            latest = contributors[name][-1]
            updates[name] = elements[name]
            owners[name] = {"document_type": latest["document_type"],
                            "source_declaration_id": latest["source_declaration_id"],
                            "contributions": contributors[name], "sources": sources[name]}
            if name == "materials" and contributors.get("materials_held"):
                owners[name]["held"] = contributors["materials_held"]
        elif name in owned:   # its last contribution went: the element goes with it
            updates[name], owners[name] = None, None
    return apply_elements(session, passport, updates, owners, change)


def attach(session: Session, passport: Passport, received: ReceivedDeclaration
           ) -> Optional[tuple[Contribution, list[ReceivedDeclaration]]]:
    """Record `received` as a contribution to `passport` (None if it already is one, or was withdrawn
    from it) and retire the earlier contributions of its lineage; returns what it replaced."""
    if session.exec(select(Contribution.id).where(Contribution.passport_id == passport.id,
                                                  Contribution.received_declaration_id == received.id)).first():
        return None
    contribution = Contribution(passport_id=passport.id, received_declaration_id=received.id)
    session.add(contribution)
    session.flush()
    if not received.lineage:
        return contribution, []
    same = [(c, r) for c, r in current_contributions(session, passport.id)
            if c.id != contribution.id and r.lineage == received.lineage]
    newer = [c for c, r in same if _order_key(r) > _order_key(received)]
    if newer:   # an older version arrived after a newer one: kept as history only
        contribution.status, contribution.replaced_by_id = "replaced", newer[-1].id
        return contribution, []
    for other, _received in same:
        other.status, other.replaced_by_id = "replaced", contribution.id
        session.add(other)
    return contribution, [r for _c, r in same]


def _applied(passport: Passport, contribution: Contribution, revision: Optional[PassportRevision],
             replaced: list[ReceivedDeclaration]) -> dict[str, Any]:
    return {"passport_id": passport.id, "gtin": passport.gtin, "version": passport.version,
            "contribution_id": contribution.id, "status": contribution.status,
            "replaced": [r.source_declaration_id for r in replaced],
            "changed": revision.changed if revision is not None else []}


def contribute(session: Session, received: ReceivedDeclaration, passports: list[Passport], actor: str,
               note: Optional[str] = None) -> list[dict[str, Any]]:
    """Add one received declaration to each passport: a new revision per passport it changes."""
    applied = []
    for passport in passports:
        attached = attach(session, passport, received)
        if attached is None:
            continue
        contribution, replaced = attached
        revision = None
        if contribution.status == "current":
            replaces = "; replaces " + ", ".join(r.source_declaration_id for r in replaced) if replaced else ""
            change = Change(actor, received.source_system, received.source_declaration_id,
                            ((note or "") + replaces).strip("; ") or None,
                            public_reason=N_("Updated from an approved supplier %(type)s declaration")
                            % {"type": received.document_type.upper()})
            revision = recompose(session, passport, change)
        applied.append(_applied(passport, contribution, revision, replaced))
    received.applied = (received.applied or []) + applied
    session.add(received)
    return applied


def remember_products(session: Session, received: ReceivedDeclaration, gtins: set[str], parts: set[str]) -> None:
    """Index the products a declaration names, for passports created later (late links)."""
    known = {(ref.kind, ref.value) for ref in session.exec(select(ReceivedProductRef).where(
        ReceivedProductRef.received_declaration_id == received.id)).all()}
    wanted = {("gtin", g) for g in gtins} | {("part", p[:100]) for p in parts}
    for kind, value in sorted(wanted - known):
        session.add(ReceivedProductRef(received_declaration_id=received.id, kind=kind, value=value))
    session.flush()


def link(session: Session, received: ReceivedDeclaration, gtins: set[str], parts: set[str], actor: str,
         note: Optional[str] = None) -> tuple[list[dict[str, Any]], list[Passport]]:
    """A declaration names more products: remember them, and contribute to their passports now."""
    remember_products(session, received, gtins, parts)
    passports = matching_passports(session, gtins, parts)
    return contribute(session, received, passports, actor, note), passports


def waiting_links(session: Session, passport_ids: Optional[list[str]] = None) -> list[tuple[str, int]]:
    """(passport id, received declaration id) pairs that name each other and are not linked yet."""
    query = (select(Passport.id, ReceivedProductRef.received_declaration_id).distinct()
             .join(ReceivedProductRef, or_(and_(ReceivedProductRef.kind == "gtin", ReceivedProductRef.value == Passport.gtin),
                                           and_(ReceivedProductRef.kind == "part",
                                                ReceivedProductRef.value == Passport.part_number)))
             .outerjoin(Contribution, and_(Contribution.passport_id == Passport.id,
                                           Contribution.received_declaration_id
                                           == ReceivedProductRef.received_declaration_id))
             .where(Contribution.id.is_(None), Passport.deleted_at.is_(None), Passport.sandbox.is_(False),
                    Passport.lot.is_(None),
                    Passport.serial.is_(None)))
    if passport_ids is not None:
        query = query.where(Passport.id.in_(passport_ids))
    return list(session.exec(query).all())


def pick_up(session: Session, passport: Passport, actor: str) -> list[dict[str, Any]]:
    """A passport created (or given a part number) after approval receives the approved
    declarations that name it, oldest first, as one revision."""
    ids = sorted({received_id for _pid, received_id in waiting_links(session, [passport.id])})
    received = sorted((session.get(ReceivedDeclaration, i) for i in ids), key=_order_key)
    if not received:
        return []
    attached = [(r, attach(session, passport, r)) for r in received]
    attached = [(r, a) for r, a in attached if a is not None]
    change = Change(actor, received[-1].source_system, received[-1].source_declaration_id,
                    "Approved declarations naming this product: " + ", ".join(r.source_declaration_id for r in received),
                    public_reason=N_("Updated from approved supplier declarations"))
    revision = recompose(session, passport, change)
    applied = []
    for r, (contribution, replaced) in attached:
        entry = _applied(passport, contribution, revision, replaced)
        r.applied = (r.applied or []) + [entry]
        session.add(r)
        applied.append(entry)
    return applied


def withdraw(session: Session, contribution: Contribution, reason: str, actor: str) -> Optional[PassportRevision]:
    """Procurement takes a contribution out of the passport (kept as history with its reason)."""
    received = session.get(ReceivedDeclaration, contribution.received_declaration_id)
    passport = session.get(Passport, contribution.passport_id)
    contribution.status, contribution.withdrawn_reason = "withdrawn", reason.strip()[:500]
    contribution.withdrawn_by, contribution.withdrawn_at = actor[:254], utcnow()
    session.add(contribution)
    session.flush()
    change = Change(actor, "portal", received.source_declaration_id, f"Withdrawn: {contribution.withdrawn_reason}",
                    public_reason=N_("A supplier declaration was withdrawn"))
    return recompose(session, passport, change)


def contribution_json(contribution: Contribution, received: ReceivedDeclaration) -> dict[str, Any]:
    supplier = received.supplier or {}
    return {"id": contribution.id, "status": contribution.status, "document_type": received.document_type,
            "supplier": {"id": supplier.get("id"), "name": supplier.get("name")},
            "received_declaration_id": received.id, "source_system": received.source_system,
            "source_declaration_id": received.source_declaration_id,
            "declaration_version": received.declaration_version, "source_sha256": received.source_sha256,
            "approved_by": received.approved_by, "approved_at": iso(received.approved_at),
            "added_at": iso(contribution.created_at), "replaced_by": contribution.replaced_by_id,
            "withdrawn_reason": contribution.withdrawn_reason, "withdrawn_by": contribution.withdrawn_by,
            "withdrawn_at": iso(contribution.withdrawn_at)}


def passport_contributions(session: Session, passport_id: str) -> list[dict[str, Any]]:
    """Every contribution to a passport, current ones first, with its source."""
    rows = session.exec(select(Contribution, ReceivedDeclaration)
                        .join(ReceivedDeclaration, ReceivedDeclaration.id == Contribution.received_declaration_id)
                        .where(Contribution.passport_id == passport_id)).all()
    rows = sorted(rows, key=lambda row: (row[0].status != "current", _order_key(row[1])))
    return [contribution_json(c, r) for c, r in rows]
