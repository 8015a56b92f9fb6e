"""Serial-number batches: item passports under a lot passport, counted or from a CSV file, and a ZIP
whose every code is read back (zxing-cpp) and matches its manifest row."""

import csv
import io
import zipfile
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from portal.resolver.carriers import element_string
from tests.api.helpers import api_key, gtin

GTIN = gtin(80)


@pytest.fixture
def keys(session):  # noqa: ANN001, ANN201
    return {"write": {"X-API-Key": api_key(session)}, "read": {"X-API-Key": api_key(session, scope="read", name="r")}}


@pytest.fixture
def lot(client, keys):  # noqa: ANN001, ANN201
    for body in ({"gtin": GTIN, "data": {"product": {"name": "Heat pump"}}}, {"gtin": GTIN, "lot": "L-9", "data": {}}):
        created = client.post("/api/v1/passports", json={**body, "status": "published"}, headers=keys["write"])
        assert created.status_code == 201
    return created.get_json()


def manifest(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))


def test_counted_batch_creates_items_and_a_zip_of_readable_codes(client, app, session, keys, lot):  # noqa: ANN001
    root = app.config["SETTINGS"].public_url.rstrip("/")
    response = client.post(f"/api/v1/passports/{lot['id']}/serials",
                           json={"count": 3, "start": "0098", "prefix": "SN-", "type": "png"},
                           headers={**keys["write"], "Accept": "application/zip"})
    assert response.status_code == 201 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    rows = manifest(archive)
    assert [r["serial"] for r in rows] == ["SN-0098", "SN-0099", "SN-0100"]
    for row in rows:
        assert row["result"] == "created"
        assert row["digital_link"] == f"{root}/01/{GTIN}/10/L-9/21/{row['serial']}"
        qr = zxingcpp.read_barcodes(Image.open(io.BytesIO(archive.read(row["qr_file"]))))
        assert [c.text for c in qr] == [row["digital_link"]]
        dm = zxingcpp.read_barcodes(Image.open(io.BytesIO(archive.read(row["datamatrix_file"]))))
        assert [(c.text, c.symbology_identifier) for c in dm] == [(element_string(GTIN, "L-9", row["serial"]), "]d2")]
        assert row["element_string"] == element_string(GTIN, "L-9", row["serial"])
        # each item is a published passport of its own that resolves and inherits the product's name
        page = client.get(f"/01/{GTIN}/10/L-9/21/{row['serial']}", headers={"Accept": "application/ld+json"})
        assert page.status_code == 200
        product = page.get_json()["credentialSubject"]["product"]
        assert product["serialNumber"] == row["serial"] and product["name"] == "Heat pump"
        assert client.get(f"/api/v1/passports/{row['passport_id']}", headers=keys["read"]).get_json()["serial"] == row["serial"]


def test_csv_batch_reports_existing_serials_and_json_answer(client, keys, lot):  # noqa: ANN001
    first = client.post(f"/api/v1/passports/{lot['id']}/serials", json={"serials": ["A1"]}, headers=keys["write"])
    assert first.status_code == 201 and first.get_json()["created"] == 1
    upload = io.BytesIO("serial\nA1\nA2\n\"B,3\"\n".encode())
    response = client.post(f"/api/v1/passports/{lot['id']}/serials", data={"csv": (upload, "serials.csv")},
                           headers=keys["write"], content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["created"], body["existing"]) == (2, 1)
    assert [(i["serial"], i["result"]) for i in body["items"]] == [("A1", "existing"), ("A2", "created"), ("B,3", "created")]
    assert all(i["id"] for i in body["items"])
    # the codes of every item of the lot again, as SVG; file names are made by the server
    url = urlsplit(body["codes_url"])
    codes = client.get(f"{url.path}?{url.query}", headers=keys["read"])
    assert codes.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(codes.data))
    rows = manifest(archive)
    assert sorted(r["serial"] for r in rows) == ["A1", "A2", "B,3"]
    assert all("," not in r["qr_file"] and r["qr_file"].endswith(".svg") for r in rows)
    assert set(archive.namelist()) == {"manifest.csv"} | {r["qr_file"] for r in rows} | {r["datamatrix_file"] for r in rows}


@pytest.mark.parametrize("body,words", [
    ({"count": 0}, "1 to 10,000"), ({"count": 10_001}, "1 to 10,000"), ({"count": "5"}, "1 to 10,000"),
    ({"count": 2, "start": "-1"}, "digits"), ({"count": 2, "prefix": "x" * 20}, "cannot be used"),
    ({"serials": ["ok", "has space"]}, "cannot be used"), ({"serials": ["a", "a"]}, "cannot be used"),
    ({"serials": []}, "No serial numbers"), ({"serials": ["a"] * 10_001}, "at most 10,000"),
    ({"serials": ["a"], "count": 1}, "not both"), ({"count": 1, "status": "live"}, "status"),
    ({"count": 1, "type": "gif"}, "svg or png"), ({"count": 1, "colour": "red"}, "Unknown field"),
])
def test_bad_batches_are_400_and_create_nothing(client, keys, lot, body, words):  # noqa: ANN001
    response = client.post(f"/api/v1/passports/{lot['id']}/serials", json=body, headers=keys["write"])
    assert response.status_code == 400, response.get_json()
    assert words in response.get_json()["error"]["message"]
    listed = client.get(f"/api/v1/passports?gtin={GTIN}", headers=keys["read"]).get_json()
    assert all(p["serial"] is None for p in listed["items"])


def test_batch_rules(client, keys, lot):  # noqa: ANN001
    read_only = client.post(f"/api/v1/passports/{lot['id']}/serials", json={"count": 1}, headers=keys["read"])
    assert read_only.status_code == 403
    item = client.post(f"/api/v1/passports/{lot['id']}/serials", json={"serials": ["X"]}, headers=keys["write"])
    item_id = item.get_json()["items"][0]["id"]
    nested = client.post(f"/api/v1/passports/{item_id}/serials", json={"count": 1}, headers=keys["write"])
    assert nested.status_code == 400 and "serialised item" in nested.get_json()["error"]["message"]
    assert client.get(f"/api/v1/passports/{item_id}/codes.zip", headers=keys["read"]).status_code == 200
    assert client.post("/api/v1/passports/" + "0" * 32 + "/serials", json={"count": 1},
                       headers=keys["write"]).status_code == 404
    bad_csv = client.post(f"/api/v1/passports/{lot['id']}/serials", data={"csv": (io.BytesIO(b"\xff\xfe"), "s.csv")},
                          headers=keys["write"], content_type="multipart/form-data")
    assert bad_csv.status_code == 400 and "UTF-8" in bad_csv.get_json()["error"]["message"]


def test_codes_zip_pages_by_serial(client, keys, lot, monkeypatch):  # noqa: ANN001
    from portal.passports import serials
    created = client.post(f"/api/v1/passports/{lot['id']}/serials", json={"count": 5}, headers=keys["write"])
    assert created.status_code == 201
    monkeypatch.setattr(serials, "MAX_SERIALS", 2)   # pages of 2 instead of 1,000
    seen, url = [], f"/api/v1/passports/{lot['id']}/codes.zip?type=svg"
    while url:
        response = client.get(url, headers=keys["read"])
        assert response.status_code == 200
        seen += [r["serial"] for r in manifest(zipfile.ZipFile(io.BytesIO(response.data)))]
        link = response.headers.get("Link")
        url = urlsplit(link[1:link.index(">")]) if link else None
        url = f"{url.path}?{url.query}" if url else None
    assert seen == ["1", "2", "3", "4", "5"]
    assert client.get(f"/api/v1/passports/{lot['id']}/codes.zip?after=5", headers=keys["read"]).status_code == 404


@pytest.mark.parametrize("level", ["product", "lot"])
def test_large_batch_runs_as_a_bulk_job_and_its_codes_come_in_pages(client, session, keys, lot, level,  # noqa: ANN001
                                                                    monkeypatch):
    from portal.passports import serials
    from portal.passports.bulk import run_bulk_job
    parent = lot["id"] if level == "lot" else client.get(f"/api/v1/passports?gtin={GTIN}&level=model",
                                                         headers=keys["read"]).get_json()["items"][0]["id"]
    monkeypatch.setattr(serials, "MAX_SERIALS", 2)   # "large" is above 2 here, above 1,000 for real
    started = client.post(f"/api/v1/passports/{parent}/serials", json={"count": 3, "prefix": "B"},
                          headers={**keys["write"], "Accept": "application/zip"})
    assert started.status_code == 202, started.get_json()
    job = started.get_json()
    assert job["status"] == "queued" and job["total"] == 3 and job["codes_url"].endswith("codes.zip?type=svg")
    assert run_bulk_job(job["id"]) == "completed"
    status = client.get(f"/api/v1/bulk-jobs/{job['id']}", headers=keys["write"]).get_json()
    assert (status["created"], status["failed"]) == (3, 0)
    first = client.get(f"/api/v1/passports/{parent}/codes.zip", headers=keys["read"])
    assert [r["serial"] for r in manifest(zipfile.ZipFile(io.BytesIO(first.data)))] == ["B1", "B2"]
    assert "after=B2" in first.headers["Link"]
    expected_lot = "/10/L-9" if level == "lot" else ""
    rows = manifest(zipfile.ZipFile(io.BytesIO(client.get(f"/api/v1/passports/{parent}/codes.zip?after=B2",
                                                          headers=keys["read"]).data)))
    assert [(r["serial"], r["digital_link"].endswith(f"{expected_lot}/21/B3")) for r in rows] == [("B3", True)]
