"""The API console (Swagger UI) in headless Chromium against the real stack: every request it makes
stays on this site, and "Try it out" with a key runs a real call."""

from urllib.parse import urlparse

import pytest
import requests

from tests.api.helpers import passport_body
from tests.browser.conftest import SHOTS, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.browser


def test_try_it_out_runs_against_the_portal(live_stack, browser):  # noqa: F811
    base = live_stack.url
    write = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    assert requests.post(f"{base}/api/v1/passports", json=passport_body(1), headers=write).status_code == 201
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    hosts, blocked = set(), []
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{base}/api/docs/try/")
    assert "passport store API" in page.get_by_role("heading", level=1).inner_text()
    page.locator("button.authorize").first.click()
    page.locator(".auth-container input").first.fill(write["X-API-Key"])
    page.get_by_role("button", name="Apply credentials").click()     # the API key form (OAuth2 has its own)
    page.locator(".auth-btn-wrapper button.btn-done").first.click()
    operation = page.locator("#operations-default-get_passports")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert passport_body(1)["gtin"] in operation.locator(".live-responses-table").inner_text()
    create = page.locator("#operations-default-post_passports")
    create.locator(".opblock-summary").click()
    create.get_by_role("button", name="Try it out").click()
    create.get_by_role("button", name="Execute").click()   # the document's example, unchanged
    created = create.locator(".live-responses-table tbody .response-col_status").first
    created.wait_for()
    assert created.inner_text().strip() == "201"
    assert requests.get(f"{base}/api/v1/passports?gtin=04006381333931", headers=write).json()["items"]
    page.screenshot(path=str(SHOTS / "api-docs.png"))
    assert hosts == {urlparse(base).netloc}, hosts     # nothing fetched from another site
    assert not blocked, blocked                          # the portal's CSP holds without exceptions
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{base}/api/docs/try/")
    phone.locator("#operations-default-get_passports").wait_for()
    phone.screenshot(path=str(SHOTS / "api-docs-phone.png"))


def test_the_api_reference_is_accessible_on_a_phone_and_a_desktop(live_stack, browser):  # noqa: F811
    """axe-core finds nothing serious or critical at 390 and 1,440 px, nothing runs off a phone's
    screen, and the contents lead by keyboard to an operation."""
    from tests.browser.test_axe import AXE, RUN_AXE
    page = browser.new_context(bypass_csp=True).new_page()   # to inject axe
    page.goto(f"{live_stack.url}/api/docs/")
    page.add_script_tag(path=str(AXE))
    for width in (390, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(RUN_AXE) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width
    page.screenshot(path=str(SHOTS / "api-reference-1440.png"))
    page.set_viewport_size({"width": 390, "height": 900})
    page.get_by_role("navigation", name="Contents").get_by_role("link", name="Webhook subscriptions").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#webhooks"
    page.screenshot(path=str(SHOTS / "api-reference-390.png"))


def test_the_console_passes_axe_loaded_and_in_use(live_stack, browser):  # noqa: F811
    """Swagger UI's console, with the portal's colours and names for what it leaves unnamed
    (static/api-console.js): clean when loaded, with an operation tried out and with the
    Authorize dialog open."""
    from tests.browser.test_axe import AXE, RUN_AXE
    page = browser.new_context(bypass_csp=True).new_page()   # to inject axe
    page.goto(f"{live_stack.url}/api/docs/try/")
    page.locator("#operations-default-get_passports").wait_for()
    page.add_script_tag(path=str(AXE))
    for width in (390, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(RUN_AXE) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width
    operation = page.locator("#operations-default-post_passports")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    operation.locator(".live-responses-table tbody .response-col_status").first.wait_for()
    assert page.evaluate(RUN_AXE) == []
    page.locator("button.authorize").first.click()
    page.locator(".auth-container input").first.wait_for()
    assert page.evaluate(RUN_AXE) == []
