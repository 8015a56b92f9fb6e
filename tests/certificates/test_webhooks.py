"""certificate.expiring / certificate.expired as signed webhooks through the passport store's
webhooks (portal.webhooks): one delivery per state change and subscription, even when the daily
job runs twice a day."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from portal.certificates.daily import run_daily
from portal.webhooks.delivery import deliver
from portal.webhooks.models import Event, WebhookDelivery, WebhookSubscription
from portal.webhooks.signing import verify
from tests.api.receiver import Receiver
from tests.certificates.helpers import gen_certificate, logged_in
from tests.conftest import csrf_token

EXPIRY = date(2031, 6, 30)


@pytest.fixture
def receiver(monkeypatch):  # noqa: ANN001, ANN201 - listed before `app`: the app reads settings when created
    monkeypatch.setenv("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    server = Receiver()
    yield server
    server.close()


def test_state_changes_are_delivered_as_signed_webhooks_once(receiver, app, session):
    admin, _ = logged_in(app, session, "admin")
    response = admin.post("/admin/webhooks", data={
        "csrf_token": csrf_token(admin, "/admin/webhooks"), "url": receiver.url + "/erp",
        "events": ["certificate.expiring", "certificate.expired"], "description": "ERP"})
    assert response.status_code == 201
    secret = session.exec(select(WebhookSubscription)).one().secret
    _, supplier_user = logged_in(app, session, "supplier")
    cert = gen_certificate(session, supplier_user.supplier_id, EXPIRY, standard="ISO 9001:2015")
    for day in (EXPIRY - timedelta(days=90), EXPIRY - timedelta(days=90), EXPIRY - timedelta(days=30),
                EXPIRY + timedelta(days=1), EXPIRY + timedelta(days=1)):
        run_daily(day)
    assert sorted(e.type for e in session.exec(select(Event)).all()) == ["certificate.expired", "certificate.expiring"]
    deliveries = session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert len(deliveries) == 2
    for delivery in deliveries:
        assert deliver(delivery.id) == "delivered"
    sent = receiver.requests
    assert [r["headers"]["x-portal-event"] for r in sent] == ["certificate.expiring", "certificate.expired"]
    for r in sent:
        assert verify(secret, r["raw"], r["headers"]["x-portal-signature"], r["headers"]["x-portal-delivery"])
    data = sent[1]["json"]["data"]
    assert data["certificate"]["id"] == cert.id and data["certificate"]["state"] == "expired"
    assert data["supplier"]["name"] == "Tatra Magnetics s.r.o."
