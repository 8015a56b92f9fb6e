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
        "contributions": {"type": "array", "items": {"$ref": "#/components/schemas/Contribution"}}}}
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
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/ItemResult"}}}}
    schemas["ReceivedDeclaration"] = {"type": "object", "required": ["id", "document_type", "passports"],
                                      "properties": {
        "id": {"type": "integer"}, "source_system": {"type": "string"}, "source_declaration_id": {"type": "string"},
        "document_type": {"type": "string"}, "passports": {"type": "array"}, "applied": {"type": "array"},
        "unmatched": {"type": "object"}}}
    schemas.update(_webhook_components())
    schemas.update(io_openapi.components())
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
            "responses": {"200": _json({"type": "object", "required": ["valid"], "properties": {
                "valid": {"const": True}}}, "A create would succeed"),
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
        **_webhook_paths(),
        **io_openapi.paths(_COMMON, _WRITE, _IDEMPOTENCY),
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
        "security": [{"ApiKey": []}],
        "components": {"securitySchemes": {"ApiKey": {
            "type": "apiKey", "in": "header", "name": "X-API-Key",
            "description": "A key's scope decides what it reads of a passport (schemas/passport/access.json): `read` "
                           "the public fields, `passport:restricted` (authorised recyclers, repairers, market "
                           "surveillance; time-limited) the restricted ones too, `write` everything, private "
                           "fields included. Fields a key may not read are left out of every answer."}},
                       "schemas": _components()},
        "paths": _paths(),
        "webhooks": _webhooks(),
    }
