"""The GS1 Digital Link resolver: content negotiation, inheritance, drafts hidden, UNTP shape, QR."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.api.helpers import api_key, gtin, passport_body

UNTP_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "untp" / "untp-dpp_untp-dpp-schema.json"
LD = {"Accept": "application/ld+json"}


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session)}


def _published(client, write, body):  # noqa: ANN001, ANN202
    created = client.post("/api/v1/passports", json={**body, "status": "published"}, headers=write)
    assert created.status_code == 201, created.get_json()
    return created.get_json()


FULL_DATA = {
    "product": {"name": "Cordless drill", "part_number": "DR-1", "description": "18 V drill", "weight_kg": 1.4,
                "production_date": "2026-03-01", "country_of_production": "CZ", "image_url": "https://example.com/d.png"},
    "manufacturer": {"name": "Tatra Tools a.s.", "country_code": "CZ", "registration_id": "CZ12345678",
                     "website": "https://tatra-tools.example"},
    "materials": [{"name": "Steel", "percentage": 70, "recycled_percentage": 25, "origin_country_code": "DE",
                   "cas_number": "7439-89-6"},
                  {"name": "Polyamide", "percentage": 30, "critical_raw_material": False}],
    "substances": [{"name": "Lead", "cas_number": "7439-92-1", "concentration_percent": 0.05, "svhc": True}],
    "compliance": {"rohs_compliant": True, "rohs_exemptions": ["6(c)"], "reach_svhc_above_threshold": False},
    "certificates": [{"scheme": "iso_14001", "standard": "ISO 14001:2015", "number": "EMS-1", "issuer": "TÜV",
                      "expiry_date": "2027-12-31", "url": "https://certs.example/ems-1.pdf"}],
    "carbon_footprint": {"value": 12.5, "declared_unit": "piece", "scope": "cradle_to_gate", "method": "ISO 14067"},
    "recyclability": {"recyclable_percentage": 85, "recycled_content_percentage": 20,
                      "instructions_url": "https://tatra-tools.example/recycling"},
    "due_diligence": [{"template": "CMRT", "version": "6.5", "company": "Tatra Magnetics", "smelter_count": 28,
                       "smelters_with_id": 28, "metals_in_product": ["tin"], "smelter_countries": ["CN"]}],
    "documents": [{"doc_type": "user_manual", "url": "https://tatra-tools.example/manual.pdf", "language": "en"},
                  {"doc_type": "test_report", "url": "https://tatra-tools.example/test.pdf"}],
}


def test_browser_gets_the_page_machines_get_json_ld_and_linkset(client, write):
    _published(client, write, {"gtin": gtin(1), "data": FULL_DATA})
    page = client.get(f"/01/{gtin(1)}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Cordless drill" in html and "ISO 14001:2015" in html and "data:image/svg+xml;base64," in html
    assert 'rel="linkset"' in page.headers["Link"] and "Accept" in page.headers["Vary"]

    ld = client.get(f"/01/{gtin(1)}", headers=LD)
    assert ld.mimetype == "application/ld+json"
    credential = ld.get_json()
    assert credential["type"] == ["DigitalProductPassport", "VerifiableCredential"]
    assert credential["credentialSubject"]["product"]["id"].endswith(f"/01/{gtin(1)}")
    assert credential["credentialSubject"]["materialsProvenance"][0]["massFraction"] == 0.7

    linkset = client.get(f"/01/{gtin(1)}", headers={"Accept": "application/linkset+json"})
    assert linkset.mimetype == "application/linkset+json"
    entry = linkset.get_json()["linkset"][0]
    assert entry["anchor"].endswith(f"/01/{gtin(1)}")
    assert entry["https://gs1.org/voc/certificationInfo"][0]["href"] == "https://certs.example/ems-1.pdf"
    assert entry["https://gs1.org/voc/instructions"][0]["hreflang"] == ["en"]
    assert client.get(f"/01/{gtin(1)}?linkType=all").mimetype == "application/linkset+json"


def _untp_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(UNTP_SCHEMA.read_text()))


@pytest.mark.parametrize("data", [FULL_DATA, {"product": {"name": "Bare minimum"}}], ids=["full", "minimal"])
def test_json_ld_is_a_valid_untp_dpp(client, write, data):
    _published(client, write, {"gtin": gtin(2), "lot": "B-7", "data": data})
    credential = client.get(f"/01/{gtin(2)}/10/B-7", headers=LD).get_json()
    assert credential["credentialSubject"]["granularityLevel"] == "batch"
    assert credential["credentialSubject"]["product"]["batchNumber"] == "B-7"
    # the UNTP schema is GPL and stays outside the repo: it is read from ../shared when present,
    # and the structural promises it makes are asserted here either way
    for key in ("@context", "id", "issuer", "validFrom", "credentialSubject"):
        assert key in credential
    assert credential["issuer"]["id"].startswith("did:web:") and credential["issuer"]["name"]
    if UNTP_SCHEMA.exists():
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in _untp_validator().iter_errors(credential)]
        assert errors == []


def test_drafts_are_not_public_and_lots_inherit_product_data(client, write):
    client.post("/api/v1/passports", json=passport_body(3), headers=write)   # draft product passport
    assert client.get(f"/01/{gtin(3)}", headers=LD).status_code == 404
    assert client.get(f"/01/{gtin(3)}").status_code == 404
    product = client.get(f"/api/v1/passports?gtin={gtin(3)}", headers=write).get_json()["items"][0]
    client.post(f"/api/v1/passports/{product['id']}/publish", headers=write)
    _published(client, write, {"gtin": gtin(3), "lot": "L1", "data": {"product": {"production_date": "2026-05-01"},
                                                                       "carbon_footprint": {"value": 3.2}}})
    lot = client.get(f"/01/{gtin(3)}/10/L1", headers=LD).get_json()["credentialSubject"]
    assert lot["product"]["name"] == "Cordless drill 3"            # inherited from the product
    assert lot["product"]["productionDate"] == "2026-05-01"         # the lot's own
    assert lot["emissionsScorecard"]["carbonFootprint"] == 3.2
    assert lot["materialsProvenance"][0]["name"] == "Steel"
    # an unknown serial walks up to the lot, an unknown lot to the product
    item = client.get(f"/01/{gtin(3)}/10/L1/21/SN-9", headers=LD).get_json()["credentialSubject"]
    assert item["granularityLevel"] == "batch"
    assert client.get(f"/01/{gtin(3)}/10/L2", headers=LD).get_json()["credentialSubject"]["granularityLevel"] == "model"


def test_serial_level_and_short_gtin_redirect(client, write):
    _published(client, write, {"gtin": gtin(4), "data": {"product": {"name": "Battery"}}})
    _published(client, write, {"gtin": gtin(4), "serial": "SN-1", "data": {}})
    item = client.get(f"/01/{gtin(4)}/21/SN-1", headers=LD).get_json()["credentialSubject"]
    assert item["granularityLevel"] == "item" and item["product"]["serialNumber"] == "SN-1"
    short = gtin(5, 13)
    _published(client, write, {"gtin": short, "data": {"product": {"name": "Lamp"}}})
    redirect = client.get(f"/01/{short}/21/X?linkType=all")
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith(f"/01/0{short}/21/X?linkType=all")


@pytest.mark.parametrize("path,status", [(f"/01/{gtin(99)}", 404), ("/01/4006381333932", 400), ("/01/abc", 400), ("/01/40063813339310", 400),
                                         ("/01/4006381333931/10/a%20b", 400)])
def test_bad_links_are_400_unknown_links_404(client, path, status):
    assert client.get(path, headers=LD).status_code == status
    assert client.get(path).status_code == status


def test_deleted_passports_disappear(client, write):
    pid = _published(client, write, {"gtin": gtin(6), "data": {"product": {"name": "Kettle"}}})["id"]
    assert client.get(f"/01/{gtin(6)}", headers=LD).status_code == 200
    client.delete(f"/api/v1/passports/{pid}", headers=write)
    assert client.get(f"/01/{gtin(6)}", headers=LD).status_code == 404


@pytest.mark.parametrize("fmt,mimetype,magic", [("png", "image/png", b"\x89PNG"), ("svg", "image/svg+xml", b"<?xml")])
def test_qr_codes(client, write, fmt, mimetype, magic):
    pid = client.post("/api/v1/passports", json=passport_body(7), headers=write).get_json()["id"]
    response = client.get(f"/api/v1/passports/{pid}/qr.{fmt}", headers=write)
    assert response.status_code == 200 and response.mimetype == mimetype and response.data.startswith(magic)
    assert client.get(f"/api/v1/passports/{pid}/qr.gif", headers=write).status_code == 404
