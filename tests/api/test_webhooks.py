"""Webhooks: admin subscriptions, refusal of private targets, signed deliveries, retries, the log,
and emit() for other packages."""

import json
import re
import time

import pytest
from rq.registry import ScheduledJobRegistry
from sqlmodel import select

from portal import webhooks
from portal.passports.models import Passport
from portal.queues import PUSH, queue
from portal.settings import load_settings
from portal.webhooks.delivery import deliver, sweep_due
from portal.webhooks.models import Event, WebhookDelivery, WebhookSubscription
from portal.webhooks.signing import sign, verify
from portal.webhooks.urls import target_problem
from tests.api.helpers import api_key, passport_body
from tests.api.receiver import Receiver
from tests.conftest import csrf_token, gen_user, login


@pytest.fixture
def admin(app, session):  # noqa: ANN001, ANN201
    client = app.test_client()
    login(client, gen_user(session, "admin").email)
    return client


@pytest.fixture
def receiver(monkeypatch):  # noqa: ANN001, ANN201
    # loopback is refused unless the operator allows the host, as here for the test receiver
    # (list this fixture before `app`: the app reads its settings when it is created)
    monkeypatch.setenv("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    server = Receiver()
    yield server
    server.close()


def _subscribe(admin, url: str, events=("passport.published",)):  # noqa: ANN001, ANN202
    return admin.post("/admin/webhooks", data={"csrf_token": csrf_token(admin, "/admin/webhooks"), "url": url,
                                               "events": list(events), "description": "ERP"})


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/x",
                                 "http://192.168.0.10/x", "http://169.254.169.254/latest", "http://[::1]/x",
                                 "http://0.0.0.0/x", "ftp://example.com/x", "https://user:pw@93.184.216.34/x"])
def test_private_and_odd_targets_are_refused(admin, session, url):
    response = _subscribe(admin, url)
    assert response.status_code == 400
    assert "Not saved" in response.get_data(as_text=True)
    assert session.exec(select(WebhookSubscription)).first() is None


def test_a_public_address_is_accepted_by_the_check():
    assert target_problem("https://93.184.216.34/hooks") is None
    assert target_problem("http://127.0.0.1:9/x", allowed_hosts=("127.0.0.1",)) is None


def test_only_admins_see_the_webhook_and_key_pages(app, session):
    client = app.test_client()
    login(client, gen_user(session, "procurement").email)
    assert client.get("/admin/webhooks").status_code == 404
    assert client.get("/admin/api-keys").status_code == 404


def test_signed_delivery_on_publish(receiver, app, admin, client, session):
    created = _subscribe(admin, receiver.url + "/hooks")
    assert created.status_code == 201
    sub = session.exec(select(WebhookSubscription)).one()
    assert sub.secret in created.get_data(as_text=True) and created.headers["Cache-Control"] == "no-store"
    write = {"X-API-Key": api_key(session)}
    pid = client.post("/api/v1/passports", json=passport_body(1), headers=write).get_json()["id"]
    assert session.exec(select(WebhookDelivery)).first() is None   # drafts emit nothing
    client.post(f"/api/v1/passports/{pid}/publish", headers=write)
    delivery = session.exec(select(WebhookDelivery)).one()
    assert queue(load_settings(), PUSH).count == 1   # enqueued once the publish committed

    assert deliver(delivery.id) == "delivered"
    sent = receiver.requests[0]
    assert sent["path"] == "/hooks" and sent["headers"]["x-portal-event"] == "passport.published"
    signature, delivery_header = sent["headers"]["x-portal-signature"], sent["headers"]["x-portal-delivery"]
    assert delivery_header == str(delivery.id)
    assert verify(sub.secret, sent["raw"], signature, delivery_header)
    assert not verify("whsec_forged", sent["raw"], signature, delivery_header)
    assert not verify(sub.secret, sent["raw"] + b" ", signature, delivery_header)
    # a receiver that dedupes on the delivery id cannot be fooled by the same body under a new id
    assert not verify(sub.secret, sent["raw"], signature, str(delivery.id + 1))
    assert sent["json"]["type"] == "passport.published" and sent["json"]["data"]["passport_id"] == pid
    assert sent["json"]["data"]["digital_link"].endswith(f"/01/{session.get(Passport, pid).gtin}")
    session.refresh(delivery)
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.last_status_code == 200
    assert deliver(delivery.id) == "delivered" and len(receiver.requests) == 1   # never twice

    log = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "Passport published" in log and "delivered" in log
    # times to the minute, as on every other page (a log line to the second reads as machine output)
    assert delivery.created_at.strftime("%Y-%m-%d %H:%M") in log
    assert not re.search(r"\d{2}:\d{2}:\d{2}", log)


def test_replayed_signatures_expire():
    body = b'{"id":1}'
    old = sign("s3cret", body, "7", timestamp=int(time.time()) - 3600)
    assert not verify("s3cret", body, old, "7")
    assert verify("s3cret", body, sign("s3cret", body, "7"), "7")
    assert not verify("s3cret", body, sign("s3cret", body, "7"), "8")
    assert not verify("s3cret", body, "garbage", "7")
    # the timestamp is signed too: moving it forward breaks the signature
    fresh = sign("s3cret", body, "7")
    ts = int(fresh.split(",")[0][2:])
    assert not verify("s3cret", body, fresh.replace(f"t={ts}", f"t={ts + 1}"), "7")


def test_failures_are_retried_with_backoff_then_logged(receiver, admin, session):
    _subscribe(admin, receiver.url + "/hooks", events=("certificate.expiring",))
    receiver.statuses = [500, 200]
    webhooks.emit(session, "certificate.expiring", {"certificate_id": 7, "expiry_date": "2026-12-31"})
    session.commit()
    delivery = session.exec(select(WebhookDelivery)).one()
    assert deliver(delivery.id) == "retrying"
    session.refresh(delivery)
    assert delivery.last_status_code == 500 and delivery.next_attempt_at is not None
    wait = (delivery.next_attempt_at - delivery.created_at).total_seconds()
    assert 7 < wait < 15
    assert len(ScheduledJobRegistry(queue=queue(load_settings(), PUSH))) == 1
    assert deliver(delivery.id) == "delivered"
    bodies = [r["raw"] for r in receiver.requests]
    assert bodies[0] == bodies[1]   # same event id and body: the receiver can drop the repeat
    assert json.loads(bodies[0])["data"] == {"certificate_id": 7, "expiry_date": "2026-12-31"}


def test_refused_at_delivery_time_and_retry_from_the_log(receiver, admin, session, monkeypatch):
    _subscribe(admin, receiver.url + "/hooks", events=("batch.completed",))
    webhooks.emit(session, "batch.completed", {"job_id": "x"})
    session.commit()
    delivery = session.exec(select(WebhookDelivery)).one()
    monkeypatch.setenv("WEBHOOK_ALLOWED_HOSTS", "")   # the operator withdrew the exemption
    assert deliver(delivery.id) == "failed"
    session.refresh(delivery)
    assert "Refused" in delivery.last_error and receiver.requests == []
    monkeypatch.setenv("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    token = csrf_token(admin, "/admin/webhooks")
    assert admin.post(f"/admin/webhooks/deliveries/{delivery.id}/retry", data={"csrf_token": token}).status_code == 303
    assert deliver(delivery.id) == "delivered"


def test_emit_rolls_back_with_the_caller_and_rejects_unknown_types(receiver, session, admin):
    _subscribe(admin, receiver.url, events=("batch.completed",))
    webhooks.emit(session, "batch.completed", {"job_id": "y"})
    session.rollback()
    assert session.exec(select(Event)).first() is None and queue(load_settings(), PUSH).count == 0
    with pytest.raises(ValueError, match="unknown webhook event"):
        webhooks.emit(session, "passport.exploded", {})


def test_sweep_requeues_lost_deliveries(receiver, session, admin):
    _subscribe(admin, receiver.url, events=("batch.completed",))
    webhooks.emit(session, "batch.completed", {"job_id": "z"})
    session.commit()
    queue(load_settings(), PUSH).empty()   # as if Redis had restarted
    delivery = session.exec(select(WebhookDelivery)).one()
    assert sweep_due() == 0   # a fresh delivery is left to its own job for a grace period
    from datetime import timedelta
    delivery.created_at = delivery.created_at - timedelta(minutes=5)
    session.add(delivery)
    session.commit()
    assert sweep_due() == 1 and queue(load_settings(), PUSH).count == 1
