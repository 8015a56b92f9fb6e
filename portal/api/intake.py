"""Approved supplier declarations: POST /declarations (the portal's push, or any system's),
GET /declarations/{id}, and POST /declarations/{id}/links to name more products (now and for
passports created later)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from sqlmodel import select

from portal.passports import contributions, supplier_data
from portal.passports.gtin import normalise_gtin
from portal.passports.models import PushAttempt, ReceivedDeclaration
from portal.timeutil import iso
from portal.web import db

from .blueprint import actor, bp, json_body, require_sources_access, write_endpoint
from .errors import ApiError
from .schemas import check_body
from .strict import parse_time


def received_json(received: ReceivedDeclaration, applied: list[dict[str, Any]] | None = None,
                  unmatched: dict[str, list[str]] | None = None) -> dict[str, Any]:
    out = {"id": received.id, "source_system": received.source_system,
           "source_declaration_id": received.source_declaration_id, "document_type": received.document_type,
           "received_at": iso(received.received_at), "passports": received.applied or []}
    if applied is not None:
        out["applied"] = applied
    if unmatched is not None:
        out["unmatched"] = unmatched
    return out


@bp.post("/declarations")
@write_endpoint
def receive_declaration() -> tuple[dict[str, Any], int]:
    body = json_body()
    check_body("DeclarationIntake", body)
    source_system, source_id = body["source_system"].strip()[:100], body["source_declaration_id"].strip()
    seen = db().exec(select(ReceivedDeclaration).where(ReceivedDeclaration.source_system == source_system,
                                                       ReceivedDeclaration.source_declaration_id == source_id)).first()
    if seen is not None:
        # the same approved version again (a retry without its Idempotency-Key): no new revisions
        return received_json(seen, applied=[]), 200
    declaration = body["data"]["declarations"][0]
    received = ReceivedDeclaration(source_system=source_system, source_declaration_id=source_id,
                                   document_type=declaration["document_type"], record=declaration["record"],
                                   supplier=declaration.get("supplier"), products=declaration.get("products"),
                                   lineage=supplier_data.lineage(source_system, declaration),
                                   **_provenance(declaration))
    db().add(received)
    db().flush()
    gtins, parts = supplier_data.product_references(declaration)
    applied, passports = contributions.link(db(), received, gtins, parts, actor(), body.get("note"))
    unmatched = {"gtins": sorted(gtins - {p.gtin for p in passports}),
                 "part_numbers": sorted(parts - {p.part_number for p in passports})}
    return received_json(received, applied, unmatched), 201


def _provenance(declaration: dict[str, Any]) -> dict[str, Any]:
    """The approval's facts the sender states (checked by the DeclarationIntake schema)."""
    approved_at = declaration.get("approved_at")
    return {"declaration_version": declaration.get("version"),
            "source_sha256": declaration.get("source_document_sha256"),
            "approved_by": declaration.get("approved_by"),
            "approved_at": parse_time(approved_at, "approved_at") if approved_at else None}


def _received_or_404(declaration_id: int) -> ReceivedDeclaration:
    received = db().get(ReceivedDeclaration, declaration_id) if declaration_id <= 2**31 - 1 else None
    if received is None:
        raise ApiError("NOT_FOUND", f"No received declaration {declaration_id}.")
    return received


@bp.get("/declarations/<int:declaration_id>")
def get_declaration(declaration_id: int):  # noqa: ANN201
    require_sources_access()   # a supplier's whole record: its contacts, ids and concentrations
    received = _received_or_404(declaration_id)
    return jsonify({**received_json(received), "record": received.record, "supplier": received.supplier,
                    "products": received.products})


@bp.post("/declarations/<int:declaration_id>/links")
@write_endpoint
def link_declaration(declaration_id: int) -> tuple[dict[str, Any], int]:
    received = _received_or_404(declaration_id)
    body = json_body()
    check_body("DeclarationLinks", body)
    try:
        gtins = {normalise_gtin(g) for g in body.get("gtins") or []}
    except ValueError as exc:
        raise ApiError("VALIDATION", f"gtins: {exc}.") from None
    parts = {p.strip() for p in body.get("part_numbers") or [] if p.strip()}
    if not gtins and not parts:
        raise ApiError("VALIDATION", "Name at least one product: gtins or part_numbers.")
    applied, passports = contributions.link(db(), received, gtins, parts, actor(), body.get("note"))
    # the products are remembered either way: a passport created for them later picks the declaration up
    return received_json(received, applied, {"gtins": sorted(gtins - {p.gtin for p in passports}),
                                             "part_numbers": sorted(parts - {p.part_number for p in passports})}), 200


@bp.get("/push-attempts")
def list_push_attempts():  # noqa: ANN201
    """The portal's call log: its requests to the passport target, newest first."""
    try:
        limit = min(200, max(1, int(request.args.get("limit", 50))))
        before = int(request.args["before"]) if request.args.get("before") else None
        if before is not None and before < 1:
            raise ValueError
    except ValueError:
        raise ApiError("VALIDATION", "limit: a number from 1 to 200; before: an attempt id.") from None
    query = select(PushAttempt).order_by(PushAttempt.id.desc()).limit(limit)
    if before is not None:
        query = query.where(PushAttempt.id < min(before, 2**31 - 1))
    items = [{"id": a.id, "message_id": a.message_id, "target": a.target, "method": a.method, "url": a.url,
              "request_id": a.request_id, "status": a.status_code, "duration_ms": a.duration_ms, "error": a.error,
              "at": iso(a.created_at)} for a in db().exec(query).all()]
    return jsonify({"items": items, "next_before": items[-1]["id"] if len(items) == limit else None})
