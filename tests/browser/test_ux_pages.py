"""Supplier and reviewer experience in headless Chromium against the real stack, at desktop
(1,440 px) and phone (390 px) width: nothing is lost on submit, leaving with unsaved changes is
guarded, the review screen says where each value came from and refuses invalid corrections, and
no page runs off a phone's screen. Screenshots go to artifacts/screenshots/ux-*.png."""

import pytest
import requests

from tests.api.test_resolver import FULL_DATA
from tests.browser.conftest import SHOTS, log_in
from tests.conftest import CMRT_FILE, PASSWORD, gen_user

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": 1440, "phone": 390}


def _fits(page, name: str) -> None:  # noqa: ANN001
    """The page at both widths: a screenshot of each, and nothing wider than a phone's screen."""
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"ux-{name}-{label}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 1 && getComputedStyle(e).position !== 'absolute'
                    && !(e.parentElement && e.parentElement.closest('.scroll-x')))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""", width)
        assert overflow <= 1, f"{name} is {overflow}px wider than a {width}px screen: {wide}"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def test_supplier_and_reviewer_journey_at_desktop_and_phone_width(live_stack, session, browser):
    base = live_stack.url
    supplier_email, buyer_email = gen_user(session).email, gen_user(session, "procurement").email
    supplier = browser.new_page(viewport={"width": WIDTHS["desktop"], "height": 900})
    log_in(supplier, base, supplier_email, PASSWORD)
    supplier.get_by_label("Type").select_option("cmrt")
    supplier.get_by_role("button", name="Start").click()
    assert "Upload your conflict minerals report (CMRT)" in supplier.content()
    supplier.get_by_label("Upload your").set_input_files(str(CMRT_FILE))
    supplier.get_by_role("button", name="Upload and fill in").click()
    supplier.locator(".badge[data-status='extracted']").wait_for(timeout=60_000)

    # leaving with an unsaved change asks first
    supplier.locator("#company-contact-email").fill("not-an-email")
    dialogs = []
    supplier.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    supplier.get_by_role("link", name="← Dashboard").click()
    supplier.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] and "/declarations/" in supplier.url

    # a finding is worded for people, highlighted and linked from the summary at the top
    supplier.get_by_role("button", name="Save draft").click()
    summary = supplier.locator("#error-summary")
    summary.wait_for()
    assert "Enter an e-mail address like name@company.com" in summary.inner_text()
    summary.get_by_role("link", name="Company information › Contact › Contact e-mail").click()
    assert supplier.evaluate("location.hash") == "#company-contact-email"
    _fits(supplier, "supplier-form-with-findings")

    # submit saves what was typed, unsaved, just before
    supplier.locator("#company-contact-email").fill("compliance@tatra.example")
    supplier.locator("#company-name").fill("Tatra Magnetics a.s.")
    supplier.get_by_label("Your name").fill("Priya Martin")
    supplier.get_by_label("Your title").fill("Sustainability Manager")
    supplier.get_by_label("I declare that the information above is correct").check()
    supplier.get_by_role("button", name="Submit declaration").click()
    supplier.get_by_text("Submitted. Procurement will review it").wait_for()
    assert supplier.locator("#company-name").input_value() == "Tatra Magnetics a.s."

    buyer = browser.new_page(viewport={"width": WIDTHS["desktop"], "height": 900})
    log_in(buyer, base, buyer_email, PASSWORD)
    buyer.locator("table a").first.click()
    assert buyer.locator("#review-status").inner_text().startswith("Submitted")  # opening changed nothing
    row = buyer.locator("tr", has=buyer.get_by_role("rowheader", name="Company information › Company name", exact=True))
    assert "Typed by the supplier" in row.inner_text() and "Differs from the file" in row.inner_text()
    _fits(buyer, "review")

    email_row = buyer.locator("tr", has=buyer.get_by_role("rowheader", name="Company information › Contact › Contact e-mail", exact=True))
    email_row.locator("input[name='value']").fill("still not an e-mail")
    email_row.get_by_role("button", name="Save").click()
    buyer.get_by_text("Not saved — Company information › Contact › Contact e-mail: Enter an e-mail address").wait_for()
    assert buyer.locator("#review-status").inner_text().startswith("Submitted")
    buyer.get_by_role("button", name="Start review").click()
    buyer.get_by_text("Review started").wait_for()
    assert buyer.locator("#review-status").inner_text().startswith("In review")

    buyer.get_by_role("link", name="All changes").click()
    assert "Changed by the supplier" in buyer.content() and "{'" not in buyer.content()
    _fits(buyer, "history")


def test_public_passport_page_fits_a_phone(live_stack, browser):
    base = live_stack.url
    created = requests.post(f"{base}/api/v1/passports", headers={"X-API-Key": live_stack.env["PASSPORT_API_KEY"]},
                            json={"gtin": "4006381333931", "status": "published", "data": FULL_DATA})
    assert created.status_code == 201, created.text
    page = browser.new_page(viewport={"width": WIDTHS["desktop"], "height": 900})
    page.goto(f"{base}/01/4006381333931")
    _fits(page, "passport")
