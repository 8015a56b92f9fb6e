"""A yes/no JSON Schema check compiled to Python code (fastjsonschema), as a gate before jsonschema.

jsonschema walks the schema object for every instance: ~0.65 ms per passport, ~35 ms per CMRT
record with its smelter list. fastjsonschema generates one function per schema, ~20x faster once
every `$ref` is replaced by its target (its calls through a `$ref` inside an array rebuild the
error path with `locals()` each time). It is only the gate: what it passes is valid, and
whatever it refuses is checked again by jsonschema, whose findings are the answer — so the
messages stay as they were, and a keyword fastjsonschema reads more strictly costs time, never
a wrong refusal. Our schemas use only keywords that draft 7 and 2020-12 read alike
(tests/api/test_quick_check.py and tests/ingestion/test_quick_check.py compare the two); formats
are checked by jsonschema's own format checker; defaults are never filled in.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import fastjsonschema
from jsonschema import FormatChecker

ANNOTATIONS = ("title", "description", "default", "examples", "$comment")
#: The formats our schemas use, checked exactly as jsonschema checks them.
FORMATS = FormatChecker(formats=("date", "email"))


def quick_check(schema: dict[str, Any], external: Mapping[str, dict[str, Any]] | None = None,
                ) -> Callable[[Any], bool]:
    """`schema` compiled; `external` maps a ref prefix ("passport/1") to the schema it names."""
    inlined = {**_without_refs(schema, schema, external or {}), "$schema": "http://json-schema.org/draft-07/schema#"}
    inlined.pop("$defs", None)
    formats = {name: (lambda value, name=name: FORMATS.conforms(value, name)) for name in FORMATS.checkers}
    validate = fastjsonschema.compile(inlined, formats=formats, use_default=False)

    def check(instance: Any) -> bool:
        try:
            validate(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True
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
