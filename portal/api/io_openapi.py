"""The OpenAPI description of spreadsheet import, exports, PUT and the generated declaration of
conformity (kept beside openapi.py, which merges these paths in)."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}
_PASSPORT = {"$ref": "#/components/schemas/Passport"}
_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _json(schema: Any, description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _err(description: str) -> dict[str, Any]:
    return _json(_ERROR, description)


def _filters() -> list[dict[str, Any]]:
    return [
        {"name": "status", "in": "query", "required": False, "schema": {"enum": ["draft", "published"]}},
        {"name": "category", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 200},
         "description": "The product category (data.product.category), any case"},
        {"name": "updated_since", "in": "query", "required": False,
         "schema": {"type": "string", "format": "date-time"}}]


def components() -> dict[str, Any]:
    row = {"type": "object", "required": ["row", "status"], "properties": {
        "row": {"type": "integer", "description": "The spreadsheet row (row 1 holds the column names)"},
        "status": {"type": "integer", "description": "201 created, or the status a single create would answer"},
        "id": {"type": "string"}, "code": {"type": "string"},
        "messages": {"type": "array", "items": {"type": "string"},
                     "description": "What is wrong, per column: \"Product weight (kg): 'abc' is not a number\""}}}
    job = {"type": "object", "required": ["id", "status", "total", "processed", "status_url"], "properties": {
        "id": {"type": "string"}, "status": {"enum": ["queued", "running", "completed", "failed"]},
        "total": {"type": "integer"}, "processed": {"type": "integer"}, "created": {"type": "integer"},
        "failed": {"type": "integer"}, "progress": {"type": "number"}, "status_url": {"type": "string"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/ImportRow"}}}}
    return {"ImportRow": row, "ImportJob": job, "ImportResult": {
        "type": "object", "required": ["created", "failed", "results"], "properties": {
            "created": {"type": "integer"}, "failed": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/ImportRow"}}}}}


def paths(common: dict[str, Any], write: dict[str, Any], idempotency: dict[str, Any]) -> dict[str, Any]:
    template = {"get": {
        "summary": "The import template: one column per passport field, with readable names (no key needed)",
        "security": [],
        "responses": {"200": {"description": "The template", "content": {"text/csv": {}, XLSX: {}}}}}}
    return {
        "/passports/template.csv": template,
        "/passports/template.xlsx": template,
        "/passports/import": {"post": {
            "summary": "Import passports from a CSV or XLSX file in the template's columns: up to 1,000 rows are "
                       "answered at once, row by row; more (up to 10,000), or mode=async, run as a job",
            "parameters": [idempotency],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"], "properties": {
                    "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                    "mode": {"enum": ["auto", "async"]}}}}}},
            "responses": {"200": _json({"$ref": "#/components/schemas/ImportResult"}, "Imported, row by row"),
                          "202": _json({"$ref": "#/components/schemas/ImportJob"}, "Accepted as a job"),
                          **write}}},
        "/passports/import/{id}": {"get": {
            "summary": "Progress and row-by-row results of an import job", "parameters": _ID,
            "responses": {"200": _json({"$ref": "#/components/schemas/ImportJob"}), "404": _err("No such import"),
                          **common}}},
        "/exports/passports.csv": _export("CSV in the template's columns (streamed)", "text/csv", common),
        "/exports/passports.xlsx": _export("Excel workbook in the template's columns", XLSX, common),
        "/exports/passports.jsonl": _export("JSON lines: one passport, as GET /passports/{id}, per line "
                                            "(streamed)", "application/jsonl", common),
        "/exports/epr.csv": _epr("text/csv", common),
        "/exports/epr.xlsx": _epr(XLSX, common),
        "/passports/{id}/declaration-of-conformity": {"post": {
            "summary": "Write the passport's EU declaration of conformity as PDF (product, manufacturer, "
                       "legislation, standards, signatory) and attach it to its documents (a new revision)",
            "parameters": _ID + [idempotency],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/DeclarationOfConformity"}}}},
            "responses": {"201": _json(_PASSPORT, "Attached"), "200": _json(_PASSPORT, "Replayed"),
                          "404": _err("No such passport"), **write}}},
    }


def put_operation(write: dict[str, Any], idempotency: dict[str, Any]) -> dict[str, Any]:
    return {"summary": "Replace the passport's data as a whole (a new revision; elements left out are removed)",
            "parameters": _ID + [idempotency],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/PassportReplace"}}}},
            "responses": {"200": _json(_PASSPORT), "404": _err("No such passport"), **write}}


def _export(what: str, media: str, common: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"summary": f"Passports (current revision) as {what}", "parameters": _filters(),
                    "responses": {"200": {"description": what, "content": {media: {}}},
                                  "400": _err("Invalid filter"), **common}}}


def _epr(media: str, common: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"summary": "EPR report: per product category and country, units, weight, materials and "
                               "recycled content (kg and %)", "parameters": _filters(),
                    "responses": {"200": {"description": "The report", "content": {media: {}}},
                                  "400": _err("Invalid filter"), **common}}}
