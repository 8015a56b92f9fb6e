"""Passport data validation: the JSON Schema in schemas/passport/ plus the business rules.

The same schema object is published in the OpenAPI document, so what the API promises and what
it checks cannot drift apart."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Callable

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker

from portal.settings import PROJECT_ROOT

from .errors import StoreError
from .gtin import GtinError, normalise_gtin, valid_ai82

PASSPORT_REF = "passport/1"
SCHEMA_PATH = PROJECT_ROOT / "schemas" / "passport" / "passport.json"
COMPOSITION_TOLERANCE = 0.01
ELEMENTS = ("product", "manufacturer", "materials", "substances", "compliance", "certificates",
            "carbon_footprint", "recyclability", "due_diligence", "documents", "attributes")


@lru_cache(maxsize=1)
def passport_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


FORMATS = FormatChecker(formats=("date",))
ANNOTATIONS = ("title", "description", "default", "examples", "$comment")


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(passport_schema(), format_checker=FORMATS)


def quick_check(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """A yes/no check of `schema` (refs to "passport/1" included) compiled to Python code.

    jsonschema walks the schema object for every instance: ~0.65 ms per passport, most of a bulk
    call of 1,000. fastjsonschema generates one function per schema, ~20x faster once every
    `$ref` is replaced by its target (its calls through a `$ref` inside an array rebuild the
    error path with `locals()` each time). It is only the gate: what it passes is valid, and
    whatever it refuses is checked again by jsonschema, whose findings are the answer — so the
    messages stay as they were, and a keyword fastjsonschema reads more strictly costs time,
    never a wrong refusal. Our schemas use only keywords that draft 7 and 2020-12 read alike
    (tests/api/test_quick_check.py compares the two on valid and broken passports); "date" is
    checked by jsonschema's own format checker; defaults are never filled in."""
    inlined = {**_without_refs(schema, schema), "$schema": "http://json-schema.org/draft-07/schema#"}
    inlined.pop("$defs", None)
    validate = fastjsonschema.compile(inlined, formats={"date": lambda value: FORMATS.conforms(value, "date")},
                                      use_default=False)

    def check(instance: Any) -> bool:
        try:
            validate(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True
    return check


def _without_refs(node: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """A copy of `node` with each `$ref` ("#/…" in `root`, "passport/1[#/…]") replaced by its target."""
    if depth > 32:
        raise ValueError("schema refs nest too deep to inline (a recursive schema?)")
    if isinstance(node, list):
        return [_without_refs(value, root, depth) for value in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref.startswith(PASSPORT_REF):
            root, ref = passport_schema(), ref[len(PASSPORT_REF):] or "#"
        target: Any = root
        for key in ref.lstrip("#").strip("/").split("/") if ref.strip("#/") else ():
            target = target[key]
        inlined = _without_refs(target, root, depth + 1)
        rest = {k: v for k, v in node.items() if k not in ("$ref", *ANNOTATIONS)}
        # keywords beside a $ref apply as well as the target's (2020-12), never instead of them
        return {"allOf": [inlined, _without_refs(rest, root, depth)]} if rest else inlined
    return {k: (v if k == "enum" else _without_refs(v, root, depth)) for k, v in node.items()
            if k not in ("$id", "$schema")}


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
