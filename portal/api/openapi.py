"""The OpenAPI 3.1 document served at /api/v1/openapi.json, built from the very schema objects the
API validates with (api/schemas.py and schemas/passport/passport.json)."""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from portal.passports.validation import passport_schema

from portal.webhooks.models import EVENT_TYPES
from portal.webhooks.payloads import COMPONENTS_KEY, envelope_schema, payload_schemas
from portal.webhooks.signing import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER

from . import io_openapi
from .errors import API_CODES
from .schemas import DOC_TYPES, PASSPORT_REF, REQUEST_SCHEMAS
from .schemas import _shallow as shallow_bulk_schema   # the bulk envelope exactly as check_body sees it

_ERROR = {"$ref": "#/components/schemas/Error"}
_PASSPORT = {"$ref": "#/components/schemas/Passport"}
_DEFS_PREFIX = "PassportData_"
_FINDINGS = {"type": "array", "items": {"$ref": "#/components/schemas/Finding"},
             "description": "What the product category's rules (schemas/passport/categories/) find missing or "
                            "wrong; they report, they do not refuse"}


def _refs(node: Any) -> Any:
    """passport/1 → the component; the passport schema's $defs → components of their own."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith(PASSPORT_REF):
                    value = "#/components/schemas/PassportData" + value[len(PASSPORT_REF):].lstrip("#")
                elif value.startswith("#/$defs/"):
                    value = "#/components/schemas/" + _DEFS_PREFIX + value[len("#/$defs/"):]
            out[key] = _refs(value)
        return out
    if isinstance(node, list):
        return [_refs(v) for v in node]
    return node


def _json(schema: Any, description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _err(description: str) -> dict[str, Any]:
    return _json(_ERROR, description)


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
_IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
                "schema": {"type": "string", "maxLength": 100},
                "description": "Repeating a write with the same key returns the first answer (200) and changes nothing."}
_RESTRICTED = "INSUFFICIENT_SCOPE: contribution sources need a key with the passport:restricted scope"
_COMMON = {"401": _err("Missing or invalid API key"), "429": _err("Rate limited; see Retry-After"),
           "503": _err("Database or queue briefly unavailable; see Retry-After")}
_WRITE = {**_COMMON, "400": _err("Invalid request"), "403": _err("INSUFFICIENT_SCOPE: the key may only read"), "409": _err("Conflict (GTIN_EXISTS, ELEMENT_OWNED, …)"),
          "413": _err("Body too large"), "422": _err("COMPOSITION_INVALID: materials do not total 100 %")}


def _components() -> dict[str, Any]:
    data = copy.deepcopy(passport_schema())
    defs = data.pop("$defs", {})
    data.pop("$schema", None)
    data.pop("$id", None)
    schemas: dict[str, Any] = {"PassportData": _refs(data)}
    schemas.update({_DEFS_PREFIX + name: _refs(value) for name, value in defs.items()})
    schemas.update({name: _refs(copy.deepcopy(schema)) for name, schema in REQUEST_SCHEMAS.items()})
    for name in ("BulkCreate", "AsyncBulkCreate"):
        # as validated: the envelope up front, each item on its own (a bad item fails alone, in `results`)
        schemas[name] = _refs(copy.deepcopy(shallow_bulk_schema(REQUEST_SCHEMAS[name])))
        schemas[name]["properties"]["items"]["items"]["description"] = (
            "A PassportCreate (see there); each item is checked on its own and answered in results")
    schemas["Error"] = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"enum": API_CODES}, "message": {"type": "string"}, "details": {}}}}}
    schemas["Passport"] = {"type": "object", "required": ["id", "gtin", "status", "version", "data"], "properties": {
        "id": {"type": "string"}, "gtin": {"type": ["string", "null"]}, "lot": {"type": ["string", "null"]},
        "serial": {"type": ["string", "null"]}, "level": {"enum": ["model", "batch", "item"]},
        "status": {"enum": ["draft", "published"]}, "version": {"type": "integer"},
        "digital_link": {"type": ["string", "null"]}, "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "published_at": {"type": ["string", "null"], "format": "date-time"},
        "data": {"$ref": "#/components/schemas/PassportData"},
        "owners": {"type": "object", "description": "Per supplier-owned element: the owning declaration type, "
                   "its contributions, and `sources` (per item, or per key of compliance) naming the supplier "
                   "and declaration each came from"},
        "contributions": {"type": "array", "items": {"$ref": "#/components/schemas/Contribution"}},
        "findings": {**_FINDINGS, "description": "In the answers to writes: " + _FINDINGS["description"]}}}
    schemas["Contribution"] = {"type": "object", "required": ["id", "status", "document_type"], "properties": {
        "id": {"type": "integer"}, "status": {"enum": ["current", "replaced", "withdrawn"]},
        "document_type": {"type": "string"}, "supplier": {"type": "object"},
        "received_declaration_id": {"type": "integer"}, "source_system": {"type": "string"},
        "source_declaration_id": {"type": "string"}, "declaration_version": {"type": ["integer", "null"]},
        "source_sha256": {"type": ["string", "null"]}, "approved_by": {"type": ["string", "null"]},
        "approved_at": {"type": ["string", "null"], "format": "date-time"},
        "added_at": {"type": "string", "format": "date-time"}, "replaced_by": {"type": ["integer", "null"]},
        "withdrawn_reason": {"type": ["string", "null"]}, "withdrawn_by": {"type": ["string", "null"]},
        "withdrawn_at": {"type": ["string", "null"], "format": "date-time"}}}
    schemas["Revision"] = {"type": "object", "required": ["number", "status", "actor", "created_at"], "properties": {
        "number": {"type": "integer"}, "status": {"enum": ["draft", "published"]}, "actor": {"type": "string"},
        "source_system": {"type": "string"}, "source_declaration_id": {"type": ["string", "null"]},
        "note": {"type": ["string", "null"]}, "public_reason": {"type": ["string", "null"]},
        "override_reason": {"type": ["string", "null"]}, "changed": {"type": "array", "items": {"type": "string"}},
        "created_at": {"type": "string", "format": "date-time"}, "data": {"type": "object"}}}
    schemas["ItemResult"] = {"type": "object", "required": ["index", "status"], "properties": {
        "index": {"type": "integer"}, "status": {"type": "integer"}, "id": {"type": "string"},
        "error": {"$ref": "#/components/schemas/Error/properties/error"}}}
    schemas["BulkResult"] = {"type": "object", "required": ["created", "failed", "results"], "properties": {
        "created": {"type": "integer"}, "failed": {"type": "integer"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/ItemResult"}}}}
    schemas["BulkJob"] = {"type": "object", "required": ["id", "status", "total", "processed", "status_url"],
                          "properties": {
        "id": {"type": "string"}, "status": {"enum": ["queued", "running", "completed", "failed"]},
        "total": {"type": "integer"}, "processed": {"type": "integer"}, "created": {"type": "integer"},
        "failed": {"type": "integer"}, "progress": {"type": "number"}, "status_url": {"type": "string"},
        "webhook_url": {"type": ["string", "null"], "description": "Receives batch.completed"},
        "webhook_secret": {"type": "string", "description": "Only in the 202 answer, when webhook_url was given"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/ItemResult"}}}}
    schemas["ReceivedDeclaration"] = {"type": "object", "required": ["id", "document_type", "passports"],
                                      "properties": {
        "id": {"type": "integer"}, "source_system": {"type": "string"}, "source_declaration_id": {"type": "string"},
        "document_type": {"type": "string"}, "passports": {"type": "array"}, "applied": {"type": "array"},
        "unmatched": {"type": "object"}}}
    schemas.update(_webhook_components())
    schemas.update(io_openapi.components())
    schemas.update(_lifecycle_components())
    return schemas


def _webhook_components() -> dict[str, Any]:
    schemas: dict[str, Any] = dict(payload_schemas()[COMPONENTS_KEY])
    schemas["WebhookSubscription"] = {"type": "object", "required": ["id", "url", "events"], "properties": {
        "id": {"type": "integer"}, "url": {"type": "string"},
        "events": {"type": "array", "items": {"enum": list(EVENT_TYPES)}},
        "description": {"type": ["string", "null"]}, "created_at": {"type": "string", "format": "date-time"},
        "secret": {"type": "string", "description": "Only in the answer to the create: signs every delivery"}}}
    schemas["WebhookDelivery"] = {"type": "object", "required": ["id", "event_id", "event_type", "status"],
                                  "properties": {
        "id": {"type": "integer", "description": f"Sent as {DELIVERY_HEADER} and signed"},
        "event_id": {"type": "integer"}, "event_type": {"enum": list(EVENT_TYPES)},
        "status": {"enum": ["pending", "retrying", "delivered", "failed"]}, "attempts": {"type": "integer"},
        "last_status_code": {"type": ["integer", "null"]}, "last_error": {"type": ["string", "null"]},
        "last_duration_ms": {"type": ["integer", "null"]}, "created_at": {"type": "string", "format": "date-time"},
        "delivered_at": {"type": ["string", "null"], "format": "date-time"},
        "next_attempt_at": {"type": ["string", "null"], "format": "date-time"}}}
    return schemas


_DELIVERY_HEADERS = [
    {"name": DELIVERY_HEADER, "in": "header", "required": True, "schema": {"type": "string"},
     "description": "The delivery's id, the same on every retry: drop ids you have seen"},
    {"name": TIMESTAMP_HEADER, "in": "header", "required": True, "schema": {"type": "string"},
     "description": "Unix seconds when this attempt was signed"},
    {"name": SIGNATURE_HEADER, "in": "header", "required": True, "schema": {"type": "string"},
     "description": "t=<unix seconds>,v2=<hex HMAC-SHA256(secret, \"<delivery id>.<t>.<raw body>\")>; "
                    "reject a signature that does not match or a t more than 300 s from your clock"},
    {"name": "X-Portal-Event", "in": "header", "required": True, "schema": {"enum": list(EVENT_TYPES)}}]


def _webhooks() -> dict[str, Any]:
    """The OpenAPI 3.1 `webhooks` object: what we POST to a subscription's URL, per event type."""
    return {event_type: {"post": {
        "summary": payload_schemas()[event_type]["summary"], "operationId": f"webhook_{event_type}",
        "parameters": _DELIVERY_HEADERS,
        "requestBody": {"required": True, "content": {"application/json": {"schema": envelope_schema(event_type)}}},
        "responses": {"2XX": {"description": "Received. Any other answer, or none within 10 s, is retried "
                                             "with growing delays (up to 8 attempts)"}}}}
        for event_type in EVENT_TYPES}


def _webhook_paths() -> dict[str, Any]:
    sub_id = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    subscription = {"$ref": "#/components/schemas/WebhookSubscription"}
    return {
        "/webhooks": {
            "post": {"summary": "Subscribe a URL to events; the answer carries the signing secret, once",
                     "parameters": [_IDEMPOTENCY], "requestBody": _body("WebhookCreate"),
                     "responses": {"201": _json(subscription, "Created"), "200": _json(subscription, "Replayed"),
                                   **_WRITE}},
            "get": {"summary": "This key's webhook subscriptions",
                    "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {
                        "items": {"type": "array", "items": subscription}}}), **_COMMON}}},
        "/webhooks/{id}": {
            "get": {"summary": "One of this key's subscriptions", "parameters": sub_id,
                    "responses": {"200": _json(subscription), "404": _err("No such subscription"), **_COMMON}},
            "delete": {"summary": "Delete a subscription: nothing more is sent to it (its log stays)",
                       "parameters": sub_id + [_IDEMPOTENCY],
                       "responses": {"200": _json({"type": "object"}), "404": _err("No such subscription"),
                                     **_WRITE}}},
        "/webhooks/{id}/deliveries": {"get": {
            "summary": "The subscription's deliveries, newest first, with their last attempt",
            "parameters": sub_id + [
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                {"name": "before", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1},
                 "description": "next_before of the previous page"}],
            "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookDelivery"}},
                "next_before": {"type": ["integer", "null"]}}}), "400": _err("Invalid parameter"),
                "404": _err("No such subscription"), **_COMMON}}},
    }


def _paths() -> dict[str, Any]:
    list_params = [{"name": n, "in": "query", "required": False, "schema": s} for n, s in (
        ("gtin", {"type": "string"}), ("lot", {"type": "string"}), ("serial", {"type": "string"}),
        ("part_number", {"type": "string"}), ("status", {"enum": ["draft", "published"]}),
        ("level", {"enum": ["model", "batch", "item"]}), ("updated_since", {"type": "string", "format": "date-time"}),
        ("limit", {"type": "integer", "minimum": 1, "maximum": 200}), ("cursor", {"type": "string"}))]
    page = {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": _PASSPORT}, "next_cursor": {"type": ["string", "null"]}}}
    return {
        "/passports": {
            "post": {"summary": "Create a passport (revision 1)", "parameters": [_IDEMPOTENCY],
                     "requestBody": _body("PassportCreate"),
                     "responses": {"201": _json(_PASSPORT, "Created"), "200": _json(_PASSPORT, "Replayed"), **_WRITE}},
            "get": {"summary": "List passports (filters, cursor pagination, oldest first)", "parameters": list_params,
                    "responses": {"200": _json(page), "400": _err("Invalid filter"), **_COMMON}}},
        "/passports/{id}": {
            "get": {"summary": "Read a passport, now or at a point in time",
                    "parameters": _ID + [{"name": "at", "in": "query", "required": False,
                                          "schema": {"type": "string", "format": "date-time"}}],
                    "responses": {"200": _json(_PASSPORT), "400": _err("Invalid time"), "404": _err("No such passport"),
                                  **_COMMON}},
            "patch": {"summary": "Change elements (a new revision)", "parameters": _ID + [_IDEMPOTENCY],
                      "requestBody": _body("PassportPatch"),
                      "responses": {"200": _json(_PASSPORT), "404": _err("No such passport"), **_WRITE}},
            "put": io_openapi.put_operation(_WRITE, _IDEMPOTENCY),
            "delete": {"summary": "Soft-delete a passport (its history stays)", "parameters": _ID + [_IDEMPOTENCY],
                       "responses": {"200": _json({"type": "object"}), "404": _err("No such passport"), **_WRITE}}},
        "/passports/{id}/publish": {"post": {
            "summary": "Publish a draft (a new revision); publishing again changes nothing",
            "parameters": _ID + [_IDEMPOTENCY],
            "requestBody": {"required": False, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Publish"}}}},
            "responses": {"200": _json(_PASSPORT), "404": _err("No such passport"), **_WRITE}}},
        "/passports/{id}/revisions": {"get": {
            "summary": "The passport's revisions, oldest first", "parameters": _ID,
            "responses": {"200": _json({"type": "object", "properties": {"items": {
                "type": "array", "items": {"$ref": "#/components/schemas/Revision"}}}}),
                "404": _err("No such passport"), **_COMMON}}},
        "/passports/{id}/revisions/{number}": {"get": {
            "summary": "One revision with its data",
            "parameters": _ID + [{"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": _json({"$ref": "#/components/schemas/Revision"}),
                          "404": _err("No such passport or revision"), **_COMMON}}},
        "/passports/{id}/qr.png": {"get": {
            "summary": "QR code of the passport's GS1 Digital Link (PNG)", "parameters": _ID,
            "responses": {"200": {"description": "PNG", "content": {"image/png": {}}},
                          "404": _err("No such passport"), **_COMMON}}},
        "/passports/{id}/qr.svg": {"get": {
            "summary": "QR code of the passport's GS1 Digital Link (SVG)", "parameters": _ID,
            "responses": {"200": {"description": "SVG", "content": {"image/svg+xml": {}}},
                          "404": _err("No such passport"), **_COMMON}}},
        "/passports/{id}/serials": {"post": {
            "summary": "Serial-number batch: item passports under a product or lot passport, with their QR and "
                       "GS1 DataMatrix codes as a ZIP when asked for application/zip (up to 1,000; up to 10,000 "
                       "as a bulk job: 202 with status_url and codes_url)",
            "parameters": _ID,
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"type": "object", "additionalProperties": False, "properties": {
                    "count": {"type": "integer", "minimum": 1, "maximum": 10000},
                    "start": {"type": "string", "pattern": "^[0-9]{1,20}$", "default": "1"},
                    "prefix": {"type": "string", "maxLength": 19},
                    "serials": {"type": "array", "minItems": 1, "maxItems": 10000, "items": {"type": "string"}},
                    "status": {"enum": ["draft", "published"]}, "type": {"enum": ["svg", "png"]}}}},
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "csv": {"type": "string", "contentMediaType": "text/csv"},
                    "count": {"type": "string"}, "start": {"type": "string"}, "prefix": {"type": "string"},
                    "status": {"enum": ["draft", "published"]}, "type": {"enum": ["svg", "png"]}}}}}},
            "responses": {"201": {"description": "Created (or already there): the items as JSON, or the ZIP",
                                  "content": {"application/json": {"schema": {"type": "object"}},
                                              "application/zip": {}}},
                          "202": _json({"type": "object"}, "Over 1,000: a bulk job creates them (status_url, codes_url)"),
                          "404": _err("No such passport"), **_WRITE}}},
        "/passports/{id}/codes.zip": {"get": {
            "summary": "QR and GS1 DataMatrix codes of the passport's serialised items, with manifest.csv",
            "parameters": _ID + [{"name": "type", "in": "query", "required": False,
                                  "schema": {"enum": ["svg", "png"], "default": "svg"}},
                                 {"name": "after", "in": "query", "required": False, "schema": {"type": "string"},
                                  "description": "Items with serial numbers after this one (1,000 a ZIP; "
                                                 "Link rel=next names the next page)"}],
            "responses": {"200": {"description": "ZIP", "content": {"application/zip": {}}},
                          "400": _err("type is not svg or png"), "404": _err("No such passport, or no items"),
                          **_COMMON}}},
        "/passports/{id}/documents": {"post": {
            "summary": "Attach a document (PDF, PNG, JPEG) to the passport's documents (a new revision)",
            "parameters": _ID + [_IDEMPOTENCY],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file", "doc_type"], "properties": {
                    "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                    "doc_type": {"enum": DOC_TYPES}, "title": {"type": "string", "maxLength": 300},
                    "language": {"type": "string", "pattern": "^[a-z]{2}(-[A-Z]{2})?$"}}}}}},
            "responses": {"201": _json(_PASSPORT, "Attached"), "200": _json(_PASSPORT, "Replayed"),
                          "404": _err("No such passport"), **_WRITE}}},
        "/passports/validate": {"post": {
            "summary": "Check a passport as a create would, without saving it: the create's error and "
                       "status, or 200 if a create would succeed",
            "requestBody": _body("PassportCreate"),
            "responses": {"200": _json({"type": "object", "required": ["valid", "findings"], "properties": {
                "valid": {"const": True}, "category": {"type": ["string", "null"],
                                                       "description": "The category rule that applied, if any"},
                "findings": _FINDINGS}}, "A create would succeed; the category rules' findings"),
                **{code: answer for code, answer in _WRITE.items() if code != "403"}}}},
        "/passports/bulk": {"post": {
            "summary": "Create up to 1,000 passports; one result per item", "parameters": [_IDEMPOTENCY],
            "requestBody": _body("BulkCreate"),
            "responses": {"200": _json({"$ref": "#/components/schemas/BulkResult"}), **_WRITE}}},
        "/bulk-jobs": {"post": {
            "summary": "Create up to 10,000 passports in the background", "parameters": [_IDEMPOTENCY],
            "requestBody": _body("AsyncBulkCreate"),
            "responses": {"202": _json({"$ref": "#/components/schemas/BulkJob"}, "Accepted"),
                          "200": _json({"$ref": "#/components/schemas/BulkJob"}, "Replayed"), **_WRITE}}},
        "/bulk-jobs/{id}": {"get": {
            "summary": "Progress and per-item results of a bulk job", "parameters": _ID,
            "responses": {"200": _json({"$ref": "#/components/schemas/BulkJob"}), "404": _err("No such job"),
                          **_COMMON}}},
        "/declarations": {"post": {
            "summary": "Receive an approved supplier declaration; it updates the passports of the products it names",
            "parameters": [_IDEMPOTENCY], "requestBody": _body("DeclarationIntake"),
            "responses": {"201": _json({"$ref": "#/components/schemas/ReceivedDeclaration"}, "Received"),
                          "200": _json({"$ref": "#/components/schemas/ReceivedDeclaration"}, "Already received"),
                          **_WRITE}}},
        "/declarations/{id}": {"get": {
            "summary": "A received declaration and the passport versions it made",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": _json({"$ref": "#/components/schemas/ReceivedDeclaration"}),
                          "403": _err(_RESTRICTED), "404": _err("No such declaration"), **_COMMON}}},
        "/passports/{id}/contributions": {"get": {
            "summary": "The suppliers' contributions to a passport (current, replaced, withdrawn)", "parameters": _ID,
            "responses": {"200": _json({"type": "object", "properties": {"items": {
                "type": "array", "items": {"$ref": "#/components/schemas/Contribution"}}}}),
                "403": _err(_RESTRICTED), "404": _err("No such passport"), **_COMMON}}},
        "/passports/{id}/contributions/{contribution}/withdraw": {"post": {
            "summary": "Withdraw a supplier's contribution with a reason (a new revision without it)",
            "parameters": _ID + [{"name": "contribution", "in": "path", "required": True,
                                  "schema": {"type": "integer"}}, _IDEMPOTENCY],
            "requestBody": _body("WithdrawContribution"),
            "responses": {"200": _json(_PASSPORT), "404": _err("No such passport or contribution"), **_WRITE}}},
        "/push-attempts": {"get": {
            "summary": "The portal's call log: every request it made to push approved declarations, newest first",
            "parameters": [{"name": "limit", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                           {"name": "before", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 1},
                            "description": "next_before of the previous page"}],
            "responses": {"200": _json({"type": "object", "properties": {
                "items": {"type": "array", "items": {"type": "object"}},
                "next_before": {"type": ["integer", "null"]}}}), "400": _err("Invalid parameter"), **_COMMON}}},
        "/declarations/{id}/links": {"post": {
            "summary": "Name more products (GTINs, part numbers) for a received declaration: applied to their "
                       "passports now, and to passports created for them later",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}, _IDEMPOTENCY],
            "requestBody": _body("DeclarationLinks"),
            "responses": {"200": _json({"$ref": "#/components/schemas/ReceivedDeclaration"}),
                          "404": _err("No such declaration"), **_WRITE}}},
        "/sandbox/wipe": {"post": {
            "summary": "Sandbox keys only: delete every sandbox passport, revision and bulk job",
            "parameters": [_IDEMPOTENCY],
            "responses": {"200": _json({"type": "object", "required": ["wiped"], "properties": {
                "wiped": {"const": True}, "passports": {"type": "integer"}, "revisions": {"type": "integer"},
                "bulk_jobs": {"type": "integer"}}}),
                **_WRITE, "403": _err("INSUFFICIENT_SCOPE, or SANDBOX_ONLY: a live key cannot wipe")}}},
        **_webhook_paths(),
        **_lifecycle_paths(),
        **io_openapi.paths(_COMMON, _WRITE, _IDEMPOTENCY),
    }


def _write_security(paths: dict[str, Any]) -> dict[str, Any]:
    """Writes (the operations that can answer INSUFFICIENT_SCOPE) need an OAuth2 token with `write`."""
    for item in paths.values():
        for operation in item.values():
            if "403" in operation.get("responses", {}):
                operation["security"] = [{"ApiKey": []}, {"OAuth2": ["write"]}]
    return paths


def _lifecycle_paths() -> dict[str, Any]:
    """Lifecycle events, inclusion proofs, Merkle roots and the public verification."""
    event = {"$ref": "#/components/schemas/LifecycleEvent"}
    gtin = {"name": "gtin", "in": "path", "required": True, "schema": {"type": "string"}}
    lot, serial = ({"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                   for name in ("lot", "serial"))
    verdict = _json({"$ref": "#/components/schemas/Verification"})
    earlier = [{"name": "root", "in": "query", "required": False,
                "description": "Check against this earlier Merkle root (64 hex digits) instead of the latest",
                "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$", "title": "64 hexadecimal digits"}},
               {"name": "date", "in": "query", "required": False,
                "description": "Check against the Merkle root computed on this UTC day (YYYY-MM-DD) instead of the latest",
                "schema": {"type": "string", "format": "date"}}]
    verify_errors = {"404": _err("No published passport, or no such root"),
                     "429": _err("More verifications from this address than VERIFY_RATE_LIMIT_PER_MINUTE; "
                                 "see Retry-After")}
    public = {"security": []}
    return {
        "/passports/{id}/events": {
            "post": {"summary": "Record a lifecycle event (manufactured, serviced, recycled, …); append-only, "
                                "the passport's data does not change", "parameters": _ID + [_IDEMPOTENCY],
                     "requestBody": _body("LifecycleEventCreate"),
                     "responses": {"201": _json(event, "Recorded"), "200": _json(event, "Replayed"),
                                   "404": _err("No such passport"), **_WRITE}},
            "get": {"summary": "The passport's lifecycle events, oldest first, and its lifecycle status",
                    "parameters": _ID,
                    "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {
                        "lifecycle_status": {"type": ["string", "null"]},
                        "items": {"type": "array", "items": event}}}), "404": _err("No such passport"), **_COMMON}}},
        "/passports/{id}/proof": {"get": {
            "summary": "Inclusion proof of the passport's hash chain head in the latest Merkle root "
                       "(or the one named by root or date)",
            "parameters": _ID + earlier,
            "responses": {"200": _json({"$ref": "#/components/schemas/InclusionProof"}),
                          "400": _err("A malformed root or date, or both given"),
                          "404": _err("No such passport or root, or the passport is not in the root"), **_COMMON}}},
        "/merkle-roots/latest": {"get": {
            **public, "summary": "The latest Merkle root over every passport's hash chain (public)",
            "responses": {"200": _json({"type": "object", "required": ["merkleRoot", "computedAt"], "properties": {
                "merkleRoot": {"type": "string"}, "id": {"type": "integer"}, "day": {"type": "string"},
                "computedAt": {"type": "string", "format": "date-time"}, "leafCount": {"type": "integer"},
                "anchoredAt": {"type": ["string", "null"], "format": "date-time",
                               "description": "Always null: the root is not anchored on an external ledger"}}}),
                "404": _err("No root computed yet")}}},
        "/verify/{gtin}": {"get": {
            **public, "summary": "Check a published product passport's history against its hash chain and "
                                 "the latest Merkle root, or an earlier one named by root or date (public)",
            "parameters": [gtin, *earlier],
            "responses": {"200": verdict, "400": _err("Not a valid GTIN, root or date"), **verify_errors}}},
        "/verify/{gtin}/lot/{lot}": {"get": {
            **public, "summary": "The same check for a published lot (batch) passport (public)",
            "parameters": [gtin, lot, *earlier], "responses": {"200": verdict, "400": _err("Not a valid GTIN, lot, root or date"),
                                                     **verify_errors}}},
        "/verify/{gtin}/serial/{serial}": {"get": {
            **public, "summary": "The same check for a published item passport without a lot (public)",
            "parameters": [gtin, serial, *earlier], "responses": {"200": verdict, "400": _err("Not a valid GTIN, serial, root or date"),
                                                        **verify_errors}}},
        "/verify/{gtin}/lot/{lot}/serial/{serial}": {"get": {
            **public, "summary": "The same check for a published item passport of a lot (public)",
            "parameters": [gtin, lot, serial, *earlier],
            "responses": {"200": verdict, "400": _err("Not a valid GTIN, lot, serial, root or date"), **verify_errors}}},
    }


def _lifecycle_components() -> dict[str, Any]:
    text = {"type": ["string", "null"]}
    return {
        "LifecycleEvent": {"type": "object", "required": ["id", "event_type", "occurred_at"], "properties": {
            "id": {"type": "string"}, "event_type": {"type": "string"}, "label": {"type": "string"},
            "occurred_at": {"type": "string", "format": "date-time"}, "serial": text, "location": text,
            "note": text, "actor": text, "evidence": {"type": ["object", "null"]}, "recorded_by": {"type": "string"},
            "recorded_at": {"type": "string", "format": "date-time"}}},
        "InclusionProof": {"type": "object", "required": ["merkleRoot", "leaf", "path"], "properties": {
            "passportId": {"type": "string"}, "merkleRoot": {"type": "string"}, "rootId": {"type": "integer"},
            "computedAt": {"type": "string", "format": "date-time"}, "anchoredAt": {"type": "null"},
            "leafIndex": {"type": "integer"}, "leafCount": {"type": "integer"}, "chainLength": {"type": "integer"},
            "chainHead": {"type": "string"},
            "leaf": {"type": "string", "description": "SHA-256(0x00 ‖ \"<passport id>:<chain length>:<chain head>\")"},
            "path": {"type": "array", "description": "Siblings from the leaf up: node = SHA-256(0x01 ‖ left ‖ right)",
                     "items": {"type": "object", "properties": {"position": {"enum": ["left", "right"]},
                                                                "hash": {"type": "string"}}}}}},
        "Verification": {"type": "object", "required": ["matchesCurrentData", "proofValid", "merkleRoot",
                                                        "anchoredAt"], "properties": {
            "passportId": {"type": "string"}, "gtin": {"type": "string"}, "lot": text, "serial": text,
            "version": {"type": "integer"},
            "matchesCurrentData": {"type": "boolean", "description": "Every revision and event still matches "
                                   "the hash chain recorded when it was written"},
            "proofValid": {"type": "boolean", "description": "The history leads to the chain head that the "
                           "latest Merkle root (or the one named by root or date) includes"},
            "merkleRoot": text, "rootComputedAt": {"type": ["string", "null"], "format": "date-time"},
            "anchoredAt": {"type": "null", "description": "No external ledger"},
            "chainLength": {"type": "integer"}, "chainHead": {"type": "string"},
            "problems": {"type": "array", "items": {"type": "string"}},
            "verifiedAt": {"type": "string", "format": "date-time"}}},
    }


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Supplier Declaration Portal — passport store API", "version": "1.0.0",
                 "description": "Digital Product Passports by GTIN (lot and serial levels), immutable revisions, "
                                "bulk creation and approved supplier declarations. Errors: "
                                "{\"error\": {\"code\", \"message\", \"details\"}}."},
        "servers": [{"url": "/api/v1"}],
        # either scheme, wherever: an API key, or an OAuth2 bearer token (client credentials)
        "security": [{"ApiKey": []}, {"OAuth2": ["read"]}],
        "components": {"securitySchemes": {
            "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                       "description": "sdp_… (live) or sdp_test_… (sandbox: its data is never public). A key's "
                       "scope decides what it reads of a passport (schemas/passport/access.json): `read` the "
                       "public fields, `passport:restricted` (authorised recyclers, repairers, market "
                       "surveillance; time-limited) the restricted ones too, `write` everything, private fields "
                       "included. Fields a key may not read are left out of every answer."},
            "OAuth2": {"type": "oauth2", "description": "Client credentials (client_secret_basic or "
                       "client_secret_post); tokens last 15 minutes and can be revoked at /oauth/revoke (RFC 7009)",
                       "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {
                           "read": "Read passports, jobs and subscriptions (public passport fields)",
                           "passport:restricted": "Read restricted passport fields too (recyclers, repairers, "
                                                  "market surveillance)",
                           "write": "Create and change them (includes read; reads every field)"}}}}},
                       "schemas": _components()},
        "paths": _write_security(_paths()),
        "webhooks": _webhooks(),
    }
