"""Issue 14, access levels: each passport field is public, restricted or private
(schemas/passport/access.json) and every reader (the page, the JSON-LD, the linkset, the API) goes
through one filter; an access request from the public page becomes a time-limited key."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.access.models import AccessRequest
from portal.clients.models import ApiKey
from portal.audit.models import AuditEntry
from portal.mail.models import OutgoingEmail
from portal.mail.send import deliver_pending
from portal.passports import access
from portal.passports.validation import passport_schema
from portal.timeutil import utcnow
from tests.api.helpers import api_key, gtin, passport_body
from tests.conftest import csrf_token, gen_user, login

# values that occur nowhere else in the passport, so finding one anywhere in an answer is a leak
REG_ID = "CZ-REG-77310042"
CONCENTRATION = 0.0831
SUPPLIER_EMAIL = "kamila.dvorak@magnetics.example"
SUPPLIER_REG = "EORI-CZ-99812"
HOLDER = "Holder Magnetics Ltd"
DD_COMPANY = "Smelter Sourcing GmbH"
NOTE = "negotiate price down in Q3"
COST = 17.4321
REVISION_NOTE = "internal: draft from ERP import"
RESTRICTED = [REG_ID, str(CONCENTRATION), SUPPLIER_EMAIL, SUPPLIER_REG, HOLDER, DD_COMPANY]
PRIVATE = [NOTE, str(COST), REVISION_NOTE]
PUBLIC = ["Cordless drill 5", "7440-02-0", "2029-05-31", "iso_9001", "Tatra Tools a.s."]


def _body(n: int = 5) -> dict:
    body = passport_body(n, status="published", note=REVISION_NOTE)
    data = body["data"]
    data["manufacturer"].update(registration_id=REG_ID, registration_scheme="Trade register")
    data["substances"] = [{"name": "Nickel", "cas_number": "7440-02-0", "concentration_percent": CONCENTRATION}]
    data["compliance"] = {"rohs_compliant": True, "reach_svhc_above_threshold": False}
    data["certificates"] = [{"scheme": "iso_9001", "number": "Q-1234", "holder": HOLDER, "issuer": "TUV",
                             "expiry_date": "2029-05-31", "url": "https://certs.example/q-1234.pdf"}]
    data["due_diligence"] = [{"template": "CMRT", "version": "6.5", "company": DD_COMPANY, "smelter_count": 3}]
    data["suppliers"] = [{"name": "Tatra Magnetics s.r.o.", "registration_id": SUPPLIER_REG,
                          "contact": {"name": "Kamila Dvorak", "email": SUPPLIER_EMAIL}}]
    data["internal"] = {"notes": NOTE, "unit_cost": COST, "cost_currency": "EUR"}
    return body


@pytest.fixture
def published(client, session):  # noqa: ANN001, ANN201
    owner = {"X-API-Key": api_key(session, "write", name="erp")}
    created = client.post("/api/v1/passports", json=_body(), headers=owner)
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def _leaks(text: str, values: list[str]) -> list[str]:
    return [v for v in values if v in text]


def test_every_rule_names_a_field_of_the_schema():
    """A typo in access.json would leave a field public without anyone noticing."""
    schema = passport_schema()
    for parts in access.access_map()["data"]:
        node = schema
        for part in parts:
            node = node["items"] if part == "*" else node["properties"][part]
    assert access.field_level("data", "/substances/3/concentration_percent") == "restricted"
    assert access.field_level("data", "/internal/notes") == "private"
    assert access.field_level("data", "/product/name") == "public"


def test_public_readers_never_see_restricted_or_private_fields(client, session, published):
    link = f"/01/{gtin(5)}"
    answers = {
        "page": client.get(link, headers={"Accept": "text/html"}),
        "pip": client.get(f"/passport{link}"),
        "json-ld": client.get(link, headers={"Accept": "application/ld+json"}),
        "linkset": client.get(link + "?linkType=linkset"),
        "api": client.get(f"/api/v1/passports/{published['id']}", headers={"X-API-Key": api_key(session, "read")}),
    }
    read = {"X-API-Key": api_key(session, "read", name="public reader")}
    answers["api list"] = client.get(f"/api/v1/passports?gtin={gtin(5)}", headers=read)
    answers["api revisions"] = client.get(f"/api/v1/passports/{published['id']}/revisions", headers=read)
    answers["api revision"] = client.get(f"/api/v1/passports/{published['id']}/revisions/1", headers=read)
    for name, answer in answers.items():
        text = answer.get_data(as_text=True)
        assert answer.status_code == 200, name
        assert _leaks(text, RESTRICTED + PRIVATE) == [], name
    page = answers["page"].get_data(as_text=True)
    assert all(value in page for value in PUBLIC)   # what is public stays on the page
    assert "Request access" in page and answers["page"].headers["Cache-Control"].startswith("public")
    assert "X-API-Key" in answers["page"].headers["Vary"]
    api = answers["api"].get_json()
    assert "owners" not in api and "contributions" not in api
    assert api["data"]["substances"] == [{"name": "Nickel", "cas_number": "7440-02-0"}]
    assert api["data"]["certificates"][0]["expiry_date"] == "2029-05-31"
    # who contributed is restricted too: its own endpoint refuses a public key
    refused = client.get(f"/api/v1/passports/{published['id']}/contributions", headers=read)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "INSUFFICIENT_SCOPE"


def test_restricted_key_sees_restricted_but_never_private(client, session, published):
    key = {"X-API-Key": api_key(session, access.RESTRICTED_SCOPE, name="recycler")}
    link = f"/01/{gtin(5)}"
    api = client.get(f"/api/v1/passports/{published['id']}", headers=key)
    credential = client.get(link, headers={"Accept": "application/ld+json", **key})
    page = client.get(link, headers={"Accept": "text/html", **key})
    revisions = client.get(f"/api/v1/passports/{published['id']}/revisions/1", headers=key)
    for name, answer in {"api": api, "json-ld": credential, "page": page, "revision": revisions}.items():
        assert answer.status_code == 200, name
        assert _leaks(answer.get_data(as_text=True), PRIVATE) == [], name
    assert _leaks(api.get_data(as_text=True), RESTRICTED) == RESTRICTED
    data = api.get_json()["data"]
    assert data["manufacturer"]["registration_id"] == REG_ID
    assert data["substances"][0]["concentration_percent"] == CONCENTRATION
    assert data["suppliers"][0]["contact"]["email"] == SUPPLIER_EMAIL
    assert data["certificates"][0]["holder"] == HOLDER and data["due_diligence"][0]["company"] == DD_COMPANY
    assert "internal" not in data and "contributions" in api.get_json()
    assert revisions.get_json()["actor"] == "api:erp" and "note" not in revisions.get_json()
    assert credential.get_json()["credentialSubject"]["product"]["producedByParty"]["registeredId"] == REG_ID
    html = page.get_data(as_text=True)
    assert REG_ID in html and SUPPLIER_EMAIL in html and str(CONCENTRATION) in html
    # an answer meant for one reader never lands in a shared cache
    assert credential.headers["Cache-Control"] == "private, no-store" == page.headers["Cache-Control"]
    assert client.get(f"/api/v1/passports/{published['id']}/contributions", headers=key).status_code == 200
    # a restricted key reads; it never writes
    assert client.patch(f"/api/v1/passports/{published['id']}", json={"data": {"internal": None}},
                        headers=key).status_code == 403


def test_owners_see_everything(client, app, session, published):
    owner = {"X-API-Key": api_key(session, "write", name="erp2")}
    api = client.get(f"/api/v1/passports/{published['id']}", headers=owner).get_data(as_text=True)
    assert _leaks(api, RESTRICTED + PRIVATE[:2]) == RESTRICTED + PRIVATE[:2]
    revision = client.get(f"/api/v1/passports/{published['id']}/revisions/1", headers=owner).get_json()
    assert revision["note"] == REVISION_NOTE
    staff = app.test_client()
    login(staff, gen_user(session, "procurement").email)
    page = staff.get(f"/passport/01/{gtin(5)}").get_data(as_text=True)
    assert NOTE in page and SUPPLIER_EMAIL in page and "Request access" not in page
    # a supplier signed in to the portal is the public here
    supplier = app.test_client()
    login(supplier, gen_user(session, "supplier").email)
    assert _leaks(supplier.get(f"/passport/01/{gtin(5)}").get_data(as_text=True), RESTRICTED + PRIVATE) == []


def test_bad_access_requests_get_clear_messages_and_lose_nothing(client, session, published):
    form_url = f"/passport/access/01/{gtin(5)}"
    token = csrf_token(client, form_url)
    bad = client.post(form_url, data={"csrf_token": token, "name": "Ann", "organisation": "",
                                      "email": "not-an-address", "role": "hacker", "purpose": "<i>x</i>"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    for message in ("Enter your organisation.", "Enter an e-mail address like name@company.com.",
                    "Choose what you do with the product.", "Say in a sentence or two"):
        assert message in text
    assert 'value="Ann"' in text and "&lt;i&gt;x&lt;/i&gt;" in text and "<i>x" not in text
    assert client.post(form_url, data={"name": "A"}).status_code == 400          # no CSRF token
    assert client.get(f"/passport/access/01/{gtin(6)}").status_code == 404        # no such passport
    assert client.get("/passport/access/01/123").status_code == 404              # not a Digital Link
    assert session.exec(select(AccessRequest)).all() == []


def test_one_sender_files_a_few_requests_an_hour(client, session, published):
    for n in range(6):
        form_url = f"/passport/access/01/{gtin(5)}"
        answer = client.post(form_url, data={
            "csrf_token": csrf_token(client, form_url), "name": "Bot", "organisation": "Spam Inc",
            "email": f"bot{n}@spam.example", "role": "other", "purpose": "Give me everything, please."})
        assert answer.status_code == (200 if n < 5 else 429)
    assert "this one was not stored" in answer.get_data(as_text=True)
    assert len(session.exec(select(AccessRequest)).all()) == 5


def test_a_serial_named_access_is_a_passport_not_the_form(client, session, published):
    owner = {"X-API-Key": api_key(session, "write", name="erp3")}
    item = {"gtin": gtin(5), "serial": "access", "status": "published", "data": {}}
    assert client.post("/api/v1/passports", json=item, headers=owner).status_code == 201
    page = client.get(f"/passport/01/{gtin(5)}/21/access").get_data(as_text=True)
    assert "serial number" in page.lower() and "Request access to restricted details" not in page


def _request_access(client, email: str = "eva@recycle.example") -> None:  # noqa: ANN001
    form_url = f"/passport/access/01/{gtin(5)}"
    page = client.get(f"/01/{gtin(5)}", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'/passport/access/01/{gtin(5)}">Request access</a>' in page
    answer = client.post(form_url, data={
        "csrf_token": csrf_token(client, form_url), "name": "Eva Lind", "organisation": "ReCycle AB",
        "email": email, "role": "recycler", "purpose": "We dismantle these drills and need the nickel content."})
    assert answer.status_code == 200 and "Request received" in answer.get_data(as_text=True)


def _key_from_log(app, caplog) -> str:  # noqa: ANN001
    caplog.clear()
    with caplog.at_level("WARNING", logger="portal.mail.send"):
        assert deliver_pending(app.config["SETTINGS"]) >= 1
    return re.search(r"\bsdp_[A-Za-z0-9_\-]{20,}", caplog.text).group(0)


def test_request_approve_read_expire(client, app, session, published, caplog):
    _request_access(client)
    _request_access(client)   # a second click waits with the first
    assert len(session.exec(select(AccessRequest)).all()) == 1
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    listing = admin.get("/admin/access-requests").get_data(as_text=True)
    assert "ReCycle AB" in listing and "Recycler" in listing and "Waiting for a decision" in listing
    request_id = session.exec(select(AccessRequest)).one().id
    # bad grant length: refused with words, nothing granted
    token = csrf_token(admin, "/admin/access-requests")
    refused = admin.post(f"/admin/access-requests/{request_id}/approve", data={"csrf_token": token, "days": "9999"},
                         follow_redirects=True)
    assert "Not approved: a grant lasts 1 to 365 days." in refused.get_data(as_text=True)
    approved = admin.post(f"/admin/access-requests/{request_id}/approve", data={"csrf_token": token, "days": "14"},
                          follow_redirects=True)
    assert "Approved: ReCycle AB can read restricted passport data for 14 days" in approved.get_data(as_text=True)
    session.expire_all()
    grant = session.exec(select(AccessRequest)).one()
    key_row = session.get(ApiKey, grant.api_key_id)
    assert grant.status == "approved" and key_row.scope == access.RESTRICTED_SCOPE
    # the key is in no table and on no page: the stored e-mail holds a placeholder
    email = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "access_grant")).one()
    assert "[API key sent to the recipient]" in email.body and "sdp_" not in email.body
    assert "sdp_" not in admin.get("/admin/access-requests").get_data(as_text=True)

    key = _key_from_log(app, caplog)
    headers = {"X-API-Key": key, "Accept": "application/ld+json"}
    credential = client.get(f"/01/{gtin(5)}", headers=headers)
    assert REG_ID in credential.get_data(as_text=True) and NOTE not in credential.get_data(as_text=True)
    api = client.get(f"/api/v1/passports/{published['id']}", headers={"X-API-Key": key}).get_json()
    assert api["data"]["substances"][0]["concentration_percent"] == CONCENTRATION

    # fourteen days later the grant has run out
    session.expire_all()
    key_row = session.get(ApiKey, grant.api_key_id)
    key_row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(key_row)
    session.commit()
    expired = client.get(f"/api/v1/passports/{published['id']}", headers={"X-API-Key": key})
    assert expired.status_code == 401 and "expired" in expired.get_json()["error"]["message"]
    assert REG_ID not in client.get(f"/01/{gtin(5)}", headers=headers).get_data(as_text=True)
    assert "Approved, expired" in admin.get("/admin/access-requests").get_data(as_text=True)
    actions = [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.entity == "access_request"))]
    assert actions == ["access_request.created", "access_request.approved"]


def test_reject_with_reason(client, app, session, published):
    _request_access(client, "mallory@example.test")
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    request_id = session.exec(select(AccessRequest)).one().id
    token = csrf_token(admin, "/admin/access-requests")
    no_reason = admin.post(f"/admin/access-requests/{request_id}/reject", data={"csrf_token": token, "reason": " "},
                           follow_redirects=True)
    assert "give the reason the requester will read" in no_reason.get_data(as_text=True)
    done = admin.post(f"/admin/access-requests/{request_id}/reject",
                      data={"csrf_token": token, "reason": "We could not confirm your organisation."},
                      follow_redirects=True)
    assert "Declined; mallory@example.test is told why." in done.get_data(as_text=True)
    session.expire_all()
    row = session.get(AccessRequest, request_id)
    assert row.status == "rejected" and row.api_key_id is None
    mail = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "access_declined")).one()
    assert "We could not confirm your organisation." in mail.body
    again = admin.post(f"/admin/access-requests/{request_id}/approve", data={"csrf_token": token, "days": "5"},
                       follow_redirects=True)
    assert "Not approved: this request has been decided already." in again.get_data(as_text=True)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "access_request.rejected")).one()
    assert json.dumps(entry.after).find("could not confirm") > 0
    # only admins see the page
    buyer = app.test_client()
    login(buyer, gen_user(session, "procurement").email)
    assert buyer.get("/admin/access-requests").status_code == 404


def test_admins_make_restricted_keys_by_hand_and_see_when_grants_end(client, app, session, published):
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    token = csrf_token(admin, "/admin/api-keys")
    made = admin.post("/admin/api-keys", data={"csrf_token": token, "name": "Market surveillance DE",
                                               "scope": access.RESTRICTED_SCOPE})
    key = re.search(r'id="new-key-value">([^<]+)<', made.get_data(as_text=True)).group(1)
    api = client.get(f"/api/v1/passports/{published['id']}", headers={"X-API-Key": key}).get_json()
    assert api["data"]["manufacturer"]["registration_id"] == REG_ID and "internal" not in api["data"]
    bad = admin.post("/admin/api-keys", data={"csrf_token": token, "name": "x", "scope": "admin"})
    assert bad.status_code == 400 and "a scope: read, restricted passport data, or write" in bad.get_data(as_text=True)
    row, _secret = ApiKey.generate("Access grant 9: Old Recycler", access.RESTRICTED_SCOPE,
                                   expires_at=utcnow() - timedelta(days=1))
    session.add(row)
    session.commit()
    page = admin.get("/admin/api-keys").get_data(as_text=True)
    assert "restricted passport data" in page and f"expired {row.expires_at:%Y-%m-%d}" in page


def test_exports_keep_to_what_the_key_may_read(client, session, published):
    """The spreadsheet and JSON-lines exports and the EPR report filter each passport like a read."""
    keys = {scope: {"X-API-Key": api_key(session, scope, name=f"export {scope}")}
            for scope in ("read", "passport:restricted", "write")}
    for fmt in ("csv", "jsonl", "xlsx"):
        texts = {}
        for scope, key in keys.items():
            answer = client.get(f"/api/v1/exports/passports.{fmt}", headers=key)
            body = answer.data                      # read each streamed answer before the next request
            assert answer.status_code == 200, (fmt, scope)
            if fmt == "xlsx":
                from openpyxl import load_workbook
                cells = load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)
                texts[scope] = " ".join(str(c) for row in cells for c in row if c is not None)
            else:
                texts[scope] = body.decode()
        assert _leaks(texts["read"], RESTRICTED + PRIVATE) == [], fmt
        assert "Cordless drill 5" in texts["read"], fmt
        assert _leaks(texts["passport:restricted"], PRIVATE) == [], fmt
        assert str(CONCENTRATION) in texts["passport:restricted"], fmt
        assert str(COST) in texts["write"], fmt


def _approve_first_request(app, session) -> None:  # noqa: ANN001
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    request_id = session.exec(select(AccessRequest)).one().id
    approved = admin.post(f"/admin/access-requests/{request_id}/approve",
                          data={"csrf_token": csrf_token(admin, "/admin/access-requests"), "days": "7"})
    assert approved.status_code == 303


def test_a_grant_reads_restricted_data_of_its_own_gtin_only(client, app, session, published, caplog):
    """Asked from GTIN 5's page: restricted data of GTIN 5 (its lots and units too), public elsewhere."""
    owner = {"X-API-Key": api_key(session, "write", name="erp3")}
    unit = client.post("/api/v1/passports", json={**_body(), "lot": "L-3", "serial": "U-1"}, headers=owner).get_json()
    other = client.post("/api/v1/passports", json=_body(6), headers=owner).get_json()
    _request_access(client)
    _approve_first_request(app, session)
    key = {"X-API-Key": _key_from_log(app, caplog)}
    assert session.get(ApiKey, session.exec(select(AccessRequest)).one().api_key_id).restricted_gtin == gtin(5)

    for passport in (published, unit):   # the product asked about, and a unit of one of its lots
        api = client.get(f"/api/v1/passports/{passport['id']}", headers=key).get_json()
        assert api["data"]["manufacturer"]["registration_id"] == REG_ID, passport["serial"]
        assert "internal" not in api["data"]
    unit_page = client.get(f"/01/{gtin(5)}/10/L-3/21/U-1", headers={"Accept": "application/ld+json", **key})
    assert REG_ID in unit_page.get_data(as_text=True)
    assert client.get(f"/api/v1/passports/{published['id']}/contributions", headers=key).status_code == 200

    # another product: the public view, everywhere
    api = client.get(f"/api/v1/passports/{other['id']}", headers=key)
    assert api.status_code == 200 and _leaks(api.get_data(as_text=True), RESTRICTED + PRIVATE) == []
    assert "Cordless drill 6" in api.get_data(as_text=True)
    credential = client.get(f"/01/{gtin(6)}", headers={"Accept": "application/ld+json", **key})
    assert credential.status_code == 200 and _leaks(credential.get_data(as_text=True), RESTRICTED) == []
    assert client.get(f"/api/v1/passports/{other['id']}/contributions", headers=key).status_code == 403
    revision = client.get(f"/api/v1/passports/{other['id']}/revisions/1", headers=key).get_data(as_text=True)
    assert _leaks(revision, RESTRICTED) == []
    # lists and exports: each passport as the grant may read it
    listed = {p["gtin"]: p for p in client.get("/api/v1/passports?limit=10", headers=key).get_json()["items"]}
    assert "registration_id" in listed[gtin(5)]["data"]["manufacturer"]
    assert "registration_id" not in listed[gtin(6)]["data"]["manufacturer"]
    lines = [json.loads(line) for line in client.get("/api/v1/exports/passports.jsonl", headers=key).data.splitlines()]
    assert {line["gtin"]: "registration_id" in line["data"]["manufacturer"] for line in lines} == {
        gtin(5): True, gtin(6): False}
    # a key made by hand with the scope (no GTIN) still reads every passport's restricted data
    by_hand = {"X-API-Key": api_key(session, access.RESTRICTED_SCOPE, name="surveillance")}
    api = client.get(f"/api/v1/passports/{other['id']}", headers=by_hand).get_json()
    assert api["data"]["manufacturer"]["registration_id"] == REG_ID
