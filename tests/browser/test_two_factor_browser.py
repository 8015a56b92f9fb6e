"""Two-factor sign-in in headless Chromium: a buyer sets it up from the QR page (the key read as
text, as a person types it into an app), then signs in with password and code. Screenshots at
390 px and 1,440 px go to artifacts/screenshots/."""

import time

import pyotp

from tests.browser.conftest import SHOTS, log_in
from tests.conftest import PASSWORD, gen_user


def test_set_up_two_factor_then_sign_in_with_a_code(live_stack, session, browser):
    base = live_stack.url
    email = gen_user(session, "procurement").email
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(page, base, email, PASSWORD)
    page.goto(base + "/account/two-factor")
    page.get_by_role("img", name="QR code to add this portal to your authenticator app").wait_for()
    page.screenshot(path=SHOTS / "30-two-factor-setup-390.png", full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=SHOTS / "31-two-factor-setup-1440.png", full_page=True)
    totp = pyotp.TOTP(page.locator(".totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("6-digit code").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_text("Two-factor sign-in is on.").wait_for()
    page.close()

    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(page, base, email, PASSWORD)
    page.get_by_role("heading", name="Enter your code").wait_for()
    page.get_by_label("6-digit code").fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("That code is not right").wait_for()
    page.screenshot(path=SHOTS / "32-two-factor-code-wrong-390.png", full_page=True)
    page.get_by_label("6-digit code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Review queue").wait_for()
    page.close()
