"""API keys managed by admins (shown once, stored hashed, scoped, revocable) and per-key rate limits."""

import re

from sqlmodel import select

from portal.clients.models import ApiKey, hash_key
from portal.audit.models import AuditEntry
from tests.api.helpers import api_key
from tests.conftest import csrf_token, gen_user, login


def test_admin_creates_a_key_that_is_shown_once_and_works(app, session, client):
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    token = csrf_token(admin, "/admin/api-keys")
    created = admin.post("/admin/api-keys", data={"csrf_token": token, "name": "PLM", "scope": "write",
                                                  "rate_limit": "120"})
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    key = re.search(r'id="new-key-value">([^<]+)<', created.get_data(as_text=True)).group(1)
    row = session.exec(select(ApiKey).where(ApiKey.name == "PLM")).one()
    assert row.key_hash == hash_key(key) and key not in str(row.model_dump())   # only the hash is stored
    assert (row.scope, row.rate_limit_per_minute, row.created_by) == ("write", 120, row.created_by)
    assert key not in admin.get("/admin/api-keys").get_data(as_text=True)      # never shown again
    assert client.get("/api/v1/passports", headers={"X-API-Key": key}).status_code == 200

    token = csrf_token(admin, "/admin/api-keys")
    assert admin.post(f"/admin/api-keys/{row.id}/revoke", data={"csrf_token": token}).status_code == 303
    assert client.get("/api/v1/passports", headers={"X-API-Key": key}).status_code == 401
    actions = {e.action for e in session.exec(select(AuditEntry).where(AuditEntry.entity == "api_key")).all()}
    assert actions == {"apikey.created", "apikey.revoked"}


def test_key_form_errors_and_csrf(app, session):
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    token = csrf_token(admin, "/admin/api-keys")
    bad = admin.post("/admin/api-keys", data={"csrf_token": token, "name": "", "scope": "root", "rate_limit": "x"})
    assert bad.status_code == 400 and "To create a key, give" in bad.get_data(as_text=True)
    assert admin.post("/admin/api-keys", data={"name": "no token", "scope": "read"}).status_code == 400
    assert session.exec(select(ApiKey)).first() is None


def test_rate_limit_per_key_with_retry_after(client, session):
    limited = {"X-API-Key": api_key(session, "read", name="tight", rate_limit_per_minute=3)}
    other = {"X-API-Key": api_key(session, "read", name="roomy")}
    answers = [client.get("/api/v1/passports", headers=limited) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0].headers["X-RateLimit-Limit"] == "3" and answers[2].headers["X-RateLimit-Remaining"] == "0"
    error = answers[3].get_json()["error"]
    assert error["code"] == "RATE_LIMITED" and 1 <= int(answers[3].headers["Retry-After"]) <= 60
    assert client.get("/api/v1/passports", headers=other).status_code == 200   # per key, not global
