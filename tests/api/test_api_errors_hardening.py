"""Clean failures instead of 500s: hostile JSON on the API, and the database or Redis out of
reach (a restart, a failover) answered with 503 and Retry-After — a page or the JSON error."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from portal import create_app
from portal.queues import redis_connection
from tests.api.helpers import api_key, passport_body
from tests.conftest import gen_user, login, using_postgres

CLOSED_PORT = 1   # nothing listens there: connections are refused at once


def _nested(depth: int) -> bytes:
    return b'{"gtin": ' + b"[" * depth + b"]" * depth + b"}"


def _assert_json_error(response, status: int, code: str) -> dict:  # noqa: ANN001
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.mark.parametrize("depth", [40, 600, 100_000])
def test_deeply_nested_json_is_a_400(client, session, depth):
    headers = {"X-API-Key": api_key(session), "Content-Type": "application/json"}
    response = client.post("/api/v1/passports", data=_nested(depth), headers=headers)
    assert "nested more than 32 levels" in _assert_json_error(response, 400, "VALIDATION")["message"]


def test_deep_json_on_a_route_with_an_optional_body_is_a_400(client, session):
    headers = {"X-API-Key": api_key(session), "Content-Type": "application/json"}
    pid = client.post("/api/v1/passports", json=passport_body(1), headers=headers).get_json()["id"]
    response = client.post(f"/api/v1/passports/{pid}/publish", data=_nested(50_000), headers=headers)
    _assert_json_error(response, 400, "VALIDATION")


def test_ordinary_nesting_still_works(client, session):
    headers = {"X-API-Key": api_key(session)}
    assert client.post("/api/v1/passports", json=passport_body(2), headers=headers).status_code == 201


def test_a_huge_json_body_gets_the_json_error_shape(client, session, app):
    headers = {"X-API-Key": api_key(session), "Content-Type": "application/json"}
    body = b'{"gtin": "' + b"1" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'"}'
    _assert_json_error(client.post("/api/v1/passports", data=body, headers=headers), 413, "PAYLOAD_TOO_LARGE")


# --- services out of reach ---------------------------------------------------------------------

def _app_with(app, **changes):  # noqa: ANN001, ANN202
    """The same deployment (secret key, so the same session cookies) with a service moved away."""
    return create_app({"TESTING": True}, settings=dataclasses.replace(app.config["SETTINGS"], **changes))


def test_database_unreachable_answers_503_page_and_json(app, session):
    key = api_key(session)
    client = app.test_client()
    login(client, gen_user(session).email)
    broken = _app_with(app, database_url=f"postgresql+psycopg://postgres@127.0.0.1:{CLOSED_PORT}/portal")
    broken_client = broken.test_client()
    cookie = client.get_cookie("session")
    broken_client.set_cookie("session", cookie.value)

    page = broken_client.get("/documents/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    html = page.get_data(as_text=True)
    assert "Temporarily unavailable" in html and "try again in a minute" in html.lower()
    assert "Traceback" not in html and "psycopg" not in html

    api = broken_client.get("/api/v1/passports", headers={"X-API-Key": key})
    error = _assert_json_error(api, 503, "UNAVAILABLE")
    assert api.headers["Retry-After"] == "30" and error["details"] == {"retry_after": 30}


def test_redis_unreachable_answers_503(app):
    broken = _app_with(app, redis_url=f"redis://127.0.0.1:{CLOSED_PORT}/0")

    # any view that needs Redis (login throttling, queue status …) fails the same way
    @broken.get("/needs-redis")
    def needs_redis():  # noqa: ANN202
        redis_connection(broken.config["SETTINGS"].redis_url).ping()
        return "unreachable"

    page = broken.test_client().get("/needs-redis")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Temporarily unavailable" in page.get_data(as_text=True)


if using_postgres():   # terminating backends is a PostgreSQL operation
    def test_requests_after_postgresql_dropped_every_connection_succeed(app, session, client):
        """A PostgreSQL restart drops the pool's connections; the next request reconnects."""
        key = api_key(session)
        assert client.get("/api/v1/passports", headers={"X-API-Key": key}).status_code == 200
        outsider = create_engine(app.config["SETTINGS"].database_url, poolclass=NullPool)  # not the app's pool
        with outsider.connect() as conn:
            killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
        assert killed >= 1   # the app's pooled connection(s) among them
        session.close()
        assert client.get("/api/v1/passports", headers={"X-API-Key": key}).status_code == 200
