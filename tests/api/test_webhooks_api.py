"""Webhook subscriptions through /api/v1/webhooks: made, listed, read and deleted by the key that
owns them; every event type delivered, signed over the delivery id, in the shape the OpenAPI
`webhooks` object describes; the delivery log through the API."""

from datetime import date, timedelta

import pytest
from jsonschema import Draft202012Validator
from sqlmodel import select

from portal import webhooks
from portal.api.openapi import openapi_document
from portal.suppliers.models import Supplier
from portal.certificates.events import payload_of
from portal.certificates.models import Certificate
from portal.passports.bulk import run_bulk_job
from portal.webhooks.delivery import deliver
from portal.webhooks.models import EVENT_TYPES, Event, WebhookDelivery, WebhookSubscription
from portal.webhooks.signing import verify
from tests.api.helpers import api_key, passport_body
from tests.api.receiver import Receiver
from tests.certificates.helpers import approve, logged_in, submit_certificate


@pytest.fixture
def receiver(monkeypatch):  # noqa: ANN001, ANN201  (listed before `app`: the app reads WEBHOOK_ALLOWED_HOSTS)
    monkeypatch.setenv("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session)}


def _subscribe(client, headers, url, events=EVENT_TYPES):  # noqa: ANN001, ANN202
    return client.post("/api/v1/webhooks", json={"url": url, "events": list(events), "description": "ERP"},
                       headers=headers)


def _envelope_validator(event_type: str) -> Draft202012Validator:
    doc = openapi_document()
    schema = doc["webhooks"][event_type]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": doc["components"]})   # its refs point into the document


def test_subscriptions_belong_to_the_key_that_made_them(receiver, client, session, write):
    created = _subscribe(client, write, receiver.url + "/hooks")
    assert created.status_code == 201
    body = created.get_json()
    assert body["secret"].startswith("whsec_") and body["events"] == list(EVENT_TYPES)
    listed = client.get("/api/v1/webhooks", headers=write).get_json()["items"]
    assert [s["id"] for s in listed] == [body["id"]] and "secret" not in listed[0]
    assert client.get(f"/api/v1/webhooks/{body['id']}", headers=write).get_json()["url"] == receiver.url + "/hooks"

    other = {"X-API-Key": api_key(session, name="other")}
    assert client.get("/api/v1/webhooks", headers=other).get_json()["items"] == []
    assert client.get(f"/api/v1/webhooks/{body['id']}", headers=other).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{body['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/webhooks/{body['id']}/deliveries", headers=other).status_code == 404

    assert client.delete(f"/api/v1/webhooks/{body['id']}", headers=write).status_code == 200
    assert client.get(f"/api/v1/webhooks/{body['id']}", headers=write).status_code == 404
    assert client.get("/api/v1/webhooks", headers=write).get_json()["items"] == []
    webhooks.emit(session, "batch.completed", {"job_id": "x"})
    session.commit()
    assert session.exec(select(WebhookDelivery)).first() is None   # nothing more is sent to it


@pytest.mark.parametrize("body, path", [
    ({"url": "http://10.0.0.1/hook", "events": ["batch.completed"]}, "/url"),
    ({"url": "ftp://example.org/x", "events": ["batch.completed"]}, "/url"),
    ({"url": "https://example.org/x", "events": ["passport.deleted"]}, "/events/0"),
    ({"url": "https://example.org/x", "events": []}, "/events"),
    ({"url": "https://example.org/x"}, "/"),
    ({"url": "https://example.org/x", "events": ["batch.completed"], "secret": "mine"}, "/")])
def test_bad_subscriptions_are_refused_in_plain_words(client, session, write, body, path):
    response = client.post("/api/v1/webhooks", json=body, headers=write)
    assert response.status_code == 400
    assert response.get_json()["error"]["details"][0]["path"] == path
    assert session.exec(select(WebhookSubscription)).first() is None


def test_every_event_type_is_delivered_signed_retried_logged_and_as_documented(receiver, app, client, session, write):
    sub = _subscribe(client, write, receiver.url + "/hooks").get_json()
    # the passport events from the code paths that emit them: a battery passport lacking what its
    # category requires is created, changed, published (status, QR, compliance alert)
    body = passport_body(1)
    body["data"]["product"]["category"] = "Battery"
    pid = client.post("/api/v1/passports", json=body, headers=write).get_json()["id"]
    assert client.patch(f"/api/v1/passports/{pid}", json={"data": {"attributes": {"battery_chemistry": "LFP"}}},
                        headers=write).status_code == 200
    assert client.post(f"/api/v1/passports/{pid}/publish", headers=write).status_code == 200
    assert client.post(f"/api/v1/passports/{pid}/events", json={"event_type": "MANUFACTURED"},
                       headers=write).status_code == 201   # passport.lifecycle_event
    job = client.post("/api/v1/bulk-jobs", json={"items": [passport_body(2)]}, headers=write).get_json()
    assert run_bulk_job(job["id"]) == "completed"
    # declaration.approved through the real review flow
    supplier, _ = logged_in(app, session, "supplier", supplier="Acme Metals GmbH")
    reviewer, _ = logged_in(app, session, "procurement")
    approve(reviewer, session, submit_certificate(supplier, session, number="Q-77", expiry=date(2029, 3, 1)))
    # the certificate events with the payload the certificate register sends
    supplier_row = session.exec(select(Supplier).where(Supplier.name == "Acme Metals GmbH")).one()
    today = date(2026, 11, 30)
    cert = Certificate(id=7, supplier_id=supplier_row.id, scheme="iso_9001", certificate_number="Q-1",
                       number_key="Q1", expiry_date=today + timedelta(days=30), holder_name="Acme Metals GmbH")
    webhooks.emit(session, "certificate.expiring", payload_of(cert, supplier_row, "expiring", today))
    webhooks.emit(session, "certificate.expired", payload_of(cert, supplier_row, "expired", today + timedelta(days=31)))
    session.commit()

    deliveries = session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert {session.get(Event, d.event_id).type for d in deliveries} == set(EVENT_TYPES)
    receiver.statuses = [503]   # the first attempt fails: retried, then delivered
    first = deliver(deliveries[0].id)
    assert first == "retrying"
    for delivery in deliveries:
        assert deliver(delivery.id) == "delivered"
    assert {r["json"]["type"] for r in receiver.requests} == set(EVENT_TYPES)
    assert receiver.requests[0]["headers"]["x-portal-delivery"] == receiver.requests[1]["headers"]["x-portal-delivery"]
    for sent in receiver.requests:
        headers = sent["headers"]
        assert verify(sub["secret"], sent["raw"], headers["x-portal-signature"], headers["x-portal-delivery"])
        assert not verify(sub["secret"], sent["raw"], headers["x-portal-signature"],
                          str(int(headers["x-portal-delivery"]) + 1))   # the id is signed
        problems = [e.message for e in _envelope_validator(sent["json"]["type"]).iter_errors(sent["json"])]
        assert problems == [], (sent["json"]["type"], problems)
    alert = next(r["json"]["data"] for r in receiver.requests if r["json"]["type"] == "compliance.alert")
    assert alert["passport_id"] == pid and alert["category"] == "battery"
    assert "A battery passport lacks its carbon footprint class." in [f["message"] for f in alert["findings"]]
    changed = next(r["json"]["data"] for r in receiver.requests if r["json"]["type"] == "passport.status_changed")
    assert (changed["from"], changed["to"]) == ("draft", "published")

    log = client.get(f"/api/v1/webhooks/{sub['id']}/deliveries?limit=200", headers=write).get_json()
    assert {d["event_type"] for d in log["items"]} == set(EVENT_TYPES)
    assert all(d["status"] == "delivered" and d["last_status_code"] == 200 for d in log["items"])
    assert max(d["attempts"] for d in log["items"]) == 2
    first = client.get(f"/api/v1/webhooks/{sub['id']}/deliveries?limit=1", headers=write).get_json()
    second = client.get(f"/api/v1/webhooks/{sub['id']}/deliveries?limit=1&before={first['next_before']}",
                        headers=write).get_json()
    assert first["items"][0]["id"] > second["items"][0]["id"]


def test_a_bulk_jobs_own_webhook_url_receives_its_batch_completed_signed(receiver, client, session, write):
    other = _subscribe(client, write, receiver.url + "/all", events=["batch.completed"]).get_json()
    job = client.post("/api/v1/bulk-jobs", json={"items": [passport_body(3)], "webhook_url": receiver.url + "/job"},
                      headers=write)
    assert job.status_code == 202
    job = job.get_json()
    assert job["webhook_url"] == receiver.url + "/job" and job["webhook_secret"].startswith("whsec_")
    later = client.post("/api/v1/bulk-jobs", json={"items": [passport_body(4)]}, headers=write).get_json()
    assert run_bulk_job(job["id"]) == "completed" and run_bulk_job(later["id"]) == "completed"
    for delivery in session.exec(select(WebhookDelivery)).all():
        assert deliver(delivery.id) == "delivered"
    to_job = [r for r in receiver.requests if r["path"] == "/job"]
    assert [r["json"]["data"]["job_id"] for r in to_job] == [job["id"]]   # only its own job
    sent = to_job[0]
    assert verify(job["webhook_secret"], sent["raw"], sent["headers"]["x-portal-signature"],
                  sent["headers"]["x-portal-delivery"])
    assert sorted(r["json"]["data"]["job_id"] for r in receiver.requests if r["path"] == "/all") == \
        sorted([job["id"], later["id"]])
    assert [s["id"] for s in client.get("/api/v1/webhooks", headers=write).get_json()["items"]] == [other["id"]]
    bad = client.post("/api/v1/bulk-jobs", json={"items": [passport_body(5)], "webhook_url": "http://10.1.2.3/x"},
                      headers=write)
    assert bad.status_code == 400 and bad.get_json()["error"]["details"][0]["path"] == "/webhook_url"


def test_the_document_describes_subscriptions_and_every_event():
    doc = openapi_document()
    assert set(doc["webhooks"]) == set(EVENT_TYPES)
    assert {"/webhooks", "/webhooks/{id}", "/webhooks/{id}/deliveries"} <= set(doc["paths"])
    for event_type, item in doc["webhooks"].items():
        headers = {p["name"] for p in item["post"]["parameters"]}
        assert {"X-Portal-Delivery", "X-Portal-Signature", "X-Portal-Timestamp"} <= headers
        body = item["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert body["properties"]["type"] == {"const": event_type} and "data" in body["required"]


def test_a_bulk_call_emits_one_event_per_passport_in_the_documented_shape(receiver, client, session, write):
    _subscribe(client, write, receiver.url + "/hooks",
               events=["passport.created", "passport.published", "qr.ready", "compliance.alert"])
    items = [passport_body(10 + i, status="published") for i in range(5)]
    items[0]["data"]["product"]["category"] = "tyres"   # lacking its grades: one compliance alert
    items.append({"gtin": "123"})                        # a failed item raises nothing
    answer = client.post("/api/v1/passports/bulk", json={"items": items}, headers=write).get_json()
    assert (answer["created"], answer["failed"]) == (5, 1)
    events = session.exec(select(Event).order_by(Event.id)).all()
    by_type = {t: [e for e in events if e.type == t] for t in {e.type for e in events}}
    assert {t: len(v) for t, v in by_type.items()} == {"passport.created": 5, "passport.published": 5,
                                                        "qr.ready": 5, "compliance.alert": 1}
    assert by_type["compliance.alert"][0].payload["passport_id"] == answer["results"][0]["id"]
    deliveries = session.exec(select(WebhookDelivery)).all()
    assert len(deliveries) == 16 and all(d.status == "pending" for d in deliveries)
    for delivery in deliveries:
        assert deliver(delivery.id) == "delivered"
    for sent in receiver.requests:
        problems = [e.message for e in _envelope_validator(sent["json"]["type"]).iter_errors(sent["json"])]
        assert problems == [], (sent["json"]["type"], problems)
