"""Category rules, kept as data in schemas/passport/categories/<id>.json: a product category
(data.product.category: its id, or one of its aliases, in any case) makes elements mandatory and
describes the attributes it adds under data.attributes. The rules report findings in plain words;
they do not refuse a passport (a draft may be incomplete), and on a published passport the
findings are raised as a `compliance.alert` webhook event.

A rule file: {"id", "title", "aliases", "legal_basis",
              "attributes": {name: JSON Schema with a "title"},
              "required": [{"path": JSON pointer into data, "label"}],
              "totals": [{"path", "field", "equals", "label"}]}   (optional: a list summing to a value)"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Optional

from jsonschema import Draft202012Validator

from portal.settings import PROJECT_ROOT

CATEGORY_DIR = PROJECT_ROOT / "schemas" / "passport" / "categories"
TOLERANCE = 0.01


@lru_cache(maxsize=1)
def rules() -> dict[str, dict[str, Any]]:
    """{category id: rule}, read once from the rule files."""
    loaded = {}
    for path in sorted(CATEGORY_DIR.glob("*.json")):
        rule = json.loads(path.read_text(encoding="utf-8"))
        for name, schema in rule.get("attributes", {}).items():
            Draft202012Validator.check_schema(schema)   # a broken rule file fails at start, not per request
            if "title" not in schema:
                raise ValueError(f"{path.name}: attribute {name} needs a title (it is how findings name it)")
        loaded[rule["id"]] = rule
    return loaded


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = {}
    for category_id, rule in rules().items():
        for name in [category_id, rule.get("title", ""), *rule.get("aliases", [])]:
            if name:
                names[name.strip().lower()] = category_id
    return names


def category_of(data: dict[str, Any]) -> Optional[str]:
    """The rule id for the passport's product category, or None (no category, or one without rules)."""
    category = ((data.get("product") or {}).get("category") or "")
    return _names().get(category.strip().lower()) if isinstance(category, str) else None


def findings(data: dict[str, Any]) -> list[dict[str, str]]:
    """What the category's rules find missing or wrong in `data` (a passport's effective data)."""
    category_id = category_of(data)
    if category_id is None:
        return []
    rule = rules()[category_id]
    title = rule["title"].lower()
    found: list[dict[str, str]] = []

    def add(code: str, path: str, message: str) -> None:
        found.append({"category": category_id, "code": code, "path": path, "message": message})

    for required in rule.get("required", []):
        if _missing(_at(data, required["path"])):
            add("MISSING", required["path"], f"A {title} passport lacks its {required['label']}.")
    attributes = data.get("attributes") if isinstance(data.get("attributes"), dict) else {}
    for name, schema in rule.get("attributes", {}).items():
        if name in attributes and not _missing(attributes[name]):
            error = next(iter(Draft202012Validator(schema).iter_errors(attributes[name])), None)
            if error is not None:
                add("INVALID", f"/attributes/{name}", f"The {schema['title']} {_worded(error)}.")
    for total in rule.get("totals", []):
        items = _at(data, total["path"])
        if isinstance(items, list) and items and all(isinstance(i, dict) for i in items):
            values = [i.get(total["field"]) for i in items]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                if abs(sum(values) - total["equals"]) > TOLERANCE:
                    add("INVALID", total["path"], f"The {total['label']} totals {sum(values):g} %, "
                                                  f"not {total['equals']:g} %.")
    return found


def _at(data: Any, pointer: str) -> Any:
    node = data
    for part in pointer.strip("/").split("/"):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _worded(error: Any) -> str:
    """jsonschema's messages, in the words a person reads on a findings list."""
    schema = error.schema
    if error.validator == "enum":
        return "must be one of " + ", ".join(str(v) for v in schema["enum"])
    if error.validator == "type":
        kinds = {"number": "a number", "integer": "a whole number", "string": "text", "boolean": "yes or no (true "
                 "or false)", "array": "a list", "object": "an object"}
        return "must be " + kinds.get(str(schema["type"]), str(schema["type"]))
    if error.validator in ("minimum", "exclusiveMinimum"):
        return f"must be more than {schema[error.validator]}" if error.validator == "exclusiveMinimum" \
            else f"must be at least {schema['minimum']}"
    if error.validator in ("maximum", "maxLength", "maxItems"):
        return f"is too large (at most {schema[error.validator]})"
    if error.validator == "pattern":
        return "is not in the expected form (a two-letter country code such as DE)" \
            if schema["pattern"] == "^[A-Z]{2}$" else "is not in the expected form"
    if error.validator in ("required", "additionalProperties", "minItems", "minLength"):
        return "is incomplete: " + error.message.replace("'", "")
    return "is not valid: " + error.message
