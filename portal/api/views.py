"""Integration API /api/v1 (the passport store's). Authenticated by X-API-Key, no cookies."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from portal.passports.models import Passport, PassportRevision
from portal.timeutil import iso
from portal.web import db

from .errors import ApiError
from .models import ApiKey, hash_key
from .openapi import OPENAPI

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):  # noqa: ANN201
    return exc.response()


@bp.errorhandler(404)
def api_not_found(_exc):  # noqa: ANN001, ANN201
    return ApiError("NOT_FOUND", "No such resource.").response()


@bp.errorhandler(405)
def api_method(_exc):  # noqa: ANN001, ANN201
    return ApiError("VALIDATION", "Method not allowed on this resource.").response()


@bp.before_request
def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    key = request.headers.get("X-API-Key", "")
    row = db().exec(select(ApiKey).where(ApiKey.key_hash == hash_key(key))).first() if key else None
    if row is None or row.revoked_at is not None:
        raise ApiError("INVALID_API_KEY", "Missing or invalid API key: send it in the X-API-Key header.")
    g.api_key = row


def require_write() -> None:
    if g.api_key.scope != "write":
        raise ApiError("INVALID_API_KEY", "This API key may only read.")


@bp.get("/openapi.json")
def openapi():  # noqa: ANN201
    return jsonify(OPENAPI)


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError("VALIDATION", "The request body must be a JSON object.")
    return body


def passport_json(passport: Passport, revisions: list[PassportRevision]) -> dict[str, Any]:
    current = revisions[-1] if revisions else None
    return {
        "id": passport.id, "gtin": passport.gtin, "lot": passport.lot, "serial": passport.serial,
        "status": passport.status, "current_revision": passport.current_revision,
        "created_at": iso(passport.created_at), "updated_at": iso(passport.updated_at),
        "data": current.data if current else None,
        "revisions": [{"number": r.number, "actor": r.actor, "source_system": r.source_system,
                       "source_declaration_id": r.source_declaration_id, "note": r.note,
                       "created_at": iso(r.created_at)} for r in revisions],
    }


def _revisions(passport_id: str) -> list[PassportRevision]:
    return list(db().exec(select(PassportRevision).where(PassportRevision.passport_id == passport_id)
                          .order_by(PassportRevision.number)).all())


@bp.post("/passports")
def create_passport():  # noqa: ANN201
    require_write()
    body = _json_body()
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()[:100] or None
    if idempotency_key:
        seen = db().exec(select(PassportRevision).where(PassportRevision.idempotency_key == idempotency_key)).first()
        if seen is not None:  # a retried request that did arrive: answer as the first time
            passport = db().get(Passport, seen.passport_id)
            return jsonify(passport_json(passport, _revisions(passport.id))), 200
    details = []
    if not isinstance(body.get("data"), dict):
        details.append({"path": "/data", "message": "required, a JSON object"})
    if not isinstance(body.get("source_system"), str) or not body["source_system"].strip():
        details.append({"path": "/source_system", "message": "required, a non-empty string"})
    for name in ("source_declaration_id", "note"):
        if body.get(name) is not None and not isinstance(body[name], str):
            details.append({"path": f"/{name}", "message": "must be a string"})
    if details:
        raise ApiError("VALIDATION", "The passport is not valid.", details)
    passport = Passport(current_revision=1)
    revision = PassportRevision(passport_id=passport.id, number=1, data=body["data"],
                                actor=f"api:{g.api_key.name}", source_system=body["source_system"].strip()[:100],
                                source_declaration_id=body.get("source_declaration_id"),
                                note=body.get("note"), idempotency_key=idempotency_key)
    db().add(passport)
    db().add(revision)
    try:
        db().commit()
    except IntegrityError:  # the same Idempotency-Key raced in twice
        db().rollback()
        seen = db().exec(select(PassportRevision).where(PassportRevision.idempotency_key == idempotency_key)).one()
        passport = db().get(Passport, seen.passport_id)
        return jsonify(passport_json(passport, _revisions(passport.id))), 200
    return jsonify(passport_json(passport, [revision])), 201


@bp.get("/passports/<passport_id>")
def get_passport(passport_id: str):  # noqa: ANN201
    passport = db().get(Passport, passport_id)
    if passport is None:
        raise ApiError("NOT_FOUND", f"No passport {passport_id}.")
    return jsonify(passport_json(passport, _revisions(passport.id)))
