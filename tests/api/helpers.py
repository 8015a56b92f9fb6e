"""Helpers for the API tests: keys, valid GTINs and passport bodies."""

from __future__ import annotations

from typing import Any

from portal.clients.models import ApiKey
from portal.passports.gtin import check_digit


def api_key(session, scope: str = "write", name: str = "erp", **fields: Any) -> str:  # noqa: ANN001
    row, key = ApiKey.generate(name, scope, **fields)
    session.add(row)
    session.commit()
    return key


def gtin(n: int, digits: int = 14) -> str:
    """A valid GTIN with `digits` digits (check digit computed)."""
    body = str(4006381000000 + n)[-(digits - 1):].zfill(digits - 1)
    return body + str(check_digit(body))


def passport_body(n: int = 1, **extra: Any) -> dict[str, Any]:
    body = {"gtin": gtin(n), "data": {
        "product": {"name": f"Cordless drill {n}", "part_number": f"DR-{n}"},
        "manufacturer": {"name": "Tatra Tools a.s.", "country_code": "CZ"},
        "materials": [{"name": "Steel", "percentage": 60, "recycled_percentage": 30, "origin_country_code": "DE"},
                      {"name": "Polyamide", "percentage": 40}]}}
    body.update(extra)
    return body
