"""The API reference as a page people (and screen readers) can read: built from the very OpenAPI
document served at /api/v1/openapi.json, so it can never say something else. Each operation
gets its method, path, who may call it, its parameters, its request body and its answers; each
data structure its fields. Types are said in words ("whole number from 1 to 200", "date and time
(ISO 8601)"); patterns (regular expressions) are never shown, the field's description says what
it takes. Sections and their headings are data (data/reference_sections.json).
"""

from __future__ import annotations

import fnmatch
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

SECTIONS_FILE = Path(__file__).parent / "data" / "reference_sections.json"
METHODS = ("get", "post", "put", "patch", "delete")
WHERE = {"path": "path", "query": "query", "header": "header", "cookie": "cookie"}
FORMATS = {"date-time": "date and time (ISO 8601)", "date": "date (YYYY-MM-DD)", "uri": "URL",
           "email": "e-mail address", "uuid": "UUID"}
MAX_DEPTH = 3   # nested fields listed as product.name, materials[].name; deeper ones stay "object"


@lru_cache(maxsize=1)
def _sections() -> list[dict[str, Any]]:
    return json.loads(SECTIONS_FILE.read_text(encoding="utf-8"))["sections"]


_NAMED = re.compile(r"`([^`]+)`|(?<![\w/.:#~-])(/[\w.{}-]+(?:/[\w.{}-]+)+)|\b([a-z_]{2,}(?:\.[a-z_]{2,})+)\b")


def prose(text: str | None) -> Markup:
    """A description with its `backticked` names, the paths (/oauth/revoke) and the fields
    (data.product.name) it names as code."""
    out, at = Markup(""), 0
    text = text or ""
    for match in _NAMED.finditer(text):
        out += escape(text[at:match.start()]) + Markup("<code>{}</code>").format(
            next(group for group in match.groups() if group))
        at = match.end()
    return out + escape(text[at:])


def _code(value: Any) -> Markup:
    return Markup("<code>{}</code>").format(json.dumps(value, ensure_ascii=False) if not isinstance(value, str)
                                            else value)


class Reference:
    """The reference of one OpenAPI document (its `$ref`s resolve against it)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document
        self.schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
        self.base = ((document.get("servers") or [{}])[0].get("url") or "").rstrip("/")

    # --- types in words ---------------------------------------------------------------------

    def _target(self, ref: str) -> tuple[str, dict]:
        name = ref.rsplit("/", 1)[-1]
        return name, self.schemas.get(name, {})

    def is_structure(self, node: dict) -> bool:
        """A schema with fields of its own (listed under Data structures, linked to)."""
        return node.get("type") == "object" or "properties" in node

    def type_words(self, node: Any) -> Markup:
        if not isinstance(node, dict) or not node:
            return Markup("any value")
        if "$ref" in node:
            name, target = self._target(node["$ref"])
            if self.is_structure(target):
                return Markup('<a href="#schema-{0}">{0}</a>').format(name)
            return self.type_words(target)   # a small shared type (a date, a country code): said inline
        if "const" in node:
            return _code(node["const"])
        if "enum" in node:
            return Markup("one of ") + Markup(", ").join(_code(v) for v in node["enum"])
        for key in ("anyOf", "oneOf"):
            if key in node:
                return Markup(" or ").join(self.type_words(option) for option in node[key])
        kinds = node.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds] if kinds else (["object"] if "properties" in node else [])
        if not kinds:
            return Markup("any value")
        return Markup(" or ").join(self._one_type(kind, node) for kind in kinds)

    def _one_type(self, kind: str, node: dict) -> Markup:
        if kind == "string":
            if node.get("contentMediaType"):
                return Markup("a file")
            words = FORMATS.get(node.get("format", ""), "text")
            if node.get("maxLength"):
                words += f", up to {node['maxLength']:,} characters"
            return escape(words)
        if kind in ("integer", "number"):
            words = "whole number" if kind == "integer" else "number"
            low, high = node.get("minimum", node.get("exclusiveMinimum")), node.get("maximum")
            if low is not None and high is not None:
                words += f" from {low:,} to {high:,}"
            elif low is not None:
                words += f" of at least {low:,}" if "minimum" in node else f" above {low:,}"
            elif high is not None:
                words += f" of at most {high:,}"
            return escape(words)
        if kind == "boolean":
            return Markup("true or false")
        if kind == "null":
            return Markup("null")
        if kind == "array":
            words = Markup("list of ") + self.type_words(node.get("items"))
            if node.get("maxItems"):
                words += escape(f" (up to {node['maxItems']:,})")
            return words
        props = node.get("properties") or {}
        if props and len(props) <= 8:   # an answer's own small wrapper: {items, next_cursor}
            return Markup("object with ") + Markup(", ").join(
                Markup("{} ({})").format(_code(name), self.type_words(prop) if "properties" not in prop
                                         else Markup("object")) for name, prop in props.items())
        return Markup("object")

    # --- fields -------------------------------------------------------------------------------

    def fields(self, node: Any, prefix: str = "", depth: int = 0) -> list[dict[str, Any]]:
        """An object schema's fields, with inline nested objects as product.name, materials[].name."""
        if not isinstance(node, dict):
            return []
        if "$ref" in node and depth == 0:
            node = self._target(node["$ref"])[1]
        required = set(node.get("required") or [])
        rows = []
        for name, prop in (node.get("properties") or {}).items():
            prop = prop if isinstance(prop, dict) else {}
            rows.append({"name": prefix + name, "type": self.type_words(prop), "required": name in required,
                         "description": prose(prop.get("description")),
                         "default": _code(prop["default"]) if "default" in prop else None})
            if depth + 1 < MAX_DEPTH and "$ref" not in prop:
                if "properties" in prop:
                    rows += self.fields(prop, f"{prefix}{name}.", depth + 1)
                elif isinstance(prop.get("items"), dict) and "properties" in prop["items"]:
                    rows += self.fields(prop["items"], f"{prefix}{name}[].", depth + 1)
        return rows

    # --- operations ---------------------------------------------------------------------------

    def _parameter(self, param: dict) -> dict[str, Any]:
        return {"name": param.get("name", ""), "where": WHERE.get(param.get("in", ""), param.get("in", "")),
                "required": bool(param.get("required")), "type": self.type_words(param.get("schema")),
                "description": prose(param.get("description"))}

    def _body(self, body: dict | None) -> dict[str, Any] | None:
        if not body:
            return None
        content = body.get("content") or {}
        schema = next((c.get("schema") for c in content.values() if c.get("schema")), None)
        inline = isinstance(schema, dict) and "$ref" not in schema and "properties" in schema
        return {"media": list(content), "required": bool(body.get("required")),
                "type": self.type_words(schema) if schema else None,
                "fields": self.fields(schema) if inline else [], "description": prose(body.get("description"))}

    def _responses(self, responses: dict) -> list[dict[str, Any]]:
        out = []
        for status, answer in responses.items():
            content = answer.get("content") or {}
            bodies = [{"media": media, "type": self.type_words(c["schema"]) if c.get("schema") else None}
                      for media, c in content.items()]
            out.append({"status": status, "meaning": prose(answer.get("description")), "bodies": bodies})
        return sorted(out, key=lambda r: r["status"])

    def operation(self, path: str, method: str, op: dict, shared: list[dict]) -> dict[str, Any]:
        slug = re.sub(r"[^a-z0-9]+", "-", f"{method} {path}".lower()).strip("-")
        params = {(p.get("in"), p.get("name")): p for p in shared + (op.get("parameters") or [])}
        return {"id": f"op-{slug}", "method": method.upper(), "path": self.base + path,
                "summary": op.get("summary") or f"{method.upper()} {path}", "description": prose(op.get("description")),
                "public": op.get("security") == [], "parameters": [self._parameter(p) for p in params.values()],
                "body": self._body(op.get("requestBody")), "responses": self._responses(op.get("responses") or {})}

    def sections(self) -> list[dict[str, Any]]:
        placed: dict[str, list] = {s["id"]: [] for s in _sections()}
        more: list[dict] = []
        for path, item in (self.doc.get("paths") or {}).items():
            section = next((s["id"] for s in _sections() if any(fnmatch.fnmatchcase(path, p) for p in s["paths"])),
                           None)
            for method in METHODS:
                if method in item:
                    op = self.operation(path, method, item[method], item.get("parameters") or [])
                    (placed[section] if section else more).append(op)
        out = [{**s, "operations": placed[s["id"]]} for s in _sections() if placed[s["id"]]]
        if more:
            out.append({"id": "more", "title": "More operations", "intro": "", "operations": more})
        return out

    # --- the rest -----------------------------------------------------------------------------

    def structures(self) -> list[dict[str, Any]]:
        return [{"name": name, "id": f"schema-{name}", "description": prose(node.get("description") or node.get("title")),
                 "fields": self.fields(node)}
                for name, node in self.schemas.items() if self.is_structure(node)]

    def webhooks(self) -> list[dict[str, Any]]:
        out = []
        for event, item in (self.doc.get("webhooks") or {}).items():
            op = item.get("post") or {}
            body = self._body(op.get("requestBody"))
            out.append({"event": event, "id": "event-" + re.sub(r"[^a-z0-9]+", "-", event.lower()),
                        "summary": op.get("summary") or event, "payload": body["type"] if body else None,
                        "headers": [self._parameter(p) for p in op.get("parameters") or []]})
        return out

    def authentication(self) -> list[dict[str, Any]]:
        out = []
        for name, scheme in (self.doc.get("components", {}).get("securitySchemes") or {}).items():
            flows = scheme.get("flows") or {}
            flow = next(iter(flows.values()), {})
            out.append({"name": name, "kind": scheme.get("type"), "header": scheme.get("name"),
                        "description": prose(scheme.get("description")), "token_url": flow.get("tokenUrl"),
                        "scopes": [(scope, prose(words)) for scope, words in (flow.get("scopes") or {}).items()]})
        return out

    def page(self) -> dict[str, Any]:
        info = self.doc.get("info") or {}
        return {"title": info.get("title", "API reference"), "version": info.get("version"),
                "description": prose(info.get("description")), "base": self.base,
                "authentication": self.authentication(), "sections": self.sections(),
                "structures": self.structures(), "webhooks": self.webhooks()}
