"""POST /api/v1/passports/validate: the checks of a create, without the write. The create runs
in a savepoint that is always rolled back, so the answer is exactly a create's error (schema,
GTIN check digit, materials totalling 100 %, an existing GTIN+lot+serial; same status and body),
or 200 {"valid": true, "category", "findings"} with what the product category's rules find (they
report, they do not refuse: the same findings a create answers with), and nothing is kept."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from sqlalchemy.exc import IntegrityError

from portal.passports import categories, store
from portal.passports.errors import StoreError
from portal.passports.lookup import effective_data
from portal.web import db, settings

from .blueprint import actor, bp, json_body, sandbox
from .schemas import check_body


@bp.post("/passports/validate")
def validate_passport():  # noqa: ANN201
    data = _dry_create(json_body())   # an error raises, and is answered as the create would answer it
    return jsonify({"valid": True, "category": categories.category_of(data), "findings": categories.findings(data)})


def _dry_create(body: dict[str, Any]) -> dict[str, Any]:
    """The passport's effective data (with what it would inherit from its product and lot)."""
    check_body("PassportCreate", body)
    session = db()
    try:
        with session.begin_nested() as savepoint:
            passport, _revision = store.create(session, body, store.Change.from_body(actor(), body),
                                               settings().public_url, schema_checked=True, sandbox=sandbox())
            session.flush()
            data = effective_data(session, passport, published_only=False)
            savepoint.rollback()
        return data
    except IntegrityError:
        raise StoreError("GTIN_EXISTS", "A passport for this GTIN, lot and serial already exists.") from None
    finally:
        session.rollback()   # drops events a published create would have raised, and their deliveries
