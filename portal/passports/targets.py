"""Where the outbox pushes approved declarations: this portal's own passport store (one POST to
/declarations) or an external DPP platform with DPPespr-style passports (one POST to /passports per
product GTIN the declaration names). Chosen by PASSPORT_API_FLAVOUR; both use X-API-Key."""

from __future__ import annotations

from typing import Any

from .gtin import GtinError, normalise_gtin
from .supplier_data import MAPPERS, product_references

FLAVOURS = ("portal", "dppespr")


class NotPushable(ValueError):
    """The declaration cannot be expressed for this target; the message says why (final)."""


def push_requests(flavour: str, api_url: str, payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """[(url, body)] to send, in order, for one outbox payload."""
    base = api_url.rstrip("/")
    if flavour not in FLAVOURS:
        raise NotPushable(f"PASSPORT_API_FLAVOUR is {flavour!r}; use one of {', '.join(FLAVOURS)}")
    if flavour == "dppespr":
        return [(base + "/passports", body) for body in dppespr_passports(payload)]
    return [(base + "/declarations", payload)]


def dppespr_passports(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """One DPPespr passport body per GTIN: product, fibers (composition), certificates."""
    declaration = (payload.get("data") or {}).get("declarations", [{}])[0]
    document_type, record = declaration.get("document_type"), declaration.get("record") or {}
    gtins, _parts = product_references(declaration)
    if not gtins:
        raise NotPushable("the declaration names no product GTIN, and DPPespr passports are created per GTIN")
    if document_type not in ("material_composition", "certificate"):
        raise NotPushable(f"DPPespr passports hold no data from {document_type} declarations")
    elements = MAPPERS[document_type](record)
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
        if elements.get("materials"):
            body["fibers"] = [{k: v for k, v in {"fiber_type": m["name"], "percentage_weight": m["percentage"],
                                                 "recycled_content_percentage": m.get("recycled_percentage")}.items()
                               if v is not None} for m in elements["materials"]]
        if elements.get("certificates"):
            body["certificates"] = [{k: v for k, v in {
                "regulatory_body": c.get("standard") or c["scheme"].upper(), "license_number": c["number"],
                "expiry_date": c.get("expiry_date")}.items() if v is not None} for c in elements["certificates"]]
        bodies.append(body)
    return bodies
