"""Integration API: key checks with the SPEC §6 error shape, passports as immutable revisions."""

import pytest
from sqlmodel import select

from portal.api.models import ApiKey
from portal.passports.models import PassportRevision


def _key(session, scope: str = "write") -> str:  # noqa: ANN001
    row, key = ApiKey.generate("test", scope)
    session.add(row)
    session.commit()
    return key


BODY = {"source_system": "portal", "source_declaration_id": "document-7", "data": {"declarations": []}}


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "sdp_wrong"}])
def test_missing_or_wrong_key_is_401_with_error_shape(client, headers):
    response = client.get("/api/v1/passports/abc", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "INVALID_API_KEY"
    assert response.get_json()["error"]["message"]


def test_create_and_read_passport(client, session):
    key = _key(session)
    created = client.post("/api/v1/passports", json=BODY, headers={"X-API-Key": key})
    assert created.status_code == 201
    body = client.get(f"/api/v1/passports/{created.get_json()['id']}", headers={"X-API-Key": key}).get_json()
    assert body["data"] == BODY["data"] and body["current_revision"] == 1
    assert body["revisions"][0]["source_declaration_id"] == "document-7"
    assert body["revisions"][0]["actor"] == "api:test"


def test_idempotency_key_returns_the_first_result(client, session):
    key = _key(session)
    headers = {"X-API-Key": key, "Idempotency-Key": "outbox-1"}
    first = client.post("/api/v1/passports", json=BODY, headers=headers)
    second = client.post("/api/v1/passports", json=BODY, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"]
    assert len(session.exec(select(PassportRevision)).all()) == 1


def test_validation_errors_and_read_only_keys(client, session):
    response = client.post("/api/v1/passports", json={"data": "x"}, headers={"X-API-Key": _key(session)})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION" and {d["path"] for d in error["details"]} == {"/data", "/source_system"}
    response = client.post("/api/v1/passports", json=BODY, headers={"X-API-Key": _key(session, "read")})
    assert response.status_code == 401


def test_unknown_passport_is_404(client, session):
    response = client.get("/api/v1/passports/nope", headers={"X-API-Key": _key(session, "read")})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "NOT_FOUND"


def test_revisions_cannot_be_updated(client, session):
    client.post("/api/v1/passports", json=BODY, headers={"X-API-Key": _key(session)})
    revision = session.exec(select(PassportRevision)).one()
    revision.note = "rewritten history"
    session.add(revision)
    with pytest.raises(ValueError, match="immutable"):
        session.commit()


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1") and "/passports/{id}" in doc["paths"]
