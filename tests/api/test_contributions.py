"""Many suppliers, one product: contributions add up, a newer version replaces only its own
supplier's part, procurement can withdraw one, and passports created later pick them up."""

import pytest

from portal.passports import store
from portal.passports.sweep import link_waiting
from tests.api.helpers import api_key, gtin, passport_body
from tests.api.test_supplier_data import intake

ACME, BOLT = {"id": 1, "name": "Acme Metals"}, {"id": 2, "name": "Bolt & Co"}


def reach(substance: str, cas: str, percent: float, part: str = "DR-1") -> dict:
    return {"supplier": {"name": "x"}, "declaration_date": "2026-02-01", "svhc_above_threshold": percent > 0.1,
            "candidate_list_date": "2026-01-21", "products": [{"part_number": part}],
            "substances": [{"name": substance, "cas_number": cas, "concentration_percent": percent}]}


def cmrt(company: str, smelters: list[tuple[str, str, str | None]]) -> dict:
    return {"template": {"name": "CMRT", "version": "6.5"},
            "company": {"name": company, "declaration_scope": "company", "effective_date": "2026-01-31"},
            "answers": {"q1": {"tin": "yes"}}, "products": [{"number": "DR-1"}],
            "smelters": [{"metal": "tin", "name": n, "country_code": c, "smelter_id": i} for n, c, i in smelters]}


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session, name="portal-push")}


def post(client, write, body):  # noqa: ANN001, ANN201
    response = client.post("/api/v1/declarations", headers=write, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_two_suppliers_add_up_and_a_newer_version_replaces_only_its_own(client, write):
    pid = client.post("/api/v1/passports", json=passport_body(1), headers=write).get_json()["id"]
    post(client, write, intake("declaration-1-v1", "reach_svhc", reach("Lead", "7439-92-1", 0.2), supplier=ACME))
    post(client, write, intake("declaration-2-v1", "reach_svhc", reach("Cadmium", "7440-43-9", 0.05),
                               supplier=BOLT, approved_at="2026-03-02T10:00:00Z"))
    post(client, write, intake("declaration-3-v1", "cmrt", cmrt("Acme Metals", [("Thaisarco", "TH", "CID001898")]),
                               supplier=ACME))
    post(client, write, intake("declaration-4-v1", "cmrt", cmrt("Bolt & Co", [("Minsur", "PE", "CID001182")]),
                               supplier=BOLT, approved_at="2026-03-02T10:00:00Z"))
    passport = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()
    data, owners = passport["data"], passport["owners"]
    assert [s["name"] for s in data["substances"]] == ["Lead", "Cadmium"]
    assert [(s["supplier"], s["source_declaration_id"]) for s in owners["substances"]["sources"]] == [
        ("Acme Metals", "declaration-1-v1"), ("Bolt & Co", "declaration-2-v1")]
    # one supplier above the threshold makes the product's answer yes
    assert data["compliance"]["reach_svhc_above_threshold"] is True
    assert [d["company"] for d in data["due_diligence"]] == ["Acme Metals", "Bolt & Co"]
    assert [s["supplier"] for s in owners["due_diligence"]["sources"]] == ["Acme Metals", "Bolt & Co"]
    assert {c["supplier"]["name"] for c in passport["contributions"] if c["status"] == "current"} == {
        "Acme Metals", "Bolt & Co"}

    # Acme approves version 2 of its REACH declaration: Lead is gone, Bolt's Cadmium stays
    answer = post(client, write, intake("declaration-1-v2", "reach_svhc", reach("Nickel", "7440-02-0", 0.01),
                                        supplier=ACME, approved_at="2026-04-01T10:00:00Z"))
    assert answer["applied"][0]["replaced"] == ["declaration-1-v1"]
    passport = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()
    assert [(s["name"], src["supplier"]) for s, src in zip(passport["data"]["substances"],
                                                           passport["owners"]["substances"]["sources"])] == [
        ("Cadmium", "Bolt & Co"), ("Nickel", "Acme Metals")]
    assert passport["data"]["compliance"]["reach_svhc_above_threshold"] is False
    assert len(passport["data"]["due_diligence"]) == 2   # the CMRTs are another type: untouched
    statuses = {c["source_declaration_id"]: c["status"] for c in passport["contributions"]}
    assert statuses["declaration-1-v1"] == "replaced" and statuses["declaration-1-v2"] == "current"
    revision = client.get(f"/api/v1/passports/{pid}/revisions", headers=write).get_json()["items"][-1]
    assert revision["source_declaration_id"] == "declaration-1-v2" and "declaration-1-v1" in revision["note"]

    # an older version arriving late changes nothing
    late = post(client, write, intake("declaration-9-v1", "reach_svhc", reach("Lead", "7439-92-1", 0.2),
                                      supplier=ACME, approved_at="2026-01-01T10:00:00Z"))
    assert late["applied"][0]["status"] == "replaced" and late["applied"][0]["changed"] == []


def test_certificates_of_different_schemes_from_one_supplier_both_stay(client, write):
    pid = client.post("/api/v1/passports", json=passport_body(2), headers=write).get_json()["id"]
    for n, scheme in enumerate(("iso_9001", "iso_14001"), 1):
        post(client, write, intake(f"declaration-{n}-v1", "certificate", {
            "scheme": scheme, "certificate_number": f"C-{n}", "expiry_date": "2028-01-01"},
            products=[{"part_number": "DR-2"}], supplier=ACME))
    data = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()["data"]
    assert [c["number"] for c in data["certificates"]] == ["C-1", "C-2"]


def test_compositions_that_do_not_add_up_are_never_summed(client, write):
    pid = client.post("/api/v1/passports", json=passport_body(3), headers=write).get_json()["id"]
    for n, supplier in enumerate((ACME, BOLT), 1):
        post(client, write, intake(f"declaration-{n}-v1", "material_composition", {
            "product": {"part_number": "DR-3"}, "materials": [{"name": f"Alloy {n}", "percentage": 100}]},
            supplier=supplier, approved_at=f"2026-03-0{n}T10:00:00Z"))
    passport = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()
    assert passport["data"]["materials"] == [{"name": "Alloy 2", "percentage": 100}]
    assert [h["supplier"] for h in passport["owners"]["materials"]["held"]] == ["Acme Metals"]


def test_procurement_withdraws_a_contribution(client, write):
    pid = client.post("/api/v1/passports", json=passport_body(4), headers=write).get_json()["id"]
    post(client, write, intake("declaration-1-v1", "reach_svhc", reach("Lead", "7439-92-1", 0.2, "DR-4"),
                               supplier=ACME))
    post(client, write, intake("declaration-2-v1", "reach_svhc", reach("Cadmium", "7440-43-9", 0.05, "DR-4"),
                               supplier=BOLT))
    contributions = client.get(f"/api/v1/passports/{pid}/contributions", headers=write).get_json()["items"]
    acme = next(c for c in contributions if c["supplier"]["name"] == "Acme Metals")
    url = f"/api/v1/passports/{pid}/contributions/{acme['id']}/withdraw"
    assert client.post(url, headers=write, json={}).status_code == 400        # a reason is required
    other = client.post("/api/v1/passports", json=passport_body(5), headers=write).get_json()["id"]
    assert client.post(f"/api/v1/passports/{other}/contributions/{acme['id']}/withdraw", headers=write,
                       json={"reason": "wrong product"}).status_code == 404
    answer = client.post(url, headers=write, json={"reason": "Declared for the wrong product"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert [s["name"] for s in body["data"]["substances"]] == ["Cadmium"]
    withdrawn = next(c for c in body["contributions"] if c["id"] == acme["id"])
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn_reason"] == "Declared for the wrong product"
    revision = client.get(f"/api/v1/passports/{pid}/revisions", headers=write).get_json()["items"][-1]
    assert revision["note"] == "Withdrawn: Declared for the wrong product" and revision["changed"] == [
        "compliance", "substances"]
    assert client.post(url, headers=write, json={"reason": "again"}).status_code == 400
    # the sweep does not bring a withdrawn contribution back
    assert link_waiting() == 0


def test_a_passport_created_after_approval_gets_the_data_by_sweep(client, session, write):
    post(client, write, intake("declaration-1-v1", "reach_svhc", reach("Lead", "7439-92-1", 0.2, "DR-6"),
                               supplier=ACME))
    post(client, write, intake("declaration-2-v1", "reach_svhc", reach("Cadmium", "7440-43-9", 0.05),
                               products=[{"gtin": gtin(6)}], supplier=BOLT))
    # a passport made without the API's create (bulk, import) waits for the sweep
    passport, _revision = store.create(session, passport_body(6), store.Change("bulk"), "http://x")
    session.commit()
    assert link_waiting() == 2
    data = client.get(f"/api/v1/passports/{passport.id}", headers=write).get_json()
    assert sorted(s["name"] for s in data["data"]["substances"]) == ["Cadmium", "Lead"] and data["version"] == 2
    assert link_waiting() == 0   # idempotent
