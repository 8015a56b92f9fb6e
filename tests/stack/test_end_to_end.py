"""One declaration through the real stack: gunicorn, a real worker process, real Redis, the DB,
and the passport API reached over HTTP by the push job."""

import re
import time

import requests

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
    assert "Declaration!D8" in page and "Priya Martin" in page
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    reviewer.post(f"{base}/review/{declaration_id}/approve",
                  data={"csrf_token": _token(reviewer, f"{base}/review/{declaration_id}"), "lock_version": lock})

    passport_id = _wait_for(lambda: (m := re.search(r'data-push-status="sent">\s*Sent — passport <code>(\w+)</code>',
                                                    reviewer.get(f"{base}/review/{declaration_id}").text)) and m.group(1),
                            "the push to the passport store")
    answer = requests.get(f"{base}/api/v1/passports/{passport_id}", headers={"X-API-Key": live_stack.read_key})
    assert answer.status_code == 200
    body = answer.json()
    declaration = body["data"]["declarations"][0]
    assert declaration["document_type"] == "cmrt"
    assert declaration["record"]["company"]["name"] == "Tatra Magnetics s.r.o."
    assert body["revisions"][0]["source_declaration_id"] == f"declaration-{declaration_id}-v1"
    assert body["revisions"][0]["actor"] == "api:portal-push"
    assert requests.get(f"{base}/api/v1/passports/{passport_id}").status_code == 401
