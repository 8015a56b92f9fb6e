"""A yes/no JSON Schema check in compiled code (jsonschema-rs, Rust), as a gate before jsonschema.

jsonschema walks the schema object for every instance: ~0.65 ms per passport, ~35 ms per CMRT
record with its smelter list. jsonschema-rs checks a passport in ~7 us (fastjsonschema's generated
Python, used before, ~30 us: most of a 1,000-passport bulk call's overhead over its floor). It is
only the gate: what it passes is valid, and whatever it refuses is checked again by jsonschema,
whose findings are the answer — so the messages stay as they were, and a keyword the gate reads
more strictly (its e-mail format is RFC 5322, jsonschema's only asks for an "@"; its "$" is the
end of the text) costs time, never a wrong refusal. tests/api/test_quick_check.py and
tests/ingestion/test_quick_check.py compare the two on valid and broken documents. `$ref`s are
inlined first so that schemas naming each other ("passport/1") compile on their own.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import jsonschema_rs

ANNOTATIONS = ("title", "description", "default", "examples", "$comment")


def quick_check(schema: dict[str, Any], external: Mapping[str, dict[str, Any]] | None = None,
                root: dict[str, Any] | None = None) -> Callable[[Any], bool]:
    """`schema` compiled; `external` maps a ref prefix ("passport/1") to the schema it names;
    `root` is the schema a part (`schema`) was taken from, which its "#/…" refs point into."""
    inlined = {**_without_refs(schema, root or schema, external or {}),
               "$schema": "https://json-schema.org/draft/2020-12/schema"}
    inlined.pop("$defs", None)
    # formats are assertions here (2020-12 makes them annotations unless asked)
    is_valid = jsonschema_rs.validator_for(inlined, validate_formats=True).is_valid

    def check(instance: Any) -> bool:
        try:
            return is_valid(instance)
        except (ValueError, TypeError, OverflowError):
            return False      # a value it cannot take (a huge integer, a non-JSON type): jsonschema decides
    return check


def _without_refs(node: Any, root: dict[str, Any], external: Mapping[str, dict[str, Any]], depth: int = 0) -> Any:
    """A copy of `node` with each `$ref` ("#/…" in `root`, or "<external prefix>[#/…]") replaced by its target."""
    if depth > 32:
        raise ValueError("schema refs nest too deep to inline (a recursive schema?)")
    if isinstance(node, list):
        return [_without_refs(value, root, external, depth) for value in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        for prefix, schema in external.items():
            if ref.startswith(prefix):
                root, ref = schema, ref[len(prefix):] or "#"
                break
        target: Any = root
        for key in ref.lstrip("#").strip("/").split("/") if ref.strip("#/") else ():
            target = target[key]
        inlined = _without_refs(target, root, external, depth + 1)
        rest = {k: v for k, v in node.items() if k not in ("$ref", *ANNOTATIONS)}
        # keywords beside a $ref apply as well as the target's (2020-12), never instead of them
        return {"allOf": [inlined, _without_refs(rest, root, external, depth)]} if rest else inlined
    return {k: (v if k == "enum" else _without_refs(v, root, external, depth)) for k, v in node.items()
            if k not in ("$id", "$schema")}
