"""The passport page and the admin pages in headless Chromium against the real stack."""

import pytest
import requests

from tests.api.test_resolver import FULL_DATA
from tests.browser.conftest import SHOTS, browser, log_in  # noqa: F401  (the browser fixture)
from tests.conftest import PASSWORD, gen_user

pytestmark = pytest.mark.browser


def test_passport_page_and_admin_pages(live_stack, session, browser):  # noqa: F811
    base = live_stack.url
    write = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    created = requests.post(f"{base}/api/v1/passports", headers=write,
                            json={"gtin": "4006381333931", "status": "published", "data": FULL_DATA})
    assert created.status_code == 201, created.text
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/01/4006381333931")
    assert page.get_by_role("heading", level=1).inner_text() == "Cordless drill"
    assert page.get_by_role("heading", name="Responsible minerals").is_visible()
    assert page.locator("figure.qr img").evaluate("img => img.naturalWidth") > 100   # the QR code rendered
    page.screenshot(path=str(SHOTS / "passport-page.png"), full_page=True)

    admin = gen_user(session, "admin")
    log_in(page, base, admin.email, PASSWORD)
    page.get_by_role("link", name="API", exact=True).click()
    page.get_by_label("Name (who uses it)").fill("PLM")
    page.get_by_label("Scope").select_option("write")
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key-value").inner_text()
    assert key.startswith("sdp_")
    assert requests.get(f"{base}/api/v1/passports", headers={"X-API-Key": key}).status_code == 200
    page.screenshot(path=str(SHOTS / "admin-api-keys.png"), full_page=True)

    page.get_by_role("link", name="Webhooks", exact=True).click()
    page.get_by_label("Receiver URL (public https address)").fill("http://127.0.0.1:9/hook")
    page.get_by_label("Passport published", exact=True).check()      # events are named in words
    page.get_by_role("button", name="Subscribe").click()
    assert "loopback, private or reserved" in page.locator(".flash.error").inner_text()
    page.screenshot(path=str(SHOTS / "admin-webhooks.png"), full_page=True)
