"""Passport data validation: the JSON Schema in schemas/passport/ plus the business rules.

The same schema object is published in the OpenAPI document, so what the API promises and what
it checks cannot drift apart."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Callable

from jsonschema import Draft202012Validator, FormatChecker

from ingestion.quickcheck import quick_check as compiled_check
from portal.settings import PROJECT_ROOT

from .errors import StoreError
from .gtin import GtinError, normalise_gtin, valid_ai82

PASSPORT_REF = "passport/1"
SCHEMA_PATH = PROJECT_ROOT / "schemas" / "passport" / "passport.json"
COMPOSITION_TOLERANCE = 0.01
ELEMENTS = ("product", "manufacturer", "materials", "substances", "compliance", "certificates",
            "carbon_footprint", "recyclability", "due_diligence", "documents", "suppliers", "internal")


@lru_cache(maxsize=1)
def passport_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


FORMATS = FormatChecker(formats=("date",))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(passport_schema(), format_checker=FORMATS)


def quick_check(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """The compiled yes/no gate (ingestion/quickcheck.py) for `schema`, refs to "passport/1" included."""
    return compiled_check(schema, {PASSPORT_REF: passport_schema()})


@lru_cache(maxsize=1)
def _quick_passport() -> Callable[[Any], bool]:
    return quick_check(passport_schema())


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(p) for p in path) if path else "/"


def schema_errors(data: Any, prefix: str = "/data") -> list[dict[str, str]]:
    if _quick_passport()(data):
        return []
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [{"path": (prefix + _pointer(e.absolute_path)).rstrip("/") or "/", "message": e.message[:300]}
            for e in errors[:50]]


def composition_errors(data: dict[str, Any], prefix: str = "/data") -> list[dict[str, Any]]:
    materials = data.get("materials") or []
    if not materials:
        return []
    total = sum(float(m.get("percentage", 0)) for m in materials)
    if abs(total - 100) > COMPOSITION_TOLERANCE:
        return [{"path": f"{prefix}/materials", "message": f"material percentages total {total:g}, not 100",
                 "total": round(total, 4)}]
    return []


def validate_data(data: Any, prefix: str = "/data", schema_checked: bool = False) -> None:
    """Raise VALIDATION (400) for schema findings, then COMPOSITION_INVALID (422). `schema_checked`:
    the caller already validated the request body, whose schema includes this one."""
    errors = [] if schema_checked else schema_errors(data, prefix)
    if errors:
        raise StoreError("VALIDATION", "The passport data does not match the passport schema.", errors)
    problems = composition_errors(data, prefix)
    if problems:
        raise StoreError("COMPOSITION_INVALID", problems[0]["message"].capitalize() + " (±0.01).", problems)


def validate_identity(body: dict[str, Any], prefix: str = "") -> tuple[str, str | None, str | None]:
    """GTIN (normalised to 14 digits), lot and serial of a create request."""
    details = []
    gtin = None
    try:
        gtin = normalise_gtin(body.get("gtin"))
    except GtinError as exc:
        details.append({"path": f"{prefix}/gtin", "message": str(exc)})
    for name in ("lot", "serial"):
        value = body.get(name)
        if value is not None and not valid_ai82(value):
            details.append({"path": f"{prefix}/{name}",
                            "message": "1 to 20 characters of the GS1 character set 82 (no '/')"})
    if details:
        raise StoreError("VALIDATION", "The passport's identifiers are not valid.", details)
    return gtin, body.get("lot"), body.get("serial")
