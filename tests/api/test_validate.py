"""POST /passports/validate answers what a create would (its status and error), and writes nothing."""

import pytest
from sqlmodel import func, select

from portal.passports.models import Passport, PassportRevision
from portal.webhooks.models import Event, WebhookSubscription
from tests.api.helpers import api_key, passport_body


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session)}


def _bad_check_digit():  # noqa: ANN202
    body = passport_body(3)
    body["gtin"] = body["gtin"][:-1] + str((int(body["gtin"][-1]) + 1) % 10)
    return body


def _bad_total():  # noqa: ANN202
    body = passport_body(4)
    body["data"]["materials"][0]["percentage"] = 70
    return body


@pytest.mark.parametrize("make_body", [_bad_check_digit, _bad_total, lambda: {**passport_body(5), "colour": "red"},
                                       lambda: passport_body(1)])   # the last one exists already
def test_findings_are_the_creates_and_nothing_is_written(client, session, write, make_body):
    assert client.post("/api/v1/passports", json=passport_body(1), headers=write).status_code == 201
    body = make_body()
    checked = client.post("/api/v1/passports/validate", json=body, headers=write)
    created = client.post("/api/v1/passports", json=body, headers=write)
    assert created.status_code >= 400
    assert (checked.status_code, checked.get_json()) == (created.status_code, created.get_json())
    assert session.exec(select(func.count()).select_from(Passport)).one() == 1


def test_a_valid_published_passport_is_not_saved_and_raises_no_event(client, session, write):
    session.add(WebhookSubscription(url="https://example.org/h", events=["passport.published"], secret="s",
                                    created_by="t"))
    session.commit()
    read = {"X-API-Key": api_key(session, "read", name="reader")}   # checking is not writing
    answer = client.post("/api/v1/passports/validate", json=passport_body(9, status="published"), headers=read)
    assert answer.status_code == 200 and answer.get_json() == {"valid": True, "category": None, "findings": []}
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Passport)).one() == 0
    assert session.exec(select(func.count()).select_from(PassportRevision)).one() == 0
    assert session.exec(select(func.count()).select_from(Event)).one() == 0
    # and the same body then creates
    assert client.post("/api/v1/passports", json=passport_body(9, status="published"), headers=write).status_code == 201


def test_a_body_that_is_not_an_object_is_a_bad_request(client, write):
    response = client.post("/api/v1/passports/validate", data="[1]", headers={**write, "Content-Type": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "VALIDATION"
