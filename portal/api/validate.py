"""POST /api/v1/passports/validate: the checks of a create, without the write. The create runs
in a savepoint that is always rolled back, so the findings are exactly a create's (schema,
GTIN check digit, materials totalling 100 %, an existing GTIN+lot+serial) and nothing is kept."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from sqlalchemy.exc import IntegrityError

from portal.passports import store
from portal.passports.errors import StoreError
from portal.web import db, settings

from .blueprint import actor, bp, json_body
from .schemas import check_body


@bp.post("/passports/validate")
def validate_passport():  # noqa: ANN201
    body = json_body()   # a body that is not a JSON object is a bad request, as for a create
    try:
        _dry_create(body)
    except StoreError as exc:
        return jsonify({"valid": False, "error": exc.body()["error"]})
    return jsonify({"valid": True, "error": None})


def _dry_create(body: dict[str, Any]) -> None:
    check_body("PassportCreate", body)
    session = db()
    try:
        with session.begin_nested() as savepoint:
            store.create(session, body, store.Change.from_body(actor(), body), settings().public_url,
                         schema_checked=True)
            session.flush()
            savepoint.rollback()
    except IntegrityError:
        raise StoreError("GTIN_EXISTS", "A passport for this GTIN, lot and serial already exists.") from None
    finally:
        session.rollback()   # drops events a published create would have raised, and their deliveries
