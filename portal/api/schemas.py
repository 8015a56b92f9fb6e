"""Request bodies of /api/v1 as JSON Schemas. The API validates with exactly these objects and the
OpenAPI document is built from them (refs to "passport/1" become component refs there)."""

from __future__ import annotations

from typing import Any, Callable

from jsonschema import Draft202012Validator

from portal.passports.bodies import PASSPORT_CREATE, PROVENANCE, BodyCheck, check_passport_create
from portal.passports.bodies import text_schema as _text
from portal.passports.gtin import AI82
from portal.passports.validation import ELEMENTS, PASSPORT_REF, passport_schema

DOC_TYPES: list[str] = passport_schema()["properties"]["documents"]["items"]["properties"]["doc_type"]["enum"]
MAX_BULK = 1000
MAX_ASYNC_BULK = 10_000

PASSPORT_PATCH: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "data": {"type": "object", "additionalProperties": False,
                 "description": "Elements to replace; null removes an element (JSON merge patch, one level)",
                 "properties": {name: {"anyOf": [{"$ref": f"{PASSPORT_REF}#/properties/{name}"}, {"type": "null"}]}
                                for name in ELEMENTS}},
        "version": {"type": "integer", "minimum": 1,
                    "description": "The version this change is based on; a newer one answers 409 VERSION_CONFLICT"},
        "override": {"type": "object", "additionalProperties": False, "required": ["reason"],
                     "description": "Needed to change an element owned by a supplier declaration type",
                     "properties": {"reason": _text(500, min_length=3)}},
        "gtin": {"type": "string", "description": "Immutable: accepted only when unchanged"},
        "lot": {"type": ["string", "null"], "description": "Immutable: accepted only when unchanged"},
        "serial": {"type": ["string", "null"], "description": "Immutable: accepted only when unchanged"},
        **PROVENANCE,
    },
}

PASSPORT_REPLACE: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["data"],
    "properties": {
        "data": {"$ref": PASSPORT_REF, "description": "The whole new data: elements left out are removed"},
        **{name: spec for name, spec in PASSPORT_PATCH["properties"].items() if name != "data"},
    },
}

PUBLISH: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": PROVENANCE}

BULK_CREATE: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["items"],
    "properties": {"items": {"type": "array", "minItems": 1, "maxItems": MAX_BULK,
                             "items": {"$ref": "#/components/schemas/PassportCreate"}}},
}
ASYNC_BULK_CREATE: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["items"],
    "properties": {"items": {"type": "array", "minItems": 1, "maxItems": MAX_ASYNC_BULK,
                             "items": {"$ref": "#/components/schemas/PassportCreate"}},
                   "webhook_url": {**_text(2000, min_length=1),
                                   "description": "Receives this job's batch.completed, signed like every webhook "
                                                  "with the webhook_secret in the answer (shown once)"}},
}

DECLARATION_INTAKE: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["source_system", "source_declaration_id", "data"],
    "properties": {
        "source_system": _text(100, min_length=1),
        "source_declaration_id": _text(100, min_length=1),
        "note": _text(2000, nullable=True),
        "data": {"type": "object", "required": ["declarations"], "properties": {"declarations": {
            "type": "array", "minItems": 1, "maxItems": 1, "items": {
                "type": "object", "required": ["document_type", "record"],
                "properties": {
                    "document_type": _text(40, min_length=1),
                    "record": {"type": "object"},
                    "products": {"type": ["array", "null"], "maxItems": 1000, "items": {"type": "object", "properties": {
                        "gtin": {"type": ["string", "null"]}, "part_number": {"type": ["string", "null"]},
                        "name": {"type": ["string", "null"]}}}},
                    "supplier": {"type": ["object", "null"]},
                    "version": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**31 - 1},
                    "source_document_sha256": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$",
                                               "description": "SHA-256 of the source document (64 hex digits)"},
                    "approved_by": _text(254, nullable=True),
                    "approved_at": {"type": ["string", "null"], "maxLength": 40,
                                    "description": "When it was approved (ISO 8601 date-time)"},
                }}}}},
    },
}

DECLARATION_LINKS: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {"gtins": {"type": "array", "maxItems": 1000,
                             "items": {"type": "string", "pattern": "^([0-9]{8}|[0-9]{12,14})$"}},
                   "part_numbers": {"type": "array", "maxItems": 1000, "items": _text(100, min_length=1)},
                   "note": _text(2000, nullable=True)},
}

WITHDRAW_CONTRIBUTION: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["reason"],
    "properties": {"reason": {**_text(500, min_length=3), "description": "Why it is withdrawn (kept with the revision)"}},
}

def _lifecycle_event_create() -> dict[str, Any]:
    from portal.passports.lifecycle import EVENT_TYPES
    return {"type": "object", "additionalProperties": False, "required": ["event_type"], "properties": {
        "event_type": {"enum": list(EVENT_TYPES), "description": "What happened"},
        "occurred_at": {"type": "string", "format": "date-time", "maxLength": 40,
                        "description": "When it happened (ISO 8601; default: now); not in the future"},
        "serial": {"type": "string", "pattern": f"^{AI82}$",
                   "description": "The unit of a lot or model passport it happened to (GS1 AI 21)"},
        "location": {**_text(200, min_length=1), "description": "Where (a site, a city, a country)"},
        "note": {**_text(2000, min_length=1), "description": "What was done, shown on the public page"},
        "actor": {**_text(254, min_length=1), "description": "Who did it (a repairer, a recycler)"},
        "evidence": {"type": "object", "additionalProperties": False, "required": ["url"],
                     "description": "A document that proves it (a service report, a recycling certificate)",
                     "properties": {"url": {**_text(2000, min_length=1), "pattern": "^https?://",
                                            "description": "An http(s) address of the document"},
                                    "title": _text(300, min_length=1),
                                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                                               "description": "SHA-256 of the document (64 hex digits)"}}}}}


REQUEST_SCHEMAS = {"PassportCreate": PASSPORT_CREATE, "PassportPatch": PASSPORT_PATCH,
                   "PassportReplace": PASSPORT_REPLACE, "Publish": PUBLISH,
                   "BulkCreate": BULK_CREATE, "AsyncBulkCreate": ASYNC_BULK_CREATE,
                   "DeclarationIntake": DECLARATION_INTAKE, "DeclarationLinks": DECLARATION_LINKS,
                   "WithdrawContribution": WITHDRAW_CONTRIBUTION, "LifecycleEventCreate": _lifecycle_event_create()}


def _shallow(schema: dict[str, Any]) -> dict[str, Any]:
    """Bulk bodies: items are checked one by one (per-item results), so the envelope check only
    needs them to be objects."""
    items = schema["properties"]["items"]
    return {**schema, "properties": {**schema["properties"], "items": {**items, "items": {"type": "object"}}}}


def _schema(name: str) -> dict[str, Any]:
    schema = REQUEST_SCHEMAS[name]
    return _shallow(schema) if name in ("BulkCreate", "AsyncBulkCreate") else schema


_CHECKS: dict[str, BodyCheck] = {"PassportCreate": check_passport_create}


def _check(name: str) -> BodyCheck:
    if name not in _CHECKS:
        _CHECKS[name] = BodyCheck(_schema(name))
    return _CHECKS[name]


def _validator(name: str) -> Draft202012Validator:
    return _check(name).validator


def _quick(name: str) -> Callable[[Any], bool]:
    return _check(name).quick


def check_body(name: str, body: Any, prefix: str = "") -> None:
    """Raise VALIDATION with a detail per finding (JSON pointer to the field)."""
    _check(name)(body, prefix)


# Webhook subscriptions made through the API (api/subscriptions.py)
def _webhook_create() -> dict[str, Any]:
    from portal.webhooks.models import EVENT_TYPES
    return {"type": "object", "additionalProperties": False, "required": ["url", "events"], "properties": {
        "url": {**_text(2000, min_length=1), "description": "A public http(s) URL; the signature authenticates us"},
        "events": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(EVENT_TYPES)}},
        "description": {**_text(200, nullable=True), "description": "Who or what receives them"}}}


REQUEST_SCHEMAS["WebhookCreate"] = _webhook_create()

# An EU declaration of conformity written from a passport (api/exports.py)
REQUEST_SCHEMAS["DeclarationOfConformity"] = {
    "type": "object", "additionalProperties": False, "required": ["signatory", "place"],
    "properties": {
        "signatory": {"type": "object", "additionalProperties": False, "required": ["name", "title"],
                      "description": "Who signs for the manufacturer",
                      "properties": {"name": _text(200, min_length=1), "title": _text(200, min_length=1)}},
        "place": {**_text(200, min_length=1), "description": "Place of issue"},
        "date": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                 "description": "Date of issue, 2026-06-30 (default: today)"},
        "source_system": _text(100, min_length=1)},
    "examples": [{"signatory": {"name": "Jana Nováková", "title": "Managing Director"}, "place": "Praha",
                  "date": "2026-12-01"}],
}

# Examples that run as they are in the API reference's "Try it out" (/api/docs): a real GTIN with
# its check digit, materials totalling 100 %. Annotations only: validation ignores them.
_EXAMPLE_DATA = {"product": {"name": "Cordless drill", "part_number": "DR-18", "category": "Power tools",
                             "weight_kg": 1.8, "country_of_production": "CZ"},
                 "manufacturer": {"name": "Tatra Tools a.s.", "country_code": "CZ"},
                 "materials": [{"name": "Steel", "percentage": 60, "recycled_percentage": 30},
                               {"name": "Polyamide", "percentage": 40}],
                 "compliance": {"eu_directives": ["2006/42/EC", "2014/30/EU"], "eu_standards": ["EN 62841-1:2015"]}}
PASSPORT_CREATE["examples"] = [{"gtin": "04006381333931", "data": _EXAMPLE_DATA}]
PASSPORT_PATCH["examples"] = [{"data": {"product": {**_EXAMPLE_DATA["product"], "name": "Cordless drill, 2nd edition"}}}]
PASSPORT_REPLACE["examples"] = [{"data": {**_EXAMPLE_DATA, "materials": [{"name": "Steel", "percentage": 100}]}}]
