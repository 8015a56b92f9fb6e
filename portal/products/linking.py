"""Link a declaration to more products after the fact (the review screen's "link to products"):
its request names them from now on, and once approved the passport store applies it to their
passports now and to passports created for them later."""

from __future__ import annotations

import copy
import re
from typing import Any

from sqlmodel import Session, or_, select

from portal import audit
from portal.i18n import gettext, ngettext
from portal.auth.models import User
from portal.passports import contributions
from portal.passports.gtin import GtinError, normalise_gtin
from portal.passports.models import OutboxMessage, ReceivedDeclaration
from portal.requests.models import Declaration, DeclarationRequest, DeclarationStatus

from .models import Product

PORTAL_SOURCE = "supplier-portal"   # the source_system of the portal's own pushes (review/service.approve)
MAX_PRODUCTS = 100


class LinkError(Exception):
    pass


def parse_products(session: Session, text: str) -> list[dict[str, str]]:
    """Part numbers or GTINs separated by commas, semicolons or lines; catalogue products bring
    their name and both identifiers."""
    entries: list[dict[str, str]] = []
    for token in (t.strip() for t in re.split(r"[,;\n]", text or "")):
        if not token:
            continue
        if len(token) > 100:
            raise LinkError(gettext("“%(text)s…” is too long for a part number or GTIN", text=token[:30]))
        try:
            gtin = normalise_gtin(token) if token.isdigit() else None
        except GtinError:
            gtin = None
        product = session.exec(select(Product).where(or_(Product.part_number == token, Product.gtin == gtin))).first()
        if product is not None:
            entry = {k: v for k, v in (("part_number", product.part_number), ("gtin", product.gtin),
                                       ("name", product.name)) if v}
        else:
            entry = {"gtin": gtin} if gtin else {"part_number": token}
        if entry not in entries:
            entries.append(entry)
    if not entries:
        raise LinkError(gettext("type the part numbers or GTINs of the products, separated by commas"))
    if len(entries) > MAX_PRODUCTS:
        raise LinkError(gettext("link at most %(most)d products at a time", most=MAX_PRODUCTS))
    return entries


def _merge(existing: Any, entries: list[dict[str, str]]) -> list[dict[str, Any]]:
    merged = [dict(e) for e in existing or [] if isinstance(e, dict)]
    for entry in entries:
        if not any(_same(old, entry) for old in merged):
            merged.append(entry)
    return merged


def _same(a: dict, b: dict) -> bool:
    return bool((a.get("gtin") and a.get("gtin") == b.get("gtin"))
                or (a.get("part_number") and a.get("part_number") == b.get("part_number")))


def link_products(session: Session, decl: Declaration, text: str, user: User) -> str:
    entries = parse_products(session, text)
    request = session.get(DeclarationRequest, decl.request_id) if decl.request_id else None
    approved = decl.status == DeclarationStatus.approved.value
    if request is None and not approved:
        raise LinkError(gettext("this declaration answers no request, so there is nowhere to keep the products "
                                "until it is approved: link them after approval"))
    before = copy.deepcopy(request.products) if request else None
    if request is not None:
        request.products = _merge(request.products, entries)   # a new list: JSON columns track assignment
        session.add(request)
    outcome = ngettext("Linked %(num)d product.", "Linked %(num)d products.", len(entries))
    if approved:
        outcome += " " + _to_passport_store(session, decl, entries, user)
    audit.record(session, actor=user.email, actor_user_id=user.id, action="declaration.products_linked",
                 entity="declaration", entity_id=decl.id, before={"products": before}, after={"products": entries})
    return outcome


def _to_passport_store(session: Session, decl: Declaration, entries: list[dict[str, str]], user: User) -> str:
    gtins = {e["gtin"] for e in entries if e.get("gtin")}
    parts = {e["part_number"] for e in entries if e.get("part_number")}
    received = session.exec(select(ReceivedDeclaration).where(
        ReceivedDeclaration.source_system == PORTAL_SOURCE,
        ReceivedDeclaration.source_declaration_id == f"declaration-{decl.id}-v{decl.current_version}")).first()
    if received is not None:
        applied, _passports = contributions.link(session, received, gtins, parts, user.email,
                                                 note=f"Linked to products by {user.email}")
        return (ngettext("%(num)d passport updated.", "%(num)d passports updated.", len(applied)) if applied
                else gettext("No passport lists them yet: a passport created for them receives this declaration."))
    pending = session.exec(select(OutboxMessage).where(OutboxMessage.declaration_id == decl.id,
                                                       OutboxMessage.status.in_(("pending", "retrying")))).all()
    for message in pending:
        payload = copy.deepcopy(message.payload)
        declaration = payload["data"]["declarations"][0]
        declaration["products"] = _merge(declaration.get("products"), entries)
        message.payload = payload
        session.add(message)
    if pending:
        return gettext("They go to the passport store with the approval that is still being sent.")
    return gettext("The passport store has this approval elsewhere: it receives the products with the next approval.")
