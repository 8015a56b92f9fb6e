"""Strict HTTP for /api/v1, driven by the OpenAPI document: a method the document does not declare
on a path it does declare answers 405 with `Allow`; OPTIONS answers with the same `Allow`; every
declared query parameter is checked against its schema before any view runs (an empty
`updated_since=` is a mistake to report, not a filter to drop)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Optional

from flask import Response, request
from jsonschema import Draft202012Validator

from .errors import ApiError
from .openapi import openapi_document

PREFIX = "/api/v1"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
EXTRA_PATHS = {"/openapi.json": {"get": {}}}   # served by the blueprint, not described in itself
_INTEGER = re.compile(r"^-?[0-9]{1,18}$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_time(value: str, name: str) -> datetime:
    """An ISO 8601 time from 1900 to 9000 (UTC if no offset), or a VALIDATION error naming `name`."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
        parsed = (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        if not 1900 <= parsed.year <= 9000:
            raise ValueError
    except (ValueError, OverflowError):
        raise ApiError("VALIDATION", f"{name}: an ISO 8601 time such as 2026-06-01T00:00:00Z.",
                       [{"path": f"?{name}", "message": "not an ISO 8601 date-time from 1900 to 9000"}]) from None
    return parsed


@lru_cache(maxsize=1)
def _routes() -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    """(pattern, path item) per documented path; literal paths before templated ones, so that
    /passports/bulk is not taken for /passports/{id}."""
    paths = {**openapi_document()["paths"], **EXTRA_PATHS}
    routes = []
    for template, item in paths.items():
        pattern = "".join(r"[^/]+" if part.startswith("{") else re.escape(part)
                          for part in re.split(r"(\{[^}]+\})", template))
        routes.append((template.count("{"), re.compile(f"^{pattern}$"), item))
    return [(pattern, item) for _, pattern, item in sorted(routes, key=lambda r: r[0])]


def path_item(path: str) -> Optional[dict[str, Any]]:
    """The OpenAPI path item that `path` (below /api/v1) falls under, or None."""
    return next((item for pattern, item in _routes() if pattern.match(path)), None)


def allowed_methods(item: dict[str, Any]) -> str:
    declared = [m.upper() for m in METHODS if m in item]
    if "GET" in declared:
        declared.append("HEAD")   # answered by Flask for every GET
    return ", ".join(declared + ["OPTIONS"])


def check_request() -> Optional[Response]:
    """Before authentication: which methods a path takes is public (the document says so)."""
    item = path_item(request.path[len(PREFIX):])
    if item is None:
        return None   # unknown path: the catch-all answers 404
    method = request.method.lower()
    if method == "options":
        return Response(status=204, headers={"Allow": allowed_methods(item)})
    operation = item.get("get" if method == "head" else method)
    if operation is None:
        response, _ = ApiError("METHOD_NOT_ALLOWED", f"{request.method} is not a method of this resource; "
                               f"it takes {allowed_methods(item)}.").response()
        response.status_code = 405
        response.headers["Allow"] = allowed_methods(item)
        return response
    _check_query(operation.get("parameters", []))
    return None


def _check_query(parameters: list[dict[str, Any]]) -> None:
    for parameter in parameters:
        name = parameter["name"]
        if parameter["in"] != "query" or name not in request.args:
            continue
        schema = parameter.get("schema", {})
        raw = request.args[name]
        value: Any = int(raw) if schema.get("type") == "integer" and _INTEGER.match(raw) else raw
        errors = list(Draft202012Validator(schema).iter_errors(value))
        if errors:
            raise ApiError("VALIDATION", f"{name}: {_expected(schema)}.",
                           [{"path": f"?{name}", "message": errors[0].message[:200]}])
        if schema.get("format") == "date-time":
            parse_time(raw, name)
        if schema.get("format") == "date" and not _is_day(raw):
            raise ApiError("VALIDATION", f"{name}: {_expected(schema)}.",
                           [{"path": f"?{name}", "message": "not a calendar day as YYYY-MM-DD"}])


def _is_day(value: str) -> bool:
    try:
        return bool(_DAY.match(value)) and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _expected(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if schema.get("type") == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        return f"a whole number of at least {low}" if low is not None else "a whole number"
    if schema.get("format") == "date-time":
        return "an ISO 8601 time such as 2026-06-01T00:00:00Z"
    if schema.get("format") == "date":
        return "a day such as 2026-06-01"
    return schema.get("title") or "a valid value"   # a pattern's expectation in words
