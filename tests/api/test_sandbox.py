"""Sandbox keys (sdp_test_…) and sandbox OAuth2 clients write into a namespace of their own: it never
shows on the resolver, the public pages, linksets, live keys' reads or live webhooks, and it can be
wiped (API, admin button, CLI) without touching live data."""

import base64

from sqlmodel import select

from portal.api import oauth
from portal.clients.models import ApiKey
from portal.passports.bulk import run_bulk_job
from portal.passports.models import Passport, PassportRevision
from portal.webhooks.delivery import deliver
from portal.webhooks.models import WebhookDelivery
from tests.api.helpers import api_key, gtin, passport_body
from tests.api.receiver import Receiver
from tests.conftest import csrf_token, gen_user, login

HTML = {"Accept": "text/html"}
LD = {"Accept": "application/ld+json"}
LINKSET = {"Accept": "application/linkset+json"}


def _keys(session):  # noqa: ANN001, ANN202
    return {"X-API-Key": api_key(session, name="live")}, {"X-API-Key": api_key(session, name="test", sandbox=True)}


def _published(n: int, name: str) -> dict:
    body = passport_body(n, status="published")
    body["data"]["product"]["name"] = name
    return body


def test_sandbox_passports_never_reach_the_public_or_live_reads(client, session):
    live, test = _keys(session)
    assert test["X-API-Key"].startswith("sdp_test_") and not live["X-API-Key"].startswith("sdp_test_")
    secret = client.post("/api/v1/passports", json=_published(1, "SANDBOX-ONLY drill"), headers=test)
    assert secret.status_code == 201
    sid = secret.get_json()["id"]
    lot = client.post("/api/v1/passports", json=_published(1, "SANDBOX lot") | {"lot": "L1"}, headers=test)
    assert lot.status_code == 201

    for path in (f"/01/{gtin(1)}", f"/01/{gtin(1)}/10/L1", f"/passport/01/{gtin(1)}"):
        for headers in (HTML, LD, LINKSET, {}):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 404, (path, headers)
            assert "SANDBOX" not in answer.get_data(as_text=True)
    assert client.get(f"/01/{gtin(1)}?linkType=all").status_code == 404
    assert client.get(f"/api/v1/passports/{sid}", headers=live).status_code == 404
    assert client.get(f"/api/v1/passports/{sid}/revisions", headers=live).status_code == 404
    assert client.patch(f"/api/v1/passports/{sid}", json={"data": {"product": {"name": "x"}}},
                        headers=live).status_code == 404
    assert client.get(f"/api/v1/passports?gtin={gtin(1)}", headers=live).get_json()["items"] == []

    # the same GTIN lives on in each namespace: the live one is public, the sandbox one is not
    real = client.post("/api/v1/passports", json=_published(1, "Live drill"), headers=live)
    assert real.status_code == 201
    page = client.get(f"/01/{gtin(1)}", headers=LD)
    assert page.status_code == 200 and "SANDBOX" not in page.get_data(as_text=True)
    assert "Live drill" in page.get_data(as_text=True)
    walked_up = client.get(f"/01/{gtin(1)}/10/L1", headers=LD)   # no live lot: the live product answers
    assert walked_up.status_code == 200 and "SANDBOX" not in walked_up.get_data(as_text=True)
    mine = client.get("/api/v1/passports", headers=test).get_json()["items"]
    assert {p["id"] for p in mine} == {sid, lot.get_json()["id"]}
    assert client.get(f"/api/v1/passports/{real.get_json()['id']}", headers=test).status_code == 404
    dup = client.post("/api/v1/passports", json=_published(1, "again"), headers=test)
    assert dup.status_code == 409   # unique within the sandbox


def test_bulk_and_jobs_of_a_sandbox_key_stay_in_the_sandbox(client, session):
    live, test = _keys(session)
    done = client.post("/api/v1/passports/bulk", json={"items": [_published(2, "SANDBOX a")]}, headers=test)
    assert done.get_json()["created"] == 1
    job = client.post("/api/v1/bulk-jobs", json={"items": [_published(3, "SANDBOX b")]}, headers=test).get_json()
    assert run_bulk_job(job["id"]) == "completed"
    assert all(p.sandbox for p in session.exec(select(Passport)).all())
    assert client.get("/api/v1/passports", headers=live).get_json()["items"] == []
    assert client.get(f"/01/{gtin(3)}", headers=LD).status_code == 404
    # a live bulk call may use the same GTINs
    assert client.post("/api/v1/passports/bulk", json={"items": [_published(2, "Live")]},
                       headers=live).get_json()["created"] == 1


def test_sandbox_events_go_to_sandbox_subscriptions_only(client, session, monkeypatch):
    monkeypatch.setenv("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    from portal import create_app
    app = create_app({"TESTING": True})   # reads WEBHOOK_ALLOWED_HOSTS
    client = app.test_client()
    live, test = _keys(session)
    receiver = Receiver()
    try:
        for headers, path in ((live, "/live"), (test, "/test")):
            assert client.post("/api/v1/webhooks", json={"url": receiver.url + path, "events": ["passport.created"]},
                               headers=headers).status_code == 201
        client.post("/api/v1/passports", json=_published(4, "SANDBOX c"), headers=test)
        for delivery in session.exec(select(WebhookDelivery)).all():
            deliver(delivery.id)
        assert [r["path"] for r in receiver.requests] == ["/test"]
    finally:
        receiver.close()


def test_sandbox_keys_cannot_touch_live_declarations(client, session):
    _live, test = _keys(session)
    answer = client.post("/api/v1/declarations", json={}, headers=test)
    assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "SANDBOX_UNSUPPORTED"
    assert client.post("/api/v1/declarations/1/links", json={"gtins": [gtin(1)]}, headers=test).status_code == 403


def test_wipe_by_api_admin_and_cli_leaves_live_data(app, client, session):
    live, test = _keys(session)
    client.post("/api/v1/passports", json=_published(5, "Live"), headers=live)
    client.post("/api/v1/passports", json=_published(5, "SANDBOX"), headers=test)
    refused = client.post("/api/v1/sandbox/wipe", headers=live)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "SANDBOX_ONLY"
    wiped = client.post("/api/v1/sandbox/wipe", headers=test)
    assert wiped.status_code == 200 and wiped.get_json()["passports"] == 1
    assert client.get("/api/v1/passports", headers=test).get_json()["items"] == []
    assert len(client.get("/api/v1/passports", headers=live).get_json()["items"]) == 1
    assert client.get(f"/01/{gtin(5)}", headers=LD).status_code == 200
    live_id = session.exec(select(Passport.id).where(Passport.sandbox.is_(False))).one()
    assert session.exec(select(PassportRevision).where(PassportRevision.passport_id == live_id)).all()

    client.post("/api/v1/passports", json=_published(6, "SANDBOX"), headers=test)
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    page = admin.get("/admin/api-keys").get_data(as_text=True)
    assert "Wipe the sandbox" in page and "sandbox</span>" in page
    assert admin.post("/admin/sandbox/wipe", data={"csrf_token": csrf_token(admin, "/admin/api-keys")}).status_code == 303
    assert session.exec(select(Passport).where(Passport.sandbox.is_(True))).all() == []

    client.post("/api/v1/passports", json=_published(7, "SANDBOX"), headers=test)
    result = app.test_cli_runner().invoke(args=["sandbox", "wipe"])
    assert result.exit_code == 0 and "1 passports" in result.output
    assert len(client.get("/api/v1/passports", headers=live).get_json()["items"]) == 1


def test_a_sandbox_oauth_client_writes_into_the_sandbox(client, session):
    row, secret = oauth.create_client(session, "Test ERP", "write", sandbox=True)
    session.commit()
    assert session.get(ApiKey, row.api_key_id).sandbox
    basic = base64.b64encode(f"{row.client_id}:{secret}".encode()).decode()
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        headers={"Authorization": f"Basic {basic}"}).get_json()["access_token"]
    made = client.post("/api/v1/passports", json=_published(8, "SANDBOX"), headers={"Authorization": f"Bearer {token}"})
    assert made.status_code == 201
    assert client.get(f"/01/{gtin(8)}", headers=LD).status_code == 404
    assert session.get(Passport, made.get_json()["id"]).sandbox
