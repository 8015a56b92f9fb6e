"""Exports (passports as CSV/XLSX/JSON lines, the EPR report), the generated EU declaration of
conformity read back by our own extractor, and the API reference page served from local files."""

import csv
import io
import json
import re
import subprocess
import sys

from openpyxl import load_workbook

from ingestion import extract_file
from portal.passports.models import PassportFile
from tests.api.helpers import api_key, gtin, passport_body

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _create(client, key: str, n: int, category: str, country: str, weight: float | None, **extra):  # noqa: ANN001
    body = passport_body(n, **extra)
    body["data"]["product"].update({"category": category, "country_of_production": country})
    if weight is not None:
        body["data"]["product"]["weight_kg"] = weight
    response = client.post("/api/v1/passports", json=body, headers={"X-API-Key": key})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _seed(client, session) -> str:  # noqa: ANN001
    key = api_key(session)
    _create(client, key, 1, "Power tools", "CZ", 2.0, status="published")     # steel 60 % (30 % recycled), PA 40 %
    _create(client, key, 2, "Power tools", "CZ", 3.0)
    _create(client, key, 3, "power tools", "DE", None, status="published")    # no weight: a unit, no kg
    injected = passport_body(4)
    injected["data"]["product"].update({"name": "=HYPERLINK(\"http://evil\")", "category": "Lamps"})
    client.post("/api/v1/passports", json=injected, headers={"X-API-Key": key})
    return key


def test_passport_exports_filter_and_open(client, session):
    key = _seed(client, session)
    headers = {"X-API-Key": key}
    response = client.get("/api/v1/exports/passports.csv", headers=headers)
    assert response.status_code == 200 and response.mimetype == "text/csv" and response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r["GTIN"] for r in rows] == [gtin(n) for n in (1, 2, 3, 4)]
    assert rows[3]["Product name"] == "'=HYPERLINK(\"http://evil\")"            # formula shown as text
    assert rows[0]["Material 1 recycled %"] == "30" and rows[0]["Status"] == "published"

    published = client.get("/api/v1/exports/passports.csv?status=published&category=POWER%20TOOLS", headers=headers)
    assert [r["GTIN"] for r in csv.DictReader(io.StringIO(published.data.decode("utf-8-sig")))] == [gtin(1), gtin(3)]
    later = client.get("/api/v1/exports/passports.jsonl?updated_since=2999-01-01T00:00:00Z", headers=headers)
    assert later.status_code == 200 and later.data == b""
    assert client.get("/api/v1/exports/passports.csv?updated_since=", headers=headers).status_code == 400
    assert client.get("/api/v1/exports/passports.csv?status=gone", headers=headers).status_code == 400

    lines = client.get("/api/v1/exports/passports.jsonl?category=lamps", headers=headers).data.decode().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["data"]["product"]["category"] == "Lamps"

    xlsx = client.get("/api/v1/exports/passports.xlsx", headers=headers)
    assert xlsx.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "GTIN" and len(values) == 5
    assert values[4][values[0].index("Product name")].startswith("'=")
    assert client.get("/api/v1/exports/passports.csv").status_code == 401
    assert client.get("/api/v1/exports/passports.pdf", headers=headers).status_code == 404


def test_epr_report(client, session):
    key = _seed(client, session)
    response = client.get("/api/v1/exports/epr.csv", headers={"X-API-Key": key})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Product category", "Country", "Material", "Units"]
    table = {tuple(r[:3]): r[3:] for r in rows[1:]}
    # CZ power tools: 2 units, 5 kg; steel 60 % = 3 kg with 30 % recycled = 0.9 kg; polyamide 2 kg
    assert table[("Power tools", "CZ", "All materials")] == ["2", "2", "5.0", "0.9", "18.0"]
    assert table[("Power tools", "CZ", "steel")] == ["", "", "3.0", "0.9", "30.0"]
    assert table[("Power tools", "CZ", "polyamide")] == ["", "", "2.0", "0.0", "0.0"]
    assert table[("power tools", "DE", "All materials")][:3] == ["1", "0", "0.0"]
    book = load_workbook(io.BytesIO(client.get("/api/v1/exports/epr.xlsx?status=published",
                                               headers={"X-API-Key": key}).data))
    data_rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert {r[:2] for r in data_rows} == {("Power tools", "CZ"), ("power tools", "DE")}
    assert next(r for r in data_rows if r[:3] == ("Power tools", "CZ", "All materials"))[5] == 2.0


def test_declaration_of_conformity_reads_back(client, session):
    key = api_key(session)
    body = passport_body(30)
    body["data"]["manufacturer"]["address"] = "Průmyslová 12, 110 00 Praha"
    body["data"]["compliance"] = {"eu_directives": ["2006/42/EC", "2014/30/EU", "2011/65/EU"],
                                  "eu_standards": ["EN 62841-1:2015", "EN 55014-1:2017"]}
    passport = client.post("/api/v1/passports", json=body, headers={"X-API-Key": key}).get_json()
    url = f"/api/v1/passports/{passport['id']}/declaration-of-conformity"
    signed = {"signatory": {"name": "Jana Nováková", "title": "Managing Director"}, "place": "Praha",
              "date": "2026-11-30"}
    response = client.post(url, json=signed, headers={"X-API-Key": key})
    assert response.status_code == 201, response.get_json()
    after = response.get_json()
    assert after["version"] == 2
    document = after["data"]["documents"][0]
    assert document["doc_type"] == "declaration_of_conformity" and document["title"].endswith("2026-11-30")
    pdf = client.get(f"/files/{document['sha256']}").data
    assert pdf.startswith(b"%PDF-") and session.get(PassportFile, document["sha256"]).media_type == "application/pdf"

    record = extract_file(pdf)["record"]   # our own extractor, as for a supplier's upload
    assert record["directives"] == body["data"]["compliance"]["eu_directives"]
    assert record["standards"] == body["data"]["compliance"]["eu_standards"]
    assert record["products"] == [{"name": "Cordless drill 30", "model": "DR-30"}]
    assert record["supplier"]["name"] == "Tatra Tools a.s." and record["declaration_date"] == "2026-11-30"
    assert record["signatory"] == {"name": "Jana Nováková", "title": "Managing Director"}

    path = session.get(PassportFile, document["sha256"])
    scratch = __import__("tempfile").NamedTemporaryFile(suffix=".pdf", delete=False)
    scratch.write(path.content)
    scratch.close()
    cli = subprocess.run([sys.executable, "-m", "ingestion", "extract", scratch.name], capture_output=True,
                         text=True, check=True)
    assert json.loads(cli.stdout)["record"]["directives"] == ["2006/42/EC", "2014/30/EU", "2011/65/EU"]

    bare = client.post("/api/v1/passports", json=passport_body(31), headers={"X-API-Key": key}).get_json()
    refused = client.post(f"/api/v1/passports/{bare['id']}/declaration-of-conformity", json=signed,
                          headers={"X-API-Key": key})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["details"][0]["path"] == "/data/compliance/eu_directives"
    assert client.post(url, json={"place": "Praha"}, headers={"X-API-Key": key}).status_code == 400
    assert client.post(url, json={**signed, "date": "2026-02-30"}, headers={"X-API-Key": key}).status_code == 400


def test_api_console_uses_local_assets(client, session):
    page = client.get("/api/docs/try/")
    assert page.status_code == 200
    html = page.data.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    # nothing from another site: every asset is a path on this one
    assert len(assets) >= 5 and all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    start = client.get("/api/docs/start.js").data.decode()
    assert "/api/v1/openapi.json" in start and "http" not in start
    assert client.get("/api/docs/assets/../../pyproject.toml").status_code == 404
    assert client.get("/api/docs/assets/oauth2-redirect.html").status_code == 404
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
