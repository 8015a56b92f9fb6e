"""/api/v1 lifecycle events and tamper evidence: a passport's events, its inclusion proof, the
latest Merkle root and the public verification by GTIN (and lot, and serial number), against the
latest root or an earlier one the caller names (?root= or ?date=)."""

from __future__ import annotations

from typing import Any, Optional

from flask import jsonify, request
from sqlmodel import select

from portal.auth.views import client_address
from portal.passports import chain, lifecycle, merkle
from portal.passports.gtin import GtinError, digital_link_path, normalise_gtin
from portal.passports.models import MerkleRoot, Passport
from portal.timeutil import iso
from portal.web import db, settings

from .blueprint import PUBLIC_ENDPOINTS, actor, bad_text, bp, count_request, json_body, write_endpoint
from .errors import ApiError
from .schemas import check_body
from .strict import parse_time
from .views import passport_or_404

VERIFY_ENDPOINTS = {"api.verify_gtin", "api.verify_gtin_lot", "api.verify_gtin_serial", "api.verify_gtin_lot_serial"}
PUBLIC_ENDPOINTS.update({"api.latest_merkle_root", *VERIFY_ENDPOINTS})


@bp.post("/passports/<passport_id>/events")
@write_endpoint
def create_event(passport_id: str) -> tuple[dict[str, Any], int]:
    passport = _locked(passport_id)
    body = json_body()
    check_body("LifecycleEventCreate", body)
    if "occurred_at" in body:
        try:
            body = {**body, "occurred_at": parse_time(body["occurred_at"], "occurred_at")}
        except ApiError as exc:   # the same words, pointing into the body rather than the query
            raise ApiError("VALIDATION", exc.message, [{"path": "/occurred_at",
                                                        "message": "not an ISO 8601 date-time"}]) from None
    evt = lifecycle.add_event(db(), passport, body, actor(), settings().public_url)
    return lifecycle.event_json(evt), 201


def _locked(passport_id: str) -> Passport:
    """The passport, locked until the commit: two events written at once take turns, so the
    second sees the first (an end of life) and links to the chain head it left."""
    passport_or_404(passport_id)
    chain.lock(db(), passport_id)
    passport = db().get(Passport, passport_id, populate_existing=True)
    assert passport is not None   # found just above, and passports are never deleted as rows
    return passport


@bp.get("/passports/<passport_id>/events")
def list_events(passport_id: str):  # noqa: ANN201
    passport = passport_or_404(passport_id)
    events = lifecycle.events_of(db(), passport)
    return jsonify({"lifecycle_status": lifecycle.status(events),
                    "items": [lifecycle.event_json(e) for e in events]})


@bp.get("/passports/<passport_id>/proof")
def passport_proof(passport_id: str):  # noqa: ANN201
    passport = passport_or_404(passport_id)
    chosen = _chosen_root()
    root = chosen or merkle.latest_root(db())
    proof = merkle.inclusion_proof(root, passport.id) if root is not None else None
    if proof is None and chosen is not None:
        raise ApiError("NOT_FOUND", f"This passport is not in the Merkle root of {chosen.day}: it was created after it.")
    if proof is None:
        raise ApiError("NOT_FOUND", "This passport is not in a Merkle root yet; the next daily root includes it.")
    return jsonify({"passportId": passport.id, **proof})


def _chosen_root() -> Optional[MerkleRoot]:
    """`?root=<64 hex digits>` or `?date=YYYY-MM-DD` (their form checked by the OpenAPI document,
    portal/api/strict.py): an earlier root to check against, e.g. the one a verifier kept on the day
    a passport was published; None: the latest."""
    value, day = request.args.get("root"), request.args.get("date")
    if value is None and day is None:
        return None
    if value is not None and day is not None:
        raise ApiError("VALIDATION", "Give either root or date, not both.",
                       [{"path": "?date", "message": "root is given too"}])
    found = merkle.find_root(db(), value=value.lower() if value else None, day=day)
    if found is None:
        raise ApiError("NOT_FOUND", f"No Merkle root was computed on {day}." if day else
                       "No Merkle root with this value was published here.")
    return found


@bp.get("/merkle-roots/latest")
def latest_merkle_root():  # noqa: ANN201
    root = merkle.latest_root(db())
    if root is None:
        raise ApiError("NOT_FOUND", "No Merkle root has been computed yet.")
    return jsonify({"merkleRoot": root.root, "id": root.id, "day": root.day, "computedAt": iso(root.computed_at),
                    "leafCount": root.leaf_count, "anchoredAt": iso(root.anchored_at)})


@bp.get("/verify/<gtin>")
def verify_gtin(gtin: str):  # noqa: ANN201
    return _verify(gtin, None, None)


@bp.get("/verify/<gtin>/lot/<lot>")
def verify_gtin_lot(gtin: str, lot: str):  # noqa: ANN201
    return _verify(gtin, lot, None)


@bp.get("/verify/<gtin>/serial/<serial>")
def verify_gtin_serial(gtin: str, serial: str):  # noqa: ANN201
    return _verify(gtin, None, serial)


@bp.get("/verify/<gtin>/lot/<lot>/serial/<serial>")
def verify_gtin_lot_serial(gtin: str, lot: str, serial: str):  # noqa: ANN201
    return _verify(gtin, lot, serial)


def _verify(gtin: str, lot: Optional[str], serial: Optional[str]):  # noqa: ANN202
    """Public: only published passports are answered; a draft is as unknown as a missing one.
    Each answer re-hashes a passport's whole history, so anonymous callers are counted per address."""
    count_request(f"verify:{client_address()}", settings().verify_rate_limit_per_minute, "from this address")
    try:
        gtin = normalise_gtin(gtin)
    except GtinError as exc:
        raise ApiError("VALIDATION", f"gtin: {exc}.", [{"path": "/gtin", "message": str(exc)}]) from None
    for name, value in (("lot", lot), ("serial", serial)):   # GS1 AIs 10 and 21: up to 20 characters
        if value is not None and (len(value) > 20 or bad_text(value)):
            raise ApiError("VALIDATION", f"{name}: at most 20 characters.",
                           [{"path": f"/{name}", "message": "too long"}])
    root = _chosen_root()
    passport = db().exec(select(Passport).where(Passport.dl_key == digital_link_path(gtin, lot, serial),
                                                Passport.deleted_at.is_(None))).first()
    if passport is None or passport.status != "published":
        what = {(False, False): "this GTIN", (True, False): "this GTIN and lot",
                (False, True): "this GTIN and serial number", (True, True): "this GTIN, lot and serial number"}
        raise ApiError("NOT_FOUND", f"No published passport for {what[lot is not None, serial is not None]}.")
    return jsonify(merkle.verify(db(), passport, root).json())
