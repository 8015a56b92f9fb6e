"""Two supplier journeys in headless Chromium against the real stack (gunicorn + worker):
invite -> set password -> answer a request by form; upload -> correct -> attest -> procurement asks
for a change on one field -> supplier fixes it -> approved. Screenshots go to artifacts/screenshots/."""

import re
from datetime import date, timedelta

from sqlmodel import select

from portal.mail.models import OutgoingEmail
from tests.browser.conftest import SHOTS, log_in
from tests.conftest import CMRT_FILE, PASSWORD, gen_user


def _logged_invitation_link(live_stack, timeout_s: float = 60) -> str:  # noqa: ANN001
    import time
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = re.search(r"(http://\S+/invite/\S+)", (live_stack.logs / "worker.log").read_text(errors="replace"))
        if found:
            return found.group(1)
        time.sleep(0.5)
    raise AssertionError("the worker did not deliver the invitation")


def test_invite_set_password_answer_by_form(live_stack, session, browser):
    base = live_stack.url
    buyer_email = gen_user(session, "procurement").email
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, base, buyer_email, PASSWORD)
    page.get_by_role("link", name="Suppliers").click()
    page.get_by_role("link", name="Add a supplier").click()
    page.get_by_label("Company name").fill("Baltic Polymers UAB")
    page.get_by_label("Country").fill("Lithuania")
    page.get_by_role("button", name="Save").click()
    page.get_by_label("Invite a contact by e-mail").fill("rasa@baltic.test")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to rasa@baltic.test").wait_for()
    page.get_by_role("link", name="Request a declaration").click()
    page.get_by_label("What to ask for").select_option("certificate")
    page.get_by_label("Due date").fill((date.today() + timedelta(days=20)).isoformat())
    page.get_by_label("Message to the supplier").fill("Your current ISO 14001 certificate, please.")
    page.screenshot(path=SHOTS / "10-procurement-new-request.png", full_page=True)
    page.get_by_role("button", name="Send request").click()
    page.get_by_text("Sent 1 request.").wait_for()
    page.close()

    session.expire_all()
    invitation = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "invitation")).one()
    assert "/invite/" not in invitation.body  # the link is stored nowhere: the worker logs it (no SMTP_HOST)
    link = _logged_invitation_link(live_stack)
    assert link.startswith(base)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(link)
    page.get_by_label("New password").fill("baltic polymers 2026")
    page.get_by_label("The same password again").fill("baltic polymers 2026")
    page.screenshot(path=SHOTS / "11-supplier-set-password.png")
    page.get_by_role("button", name="Set password and log in").click()
    page.get_by_text("Your current ISO 14001 certificate, please.").wait_for()
    page.screenshot(path=SHOTS / "12-supplier-dashboard-request.png", full_page=True)
    page.get_by_role("button", name="Answer").click()
    page.get_by_label("Scheme").select_option("iso_14001")
    page.get_by_label("Standard", exact=True).fill("ISO 14001:2015")
    page.get_by_label("Certificate number").fill("EMS-558812")
    page.get_by_label("Holder name").fill("Baltic Polymers UAB")
    page.get_by_label("Certification body").fill("Bureau Veritas")
    page.get_by_label("Issue date").fill("2025-04-01")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("1 problem is marked below").wait_for()  # expiry date still missing
    assert page.locator("#expiry_date-err").inner_text() == "Fill in “Expiry date”."
    assert page.locator("#error-summary a[href='#expiry_date']").inner_text() == "Expiry date"
    page.screenshot(path=SHOTS / "13-supplier-form-error.png", full_page=False)
    page.get_by_label("Expiry date").fill("2028-03-31")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_label("Your name").fill("Rasa Kairyte")
    page.get_by_label("Your title").fill("Quality manager")
    page.get_by_label("I declare that the information above is correct").check()
    page.get_by_role("button", name="Submit declaration").click()
    page.get_by_text("Submitted. Procurement will review it").wait_for()
    page.screenshot(path=SHOTS / "14-supplier-submitted.png", full_page=False)


def test_upload_correct_attest_changes_requested_fixed_approved(live_stack, session, browser):
    base = live_stack.url
    supplier_email = gen_user(session).email
    buyer_email = gen_user(session, "procurement").email
    supplier = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(supplier, base, supplier_email, PASSWORD)
    supplier.get_by_label("Type").select_option("cmrt")  # a declaration without a request
    supplier.get_by_role("button", name="Start").click()
    supplier.get_by_label("Upload your").set_input_files(str(CMRT_FILE))
    supplier.get_by_role("button", name="Upload and fill in").click()
    supplier.locator(".badge[data-status='extracted']").wait_for(timeout=60_000)  # status.js reloads when done
    phone = supplier.locator("#company-contact-phone")
    assert phone.input_value() == "+49 597 826057"
    supplier.locator("#company-authorizer-title").fill("Head of Sustainability")
    supplier.get_by_role("button", name="Save draft").click()
    supplier.get_by_text("Draft saved.").wait_for()
    _attest(supplier)

    buyer = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(buyer, base, buyer_email, PASSWORD)
    buyer.locator("table a").first.click()
    buyer.locator("input[name='note:/company/contact/phone']").fill("Please give the direct line, not the switchboard.")
    buyer.screenshot(path=SHOTS / "20-review-asking-change.png")
    buyer.get_by_role("button", name="Request changes").click()
    buyer.get_by_text("Sent back to the supplier").wait_for()

    supplier.reload()
    supplier.get_by_text("Procurement asks: Please give the direct line").wait_for()
    supplier.screenshot(path=SHOTS / "21-supplier-sees-the-reason.png")
    supplier.locator("#company-contact-phone").fill("+49 597 826057 12")
    supplier.get_by_role("button", name="Save draft").click()
    supplier.get_by_text("Draft saved.").wait_for()
    _attest(supplier)

    buyer.reload()
    assert "+49 597 826057 12" in buyer.content()
    buyer.get_by_role("button", name="Approve").click()
    buyer.get_by_text("Approved. The record is being sent").wait_for()
    buyer.screenshot(path=SHOTS / "22-approved.png")


def _attest(page) -> None:  # noqa: ANN001
    page.get_by_label("Your name").fill("Priya Martin")
    page.get_by_label("Your title").fill("Sustainability Manager")
    page.get_by_label("I declare that the information above is correct").check()
    page.get_by_role("button", name="Submit declaration").click()
    page.get_by_text("Submitted. Procurement will review it").wait_for()
