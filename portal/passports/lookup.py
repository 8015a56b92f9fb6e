"""Which passport answers a Digital Link, and its data with what it inherits from its product
(and lot): object elements merge key by key, lists and values of the more specific level win.

The passport store's own rules, used by the resolver, the API and the store's compliance check
(it lived in the resolver, which made the store import the resolver and the resolver the store)."""

from __future__ import annotations

from typing import Any, Optional

from sqlmodel import Session, and_, select

from .gtin import digital_link_path
from .models import Passport, PassportRevision

MERGED_OBJECTS = ("product", "manufacturer", "compliance", "carbon_footprint", "recyclability", "attributes")


def _live(session: Session, key: str, sandbox: bool = False) -> Optional[tuple[Passport, PassportRevision]]:
    """Public callers keep the default: sandbox passports never answer a link."""
    return session.exec(select(Passport, PassportRevision)
                        .join(PassportRevision, and_(PassportRevision.passport_id == Passport.id,
                                                     PassportRevision.number == Passport.version))
                        .where(Passport.dl_key == key, Passport.deleted_at.is_(None),
                               Passport.sandbox == sandbox)).first()


def _chain(gtin: str, lot: Optional[str], serial: Optional[str]) -> list[str]:
    """Digital Link keys from the most specific to the product (GS1 resolvers walk up this way)."""
    keys = [digital_link_path(gtin, lot, serial)]
    if serial and lot:
        keys.append(digital_link_path(gtin, lot))
    if lot or serial:
        keys.append(digital_link_path(gtin))
    return keys


def resolve(session: Session, gtin: str, lot: Optional[str], serial: Optional[str]
            ) -> Optional[tuple[Passport, dict[str, Any], PassportRevision]]:
    """The most specific published passport for the link, its effective data and revision."""
    return merged(published_levels(session, gtin, lot, serial))


def merged(levels: list[tuple[Passport, PassportRevision]]
           ) -> Optional[tuple[Passport, dict[str, Any], PassportRevision]]:
    """The first (most specific) level with what it inherits from the levels above it."""
    if not levels:
        return None
    passport, revision = levels[0]
    data = dict(revision.data)
    for _, parent in levels[1:]:
        _inherit(data, parent.data)
    return passport, data, revision


def effective_data(session: Session, passport: Passport, published_only: bool = True) -> dict[str, Any]:
    current = session.exec(select(PassportRevision).where(PassportRevision.passport_id == passport.id,
                                                          PassportRevision.number == passport.version)).one()
    return _merge_parents(session, _chain(passport.gtin, passport.lot, passport.serial)[1:], current.data,
                          published_only, bool(passport.sandbox))


def _merge_parents(session: Session, parent_keys: list[str], data: dict[str, Any],
                   published_only: bool, sandbox: bool = False) -> dict[str, Any]:
    result = dict(data)
    for key in parent_keys:
        found = _live(session, key, sandbox)
        if found is not None and (not published_only or found[0].status == "published"):
            _inherit(result, found[1].data)
    return result


def _inherit(data: dict[str, Any], parent: dict[str, Any]) -> None:
    for name, value in parent.items():
        if name not in data:
            data[name] = value
        elif name in MERGED_OBJECTS and isinstance(value, dict):
            data[name] = {**value, **data[name]}


def published_levels(session: Session, gtin: str, lot: Optional[str], serial: Optional[str]
                     ) -> list[tuple[Passport, PassportRevision]]:
    """Every published passport on the way up from the link (item, lot, product), most specific first:
    the linkset has one entry per level, each with the links that level holds itself."""
    levels = []
    for key in _chain(gtin, lot, serial):
        found = _live(session, key)
        if found is not None and found[0].status == "published":
            levels.append(found)
    return levels
