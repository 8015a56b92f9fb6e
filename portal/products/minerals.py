"""Conflict-minerals roll-up: the smelters that suppliers' approved CMRT/EMRT/CRT declarations report,
per product (its passport's current contributions) and for the company (every supplier's latest
approved template of each kind), deduplicated per metal by smelter id, else by name and country,
with the suppliers that reported each one, and the suppliers that have not answered yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from sqlmodel import Session, select

from portal.passports.contributions import current_contributions
from portal.passports.models import Contribution, ReceivedDeclaration
from portal.passports.supplier_data import MINERALS
from portal.requests.models import DeclarationRequest, RequestStatus
from portal.suppliers.models import Supplier

ANSWERED = (RequestStatus.approved.value, RequestStatus.cancelled.value)
EXPORT_HEADER = ["Metal", "Smelter", "Country", "Smelter ID", "Reported by", "Number of suppliers", "Templates"]


@dataclass
class SmelterRow:
    metal: str
    name: str
    country: str
    smelter_id: Optional[str]
    suppliers: set[str] = field(default_factory=set)
    templates: set[str] = field(default_factory=set)


@dataclass
class Rollup:
    smelters: list[SmelterRow]
    reporting: list[str]             # suppliers whose templates are counted
    not_answered: list[str]          # suppliers asked for a template who have not had one approved

    def by_metal(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.smelters:
            counts[row.metal] = counts.get(row.metal, 0) + 1
        return dict(sorted(counts.items()))

    def export_rows(self) -> Iterable[list[Any]]:
        for row in self.smelters:
            yield [row.metal, row.name, row.country, row.smelter_id or "", ", ".join(sorted(row.suppliers)),
                   len(row.suppliers), ", ".join(sorted(row.templates))]


def _words(text: Any) -> str:
    return " ".join(str(text or "").split())


def smelter_key(smelter: dict[str, Any]) -> tuple[str, str]:
    """The same smelter reported by two suppliers: its RMI id, else its name and country (case and
    spacing ignored); always within one metal."""
    metal = _words(smelter.get("metal")).lower()
    smelter_id = _words(smelter.get("smelter_id")).upper().replace(" ", "")
    if smelter_id:
        return metal, "id:" + smelter_id
    country = _words(smelter.get("country_code") or smelter.get("country")).upper()
    return metal, f"name:{_words(smelter.get('name')).casefold()}|{country}"


def _supplier_name(received: ReceivedDeclaration) -> str:
    return _words((received.supplier or {}).get("name")) or received.source_declaration_id


def combine(declarations: Iterable[ReceivedDeclaration]) -> tuple[list[SmelterRow], list[str]]:
    rows: dict[tuple[str, str], SmelterRow] = {}
    reporting = set()
    for received in declarations:
        supplier = _supplier_name(received)
        reporting.add(supplier)
        template = received.document_type.upper()
        for smelter in (received.record or {}).get("smelters") or []:
            if not isinstance(smelter, dict) or not (_words(smelter.get("name")) or _words(smelter.get("smelter_id"))):
                continue
            key = smelter_key(smelter)
            row = rows.get(key)
            if row is None:
                row = rows[key] = SmelterRow(metal=key[0] or "unknown", name=_words(smelter.get("name")),
                                             country=_words(smelter.get("country_code") or smelter.get("country")),
                                             smelter_id=_words(smelter.get("smelter_id")).upper() or None)
            row.suppliers.add(supplier)
            row.templates.add(template)
    ordered = sorted(rows.values(), key=lambda r: (r.metal, r.name.casefold(), r.smelter_id or ""))
    return ordered, sorted(reporting)


def for_passport(session: Session, passport_id: str, asked: list[str]) -> Rollup:
    """One product: its passport's current minerals contributions; `asked` are its suppliers."""
    declarations = [r for _c, r in current_contributions(session, passport_id) if r.document_type in MINERALS]
    smelters, reporting = combine(declarations)
    return Rollup(smelters, reporting, sorted(set(asked) - set(reporting)))


def asked_for_product(requests: list[tuple[DeclarationRequest, Supplier]]) -> list[str]:
    """Suppliers asked for a minerals template naming the product."""
    return sorted({s.name for r, s in requests if r.document_type in MINERALS and r.status != "cancelled"})


def latest_per_supplier(session: Session) -> list[ReceivedDeclaration]:
    """Each supplier's latest approved template of each kind; ones procurement withdrew everywhere
    they applied are left out."""
    received = session.exec(select(ReceivedDeclaration).where(ReceivedDeclaration.document_type.in_(MINERALS))).all()
    statuses: dict[int, set[str]] = {}
    for contribution in session.exec(select(Contribution).where(
            Contribution.received_declaration_id.in_([r.id for r in received]))).all() if received else []:
        statuses.setdefault(contribution.received_declaration_id, set()).add(contribution.status)
    latest: dict[str, ReceivedDeclaration] = {}
    for r in sorted(received, key=lambda r: (r.approved_at or r.received_at, r.id)):
        if statuses.get(r.id) == {"withdrawn"}:
            continue
        latest[r.lineage or f"single:{r.id}"] = r
    return list(latest.values())


def for_company(session: Session) -> Rollup:
    smelters, reporting = combine(latest_per_supplier(session))
    asked = session.exec(select(Supplier.name).join(DeclarationRequest, DeclarationRequest.supplier_id == Supplier.id)
                         .where(DeclarationRequest.document_type.in_(MINERALS),
                                DeclarationRequest.status.not_in(ANSWERED))).all()
    # an open request is unanswered even when last year's template from the same supplier is counted
    return Rollup(smelters, reporting, sorted(set(asked)))
