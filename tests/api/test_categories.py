"""Category rules (schemas/passport/categories/): a product category makes elements mandatory and
adds attributes; validate, create, change and publish answer with the findings in plain words,
validate writes nothing, and on published passports the findings are a compliance.alert event."""

import pytest
from sqlmodel import select

from portal.passports import categories
from portal.passports.models import Passport
from portal.webhooks.models import Event
from tests.api.helpers import api_key, passport_body

BATTERY = {"battery_chemistry": "LFP", "rated_capacity_ah": 5.0, "carbon_footprint_class": "B"}


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session)}


def _body(n: int, category: str, attributes=None, **data):  # noqa: ANN001, ANN003, ANN202
    body = passport_body(n)
    body["data"]["product"]["category"] = category
    if attributes is not None:
        body["data"]["attributes"] = attributes
    body["data"].update(data)
    return body


def _messages(answer) -> list[str]:  # noqa: ANN001
    return [f["message"] for f in answer.get_json()["findings"]]


def test_every_rule_file_names_its_attributes_and_the_categories_asked_for():
    assert {"battery", "textile", "electronics", "furniture", "toys", "construction", "tyres"} <= set(categories.rules())
    assert categories.category_of({"product": {"category": "Tires"}}) == "tyres"
    assert categories.category_of({"product": {"category": " EV battery "}}) == "battery"
    assert categories.category_of({"product": {"category": "Garden gnomes"}}) is None
    assert categories.findings({"product": {"category": "Garden gnomes"}}) == []


def test_validate_returns_the_category_findings_and_writes_nothing(client, session, write):
    answer = client.post("/api/v1/passports/validate", json=_body(1, "Battery"), headers=write)
    assert answer.status_code == 200 and answer.get_json()["valid"] is True
    assert answer.get_json()["category"] == "battery"
    assert "A battery passport lacks its carbon footprint class." in _messages(answer)
    assert "A battery passport lacks its battery chemistry." in _messages(answer)
    assert all(f["code"] == "MISSING" and f["path"].startswith("/") for f in answer.get_json()["findings"])
    assert session.exec(select(Passport)).all() == []

    wrong = client.post("/api/v1/passports/validate", json=_body(1, "battery", {
        **BATTERY, "battery_chemistry": "plutonium", "rated_capacity_ah": "lots"}), headers=write)
    assert "The battery chemistry must be one of LFP, NMC, NCA, LMO, LCO, LTO, NiMH, NiCd, lead-acid, alkaline, " \
           "zinc-carbon, sodium-ion, other." in _messages(wrong)
    assert "The rated capacity (Ah) must be a number." in _messages(wrong)

    complete = client.post("/api/v1/passports/validate", json=_body(1, "battery", BATTERY,
                           carbon_footprint={"value": 61.5, "declared_unit": "kg CO2e per kWh"}), headers=write)
    assert complete.get_json()["findings"] == []
    plain = client.post("/api/v1/passports/validate", json=passport_body(2), headers=write).get_json()
    assert plain == {"valid": True, "category": None, "findings": []}


@pytest.mark.parametrize("category, attributes, extra, expected", [
    ("textile", {"fibre_composition": [{"fibre": "cotton", "percentage": 60}, {"fibre": "polyester", "percentage": 30}],
                 "country_of_manufacture": "PT"}, {}, "The fibre composition totals 90 %, not 100 %."),
    ("textile", {"fibre_composition": [{"fibre": "wool", "percentage": 100}], "country_of_manufacture": "Portugal"}, {},
     "The country of manufacture is not in the expected form (a two-letter country code such as DE)."),
    ("construction", {"euroclass": "Z", "harmonised_standard": "EN 13162", "declaration_of_performance_number": "1"},
     {}, "The reaction-to-fire class (Euroclass) must be one of A1, A2, B, C, D, E, F, A1fl, A2fl, Bfl, Cfl, Dfl, Efl, "
         "Ffl."),
    ("tyres", {"fuel_efficiency_class": "B", "wet_grip_class": "A", "tyre_class": "C1"}, {},
     "A tyres passport lacks its external rolling noise."),
    ("electronics", {"weee_category": 9}, {"compliance": {"rohs_compliant": True, "reach_svhc_above_threshold": False}},
     "The WEEE category is too large (at most 6)."),
    ("toys", {"minimum_age_months": 36, "en71_tested": True}, {}, "A toys passport lacks its substances list."),
    ("furniture", {}, {}, "A furniture passport lacks its end-of-life instructions."),
])
def test_each_category_finds_in_plain_words(client, write, category, attributes, extra, expected):
    answer = client.post("/api/v1/passports/validate", json=_body(3, category, attributes, **extra), headers=write)
    assert answer.status_code == 200
    assert expected in _messages(answer), _messages(answer)


def test_create_and_change_answer_with_findings_and_published_ones_raise_alerts(client, session, write):
    made = client.post("/api/v1/passports", json=_body(4, "battery", {"battery_chemistry": "NMC"}), headers=write)
    assert made.status_code == 201   # the rules report; they do not refuse a draft
    pid = made.get_json()["id"]
    assert "A battery passport lacks its rated capacity." in _messages(made)
    assert session.exec(select(Event).where(Event.type == "compliance.alert")).all() == []   # a draft: no alert

    published = client.post(f"/api/v1/passports/{pid}/publish", headers=write)
    assert "A battery passport lacks its rated capacity." in _messages(published)
    alerts = session.exec(select(Event).where(Event.type == "compliance.alert")).all()
    assert len(alerts) == 1 and alerts[0].payload["passport_id"] == pid
    assert {f["path"] for f in alerts[0].payload["findings"]} >= {"/attributes/rated_capacity_ah",
                                                                  "/carbon_footprint/value"}

    fixed = client.patch(f"/api/v1/passports/{pid}", json={"data": {
        "attributes": BATTERY, "carbon_footprint": {"value": 70, "declared_unit": "kg CO2e per kWh"}}}, headers=write)
    assert fixed.status_code == 200 and fixed.get_json()["findings"] == []
    session.expire_all()
    assert len(session.exec(select(Event).where(Event.type == "compliance.alert")).all()) == 1   # none when complete


def test_a_lot_inherits_its_products_attributes(client, write):
    product = _body(5, "battery", BATTERY, carbon_footprint={"value": 61.5, "declared_unit": "kg CO2e per kWh"})
    assert client.post("/api/v1/passports", json=product, headers=write).get_json()["findings"] == []
    lot = {"gtin": product["gtin"], "lot": "L-7", "data": {"attributes": {"rated_capacity_ah": 5.1}}}
    answer = client.post("/api/v1/passports/validate", json=lot, headers=write)
    assert answer.get_json()["category"] == "battery" and answer.get_json()["findings"] == []
