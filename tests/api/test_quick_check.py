"""The compiled quick check (jsonschema-rs, ingestion/quickcheck.py) against jsonschema, side by side: the quick check
lets a body through without jsonschema only when jsonschema would find nothing either.

They differ on the safe side only: the gate reads a pattern's "$" as the end of
the text, Python's `re.search` (jsonschema) also before a final newline. "DE\n" is refused by the
quick check and then judged by jsonschema, as before."""

import copy
import itertools
from typing import Any, Iterator

import pytest

from portal.api.schemas import REQUEST_SCHEMAS, _quick, _validator, check_body
from portal.passports.errors import StoreError
from portal.passports.validation import _quick_passport, _validator as passport_validator

DATA = {
    "product": {"name": "Cordless drill", "part_number": "DR-1", "description": "18 V drill", "weight_kg": 1.4,
                "production_date": "2026-03-01", "country_of_production": "CZ", "image_url": "https://example.com/d.png"},
    "manufacturer": {"name": "Tatra Tools a.s.", "country_code": "CZ", "website": "https://tatra-tools.example"},
    "materials": [{"name": "Steel", "percentage": 70, "recycled_percentage": 25, "origin_country_code": "DE",
                   "cas_number": "7439-89-6"},
                  {"name": "Polyamide", "percentage": 30, "critical_raw_material": False}],
    "substances": [{"name": "Lead", "cas_number": "7439-92-1", "ec_number": "231-100-4",
                    "concentration_percent": 0.05, "svhc": True}],
    "compliance": {"rohs_compliant": True, "reach_svhc_above_threshold": False},
    "certificates": [{"scheme": "iso_14001", "number": "EMS-1", "issuer": "TÜV", "expiry_date": "2027-12-31"}],
    "carbon_footprint": {"value": 12.5, "declared_unit": "piece", "scope": "cradle_to_gate"},
    "due_diligence": [{"template": "CMRT", "company": "Tatra Magnetics", "smelter_count": 28, "smelters_with_id": 28}],
    "documents": [{"doc_type": "user_manual", "url": "https://tatra-tools.example/manual.pdf", "language": "en",
                   "sha256": "a" * 64}],
}
BODY = {"gtin": "4006381333931", "lot": "L1", "serial": "S-1", "status": "published", "data": DATA,
        "source_system": "erp", "note": None}
# values a client gets wrong: other types, the bool/number and int/float edges, lengths, dates
# that match the pattern but do not exist, a trailing newline after a pattern's "$"
WRONG = [None, True, False, 0, 1, 1.0, 1.5, -1, 10**20, "", "x", "x" * 5000, "2024-02-30", "2024-02-29",
         "2026-03-01\n", "DE\n", "de", "EMS-1", "cradle_to_gate", [], [1], ["a"], {}, {"x": 1}]


def _agree(quick: bool, valid: bool, instance: Any) -> bool:
    if quick:
        return valid            # never a pass that jsonschema would refuse
    return not valid or _ends_in_newline(instance)


def _ends_in_newline(node: Any) -> bool:
    if isinstance(node, dict):
        return any(map(_ends_in_newline, node.values()))
    if isinstance(node, list):
        return any(map(_ends_in_newline, node))
    return isinstance(node, str) and node.endswith("\n")


def _paths(node: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _set(node: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(node)
    parent = out
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return out


def _variants(base: dict) -> Iterator[Any]:
    yield base
    for path in list(_paths(base)):
        for value in WRONG:
            yield _set(base, path, value)
        if path and isinstance(path[-1], str):     # the key left out, and an unknown key beside it
            parent = copy.deepcopy(base)
            target = parent
            for key in path[:-1]:
                target = target[key]
            extra = copy.deepcopy(target)
            del target[path[-1]]
            yield parent
            extra["unexpected"] = 1
            yield _set(base, path[:-1], extra)


def test_the_samples_are_valid():
    assert not list(_validator("PassportCreate").iter_errors(BODY))


@pytest.mark.parametrize("name", ["PassportCreate", "PassportPatch"])
def test_quick_check_agrees_with_jsonschema(name):
    base = BODY if name == "PassportCreate" else {"data": {k: v for k, v in DATA.items()}, "version": 2}
    seen = 0
    for instance in _variants(base):
        valid = not any(True for _ in _validator(name).iter_errors(instance))
        assert _agree(_quick(name)(instance), valid, instance), instance
        seen += 1
    assert seen > 1000


def test_passport_data_quick_check_agrees_with_jsonschema():
    for instance in itertools.islice(_variants(DATA), 5000):
        valid = not any(True for _ in passport_validator().iter_errors(instance))
        assert _agree(_quick_passport()(instance), valid, instance), instance


@pytest.mark.parametrize("name", sorted(REQUEST_SCHEMAS))
def test_every_request_schema_compiles(name):
    assert _quick(name)({}) == (not list(_validator(name).iter_errors({})))


def test_refused_body_answers_with_jsonschema_findings():
    body = _set(BODY, ("data", "product", "production_date"), "2024-02-30")
    with pytest.raises(StoreError) as caught:
        check_body("PassportCreate", body, "/items/3")
    assert caught.value.body()["error"]["details"] == [
        {"path": "/items/3/data/product/production_date", "message": "'2024-02-30' is not a 'date'"}]


def test_defaults_are_not_filled_in():
    body = {"gtin": "4006381333931"}
    assert _quick("PassportCreate")(body)
    assert body == {"gtin": "4006381333931"}
