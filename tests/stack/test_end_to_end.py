"""One declaration through the real stack: gunicorn, a real worker process, real Redis, the DB,
and the passport API reached over HTTP by the push job."""

import re
import time

import requests
from sqlmodel import select

from portal.passports.models import OutboxMessage
from tests.conftest import CMRT_FILE, PASSWORD, gen_user


def _login(base: str, email: str) -> requests.Session:
    http = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', http.get(base + "/login").text).group(1)
    response = http.post(base + "/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.ok and "Log out" in response.text
    return http


def _token(http: requests.Session, url: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', http.get(url).text).group(1)


def _wait_for(check, what: str, timeout: float = 60):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_upload_extract_approve_push_read_from_api(live_stack, session):
    base = live_stack.url
    supplier = _login(base, gen_user(session).email)
    token = _token(supplier, base + "/documents/")
    with CMRT_FILE.open("rb") as fh:
        response = supplier.post(base + "/documents/", data={"csrf_token": token},
                                 files={"file": ("cmrt.xlsx", fh)})
    document_id = int(re.search(r"/documents/(\d+)$", response.url).group(1))

    status = _wait_for(lambda: (s := supplier.get(f"{base}/documents/{document_id}/status").json())["final"] and s,
                       "extraction by the worker")
    assert status["status"] == "extracted", status

    # the supplier checks the pre-filled declaration and signs it
    document_page = supplier.get(f"{base}/documents/{document_id}").text
    declaration_id = int(re.search(r'href="/declarations/(\d+)" id="declaration-link"', document_page).group(1))
    form_page = supplier.get(f"{base}/declarations/{declaration_id}").text
    assert 'value="Tatra Magnetics s.r.o."' in form_page
    lock = re.search(r'name="lock_version" value="(\d+)"', form_page).group(1)
    supplier.post(f"{base}/declarations/{declaration_id}/submit", data={
        "csrf_token": _token(supplier, f"{base}/declarations/{declaration_id}"), "lock_version": lock,
        "signatory_name": "Priya Martin", "signatory_title": "Sustainability Manager", "confirm": "yes"})

    reviewer = _login(base, gen_user(session, "procurement").email)
    page = reviewer.get(f"{base}/review/{declaration_id}").text
    assert "sheet Declaration, cell D8" in page and "Priya Martin" in page
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    reviewer.post(f"{base}/review/{declaration_id}/approve",
                  data={"csrf_token": _token(reviewer, f"{base}/review/{declaration_id}"), "lock_version": lock})

    _wait_for(lambda: 'data-push-status="sent"' in reviewer.get(f"{base}/review/{declaration_id}").text,
              "the push to the passport store")
    outbox = session.exec(select(OutboxMessage).where(OutboxMessage.declaration_id == declaration_id)).one()
    # which supplier declared what is restricted data: a public read key is refused, the owner reads it
    read = {"X-API-Key": live_stack.read_key}
    refused = requests.get(f"{base}/api/v1/declarations/{outbox.remote_declaration_id}", headers=read)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "INSUFFICIENT_SCOPE"
    owner = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    received = requests.get(f"{base}/api/v1/declarations/{outbox.remote_declaration_id}", headers=owner).json()
    assert received["document_type"] == "cmrt"
    assert received["record"]["company"]["name"] == "Tatra Magnetics s.r.o."
    assert received["source_declaration_id"] == f"declaration-{declaration_id}-v1"
    assert requests.get(f"{base}/api/v1/declarations/{outbox.remote_declaration_id}").status_code == 401

    # a company-wide CMRT names no products: an ERP links it to a product, whose passport gets a revision
    write = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    passport = requests.post(f"{base}/api/v1/passports", headers=write, json={
        "gtin": "4006381333931", "data": {"product": {"name": "Magnet assembly"}}}).json()
    linked = requests.post(f"{base}/api/v1/declarations/{outbox.remote_declaration_id}/links", headers=write,
                           json={"gtins": ["4006381333931"]})
    assert linked.status_code == 200, linked.text
    public = requests.get(f"{base}/api/v1/passports/{passport['id']}", headers=read).json()
    assert public["version"] == 2 and public["data"]["due_diligence"][0]["template"] == "CMRT"
    assert "owners" not in public                       # which declaration owns an element is restricted
    body = requests.get(f"{base}/api/v1/passports/{passport['id']}", headers=write).json()
    assert body["owners"]["due_diligence"]["document_type"] == "cmrt"
    revision = requests.get(f"{base}/api/v1/passports/{passport['id']}/revisions", headers=write).json()["items"][-1]
    assert revision["source_declaration_id"] == f"declaration-{declaration_id}-v1"
    assert revision["actor"] == "api:portal-push"
