"""Issue 14, access levels in headless Chromium through the real stack (gunicorn + worker): a
reader asks for access from the public passport page, an admin approves it, the worker e-mails the
key (to its log: no SMTP here), and the key reads restricted fields; at phone and desktop widths."""

import re
import time

import pytest
import requests

from tests.api.helpers import gtin
from tests.browser.conftest import SHOTS, browser, log_in  # noqa: F401  (the browser fixture)
from tests.browser.test_axe import AXE, RUN_AXE
from tests.conftest import PASSWORD, gen_user

pytestmark = pytest.mark.browser
REG_ID = "CZ-REG-5501"


def _check(page, width: int, name: str) -> None:  # noqa: ANN001
    """No sideways scrolling, no serious or critical axe-core finding, and a screenshot to look at."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == [], name
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _key_from_worker_log(logs, timeout: float = 45) -> str:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"\bsdp_[A-Za-z0-9_\-]{20,}", (logs / "worker.log").read_text(errors="replace"))
        if found:
            return found.group(0)
        time.sleep(0.5)
    raise AssertionError("the worker delivered no access grant e-mail")


@pytest.mark.parametrize("width", [390, 1440])
def test_request_form_and_admin_page(live_stack, browser, session, width):  # noqa: F811
    base = live_stack.url
    write = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    n = 60 + width % 7
    created = requests.post(f"{base}/api/v1/passports", headers=write, json={
        "gtin": gtin(n), "status": "published", "data": {
            "product": {"name": "Cordless drill"}, "manufacturer": {"name": "Tatra Tools", "registration_id": REG_ID},
            "substances": [{"name": "Nickel", "concentration_percent": 0.071}]}})
    assert created.status_code == 201, created.text
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make browser-tools` (npm ci).", pytrace=False)
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)  # to inject axe
    page = context.new_page()
    page.goto(f"{base}/01/{gtin(n)}")
    assert REG_ID not in page.content()
    _check(page, width, "access-passport-public")
    page.get_by_role("link", name="Request access").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Request access to restricted details"
    page.get_by_role("button", name="Send the request").click()          # nothing filled in
    assert page.get_by_label("Your name").get_attribute("aria-invalid") == "true"
    assert "Enter your name." in page.locator("main").inner_text()
    _check(page, width, "access-request-errors")
    page.get_by_label("Your name").fill("Eva Lind")
    page.get_by_label("Organisation").fill("ReCycle AB")
    page.get_by_label("E-mail address (the key is sent here)").fill(f"eva{width}@recycle.example")
    page.get_by_label("What you do with the product").select_option(label="Recycler")
    page.get_by_label("What you need the details for").fill("We dismantle these drills and recover the nickel.")
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Request received"
    _check(page, width, "access-request-sent")

    admin = gen_user(session, "admin")
    log_in(page, base, admin.email, PASSWORD)
    page.goto(f"{base}/admin/access-requests")
    card = page.get_by_role("region", name=re.compile("ReCycle AB"))
    assert "Waiting for a decision" in card.inner_text() and "Recycler" in card.inner_text()
    _check(page, width, "access-admin")
    card.get_by_label("Days the key works").fill("7")
    card.get_by_role("button", name="Approve").click()
    assert "can read restricted passport data for 7 days" in page.locator(".flashes").inner_text()
    _check(page, width, "access-admin-approved")
    context.close()

    key = _key_from_worker_log(live_stack.logs)
    answer = requests.get(f"{base}/01/{gtin(n)}", headers={"X-API-Key": key, "Accept": "application/ld+json"})
    assert REG_ID in answer.text and answer.headers["Cache-Control"] == "private, no-store"
    assert REG_ID not in requests.get(f"{base}/01/{gtin(n)}", headers={"Accept": "application/ld+json"}).text
