"""Integration API /api/v1: passports (create, list, read, change, publish, delete, revisions, QR).
Bulk and supplier-declaration endpoints live in bulk.py and intake.py on the same blueprint."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timezone
from typing import Any

from flask import Response, jsonify, request
from sqlmodel import and_, or_, select

from portal.passports import access, categories, contributions, store
from portal.passports.errors import StoreError
from portal.passports.gtin import GtinError, normalise_gtin
from portal.passports.lookup import effective_data
from portal.passports.models import Contribution, Passport, PassportRevision
from portal.resolver.carriers import qr_image
from portal.web import db, settings

from .blueprint import actor, bad_text, bp, json_body, reader, require_sources_access, sandbox, write_endpoint
from .errors import ApiError
from .openapi import openapi_document
from .schemas import check_body
from .strict import parse_time

PASSPORT_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_PAGE = 200
MAX_INT = 2**31 - 1   # larger path numbers cannot exist (and overflow PostgreSQL's integer)


@bp.get("/openapi.json")
def openapi():  # noqa: ANN201
    return jsonify(openapi_document())


def passport_or_404(passport_id: str) -> Passport:
    """The one place that answers 404 for passports (unknown, malformed or deleted ids)."""
    passport = db().get(Passport, passport_id) if PASSPORT_ID.match(passport_id) else None
    # another namespace's passport does not exist for this key (sandbox keys see only the sandbox)
    if passport is None or passport.deleted_at is not None or passport.sandbox != sandbox():
        raise ApiError("NOT_FOUND", f"No passport {passport_id[:40]}.")
    return passport


def _public_url() -> str:
    return settings().public_url


@bp.post("/passports")
@write_endpoint
def create_passport() -> tuple[dict[str, Any], int]:
    body = json_body()
    check_body("PassportCreate", body)
    passport, revision = store.create(db(), body, store.Change.from_body(actor(), body), _public_url(),
                                      schema_checked=True, sandbox=sandbox())
    db().flush()
    try:
        with db().begin_nested():   # declarations approved before it existed; one that does not fit
            if contributions.pick_up(db(), passport, actor()):   # waits for the sweep (logged there)
                revision = store.current_revision(db(), passport)
    except StoreError:
        pass
    return _with_findings(passport, _with_contributions(passport, revision)), 201


def _with_findings(passport: Passport, body: dict[str, Any]) -> dict[str, Any]:
    """A write's answer with what the category rules find (they do not refuse a passport)."""
    return {**body, "findings": categories.findings(effective_data(db(), passport, published_only=False))}


@bp.get("/passports")
def list_passports():  # noqa: ANN201
    args = request.args
    query = (select(Passport, PassportRevision)
             .join(PassportRevision, and_(PassportRevision.passport_id == Passport.id,
                                          PassportRevision.number == Passport.version))
             .where(Passport.deleted_at.is_(None), Passport.sandbox == sandbox()))
    if args.get("gtin"):
        try:
            query = query.where(Passport.gtin == normalise_gtin(args["gtin"]))
        except GtinError as exc:
            raise ApiError("VALIDATION", f"gtin: {exc}.", [{"path": "?gtin", "message": str(exc)}]) from None
    for name in ("lot", "serial", "part_number"):
        if args.get(name):
            if bad_text(args[name]):
                raise ApiError("VALIDATION", f"{name}: text without NUL characters.")
            query = query.where(getattr(Passport, name) == args[name][:100])
    if args.get("status"):
        if args["status"] not in ("draft", "published"):
            raise ApiError("VALIDATION", "status: draft or published.")
        query = query.where(Passport.status == args["status"])
    level = args.get("level")
    if level:
        conditions = {"model": and_(Passport.lot.is_(None), Passport.serial.is_(None)),
                      "batch": and_(Passport.lot.is_not(None), Passport.serial.is_(None)),
                      "item": Passport.serial.is_not(None)}
        if level not in conditions:
            raise ApiError("VALIDATION", "level: model, batch or item.")
        query = query.where(conditions[level])
    if "updated_since" in args:
        query = query.where(Passport.updated_at >= parse_time(args["updated_since"], "updated_since"))
    limit = int(args.get("limit", 50))   # checked against the document (strict.py)
    if args.get("cursor"):
        created_at, last_id = _decode_cursor(args["cursor"])
        query = query.where(or_(Passport.created_at > created_at,
                                and_(Passport.created_at == created_at, Passport.id > last_id)))
    rows = db().exec(query.order_by(Passport.created_at, Passport.id).limit(limit + 1)).all()
    items = [access.visible_record(store.passport_json(p, r, _public_url()), reader(p.gtin), "passport")
             for p, r in rows[:limit]]
    next_cursor = _encode_cursor(rows[limit - 1][0]) if len(rows) > limit else None
    return jsonify({"items": items, "next_cursor": next_cursor})


def _encode_cursor(passport: Passport) -> str:
    raw = f"{passport.created_at.astimezone(timezone.utc).isoformat()}|{passport.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, last_id = raw.split("|", 1)
        if not PASSPORT_ID.match(last_id):
            raise ValueError
        return datetime.fromisoformat(created), last_id
    except (ValueError, UnicodeDecodeError):
        raise ApiError("VALIDATION", "cursor: pass next_cursor from the previous page unchanged.") from None


@bp.get("/passports/<passport_id>")
def get_passport(passport_id: str):  # noqa: ANN201
    passport = passport_or_404(passport_id)
    if request.args.get("at"):
        revision = store.revision_at(db(), passport, parse_time(request.args["at"], "at"))
        if revision is None:
            raise ApiError("NOT_FOUND", "The passport did not exist at that time.")
    else:
        revision = store.current_revision(db(), passport)
    return jsonify(access.visible_record(_with_contributions(passport, revision), reader(passport.gtin),
                                         "passport"))


def _with_contributions(passport: Passport, revision: PassportRevision) -> dict[str, Any]:
    """The passport with its suppliers' contributions (current and history); `owners` says, per
    element and item, which contribution it came from."""
    return {**store.passport_json(passport, revision, _public_url()),
            "contributions": contributions.passport_contributions(db(), passport.id)}


@bp.get("/passports/<passport_id>/contributions")
def list_contributions(passport_id: str):  # noqa: ANN201
    passport = passport_or_404(passport_id)
    require_sources_access(passport.gtin)
    return jsonify({"items": contributions.passport_contributions(db(), passport.id)})


@bp.post("/passports/<passport_id>/contributions/<int:contribution_id>/withdraw")
@write_endpoint
def withdraw_contribution(passport_id: str, contribution_id: int) -> tuple[dict[str, Any], int]:
    passport = passport_or_404(passport_id)
    contribution = db().get(Contribution, contribution_id) if contribution_id <= MAX_INT else None
    if contribution is None or contribution.passport_id != passport.id:
        raise ApiError("NOT_FOUND", f"The passport has no contribution {contribution_id}.")
    body = json_body()
    check_body("WithdrawContribution", body)
    if contribution.status != "current":
        raise ApiError("VALIDATION", f"That contribution is already {contribution.status}.")
    revision = contributions.withdraw(db(), contribution, body["reason"], actor())
    return _with_contributions(passport, revision or store.current_revision(db(), passport)), 200


@bp.patch("/passports/<passport_id>")
@write_endpoint
def patch_passport(passport_id: str) -> tuple[dict[str, Any], int]:
    passport = passport_or_404(passport_id)
    body = json_body()
    check_body("PassportPatch", body)
    revision = store.patch(db(), passport, body, store.Change.from_body(actor(), body), _public_url())
    return _with_findings(passport, store.passport_json(passport, revision, _public_url())), 200


@bp.put("/passports/<passport_id>")
@write_endpoint
def replace_passport(passport_id: str) -> tuple[dict[str, Any], int]:
    """Full replacement: `data` becomes the passport's whole data (elements left out are removed),
    as a new revision; the same rules as PATCH for identity, version and supplier-owned elements."""
    passport = passport_or_404(passport_id)
    body = json_body()
    check_body("PassportReplace", body)
    revision = store.replace(db(), passport, body, store.Change.from_body(actor(), body), settings().public_url)
    return store.passport_json(passport, revision, _public_url()), 200


@bp.post("/passports/<passport_id>/publish")
@write_endpoint
def publish_passport(passport_id: str) -> tuple[dict[str, Any], int]:
    passport = passport_or_404(passport_id)
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise ApiError("VALIDATION", "The request body must be a JSON object (or empty).")
    check_body("Publish", body)
    _check_publishable(passport)
    revision = store.publish(db(), passport, store.Change.from_body(actor(), body), _public_url())
    return _with_findings(passport, store.passport_json(passport, revision or store.current_revision(db(), passport),
                                                        _public_url())), 200


def _check_publishable(passport: Passport) -> None:
    """A public passport names its product (here or on its product-level parent)."""
    data = effective_data(db(), passport, published_only=False)
    if not (data.get("product") or {}).get("name"):
        raise ApiError("VALIDATION", "To publish, give the product a name (data.product.name).",
                       [{"path": "/data/product/name", "message": "required to publish"}])


@bp.delete("/passports/<passport_id>")
@write_endpoint
def delete_passport(passport_id: str) -> tuple[dict[str, Any], int]:
    passport = passport_or_404(passport_id)
    store.soft_delete(db(), passport, _public_url())
    return {"id": passport.id, "deleted": True}, 200


@bp.get("/passports/<passport_id>/revisions")
def list_revisions(passport_id: str):  # noqa: ANN201
    passport = passport_or_404(passport_id)
    revisions = db().exec(select(PassportRevision).where(PassportRevision.passport_id == passport.id)
                          .order_by(PassportRevision.number)).all()
    audience = reader(passport.gtin)
    return jsonify({"items": [access.visible_record(store.revision_json(r), audience, "revision") for r in revisions]})


@bp.get("/passports/<passport_id>/revisions/<int:number>")
def get_revision(passport_id: str, number: int):  # noqa: ANN201
    passport = passport_or_404(passport_id)
    revision = None if number > MAX_INT else db().exec(select(PassportRevision).where(
        PassportRevision.passport_id == passport.id, PassportRevision.number == number)).first()
    if revision is None:
        raise ApiError("NOT_FOUND", f"The passport has no revision {number}.")
    return jsonify(access.visible_record(store.revision_json(revision, with_data=True), reader(passport.gtin),
                                         "revision"))


@bp.get("/passports/<passport_id>/qr.<fmt>")
def passport_qr(passport_id: str, fmt: str):  # noqa: ANN201
    passport = passport_or_404(passport_id)
    if fmt not in ("png", "svg"):
        raise ApiError("NOT_FOUND", "QR codes come as qr.png or qr.svg.")
    content, mimetype = qr_image(store.digital_link(_public_url(), passport), fmt)
    return Response(content, mimetype=mimetype, headers={"Cache-Control": "public, max-age=86400"})


@bp.route("/<path:_unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "QUERY"])
def unknown_resource(_unknown: str):  # noqa: ANN201
    # routing 404s never reach a blueprint's error handler; this keeps them in the API's JSON shape
    # (and lets strict.check_request answer 405 for any method on a documented path)
    raise ApiError("NOT_FOUND", "No such resource.")


from . import bulk, exports, files, imports, intake, lifecycle, sandbox as _sandbox, serials, subscriptions, validate  # noqa: E402,F401  (their routes register on the same blueprint)
