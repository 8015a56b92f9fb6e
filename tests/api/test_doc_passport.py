"""An approved EU declaration of conformity reaches the passport as a compliance entry."""

from tests.api.helpers import gtin, passport_body
from tests.api.test_supplier_data import intake, write  # noqa: F401  (the fixture)
from tests.samples import VALID_RECORDS

DOC = VALID_RECORDS["declaration_of_conformity"]


def test_a_declaration_of_conformity_writes_its_directives_standards_and_rohs(client, write):  # noqa: F811
    pid = client.post("/api/v1/passports", json=passport_body(1), headers=write).get_json()["id"]
    doc = {**DOC, "products": [{"part_number": "DR-1", "model": "DR-1"}]}
    response = client.post("/api/v1/declarations", headers=write, json=intake("declaration-21-v1",
                                                                              "declaration_of_conformity", doc))
    assert response.status_code == 201, response.get_json()
    assert [a["passport_id"] for a in response.get_json()["applied"]] == [pid]
    passport = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()
    assert passport["data"]["compliance"] == {
        "rohs_compliant": True, "eu_directives": ["2014/30/EU", "2011/65/EU"], "eu_standards": ["EN 55032:2015"],
        "eu_declaration_date": "2026-01-01", "eu_notified_body": "Nordic Test Institute (0537)"}
    assert passport["owners"]["compliance"]["document_type"] == "declaration_of_conformity"
    client.post(f"/api/v1/passports/{pid}/publish", headers=write)
    page = client.get(f"/01/{gtin(1)}", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "EU directives" in page and "2014/30/EU, 2011/65/EU" in page


def test_a_declaration_without_rohs_leaves_the_rohs_answer_alone(client, write):  # noqa: F811
    pid = client.post("/api/v1/passports", json=passport_body(2), headers=write).get_json()["id"]
    client.post("/api/v1/declarations", headers=write, json=intake(
        "declaration-22-v1", "rohs", {"rohs_compliant": False, "exemptions": [], "products": [{"part_number": "DR-2"}]}))
    doc = {**DOC, "directives": ["2014/30/EU"], "rohs_compliant": False, "products": [{"part_number": "DR-2"}]}
    client.post("/api/v1/declarations", headers=write, json=intake("declaration-23-v1", "declaration_of_conformity", doc))
    compliance = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()["data"]["compliance"]
    assert compliance["rohs_compliant"] is False and compliance["eu_directives"] == ["2014/30/EU"]
