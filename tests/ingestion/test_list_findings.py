"""A refused record's findings with its long lists checked item by item (ingestion/list_findings.py)
are exactly jsonschema's plain walk over the whole record: same paths, messages and order."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from ingestion import extract_file
from ingestion.list_findings import ListSplitWalk, _splittable_lists
from ingestion.registry import _validator, document_types, load_schema, validate_record

from .test_schema_templates import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WRONG = [None, 0, 1.5, "", "x", "de", [], {}, {"x": 1}, 10**40]


def plain(document_type: str, record: Any) -> list[dict[str, str]]:
    """What validate_record answered before: every error of one jsonschema walk, sorted by path."""
    found = [{"path": "".join(f"/{p}" for p in e.absolute_path) or "/", "message": e.message}
             for e in _validator(document_type).iter_errors(record)]
    return sorted(found, key=lambda f: f["path"])


def _records() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Valid records (the fixture CMRT as extracted, the template tests' full samples) and the
    fixtures' expected records (some already refused elsewhere), for each type with lists to split."""
    found = [("cmrt-6.5-101.xlsx extracted", "cmrt", extract_file(FIXTURES / "xlsx/cmrt-6.5-101.xlsx")["record"])]
    found += [(f"{t}-{name}", t, record) for t, name, record in SAMPLES if name == "full"]
    for path in sorted(FIXTURES.glob("**/*.expected.json")):
        expected = json.loads(path.read_text())
        if expected.get("document_type") in document_types() and isinstance(expected.get("record"), dict):
            found.append((path.name, expected["document_type"], expected["record"]))
    return iter([r for r in found if _splittable_lists(load_schema(r[1]))])


RECORDS = list(_records())


def _broken_items(record: dict[str, Any], lists: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Copies of `record` with list items broken one field at a time, several fields and several
    items at once, an item that is no object, and a list that is no list."""
    for name in lists:
        items = record.get(name)
        if not isinstance(items, list) or not items:
            continue
        first = items[0]
        keys = list(first) if isinstance(first, dict) else []
        for key in keys:
            for value in WRONG:
                out = copy.deepcopy(record)
                out[name][0][key] = value
                yield out
        out = copy.deepcopy(record)
        for index, item in enumerate(out[name]):         # every item broken, each differently
            if isinstance(item, dict) and keys:
                for key in keys[index % len(keys)::3]:
                    item[key] = WRONG[(index + len(key)) % len(WRONG)]
                item.pop(keys[-1 - index % len(keys)], None)
        yield out
        for value in ("a smelter", None, [first], 7, copy.deepcopy(first)):      # the last: a duplicate
            out = copy.deepcopy(record)
            out[name].insert(len(items) // 2, value)
            yield out
        out = copy.deepcopy(record)
        out[name] = {"0": first}
        yield out


@pytest.mark.parametrize("name,document_type,record", RECORDS, ids=[r[0] for r in RECORDS])
def test_findings_are_the_plain_walks(name: str, document_type: str, record: dict[str, Any]) -> None:
    lists = _splittable_lists(load_schema(document_type))
    compared = 0
    for broken in _broken_items(record, lists):
        for outside in (None, "company", "template"):      # the items alone, or with a finding elsewhere
            if outside:
                broken = copy.deepcopy(broken)
                broken.pop(outside, None)
            assert validate_record(document_type, broken) == plain(document_type, broken)
            compared += 1
    assert compared > 20


def test_the_smelter_lists_are_split_and_the_gate_is_used() -> None:
    """Guards the test above: the CMRT's lists really are walked item by item, so a broken
    smelter among valid ones costs one item's walk (counted through `descend`)."""
    assert {"smelters", "products"} <= set(_splittable_lists(load_schema("cmrt")))
    record = RECORDS[0][2]
    assert validate_record("cmrt", record) == [] and len(record["smelters"]) >= 3
    broken = copy.deepcopy(record)
    broken["smelters"][1]["metal"] = "Lead"
    calls = []
    full = _validator("cmrt")

    class Counting:
        def descend(self, instance, schema, path=None):  # noqa: ANN001, ANN201
            calls.append(path)
            return full.descend(instance, schema, path=path)

    walk = ListSplitWalk(load_schema("cmrt"), Counting())  # type: ignore[arg-type]
    assert [p for p, _ in walk.findings(broken)] == [f["path"] for f in plain("cmrt", broken)] == ["/smelters/1/metal"]
    assert calls == [1]


def test_an_unsplittable_schema_is_walked_whole() -> None:
    schema = {"type": "object", "properties": {"xs": {"type": "array", "items": {"type": "integer"}}},
              "allOf": [{"properties": {"xs": {"items": {"minimum": 0}}}}]}
    assert _splittable_lists(schema) == {}
    walk = ListSplitWalk(schema, type(_validator("cmrt"))(schema))
    assert walk.findings({"xs": [1, -1, "a"]}) == [("/xs/1", "-1 is less than the minimum of 0"),
                                                   ("/xs/2", "'a' is not of type 'integer'")]
