"""Headless Chromium (Debian's) drives the real stack: a supplier uploads a CMRT, procurement
approves it. Screenshots land in artifacts/screenshots/ (ignored by git) for people to look at."""

from tests.browser.conftest import SHOTS, log_in
from tests.conftest import CMRT_FILE, PASSWORD, gen_user


def _login(page, base: str, email: str) -> None:  # noqa: ANN001
    log_in(page, base, email, PASSWORD)


def test_supplier_uploads_and_procurement_approves(live_stack, session, browser):
    base = live_stack.url
    supplier_email = gen_user(session).email
    buyer_email = gen_user(session, "procurement").email

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _login(page, base, supplier_email)
    page.screenshot(path=SHOTS / "00-supplier-dashboard.png", full_page=True)
    page.get_by_role("link", name="My documents").click()
    page.screenshot(path=SHOTS / "01-supplier-documents.png", full_page=True)
    page.get_by_label("Declaration file").set_input_files(str(CMRT_FILE))
    page.get_by_role("button", name="Upload").click()
    # status.js polls and reloads once extraction is final: no manual reload here
    page.locator(".badge[data-status='extracted']").wait_for(timeout=60_000)
    page.screenshot(path=SHOTS / "02-supplier-extracted.png", full_page=False)
    page.get_by_role("link", name="Check the data and submit").click()
    assert page.get_by_label("Company name").input_value() == "Tatra Magnetics s.r.o."
    page.screenshot(path=SHOTS / "03-supplier-form.png", full_page=False)
    page.get_by_label("Your name").fill("Priya Martin")
    page.get_by_label("Your title").fill("Sustainability Manager")
    page.get_by_label("I declare that the information above is correct").check()
    page.get_by_role("button", name="Submit declaration").click()
    page.get_by_text("Submitted. Procurement will review it").wait_for()
    page.close()

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _login(page, base, buyer_email)
    page.locator("table a").first.click()
    assert page.get_by_text("sheet Declaration, cell D8").count() >= 1
    page.screenshot(path=SHOTS / "04-review-screen.png", full_page=False)
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved. The record is being sent").wait_for()
    for _ in range(60):
        if page.locator("#push-state[data-push-status='sent']").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert page.locator("#push-state[data-push-status='sent']").count() == 1
    page.screenshot(path=SHOTS / "05-approved-and-pushed.png", full_page=False)
