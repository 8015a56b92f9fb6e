"""Lifecycle events through /api/v1/passports/{id}/events: append-only, beside the immutable
revisions, shown on the public page as a timeline and in the JSON-LD as lifecycleStatus/Events."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from jsonschema import Draft202012Validator
from sqlmodel import select

from portal.passports.models import LifecycleEvent, PassportRevision
from tests.api.helpers import api_key, gtin, passport_body
from tests.api.test_resolver import UNTP_SCHEMA

LD = {"Accept": "application/ld+json"}
HTML = {"Accept": "text/html"}


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session)}


def _published(client, write, n=1, **extra):  # noqa: ANN001, ANN202
    response = client.post("/api/v1/passports", json=passport_body(n, status="published", **extra), headers=write)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _event(client, write, pid, **body):  # noqa: ANN001, ANN202
    return client.post(f"/api/v1/passports/{pid}/events", json=body, headers=write)


def test_events_are_appended_listed_and_leave_the_published_data_alone(client, session, write):
    passport = _published(client, write, 1, serial="SN-1")
    made = _event(client, write, passport["id"], event_type="MANUFACTURED", occurred_at="2026-03-01T08:00:00Z",
                  location="Brno, CZ", actor="Tatra Tools a.s.")
    assert made.status_code == 201, made.get_json()
    serviced = _event(client, write, passport["id"], event_type="SERVICED", occurred_at="2026-09-10T14:30:00+02:00",
                      note="Brushes replaced", actor="Servis Novák",
                      evidence={"url": "https://servis.example/report-17.pdf", "title": "Service report 17"})
    assert serviced.status_code == 201
    body = serviced.get_json()
    assert body["occurred_at"] == "2026-09-10T12:30:00Z" and body["recorded_by"] == "api:erp"
    assert body["label"] == "Serviced" and body["evidence"]["title"] == "Service report 17"

    listed = client.get(f"/api/v1/passports/{passport['id']}/events", headers=write).get_json()
    assert [e["event_type"] for e in listed["items"]] == ["MANUFACTURED", "SERVICED"]
    assert listed["lifecycle_status"] == "SERVICED"
    # an event is no revision: the published passport is exactly as published
    read = client.get(f"/api/v1/passports/{passport['id']}", headers=write).get_json()
    assert read["version"] == passport["version"] and read["data"] == passport["data"]
    assert len(session.exec(select(PassportRevision)).all()) == 1


def test_timeline_on_the_page_and_lifecycle_in_the_json_ld(client, write):
    passport = _published(client, write, 2)
    _event(client, write, passport["id"], event_type="MANUFACTURED", occurred_at="2026-01-05T00:00:00Z")
    _event(client, write, passport["id"], event_type="REFURBISHED", occurred_at="2026-06-01T00:00:00Z",
           location="Ostrava", note="New battery, housing cleaned")
    html = client.get(f"/01/{gtin(2)}", headers=HTML).get_data(as_text=True)
    assert "Life of this product" in html and "Refurbished" in html and "New battery, housing cleaned" in html
    assert html.index("2026-01-05") < html.index("2026-06-01")
    assert "REFURBISHED" not in html   # people read labels, not codes

    credential = client.get(f"/01/{gtin(2)}", headers=LD).get_json()
    subject = credential["credentialSubject"]
    assert subject["lifecycleStatus"] == "REFURBISHED"
    assert [e["eventType"] for e in subject["lifecycleEvents"]] == ["MANUFACTURED", "REFURBISHED"]
    assert subject["lifecycleEvents"][1]["location"] == "Ostrava"
    if UNTP_SCHEMA.exists():   # the extra terms must not break the UNTP credential
        errors = list(Draft202012Validator(json.loads(UNTP_SCHEMA.read_text())).iter_errors(credential))
        assert [e.message for e in errors] == []


def test_a_passport_without_events_has_no_lifecycle_terms(client, write):
    _published(client, write, 3)
    subject = client.get(f"/01/{gtin(3)}", headers=LD).get_json()["credentialSubject"]
    assert "lifecycleStatus" not in subject and "lifecycleEvents" not in subject
    assert "Life of this product" not in client.get(f"/01/{gtin(3)}", headers=HTML).get_data(as_text=True)


def test_units_of_a_lot_have_their_own_end_of_life(client, write):
    lot = _published(client, write, 4, lot="L-9")
    assert _event(client, write, lot["id"], event_type="MANUFACTURED").status_code == 201   # the whole lot
    assert _event(client, write, lot["id"], event_type="RECYCLED", serial="U1",
                  actor="EkoRecykl s.r.o.").status_code == 201
    again = _event(client, write, lot["id"], event_type="SERVICED", serial="U1")
    assert again.status_code == 409
    error = again.get_json()["error"]
    assert error["code"] == "LIFECYCLE_ENDED"
    assert error["message"].startswith("Serial number U1 was already recycled on ")
    assert _event(client, write, lot["id"], event_type="SERVICED", serial="U2").status_code == 201
    # the unit's link answered by the lot passport shows that unit's life, not its neighbours'
    unit = client.get(f"/01/{gtin(4)}/10/L-9/21/U2", headers=LD).get_json()["credentialSubject"]
    assert [e["eventType"] for e in unit["lifecycleEvents"]] == ["MANUFACTURED", "SERVICED"]
    assert unit["lifecycleStatus"] == "SERVICED"
    # the lot as a whole: every unit's events, and a status only events about the whole lot set
    whole = client.get(f"/01/{gtin(4)}/10/L-9", headers=LD).get_json()["credentialSubject"]
    assert len(whole["lifecycleEvents"]) == 3 and whole["lifecycleStatus"] == "MANUFACTURED"
    listed = client.get(f"/api/v1/passports/{lot['id']}/events", headers=write).get_json()
    assert listed["lifecycle_status"] == "MANUFACTURED"
    # the lot as a whole disposed of: nothing more for any unit
    assert _event(client, write, lot["id"], event_type="DISPOSED").status_code == 201
    assert _event(client, write, lot["id"], event_type="SERVICED", serial="U3").status_code == 409


@pytest.mark.parametrize("body,path,words", [
    ({"event_type": "EXPLODED"}, "/event_type", "one of"),
    ({}, "/", "event_type"),
    ({"event_type": "SERVICED", "occurred_at": "next tuesday"}, "/occurred_at", "ISO 8601"),
    ({"event_type": "SERVICED", "occurred_at": "2999-01-01T00:00:00Z"}, "/occurred_at", "future"),
    ({"event_type": "SERVICED", "evidence": {"url": "javascript:alert(1)"}}, "/evidence/url", "http(s)"),
    ({"event_type": "SERVICED", "serial": "OTHER"}, "/serial", "SN-5"),
    ({"event_type": "SERVICED", "colour": "red"}, "/", "colour"),
])
def test_bad_events_get_a_clear_400_and_nothing_is_stored(client, session, write, body, path, words):
    passport = _published(client, write, 5, serial="SN-5")
    response = _event(client, write, passport["id"], **body)
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION"
    assert error["details"][0]["path"] == path
    assert words in error["message"] + " " + " ".join(d["message"] for d in error["details"])
    assert session.exec(select(LifecycleEvent)).all() == []


def test_scopes_idempotency_and_strict_http(client, session, write):
    passport = _published(client, write, 6)
    url = f"/api/v1/passports/{passport['id']}/events"
    read = {"X-API-Key": api_key(session, scope="read", name="auditor")}
    refused = client.post(url, json={"event_type": "SOLD"}, headers=read)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "INSUFFICIENT_SCOPE"
    assert client.get(url, headers=read).status_code == 200
    assert client.get(url).status_code == 401

    keyed = {**write, "Idempotency-Key": "sold-1"}
    first = client.post(url, json={"event_type": "SOLD"}, headers=keyed)
    second = client.post(url, json={"event_type": "SOLD"}, headers=keyed)
    assert first.status_code == 201 and second.status_code == 200
    assert second.headers["Idempotent-Replayed"] == "true" and second.get_json()["id"] == first.get_json()["id"]
    assert len(session.exec(select(LifecycleEvent)).all()) == 1

    put = client.put(url, json={}, headers=write)
    assert put.status_code == 405 and put.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert client.post("/api/v1/passports/" + "0" * 32 + "/events", json={"event_type": "SOLD"},
                       headers=write).status_code == 404


def test_events_are_immutable_rows(client, session, write):
    passport = _published(client, write, 7)
    _event(client, write, passport["id"], event_type="IN_USE")
    row = session.exec(select(LifecycleEvent)).one()
    row.note = "rewritten"
    session.add(row)
    with pytest.raises(ValueError, match="immutable"):
        session.commit()
    session.rollback()
    assert datetime.now(timezone.utc) - row.recorded_at.replace(tzinfo=timezone.utc) < timedelta(minutes=5)
