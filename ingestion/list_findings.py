"""A refused record's JSON Schema findings without walking its long lists whole.

jsonschema walks every item of a record's lists to say what is wrong (a CMRT's 67 smelters ~8 ms,
hundreds of rows tens of ms), even when the only finding is a missing company name. Here the
record is walked with the lists' `items` left out of the schema (the *shell*), each list goes to
the compiled gate (`quickcheck.py`), and only the items it refuses are walked, by the same
validator's `descend` that jsonschema's own `items` keyword calls — so each finding's path and
message are the full walk's, and sorted by path (stable) the list is the same
(tests/ingestion/test_list_findings.py compares them on broken records).

Only a list nothing else in the schema can look into is split: a root property whose schema is
`items` plus keywords about the list itself, under a root whose other keywords never reach a
listed property's value (no allOf, if, patternProperties, $ref, … at the root).
"""

from __future__ import annotations

from typing import Any, Iterator

from jsonschema import Draft202012Validator, FormatChecker

from .quickcheck import quick_check

# Keywords that judge the list as a whole (or say nothing), never its items one by one.
_ABOUT_THE_LIST = {"type", "title", "description", "$comment", "examples", "default", "deprecated",
                   "readOnly", "writeOnly", "minItems", "maxItems", "uniqueItems", "items"}
# Root keywords that reach a property's value only through `properties` (additionalProperties
# applies to the properties *not* listed there).
_ROOT_SAFE = {"$schema", "$id", "$defs", "title", "description", "$comment", "type", "required",
              "properties", "additionalProperties", "propertyNames", "minProperties", "maxProperties",
              "examples", "default"}

Finding = tuple[str, str]       # ("/smelters/3/metal", "'lead' is not one of […]")


class ListSplitWalk:
    """Findings of `full` (a validator of `schema`) on a record, its long lists checked item by item."""

    def __init__(self, schema: dict[str, Any], full: Draft202012Validator) -> None:
        self.full = full
        self.lists = _splittable_lists(schema)
        shell = {**schema, "properties": {
            name: ({k: v for k, v in sub.items() if k != "items"} if name in self.lists else sub)
            for name, sub in schema.get("properties", {}).items()}}
        self.shell = Draft202012Validator(shell, format_checker=FormatChecker())
        self.shell_gate = quick_check(shell)
        self.list_gates = {name: quick_check({"items": items}, root=schema) for name, items in self.lists.items()}
        self.item_gates = {name: quick_check(items, root=schema) for name, items in self.lists.items()}

    def findings(self, record: Any) -> list[Finding]:
        """(path, message) of every error, in the order of a plain walk sorted by path."""
        found = [] if self.shell_gate(record) else [(_path(e.absolute_path), e.message)
                                                      for e in self.shell.iter_errors(record)]
        if isinstance(record, dict):
            for name, items in self.lists.items():
                values = record.get(name)
                if isinstance(values, list) and not self.list_gates[name](values):
                    found += self._item_findings(name, values, items)
        # Stable: findings at one path keep the walk's order (a path is the shell's or one item's).
        return sorted(found, key=lambda f: f[0])

    def _item_findings(self, name: str, values: list[Any], items: Any) -> Iterator[Finding]:
        gate = self.item_gates[name]
        for index, value in enumerate(values):
            if not gate(value):
                for error in self.full.descend(value, items, path=index):
                    yield _path([name, *error.absolute_path]), error.message


def _splittable_lists(schema: dict[str, Any]) -> dict[str, Any]:
    """Root property name -> its `items` schema, for the lists that can be checked item by item."""
    if not isinstance(schema.get("properties"), dict) or any(
            key not in _ROOT_SAFE and not key.startswith("x-") for key in schema):
        return {}
    return {name: sub["items"] for name, sub in schema["properties"].items()
            if isinstance(sub, dict) and isinstance(sub.get("items"), dict)
            and all(key in _ABOUT_THE_LIST or key.startswith("x-") for key in sub)}


def _path(parts: Any) -> str:
    return "".join(f"/{p}" for p in parts) or "/"
