"""Passports through /api/v1: keys, GTINs, validation, lifecycle, revisions, reads in time, lists."""

import time
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from portal.passports.models import PassportRevision
from tests.api.helpers import api_key, gtin, passport_body


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session)}


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "sdp_wrong"}])
def test_missing_or_wrong_key_is_401_with_error_shape(client, headers):
    response = client.get("/api/v1/passports/abc", headers=headers)
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "INVALID_API_KEY" and error["message"] and "details" in error


def test_create_and_read(client, session, write):
    created = client.post("/api/v1/passports", json=passport_body(1, note="first import"), headers=write)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["gtin"] == gtin(1) and body["status"] == "draft" and body["version"] == 1 and body["level"] == "model"
    assert body["digital_link"].endswith(f"/01/{gtin(1)}")
    read = client.get(f"/api/v1/passports/{body['id']}", headers=write).get_json()
    assert read["data"]["product"]["name"] == "Cordless drill 1"
    revisions = client.get(f"/api/v1/passports/{body['id']}/revisions", headers=write).get_json()["items"]
    assert revisions[0]["actor"] == "api:erp" and revisions[0]["note"] == "first import"
    assert revisions[0]["source_system"] == "api"


@pytest.mark.parametrize("digits", [8, 12, 13])
def test_short_gtins_are_padded_to_14(client, write, digits):
    short = gtin(7, digits)
    body = client.post("/api/v1/passports", json=passport_body(gtin=short), headers=write).get_json()
    assert body["gtin"] == short.zfill(14)


@pytest.mark.parametrize("value,message", [("4006381333932", "check digit"), ("12345", "GTIN-8/12/13/14"),
                                           ("4OO6381333931", None)])
def test_bad_gtins_are_refused(client, write, value, message):
    response = client.post("/api/v1/passports", json=passport_body(gtin=value), headers=write)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION" and error["details"][0]["path"] == "/gtin"
    if message:
        assert message in error["details"][0]["message"]


def test_duplicate_gtin_and_lot_is_409(client, write):
    assert client.post("/api/v1/passports", json=passport_body(2), headers=write).status_code == 201
    again = client.post("/api/v1/passports", json=passport_body(2), headers=write)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "GTIN_EXISTS"
    lot = client.post("/api/v1/passports", json=passport_body(2, lot="L-2026-01", data={}), headers=write)
    assert lot.status_code == 201 and lot.get_json()["level"] == "batch"
    lot_again = client.post("/api/v1/passports", json=passport_body(2, lot="L-2026-01", data={}), headers=write)
    assert lot_again.get_json()["error"]["code"] == "GTIN_EXISTS"


def test_composition_must_total_100(client, write):
    body = passport_body(3)
    body["data"]["materials"][1]["percentage"] = 39.9
    response = client.post("/api/v1/passports", json=body, headers=write)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "COMPOSITION_INVALID" and error["details"][0]["total"] == 99.9
    body["data"]["materials"][1]["percentage"] = 39.995   # within ±0.01
    assert client.post("/api/v1/passports", json=body, headers=write).status_code == 201


def test_schema_findings_name_the_field(client, write):
    body = passport_body(4)
    body["data"]["manufacturer"]["country_code"] = "Germany"
    body["data"]["certificates"] = [{"scheme": "iso_9001", "number": "Q-1", "expiry_date": "2026-02-30"}]
    body["data"]["colour"] = "red"
    response = client.post("/api/v1/passports", json=body, headers=write)
    assert response.status_code == 400
    paths = {d["path"] for d in response.get_json()["error"]["details"]}
    assert {"/data/manufacturer/country_code", "/data/certificates/0/expiry_date", "/data"} <= paths


def test_read_only_key_cannot_write_and_revoked_key_is_refused(client, session):
    read = {"X-API-Key": api_key(session, "read")}
    assert client.post("/api/v1/passports", json=passport_body(5), headers=read).status_code == 403
    assert client.get("/api/v1/passports", headers=read).status_code == 200


def test_patch_makes_revisions_identity_is_immutable(client, write):
    pid = client.post("/api/v1/passports", json=passport_body(6), headers=write).get_json()["id"]
    patched = client.patch(f"/api/v1/passports/{pid}", headers=write, json={
        "data": {"carbon_footprint": {"value": 12.5, "declared_unit": "piece", "scope": "cradle_to_gate"},
                 "materials": None}, "note": "LCA 2026", "public_reason": "Carbon footprint added", "version": 1})
    assert patched.status_code == 200, patched.get_json()
    body = patched.get_json()
    assert body["version"] == 2 and "materials" not in body["data"] and body["data"]["carbon_footprint"]["value"] == 12.5
    stale = client.patch(f"/api/v1/passports/{pid}", headers=write, json={"data": {"product": {"name": "x"}},
                                                                           "version": 1})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "VERSION_CONFLICT"
    for field, value in (("gtin", gtin(99)), ("lot", "L1")):
        response = client.patch(f"/api/v1/passports/{pid}", headers=write, json={field: value})
        assert response.status_code == 400 and "cannot be changed" in response.get_json()["error"]["message"]
    same = client.patch(f"/api/v1/passports/{pid}", headers=write, json={"gtin": gtin(6), "data": {}})
    assert same.status_code == 200 and same.get_json()["version"] == 2   # nothing changed, no revision
    revisions = client.get(f"/api/v1/passports/{pid}/revisions", headers=write).get_json()["items"]
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[1]["changed"] == ["carbon_footprint", "materials"] and revisions[1]["note"] == "LCA 2026"
    first = client.get(f"/api/v1/passports/{pid}/revisions/1", headers=write).get_json()
    assert first["data"]["materials"][0]["name"] == "Steel"


def test_publish_lifecycle_and_point_in_time_read(client, write):
    pid = client.post("/api/v1/passports", json=passport_body(8), headers=write).get_json()["id"]
    time.sleep(0.01)
    between = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    time.sleep(0.01)
    published = client.post(f"/api/v1/passports/{pid}/publish", headers=write)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert published.get_json()["version"] == 2 and published.get_json()["published_at"]
    again = client.post(f"/api/v1/passports/{pid}/publish", headers=write, json={})
    assert again.get_json()["version"] == 2   # publishing twice changes nothing
    client.patch(f"/api/v1/passports/{pid}", headers=write, json={"data": {"product": {"name": "Drill v2"}}})
    now = client.get(f"/api/v1/passports/{pid}", headers=write).get_json()
    assert (now["status"], now["version"], now["data"]["product"]["name"]) == ("published", 3, "Drill v2")
    then = client.get(f"/api/v1/passports/{pid}?at={between}", headers=write).get_json()
    assert (then["status"], then["version"], then["data"]["product"]["name"]) == ("draft", 1, "Cordless drill 8")
    before = client.get(f"/api/v1/passports/{pid}?at=2000-01-01T00:00:00Z", headers=write)
    assert before.status_code == 404
    assert client.get(f"/api/v1/passports/{pid}?at=yesterday", headers=write).status_code == 400


def test_publishing_needs_a_product_name(client, write):
    pid = client.post("/api/v1/passports", json={"gtin": gtin(9), "data": {}}, headers=write).get_json()["id"]
    response = client.post(f"/api/v1/passports/{pid}/publish", headers=write)
    assert response.status_code == 400 and response.get_json()["error"]["details"][0]["path"] == "/data/product/name"


def test_soft_delete_frees_the_gtin_and_keeps_history(client, session, write):
    pid = client.post("/api/v1/passports", json=passport_body(10), headers=write).get_json()["id"]
    assert client.delete(f"/api/v1/passports/{pid}", headers=write).status_code == 200
    assert client.get(f"/api/v1/passports/{pid}", headers=write).status_code == 404
    assert client.post("/api/v1/passports", json=passport_body(10), headers=write).status_code == 201
    assert session.exec(select(PassportRevision).where(PassportRevision.passport_id == pid)).first() is not None


def test_revisions_cannot_be_updated(client, session, write):
    client.post("/api/v1/passports", json=passport_body(11), headers=write)
    revision = session.exec(select(PassportRevision)).one()
    revision.note = "rewritten history"
    session.add(revision)
    with pytest.raises(ValueError, match="immutable"):
        session.commit()


def test_idempotency_key_returns_the_first_result(client, session, write):
    headers = {**write, "Idempotency-Key": "import-42"}
    first = client.post("/api/v1/passports", json=passport_body(12), headers=headers)
    second = client.post("/api/v1/passports", json=passport_body(12), headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.headers["Idempotent-Replayed"] == "true" and first.get_json() == second.get_json()
    assert len(session.exec(select(PassportRevision)).all()) == 1
    other = client.post("/api/v1/passports", json=passport_body(13), headers=headers)
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "IDEMPOTENCY_CONFLICT"


def test_list_filters_and_cursor_pagination(client, write):
    ids = [client.post("/api/v1/passports", json=passport_body(20 + n), headers=write).get_json()["id"]
           for n in range(5)]
    client.post("/api/v1/passports", json={"gtin": gtin(20), "lot": "B7", "data": {}}, headers=write)
    client.post(f"/api/v1/passports/{ids[0]}/publish", headers=write)
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/passports?level=model&limit=2" + (f"&cursor={cursor}" if cursor else ""),
                          headers=write).get_json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids
    assert [p["id"] for p in client.get("/api/v1/passports?status=published", headers=write).get_json()["items"]] == ids[:1]
    by_gtin = client.get(f"/api/v1/passports?gtin={gtin(20)}", headers=write).get_json()["items"]
    assert {p["level"] for p in by_gtin} == {"model", "batch"}
    assert client.get("/api/v1/passports?part_number=DR-22", headers=write).get_json()["items"][0]["id"] == ids[2]
    assert client.get("/api/v1/passports?cursor=zzz", headers=write).status_code == 400
    assert client.get("/api/v1/passports?gtin=123", headers=write).status_code == 400


def test_unknown_passport_is_404(client, session):
    response = client.get("/api/v1/passports/nope", headers={"X-API-Key": api_key(session, "read")})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "NOT_FOUND"


def test_nul_characters_are_refused_not_crashed(client, write):
    response = client.post("/api/v1/passports", json=passport_body(30, note="a\x00b"), headers=write)
    assert response.status_code == 400


def test_attach_documents(client, write):
    import io
    pid = client.post("/api/v1/passports", json=passport_body(40), headers=write).get_json()["id"]
    pdf = b"%PDF-1.4\n% a tiny test file\n%%EOF\n"
    response = client.post(f"/api/v1/passports/{pid}/documents", headers=write, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(pdf), "manual.exe"), "doc_type": "user_manual",
                                 "title": "User manual", "language": "de"})
    assert response.status_code == 201, response.get_json()
    document = response.get_json()["data"]["documents"][0]
    assert document["doc_type"] == "user_manual" and document["language"] == "de" and response.get_json()["version"] == 2
    assert document["media_type"] == "application/pdf"   # sniffed, not the name's: the resolver picks by it
    served = client.get(document["url"].replace("http://127.0.0.1:9", ""))
    assert served.status_code == 200 and served.data == pdf and served.mimetype == "application/pdf"
    text = client.post(f"/api/v1/passports/{pid}/documents", headers=write, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(b"MZ not a pdf"), "x.pdf"), "doc_type": "user_manual"})
    assert text.status_code == 400 and "PDF, PNG or JPEG" in text.get_json()["error"]["message"]
    bad_type = client.post(f"/api/v1/passports/{pid}/documents", headers=write, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(pdf), "x.pdf"), "doc_type": "brochure"})
    assert bad_type.status_code == 400
    assert client.get("/files/" + "0" * 64).status_code == 404
