"""The product catalogue: save and import products, and gather what procurement needs to see about
one (its suppliers, open requests, the contributions to its passport)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from sqlmodel import Session, or_, select

from portal import audit
from portal.auth.models import User
from portal.i18n import N_, gettext, ngettext
from portal.passports import contributions
from portal.passports.gtin import GtinError, check_digit, normalise_gtin
from portal.passports.models import Passport
from portal.requests.models import DeclarationRequest, RequestStatus
from portal.suppliers.models import Supplier
from portal.suppliers.service import SupplierError, read_table
from portal.timeutil import utcnow

from .models import Product

IMPORT_COLUMNS = N_("(required: name, and a gtin or a part_number)")
CLOSED = (RequestStatus.approved.value, RequestStatus.cancelled.value)


class ProductError(Exception):
    pass


def _text(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def save_product(session: Session, actor: User, name: str, gtin: str, part_number: str,
                 product: Optional[Product] = None) -> Product:
    """Create or change a product; at least a GTIN or a part number names it, each unique."""
    name, part_number = _text(name, 200), _text(part_number, 100)
    if not name:
        raise ProductError(gettext("the product name is required"))
    try:
        gtin = normalise_gtin(_cell_digits(gtin)) if (gtin or "").strip() else None
    except GtinError:
        raise ProductError(_gtin_problem(_cell_digits(gtin))) from None
    if not gtin and not part_number:
        raise ProductError(gettext("give a GTIN or a part number (or both)"))
    for column, value, clash_words in (
            (Product.gtin, gtin, N_("the GTIN %(value)s belongs to “%(product)s” already")),
            (Product.part_number, part_number, N_("the part number %(value)s belongs to “%(product)s” already"))):
        clash = session.exec(select(Product).where(column == value)).first() if value else None
        if clash is not None and (product is None or clash.id != product.id):
            raise ProductError(gettext(clash_words, value=value, product=clash.name))
    before = _snapshot(product) if product else None
    product = product or Product(name=name)
    product.name, product.gtin, product.part_number, product.updated_at = name, gtin, part_number or None, utcnow()
    session.add(product)
    session.flush()
    audit.record(session, actor=actor.email, actor_user_id=actor.id, action="product.saved", entity="product",
                 entity_id=product.id, before=before, after=_snapshot(product))
    return product


def _gtin_problem(text: str) -> str:
    """What is wrong with a GTIN, in the page's language (GtinError's own words are the API's)."""
    if not text.isdigit() or not text.isascii() or len(text) not in (8, 12, 13, 14):
        return gettext("a GTIN has 8, 12, 13 or 14 digits")
    return gettext("the GTIN's check digit is wrong: expected %(expected)d, got %(got)s",
                   expected=check_digit(text.zfill(14)[:-1]), got=text[-1])


def _cell_digits(value: str) -> str:
    """A GTIN typed into Excel comes back as a number: "4006381333948.0"."""
    value = (value or "").strip()
    return value[:-2] if value.endswith(".0") and value[:-2].isdigit() else value


def _snapshot(product: Product) -> dict[str, Any]:
    return {"name": product.name, "gtin": product.gtin, "part_number": product.part_number}


@dataclass
class ImportRow:
    line: int
    name: str
    outcome: str        # created | updated | error
    message: str = ""


def import_products(session: Session, actor: User, content: bytes) -> list[ImportRow]:
    """Rows of a CSV/XLSX file (name, gtin, part_number); an existing product with the same GTIN or
    part number is updated. Each row succeeds or fails alone, with its reason."""
    try:
        rows = read_table(content, IMPORT_COLUMNS)
    except SupplierError as exc:
        raise ProductError(str(exc)) from None
    results = []
    for line, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        name = _text(row.get("name"), 200)
        try:
            with session.begin_nested():
                existing = _existing(session, row.get("gtin", ""), row.get("part_number", ""))
                save_product(session, actor, name, row.get("gtin", ""), row.get("part_number", ""), existing)
            results.append(ImportRow(line, name, "updated" if existing else "created"))
        except ProductError as exc:
            results.append(ImportRow(line, name, "error", str(exc)))
    return results


def _existing(session: Session, gtin: str, part_number: str) -> Optional[Product]:
    try:
        gtin = normalise_gtin(_cell_digits(gtin)) if gtin.strip() else ""
    except GtinError:
        return None   # save_product says what is wrong with it
    part_number = _text(part_number, 100)
    conditions = ([Product.gtin == gtin] if gtin else []) + ([Product.part_number == part_number] if part_number else [])
    return session.exec(select(Product).where(or_(*conditions))).first() if conditions else None


def passport_for(session: Session, product: Product) -> Optional[Passport]:
    """The product-level passport of a product: by GTIN, else by part number."""
    base = select(Passport).where(Passport.deleted_at.is_(None), Passport.lot.is_(None), Passport.serial.is_(None),
                                  Passport.sandbox.is_(False))     # a product's passport is a live one
    if product.gtin:
        found = session.exec(base.where(Passport.gtin == product.gtin)).first()
        if found is not None:
            return found
    if product.part_number:
        return session.exec(base.where(Passport.part_number == product.part_number)
                            .order_by(Passport.created_at)).first()
    return None


def names_product(products: Any, product: Product) -> bool:
    """Whether a request's product list names this product (by GTIN or part number)."""
    for entry in products or []:
        if not isinstance(entry, dict):
            continue
        if product.part_number and (entry.get("part_number") or "").strip() == product.part_number:
            return True
        try:
            if product.gtin and entry.get("gtin") and normalise_gtin(entry["gtin"]) == product.gtin:
                return True
        except GtinError:
            continue
    return False


@dataclass
class Overview:
    product: Product
    passport: Optional[Passport]
    requests: list[tuple[DeclarationRequest, Supplier]] = field(default_factory=list)
    contributions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open_requests(self) -> list[tuple[DeclarationRequest, Supplier]]:
        return [(r, s) for r, s in self.requests if r.status not in CLOSED]

    @property
    def suppliers(self) -> list[str]:
        names = {s.name for _r, s in self.requests}
        names |= {c["supplier"]["name"] for c in self.contributions if c["supplier"].get("name")}
        return sorted(names)


def overview(session: Session, product: Product) -> Overview:
    passport = passport_for(session, product)
    # requests keep their products as JSON: read them once and match here (works on SQLite and PostgreSQL)
    rows = session.exec(select(DeclarationRequest, Supplier).join(Supplier, Supplier.id == DeclarationRequest.supplier_id)
                        .where(DeclarationRequest.products.is_not(None))
                        .order_by(DeclarationRequest.due_date)).all()
    requests = [(r, s) for r, s in rows if names_product(r.products, product)]
    found = contributions.passport_contributions(session, passport.id) if passport else []
    return Overview(product, passport, requests, found)


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "data" / "labels.json").read_text())


def _item_text(element: str, item: Any) -> str:
    if element == "certificates":
        return f"{item.get('standard') or item.get('scheme', '')} {item.get('number', '')}".strip()
    if element == "due_diligence":
        return f"{item.get('template', '')} {item.get('version', '')} — " + ngettext("%(num)d smelter", "%(num)d smelters", item.get("smelter_count", 0))
    if element == "materials":
        return f"{item.get('name')} {item.get('percentage')} %"
    return str(item.get("name") or "")


def provenance_rows(data: dict[str, Any], owners: dict[str, Any]) -> list[dict[str, Any]]:
    """What the passport says per supplier-owned element, each line with its supplier and declaration."""
    words = labels()
    rows = []
    for element, label in words["elements"].items():
        sources = (owners.get(element) or {}).get("sources")
        value = data.get(element)
        if sources is None or value is None:
            continue
        if element == "compliance":
            for key, refs in sources.items():
                answer = value.get(key)
                text = {True: gettext("yes"), False: gettext("no")}.get(
                    answer, ", ".join(answer) if isinstance(answer, list) else answer)
                rows.append({"element": label, "item": f"{gettext(words['compliance'].get(key, key))}: {text}",
                             "sources": refs})
        else:
            rows.extend({"element": label, "item": _item_text(element, item), "sources": [ref]}
                        for item, ref in zip(value, sources))
    return rows
