"""Where the outbox pushes approved declarations: this portal's own passport store (one POST to
/declarations) or an external DPP platform with DPPespr-style passports (one POST to /passports per
product GTIN the declaration names, a PUT once the platform gave it an id). Chosen by
PASSPORT_API_FLAVOUR; both use X-API-Key."""

from __future__ import annotations

from typing import Any

from .contributions import compose
from .gtin import GtinError, normalise_gtin
from .models import Contribution, ReceivedDeclaration
from .supplier_data import MAPPERS, lineage, product_references

FLAVOURS = ("portal", "dppespr")


class NotPushable(ValueError):
    """The declaration cannot be expressed for this target; the message says why (final)."""


Approved = list[tuple[str, dict[str, Any]]]   # (source_declaration_id, declaration) in approval order


def push_requests(flavour: str, api_url: str, payload: dict[str, Any],
                  approved: Approved | None = None) -> list[tuple[str, dict[str, Any]]]:
    """[(url, body)] to send, in order, for one outbox payload. `approved`: every approved declaration
    so far (the DPPespr target gets the product's combined passport, not this declaration alone)."""
    base = api_url.rstrip("/")
    if flavour not in FLAVOURS:
        raise NotPushable(f"PASSPORT_API_FLAVOUR is {flavour!r}; use one of {', '.join(FLAVOURS)}")
    if flavour == "dppespr":
        return [(base + "/passports", body) for body in dppespr_passports(payload, approved)]
    return [(base + "/declarations", payload)]


def combined_elements(gtin: str, declarations: Approved, source_system: str) -> dict[str, Any]:
    """The product's passport elements as the union over the approved declarations naming it: the
    latest of each lineage (supplier and type) counts, added up the way our own passport store adds
    contributions up (contributions.compose). A PUT replaces the platform's lists, so sending one
    supplier's declaration alone would erase what the others said."""
    latest: dict[str, tuple[int, str, dict[str, Any]]] = {}
    for order, (source_id, declaration) in enumerate(declarations):
        if gtin in product_references(declaration)[0] and declaration.get("document_type") in MAPPERS:
            latest[lineage(source_system, declaration) or source_id] = (order, source_id, declaration)
    received = [(Contribution(), ReceivedDeclaration(document_type=d["document_type"], record=d.get("record") or {},
                                                     supplier=d.get("supplier"), source_declaration_id=source_id))
                for _order, source_id, d in sorted(latest.values(), key=lambda item: item[0])]
    return compose(received)[0]


def dppespr_passports(payload: dict[str, Any], approved: Approved | None = None) -> list[dict[str, Any]]:
    """One DPPespr passport body per GTIN: product, and what the approved declarations naming it say
    in the platform's terms (fibers, certificates, substances_of_concern, compliance, due_diligence;
    README "Pushes")."""
    declaration = (payload.get("data") or {}).get("declarations", [{}])[0]
    document_type, record = declaration.get("document_type"), declaration.get("record") or {}
    gtins, _parts = product_references(declaration)
    if not gtins:
        raise NotPushable("the declaration names no product GTIN, and DPPespr passports are created per GTIN")
    if document_type not in MAPPERS:
        raise NotPushable(f"DPPespr passports hold no data from {document_type} declarations")
    if not dppespr_elements(MAPPERS[document_type](record)):
        raise NotPushable(f"this {document_type} declaration says nothing a DPPespr passport holds")
    this = (str(payload.get("source_declaration_id") or ""), declaration)
    declarations = list(approved or [])
    if this[0] not in {source_id for source_id, _d in declarations}:
        declarations.append(this)
    source_system = str(payload.get("source_system") or "")
    names = {}
    for product in declaration.get("products") or []:
        try:
            names[normalise_gtin(product.get("gtin"))] = product.get("name")
        except (GtinError, AttributeError):
            continue
    record_product = record.get("product") or {}
    bodies = []
    for gtin in sorted(gtins):
        name = names.get(gtin) or record_product.get("name") or f"GTIN {gtin}"
        body: dict[str, Any] = {"product": {"gtin_ean": gtin.lstrip("0").zfill(13), "product_name": name,
                                            "industry_category": "OTHER"}}
        if record_product.get("part_number"):
            body["product"]["internal_sku"] = record_product["part_number"]
        bodies.append({**body, **dppespr_elements(combined_elements(gtin, declarations, source_system))})
    return bodies


def _present(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None and v != []}


def dppespr_elements(elements: dict[str, Any]) -> dict[str, Any]:
    """Passport elements (supplier_data.MAPPERS) in DPPespr's field names; empty ones left out."""
    out: dict[str, Any] = {}
    if elements.get("materials"):
        out["fibers"] = [_present({"fiber_type": m["name"], "percentage_weight": m["percentage"],
                                   "recycled_content_percentage": m.get("recycled_percentage")})
                         for m in elements["materials"]]
    if elements.get("certificates"):
        out["certificates"] = [_present({"regulatory_body": c.get("standard") or c["scheme"].upper(),
                                         "license_number": c["number"], "expiry_date": c.get("expiry_date")})
                               for c in elements["certificates"]]
    if elements.get("substances"):
        out["substances_of_concern"] = [_present({
            "substance_name": s.get("name"), "cas_number": s.get("cas_number"), "ec_number": s.get("ec_number"),
            "concentration_percentage": s.get("concentration_percent"), "svhc": s.get("svhc")})
            for s in elements["substances"]]
    if elements.get("compliance"):
        out["compliance"] = dict(elements["compliance"])
    if elements.get("due_diligence"):
        out["due_diligence"] = [_present({
            "template": d.get("template"), "template_version": d.get("version"), "reporting_company": d.get("company"),
            "declaration_scope": d.get("declaration_scope"), "effective_date": d.get("effective_date"),
            "metals_in_product": d.get("metals_in_product"), "smelter_count": d.get("smelter_count"),
            "smelters_with_id": d.get("smelters_with_id"), "smelter_countries": d.get("smelter_countries")})
            for d in elements["due_diligence"]]
    return out
