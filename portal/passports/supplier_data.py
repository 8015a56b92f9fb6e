"""Approved supplier declarations into passports. Each data element has one owner, the
declaration type that writes it; the passport's revision records the owner, and a manual change
to an owned element needs an override with a reason (see store.patch)."""

from __future__ import annotations

from typing import Any, Callable, Optional

from sqlmodel import Session, select

from .gtin import GtinError, normalise_gtin
from .models import Passport, ReceivedDeclaration
from .store import Change, apply_elements, current_revision

MINERALS = ("cmrt", "emrt", "crt")


def _clean(node: Any) -> Any:
    """Extractor records carry nulls for fields not found; the passport schema leaves them out."""
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items() if v is not None and v != ""}
    if isinstance(node, list):
        return [_clean(v) for v in node if v is not None]
    return node


def _certificates(record: dict, data: dict) -> dict[str, Any]:
    cert = _clean({"scheme": record.get("scheme"), "standard": record.get("standard"),
                   "number": record.get("certificate_number"), "issuer": (record.get("issuer") or {}).get("name"),
                   "holder": (record.get("holder") or {}).get("name"), "scope": record.get("scope"),
                   "issue_date": record.get("issue_date"), "expiry_date": record.get("expiry_date")})
    # the same certificate renewed replaces its old entry; other certificates stay
    others = [c for c in data.get("certificates") or []
              if (c.get("scheme"), c.get("number")) != (cert.get("scheme"), cert.get("number"))]
    return {"certificates": others + [cert]}


def _reach(record: dict, data: dict) -> dict[str, Any]:
    substances = [_clean({"name": s.get("name"), "cas_number": s.get("cas_number"), "ec_number": s.get("ec_number"),
                          "concentration_percent": s.get("concentration_percent"), "svhc": True})
                  for s in record.get("substances") or []]
    compliance = {**(data.get("compliance") or {}), **_clean({
        "reach_svhc_above_threshold": record.get("svhc_above_threshold"),
        "reach_candidate_list_date": record.get("candidate_list_date")})}
    return {"substances": substances, "compliance": compliance}


def _rohs(record: dict, data: dict) -> dict[str, Any]:
    return {"compliance": {**(data.get("compliance") or {}), **_clean({
        "rohs_compliant": record.get("rohs_compliant"), "rohs_exemptions": record.get("exemptions") or None})}}


def _conformity(record: dict, data: dict) -> dict[str, Any]:
    """An EU declaration of conformity: the legislation and standards the product meets, and RoHS
    compliance when RoHS is among them (a DoC that does not name RoHS says nothing about it)."""
    body = record.get("notified_body") or {}
    compliance = {**(data.get("compliance") or {}), **_clean({
        "eu_directives": record.get("directives") or None, "eu_standards": record.get("standards") or None,
        "eu_declaration_date": record.get("declaration_date"),
        "eu_notified_body": " ".join(filter(None, (body.get("name"), body.get("number") and f"({body['number']})")))
                            or None})}
    if record.get("rohs_compliant"):
        compliance["rohs_compliant"] = True
    return {"compliance": compliance}


def _materials(record: dict, _data: dict) -> dict[str, Any]:
    return {"materials": [_clean({k: m.get(k) for k in ("name", "percentage", "recycled_percentage",
                                                         "origin_country_code", "cas_number")})
                          for m in record.get("materials") or []]}


def _due_diligence(record: dict, data: dict) -> dict[str, Any]:
    template = (record.get("template") or {})
    company = record.get("company") or {}
    smelters = record.get("smelters") or []
    # metals the company says are in its products (question 1 answered yes)
    metals = sorted(m for m, answer in ((record.get("answers") or {}).get("q1") or {}).items()
                    if str(answer).strip().lower().startswith("yes"))
    summary = _clean({
        "template": (template.get("name") or "").upper(), "version": template.get("version"),
        "company": company.get("name"), "declaration_scope": company.get("declaration_scope"),
        "effective_date": company.get("effective_date"), "metals_in_product": metals,
        "smelter_count": len(smelters), "smelters_with_id": sum(1 for s in smelters if s.get("smelter_id")),
        "smelter_countries": sorted({s["country_code"] for s in smelters if s.get("country_code")})})
    others = [d for d in data.get("due_diligence") or [] if d.get("template") != summary.get("template")]
    return {"due_diligence": others + [summary]}


MAPPERS: dict[str, Callable[[dict, dict], dict[str, Any]]] = {
    "certificate": _certificates, "reach_svhc": _reach, "rohs": _rohs, "material_composition": _materials,
    "declaration_of_conformity": _conformity, **{t: _due_diligence for t in MINERALS}}


def product_references(declaration: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(GTINs, part numbers) a declaration names: the request's products and the record's own."""
    record = declaration.get("record") or {}
    products = list(declaration.get("products") or []) + list(record.get("products") or [])
    if isinstance(record.get("product"), dict):
        products.append(record["product"])
    gtins, parts = set(), set()
    for product in products:
        if not isinstance(product, dict):
            continue
        try:
            if product.get("gtin"):
                gtins.add(normalise_gtin(product["gtin"]))
        except GtinError:
            pass
        part = product.get("part_number") or product.get("number")
        if isinstance(part, str) and part.strip():
            parts.add(part.strip())
    return gtins, parts


def matching_passports(session: Session, gtins: set[str], parts: set[str]) -> list[Passport]:
    """Product-level passports (lots and items inherit from them) named by GTIN or part number."""
    found: dict[str, Passport] = {}
    base = select(Passport).where(Passport.deleted_at.is_(None), Passport.lot.is_(None), Passport.serial.is_(None))
    if gtins:
        found.update((p.id, p) for p in session.exec(base.where(Passport.gtin.in_(sorted(gtins)))).all())
    if parts:
        found.update((p.id, p) for p in session.exec(base.where(Passport.part_number.in_(sorted(parts)))).all())
    return sorted(found.values(), key=lambda p: p.created_at)


def apply_to(session: Session, received: ReceivedDeclaration, passports: list[Passport], actor: str,
             note: Optional[str] = None) -> list[dict[str, Any]]:
    mapper = MAPPERS.get(received.document_type)
    applied = []
    for passport in passports:
        if mapper is None:
            break
        current = current_revision(session, passport)
        elements = mapper(received.record, current.data)
        change = Change(actor, received.source_system, received.source_declaration_id, note,
                        public_reason=f"Updated from an approved supplier {received.document_type.upper()} declaration")
        revision = apply_elements(session, passport, elements, received.document_type, change)
        applied.append({"passport_id": passport.id, "gtin": passport.gtin, "version": passport.version,
                        "changed": revision.changed if revision is not None else []})
    received.applied = (received.applied or []) + applied
    session.add(received)
    return applied
