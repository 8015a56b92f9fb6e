"""The compiled gate before jsonschema (ingestion/quickcheck.py) on extracted records: it passes a
record only when jsonschema finds nothing either, for every document type's schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from ingestion.registry import _quick, _validator, document_types

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WRONG = [None, True, 0, 1.5, -1, 10**40, "", "x", "2024-02-30", "2026-03-01\n", "no-at-sign", "a@b", [], {}, {"x": 1}]


def _records() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(FIXTURES.glob("**/*.expected.json")):
        expected = json.loads(path.read_text())
        if expected.get("document_type") in document_types() and isinstance(expected.get("record"), dict):
            yield expected["document_type"], expected["record"]


def _variants(node: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _variants(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node[:2]):
            yield from _variants(value, path + (index,))


def _with(record: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(record)
    parent = out
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return out


RECORDS = list(_records())


def test_there_are_records_of_several_types() -> None:
    assert len({t for t, _ in RECORDS}) >= 3


@pytest.mark.parametrize("document_type,record", RECORDS, ids=[f"{t}-{i}" for i, (t, _) in enumerate(RECORDS)])
def test_the_gate_never_passes_what_jsonschema_refuses(document_type: str, record: dict[str, Any]) -> None:
    gate, full = _quick(document_type), _validator(document_type)
    assert gate(record) == (not list(full.iter_errors(record)))
    passed = refused = 0
    for path in list(_variants(record))[1:]:
        for value in WRONG:
            instance = _with(record, path, value)
            valid = not any(True for _ in full.iter_errors(instance))
            if gate(instance):
                assert valid, (path, value)
                passed += 1
            else:
                refused += 1
    assert refused          # the gate does refuse; what it passed, jsonschema passed too
