"""Strict HTTP on /api/v1: 405 with Allow for methods the document does not declare, OPTIONS in
agreement with the document, 403 INSUFFICIENT_SCOPE for a read key that writes, and every query
parameter checked against its declared schema."""

import pytest

from portal.api.openapi import openapi_document
from tests.api.helpers import api_key, passport_body

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session)}


@pytest.fixture
def passport_id(client, write):  # noqa: ANN001, ANN201
    return client.post("/api/v1/passports", json=passport_body(1), headers=write).get_json()["id"]


def _concrete(template: str, passport_id: str) -> str:
    return (template.replace("{id}", passport_id if template.startswith("/passports") else "1")
            .replace("{number}", "1").replace("{contribution}", "1"))


def test_undeclared_methods_answer_405_with_allow_from_the_document(client, write, passport_id):
    checked = 0
    for template, item in openapi_document()["paths"].items():
        declared = {m for m in item if m in HTTP_METHODS}
        for method in sorted(HTTP_METHODS - declared):
            response = client.open("/api/v1" + _concrete(template, passport_id), method=method.upper(), headers=write)
            assert response.status_code == 405, (method, template, response.status_code)
            allow = {m.strip().lower() for m in response.headers["Allow"].split(",")}
            assert allow - {"head", "options"} == declared, (template, allow)
            assert response.get_json()["error"]["code"] == "METHOD_NOT_ALLOWED"
            checked += 1
    assert checked > 40   # e.g. PUT /passports, PUT /bulk-jobs, GET /passports/bulk


def test_405_needs_no_key_and_declared_methods_still_authenticate(client):
    assert client.put("/api/v1/passports").status_code == 405
    assert client.get("/api/v1/passports").status_code == 401
    assert client.put("/api/v1/openapi.json").status_code == 405
    for method in ("TRACE", "QUERY"):   # methods Flask has no route for still get the document's Allow
        response = client.open("/api/v1/passports", method=method)
        assert response.status_code == 405 and response.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert client.get("/api/v1/no-such-thing").status_code == 401   # unknown paths say nothing without a key


def test_options_allow_agrees_with_the_document(client, passport_id):
    for template, item in openapi_document()["paths"].items():
        response = client.options("/api/v1" + _concrete(template, passport_id))
        assert response.status_code == 204
        allow = {m.strip().lower() for m in response.headers["Allow"].split(",")}
        assert allow - {"head", "options"} == {m for m in item if m in HTTP_METHODS}, template


def test_read_only_key_that_writes_gets_403_insufficient_scope(client, session, passport_id):
    read = {"X-API-Key": api_key(session, "read", name="reader")}
    for method, path, body in (("POST", "/api/v1/passports", passport_body(2)),
                               ("PATCH", f"/api/v1/passports/{passport_id}", {"data": {}}),
                               ("DELETE", f"/api/v1/passports/{passport_id}", None),
                               ("POST", "/api/v1/webhooks", {"url": "https://example.org/h", "events": ["batch.completed"]})):
        response = client.open(path, method=method, json=body, headers=read)
        assert response.status_code == 403, (method, path)
        assert response.get_json()["error"]["code"] == "INSUFFICIENT_SCOPE"
    assert client.get(f"/api/v1/passports/{passport_id}", headers=read).status_code == 200
    codes = openapi_document()["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    assert "INSUFFICIENT_SCOPE" in codes and "METHOD_NOT_ALLOWED" in codes


@pytest.mark.parametrize("query", [
    "updated_since=", "updated_since=yesterday", "limit=0", "limit=201", "limit=abc", "limit=1.5", "limit=",
    "status=", "status=archived", "level=", "level=pallet"])
def test_every_list_parameter_is_validated(client, write, passport_id, query):
    response = client.get(f"/api/v1/passports?{query}", headers=write)
    assert response.status_code == 400, query
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION" and error["details"][0]["path"] == "?" + query.split("=")[0]


@pytest.mark.parametrize("path", ["/api/v1/passports/{pid}?at=", "/api/v1/push-attempts?before=",
                                  "/api/v1/push-attempts?limit=0", "/api/v1/webhooks/1/deliveries?limit=x"])
def test_other_parameters_are_validated(client, write, passport_id, path):
    assert client.get(path.format(pid=passport_id), headers=write).status_code == 400


def test_valid_parameters_still_filter(client, write, passport_id):
    page = client.get("/api/v1/passports?limit=200&status=draft&level=model&updated_since=2000-01-01T00:00:00Z",
                      headers=write).get_json()
    assert [p["id"] for p in page["items"]] == [passport_id]
    assert client.get("/api/v1/passports?updated_since=2999-01-01T00:00:00Z", headers=write).get_json()["items"] == []
