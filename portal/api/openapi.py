"""The OpenAPI 3.1 document served at /api/v1/openapi.json."""

_ERROR = {"$ref": "#/components/schemas/Error"}


def _err(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Supplier Declaration Portal — passport store API", "version": "1.0.0",
             "description": "Passports receive approved supplier declarations as immutable revisions."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"ApiKey": []}],
    "components": {
        "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"enum": ["VALIDATION", "INVALID_API_KEY", "NOT_FOUND", "GTIN_EXISTS",
                                                 "COMPOSITION_INVALID", "RATE_LIMITED"]},
                               "message": {"type": "string"}, "details": {}}}}},
            "PassportCreate": {"type": "object", "required": ["data", "source_system"], "properties": {
                "data": {"type": "object"}, "source_system": {"type": "string", "minLength": 1},
                "source_declaration_id": {"type": ["string", "null"]}, "note": {"type": ["string", "null"]}}},
            "Revision": {"type": "object", "properties": {
                "number": {"type": "integer"}, "actor": {"type": "string"}, "source_system": {"type": "string"},
                "source_declaration_id": {"type": ["string", "null"]}, "note": {"type": ["string", "null"]},
                "created_at": {"type": "string", "format": "date-time"}}},
            "Passport": {"type": "object", "properties": {
                "id": {"type": "string"}, "gtin": {"type": ["string", "null"]}, "lot": {"type": ["string", "null"]},
                "serial": {"type": ["string", "null"]}, "status": {"enum": ["draft", "published"]},
                "current_revision": {"type": "integer"}, "data": {"type": ["object", "null"]},
                "revisions": {"type": "array", "items": {"$ref": "#/components/schemas/Revision"}}}},
        },
    },
    "paths": {
        "/passports": {"post": {
            "summary": "Create a passport from a record (revision 1)",
            "parameters": [{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"},
                            "description": "Repeating a request with the same key returns the first result."}],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/PassportCreate"}}}},
            "responses": {"201": {"description": "Created", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Passport"}}}},
                "200": {"description": "Already created with this Idempotency-Key"},
                "400": _err("Invalid body"), "401": _err("Missing or invalid API key")}}},
        "/passports/{id}": {"get": {
            "summary": "Read a passport with its current data and revision history",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The passport", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Passport"}}}},
                "401": _err("Missing or invalid API key"), "404": _err("No such passport")}}},
    },
}
