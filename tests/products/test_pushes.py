"""The call log page and sending a failed push again from the review screen."""

import re

from portal.passports.outbox import push_outbox_message
from tests.api.test_dppespr_target import COMPOSITION, FakeDppespr, _message, platform  # noqa: F401
from tests.conftest import csrf_token, gen_user, login


def test_failed_push_is_logged_and_sent_again_from_review(app, session, platform):  # noqa: F811
    bad = dict(COMPOSITION, materials=[{"name": "Cotton", "percentage": 90}])
    msg = _message(session, "material_composition", bad, [])
    assert push_outbox_message(msg.id) == "failed"
    reviewer = app.test_client()
    login(reviewer, gen_user(session, "procurement").email)
    log = reviewer.get("/products/pushes?failed=1").get_data(as_text=True)
    assert "HTTP 422" in log and "Material composition must total exactly 100%" in log and f"#{msg.declaration_id}" in log
    assert not re.search(r"\d{2}:\d{2}:\d{2}", log)   # times to the minute, as on every page
    page = reviewer.get(f"/review/{msg.declaration_id}").get_data(as_text=True)
    assert "Send again" in page
    answer = reviewer.post(f"/products/pushes/{msg.id}/retry",
                           data={"csrf_token": csrf_token(reviewer, f"/review/{msg.declaration_id}")})
    assert answer.status_code == 303
    session.refresh(msg)
    assert (msg.status, msg.attempts) == ("pending", 0)
    # the platform accepts it once the data is right (here: the record corrected in the payload)
    msg.payload = {**msg.payload, "data": {"declarations": [{**msg.payload["data"]["declarations"][0],
                                                              "record": COMPOSITION}]}}
    session.add(msg)
    session.commit()
    assert push_outbox_message(msg.id) == "sent"
    again = reviewer.post(f"/products/pushes/{msg.id}/retry",
                          data={"csrf_token": csrf_token(reviewer, f"/review/{msg.declaration_id}")},
                          follow_redirects=True)
    assert "Only a push that failed can be sent again." in again.get_data(as_text=True)
    session.refresh(msg)
    assert msg.status == "sent"
    supplier = app.test_client()
    login(supplier, gen_user(session).email)
    assert supplier.get("/products/pushes").status_code == 404


def test_call_log_through_the_api(client, session, platform):  # noqa: F811
    from tests.api.helpers import api_key
    msg = _message(session, "material_composition", COMPOSITION, [])
    platform.statuses = [503]
    assert push_outbox_message(msg.id) == "retrying"
    assert push_outbox_message(msg.id) == "sent"
    read = {"X-API-Key": api_key(session, scope="read")}
    items = client.get("/api/v1/push-attempts?limit=1", headers=read).get_json()
    assert items["items"][0]["status"] == 201 and items["next_before"] == items["items"][0]["id"]
    older = client.get(f"/api/v1/push-attempts?before={items['next_before']}", headers=read).get_json()["items"]
    assert [(a["status"], a["request_id"]) for a in older] == [(503, f"outbox-{msg.id}")]
    assert client.get("/api/v1/push-attempts?limit=x", headers=read).status_code == 400
    assert client.get("/api/v1/push-attempts?before=-2147483649", headers=read).status_code == 400
    assert client.get("/api/v1/push-attempts").status_code == 401


def test_call_log_filters_by_target_and_answer(app, session, platform, monkeypatch):  # noqa: F811
    from tests.api.helpers import gtin
    accepted = _message(session, "material_composition", COMPOSITION, [])
    assert push_outbox_message(accepted.id) == "sent"
    refused = _message(session, "material_composition", dict(COMPOSITION, product={"gtin": gtin(3)},
                                                             materials=[{"name": "C", "percentage": 9}]), [])
    assert push_outbox_message(refused.id) == "failed"
    platform.statuses = [503]
    busy = _message(session, "material_composition", dict(COMPOSITION, product={"gtin": gtin(4)}), [])
    assert push_outbox_message(busy.id) == "retrying"
    monkeypatch.setenv("PASSPORT_API_FLAVOUR", "portal")        # the same server has no /declarations: 404
    to_portal = _message(session, "material_composition", COMPOSITION, [])
    assert push_outbox_message(to_portal.id) == "failed"
    reviewer = app.test_client()
    login(reviewer, gen_user(session, "procurement").email)

    def shown(query: str) -> set[int]:
        page = reviewer.get(f"/products/pushes?{query}").get_data(as_text=True)
        return {m.declaration_id for m in (accepted, refused, busy, to_portal) if f">#{m.declaration_id}<" in page}

    assert shown("") == {accepted.declaration_id, refused.declaration_id, busy.declaration_id, to_portal.declaration_id}
    assert shown("outcome=sent") == {accepted.declaration_id}
    assert shown("outcome=refused&target=dppespr") == {refused.declaration_id}
    assert shown("outcome=unavailable") == {busy.declaration_id}
    assert shown("target=portal") == {to_portal.declaration_id}
    assert shown("failed=1") == {refused.declaration_id, busy.declaration_id, to_portal.declaration_id}
    page = reviewer.get("/products/pushes?target=portal&outcome=refused").get_data(as_text=True)
    assert "1 attempt to This portal&#39;s passport store" in page and "HTTP 404" in page
    # unknown filter values are ignored, not an error
    assert shown("target=<script>&outcome=x") == shown("")
