"""The body that creates a passport, and how a body is checked against its JSON Schema.

The passport store owns PassportCreate: the API accepts it, the asynchronous bulk job checks each
of its items against it, and a product's passport import does too. The API's other bodies are
checked the same way (portal/api/schemas.py)."""

from __future__ import annotations

from typing import Any, Callable, Optional

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from .errors import StoreError
from .gtin import AI82
from .validation import PASSPORT_REF, passport_schema, quick_check


def text_schema(max_length: int, nullable: bool = False, min_length: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": ["string", "null"] if nullable else "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    return schema


PROVENANCE = {
    "source_system": {**text_schema(100, min_length=1), "description": "The system the change comes from (default: api)"},
    "source_declaration_id": {**text_schema(100, nullable=True), "description": "The supplier declaration behind it"},
    "note": {**text_schema(2000, nullable=True), "description": "Internal note kept with the revision"},
    "public_reason": {**text_schema(500, nullable=True), "description": "Why it changed, shown on the public page"},
}

PASSPORT_CREATE: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["gtin"],
    "properties": {
        "gtin": {"type": "string", "pattern": "^([0-9]{8}|[0-9]{12,14})$",
                 "description": "GTIN-8/12/13/14; stored as GTIN-14; the check digit must be right"},
        "lot": {"type": "string", "pattern": f"^{AI82}$", "description": "Batch/lot (GS1 AI 10)"},
        "serial": {"type": "string", "pattern": f"^{AI82}$", "description": "Serial number (GS1 AI 21)"},
        "data": {"$ref": PASSPORT_REF},
        "status": {"enum": ["draft", "published"], "default": "draft"},
        **PROVENANCE,
    },
}


class BodyCheck:
    """A body's JSON Schema, compiled on first use. A valid body passes the compiled quick check;
    only a refused one is walked by jsonschema for findings."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._quick: Optional[Callable[[Any], bool]] = None
        self._validator: Optional[Draft202012Validator] = None

    @property
    def quick(self) -> Callable[[Any], bool]:
        if self._quick is None:
            self._quick = quick_check(self.schema)
        return self._quick

    @property
    def validator(self) -> Draft202012Validator:
        if self._validator is None:
            registry = Registry().with_resource(PASSPORT_REF, Resource.from_contents(passport_schema()))
            self._validator = Draft202012Validator(self.schema, registry=registry,
                                                   format_checker=FormatChecker(formats=("date",)))
        return self._validator

    def __call__(self, body: Any, prefix: str = "") -> None:
        """Raise VALIDATION with a detail per finding (JSON pointer to the field, after `prefix`)."""
        if self.quick(body):
            return
        errors = sorted(self.validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            raise StoreError("VALIDATION", "The request body is not valid.", [
                {"path": prefix + ("/" + "/".join(map(str, e.absolute_path)) if e.absolute_path else "/"),
                 "message": _message(e)} for e in errors[:50]])


def _message(error) -> str:  # noqa: ANN001
    # a regular expression says little to a person; the field's description says what is expected
    if error.validator == "pattern" and error.schema.get("description"):
        return f"{str(error.instance)[:60]!r} is not valid: {error.schema['description']}"[:300]
    return error.message[:300]


check_passport_create = BodyCheck(PASSPORT_CREATE)
