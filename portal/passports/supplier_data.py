"""What an approved supplier declaration says about a product, as passport elements, and which
products and passports it names. How contributions from many suppliers add up: contributions.py."""

from __future__ import annotations

from typing import Any, Callable, Optional

from sqlmodel import Session, select

from .gtin import GtinError, normalise_gtin
from .models import Passport

MINERALS = ("cmrt", "emrt", "crt")


def _clean(node: Any) -> Any:
    """Extractor records carry nulls for fields not found; the passport schema leaves them out."""
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items() if v is not None and v != ""}
    if isinstance(node, list):
        return [_clean(v) for v in node if v is not None]
    return node


def _certificates(record: dict) -> dict[str, Any]:
    return {"certificates": [_clean({
        "scheme": record.get("scheme"), "standard": record.get("standard"), "number": record.get("certificate_number"),
        "issuer": (record.get("issuer") or {}).get("name"), "holder": (record.get("holder") or {}).get("name"),
        "scope": record.get("scope"), "issue_date": record.get("issue_date"), "expiry_date": record.get("expiry_date")})]}


def _reach(record: dict) -> dict[str, Any]:
    substances = [_clean({"name": s.get("name"), "cas_number": s.get("cas_number"), "ec_number": s.get("ec_number"),
                          "concentration_percent": s.get("concentration_percent"), "svhc": True})
                  for s in record.get("substances") or []]
    return {"substances": substances, "compliance": _clean({
        "reach_svhc_above_threshold": record.get("svhc_above_threshold"),
        "reach_candidate_list_date": record.get("candidate_list_date")})}


def _rohs(record: dict) -> dict[str, Any]:
    """RoHS compliance, and REACH SVHC when the statement declares both (a combined statement)."""
    return {"compliance": _clean({"rohs_compliant": record.get("rohs_compliant"),
                                  "rohs_exemptions": record.get("exemptions") or None,
                                  "reach_svhc_above_threshold": record.get("svhc_above_threshold")})}


def _conformity(record: dict) -> dict[str, Any]:
    """An EU declaration of conformity: the legislation and standards the product meets, and RoHS
    compliance when RoHS is among them (a DoC that does not name RoHS says nothing about it)."""
    body = record.get("notified_body") or {}
    compliance = _clean({
        "eu_directives": record.get("directives") or None, "eu_standards": record.get("standards") or None,
        "eu_declaration_date": record.get("declaration_date"),
        "eu_notified_body": " ".join(filter(None, (body.get("name"), body.get("number") and f"({body['number']})")))
                            or None})
    if record.get("rohs_compliant"):
        compliance["rohs_compliant"] = True
    return {"compliance": compliance}


def _materials(record: dict) -> dict[str, Any]:
    return {"materials": [_clean({k: m.get(k) for k in ("name", "percentage", "recycled_percentage",
                                                         "origin_country_code", "cas_number")})
                          for m in record.get("materials") or []]}


def _due_diligence(record: dict) -> dict[str, Any]:
    template = (record.get("template") or {})
    company = record.get("company") or {}
    smelters = record.get("smelters") or []
    # metals the company says are in its products (question 1 answered yes)
    metals = sorted(m for m, answer in ((record.get("answers") or {}).get("q1") or {}).items()
                    if str(answer).strip().lower().startswith("yes"))
    return {"due_diligence": [_clean({
        "template": (template.get("name") or "").upper(), "version": template.get("version"),
        "company": company.get("name"), "declaration_scope": company.get("declaration_scope"),
        "effective_date": company.get("effective_date"), "metals_in_product": metals,
        "smelter_count": len(smelters), "smelters_with_id": sum(1 for s in smelters if s.get("smelter_id")),
        "smelter_countries": sorted({s["country_code"] for s in smelters if s.get("country_code")})})]}


# what one declaration contributes: passport elements from its record alone (contributions.py adds them up)
MAPPERS: dict[str, Callable[[dict], dict[str, Any]]] = {
    "certificate": _certificates, "reach_svhc": _reach, "rohs": _rohs, "material_composition": _materials,
    "declaration_of_conformity": _conformity, **{t: _due_diligence for t in MINERALS}}


def lineage(source_system: str, declaration: dict[str, Any]) -> Optional[str]:
    """Which earlier contributions a declaration replaces: the same supplier's of the same type (for
    certificates, of the same scheme: an ISO 14001 certificate does not replace the ISO 9001 one).
    None when the declaration names no supplier: it then replaces nothing."""
    supplier = declaration.get("supplier") or {}
    if supplier.get("id") is not None:
        who = f"id:{supplier['id']}"
    elif isinstance(supplier.get("name"), str) and supplier["name"].strip():
        who = "name:" + " ".join(supplier["name"].casefold().split())
    else:
        return None
    what = declaration.get("document_type") or ""
    record = declaration.get("record") or {}
    if what == "certificate":
        what += f":{record.get('scheme')}" + (f":{record.get('standard')}" if record.get("scheme") == "other" else "")
    return f"{source_system}|{who}|{what}"[:300]


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
    # live passports only: approved declarations are real data, the sandbox is a key's test bed
    base = select(Passport).where(Passport.deleted_at.is_(None), Passport.lot.is_(None), Passport.serial.is_(None),
                                  Passport.sandbox.is_(False))
    if gtins:
        found.update((p.id, p) for p in session.exec(base.where(Passport.gtin.in_(sorted(gtins)))).all())
    if parts:
        found.update((p.id, p) for p in session.exec(base.where(Passport.part_number.in_(sorted(parts)))).all())
    return sorted(found.values(), key=lambda p: p.created_at)
