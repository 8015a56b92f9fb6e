"""Approved declarations into passports: element ownership, overrides, and the portal's push."""

import pytest
from sqlmodel import select

from portal.passports.models import PassportRevision
from tests.api.helpers import api_key, gtin, passport_body

CERTIFICATE = {"scheme": "iso_14001", "standard": "ISO 14001:2015", "certificate_number": "EMS 4711",
               "holder": {"name": "Tatra Tools a.s."}, "issuer": {"name": "TÜV SÜD"}, "scope": "Drills",
               "issue_date": "2025-01-01", "expiry_date": "2028-01-01"}


def intake(source_id: str, document_type: str, record: dict, products=None,  # noqa: ANN001
           supplier: dict | None = None, approved_at: str = "2026-03-01T10:00:00Z") -> dict:
    return {"source_system": "supplier-portal", "source_declaration_id": source_id, "note": "Approved by p@x",
            "data": {"declarations": [{"document_type": document_type, "record": record,
                                       "products": products or [], "supplier": supplier or {"id": 1, "name": "Tatra"},
                                       "version": int(source_id.rsplit("-v", 1)[-1]), "approved_by": "p@x",
                                       "approved_at": approved_at, "source_document_sha256": "ab" * 32}]}}


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session, name="portal-push")}


def test_declarations_update_the_products_they_name(client, session, write):
    by_part = client.post("/api/v1/passports", json=passport_body(1), headers=write).get_json()
    by_gtin = client.post("/api/v1/passports", json=passport_body(2), headers=write).get_json()
    lot = client.post("/api/v1/passports", json={"gtin": gtin(1), "lot": "L1", "data": {}}, headers=write).get_json()
    response = client.post("/api/v1/declarations", headers=write, json=intake(
        "declaration-5-v1", "certificate", CERTIFICATE,
        products=[{"part_number": "DR-1", "name": "Drill"}, {"gtin": gtin(2)}, {"part_number": "NOPE-9"}]))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert {a["passport_id"] for a in body["applied"]} == {by_part["id"], by_gtin["id"]}   # not the lot
    assert body["unmatched"] == {"gtins": [], "part_numbers": ["NOPE-9"]}
    passport = client.get(f"/api/v1/passports/{by_part['id']}", headers=write).get_json()
    assert passport["version"] == 2
    assert passport["data"]["certificates"] == [{"scheme": "iso_14001", "standard": "ISO 14001:2015",
                                                 "number": "EMS 4711", "issuer": "TÜV SÜD",
                                                 "holder": "Tatra Tools a.s.", "scope": "Drills",
                                                 "issue_date": "2025-01-01", "expiry_date": "2028-01-01"}]
    owner = passport["owners"]["certificates"]
    assert (owner["document_type"], owner["source_declaration_id"]) == ("certificate", "declaration-5-v1")
    assert [s["supplier"] for s in owner["sources"]] == ["Tatra"]
    [contribution] = passport["contributions"]
    assert contribution["source_sha256"] == "ab" * 32 and contribution["declaration_version"] == 1
    assert contribution["approved_by"] == "p@x" and contribution["approved_at"] == "2026-03-01T10:00:00Z"
    revision = client.get(f"/api/v1/passports/{by_part['id']}/revisions", headers=write).get_json()["items"][-1]
    assert revision["source_declaration_id"] == "declaration-5-v1" and revision["source_system"] == "supplier-portal"
    assert revision["public_reason"].startswith("Updated from an approved supplier CERTIFICATE")
    assert client.get(f"/api/v1/passports/{lot['id']}", headers=write).get_json()["version"] == 1


def test_owned_elements_need_an_override_with_a_reason(client, write):
    pid = client.post("/api/v1/passports", json=passport_body(3), headers=write).get_json()["id"]
    client.post("/api/v1/declarations", headers=write, json=intake(
        "declaration-6-v1", "material_composition",
        {"product": {"part_number": "DR-3"}, "materials": [{"name": "Aluminium", "percentage": 100,
                                                             "recycled_percentage": 80, "cas_number": None}]}))
    change = {"data": {"materials": [{"name": "Steel", "percentage": 100}]}}
    refused = client.patch(f"/api/v1/passports/{pid}", headers=write, json=change)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "ELEMENT_OWNED" and error["details"][0]["owner"]["document_type"] == "material_composition"
    short = client.patch(f"/api/v1/passports/{pid}", headers=write, json={**change, "override": {"reason": ""}})
    assert short.status_code == 400
    allowed = client.patch(f"/api/v1/passports/{pid}", headers=write,
                           json={**change, "override": {"reason": "Supplier sent a corrected sheet by mail"}})
    assert allowed.status_code == 200 and allowed.get_json()["data"]["materials"][0]["name"] == "Steel"
    revisions = client.get(f"/api/v1/passports/{pid}/revisions", headers=write).get_json()["items"]
    assert revisions[-1]["override_reason"] == "Supplier sent a corrected sheet by mail"
    # elements nobody owns change freely
    assert client.patch(f"/api/v1/passports/{pid}", headers=write,
                        json={"data": {"carbon_footprint": {"value": 2}}}).status_code == 200


def test_minerals_reach_and_rohs_write_their_elements(client, write):
    pid = client.post("/api/v1/passports", json=passport_body(4), headers=write).get_json()["id"]
    cmrt = {"template": {"name": "CMRT", "version": "6.5"},
            "company": {"name": "Tatra Magnetics", "declaration_scope": "company", "effective_date": "2026-01-31"},
            "answers": {"q1": {"tin": "Yes ", "gold": "no", "tantalum": "yes"}},
            "smelters": [{"metal": "tin", "name": "A", "country_code": "CN", "smelter_id": "CID001"},
                         {"metal": "tantalum", "name": "B", "country_code": "RW", "smelter_id": None}],
            "products": [{"number": "DR-4", "name": "Drill"}]}
    client.post("/api/v1/declarations", headers=write, json=intake("declaration-7-v1", "cmrt", cmrt))
    reach = {"supplier": {"name": "Tatra"}, "declaration_date": "2026-02-01", "svhc_above_threshold": True,
             "candidate_list_date": "2026-01-21",
             "substances": [{"name": "Lead", "cas_number": "7439-92-1", "ec_number": "231-100-4",
                             "concentration_percent": 0.2}], "products": [{"part_number": "DR-4"}]}
    client.post("/api/v1/declarations", headers=write, json=intake("declaration-8-v1", "reach_svhc", reach))
    rohs = {"rohs_compliant": True, "exemptions": ["6(c)"], "products": [{"part_number": "DR-4"}]}
    client.post("/api/v1/declarations", headers=write, json=intake("declaration-9-v1", "rohs", rohs))
    data = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()["data"]
    assert data["due_diligence"] == [{"template": "CMRT", "version": "6.5", "company": "Tatra Magnetics",
                                      "declaration_scope": "company", "effective_date": "2026-01-31",
                                      "metals_in_product": ["tantalum", "tin"], "smelter_count": 2,
                                      "smelters_with_id": 1, "smelter_countries": ["CN", "RW"]}]
    assert data["substances"][0] == {"name": "Lead", "cas_number": "7439-92-1", "ec_number": "231-100-4",
                                     "concentration_percent": 0.2, "svhc": True}
    assert data["compliance"] == {"reach_svhc_above_threshold": True, "reach_candidate_list_date": "2026-01-21",
                                  "rohs_compliant": True, "rohs_exemptions": ["6(c)"]}


def test_a_combined_rohs_statement_also_answers_reach_svhc(client, write):
    """A RoHS statement that also says "does not contain REACH SVHC" writes both answers; a later
    REACH declaration naming an SVHC above 0.1 % still wins (one is enough)."""
    pid = client.post("/api/v1/passports", json=passport_body(6), headers=write).get_json()["id"]
    rohs = {"rohs_compliant": True, "exemptions": [], "svhc_above_threshold": False,
            "products": [{"part_number": "DR-6"}]}
    client.post("/api/v1/declarations", headers=write, json=intake("declaration-20-v1", "rohs", rohs))
    data = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()["data"]
    assert data["compliance"] == {"rohs_compliant": True, "reach_svhc_above_threshold": False}
    reach = {"supplier": {"name": "Tatra"}, "declaration_date": "2026-02-01", "svhc_above_threshold": True,
             "substances": [], "products": [{"part_number": "DR-6"}]}
    client.post("/api/v1/declarations", headers=write, json=intake("declaration-21-v1", "reach_svhc", reach))
    data = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()["data"]
    assert data["compliance"]["reach_svhc_above_threshold"] is True


def test_a_retried_push_never_makes_two_revisions(client, session, write):
    client.post("/api/v1/passports", json=passport_body(5), headers=write)
    body = intake("declaration-10-v1", "certificate", CERTIFICATE, products=[{"part_number": "DR-5"}])
    first = client.post("/api/v1/declarations", json=body, headers={**write, "Idempotency-Key": "outbox-10"})
    again = client.post("/api/v1/declarations", json=body, headers={**write, "Idempotency-Key": "outbox-10"})
    assert (first.status_code, again.status_code) == (201, 200) and first.get_json()["id"] == again.get_json()["id"]
    # even without the key, the same approved version is recognised
    third = client.post("/api/v1/declarations", json=body, headers=write)
    assert third.status_code == 200 and third.get_json()["applied"] == []
    assert len(session.exec(select(PassportRevision)).all()) == 2


def test_link_a_received_declaration_later(client, write):
    received = client.post("/api/v1/declarations", headers=write,
                           json=intake("declaration-11-v1", "certificate", CERTIFICATE)).get_json()
    assert received["applied"] == []
    pid = client.post("/api/v1/passports", json=passport_body(6), headers=write).get_json()["id"]
    linked = client.post(f"/api/v1/declarations/{received['id']}/links", headers=write, json={"gtins": [gtin(6)]})
    assert linked.status_code == 200 and linked.get_json()["applied"][0]["passport_id"] == pid
    assert client.get(f"/api/v1/declarations/{received['id']}", headers=write).get_json()["passports"][0]["version"] == 2
    # a product without a passport yet is remembered: its passport, created later, picks the declaration up
    later = client.post(f"/api/v1/declarations/{received['id']}/links", headers=write, json={"gtins": [gtin(77)]})
    assert later.status_code == 200 and later.get_json()["unmatched"]["gtins"] == [gtin(77)]
    created = client.post("/api/v1/passports", json=passport_body(77), headers=write).get_json()
    assert created["version"] == 2 and created["data"]["certificates"][0]["number"] == "EMS 4711"
    assert created["contributions"][0]["source_declaration_id"] == "declaration-11-v1"
    empty = client.post(f"/api/v1/declarations/{received['id']}/links", headers=write, json={"gtins": []})
    assert empty.status_code == 400
