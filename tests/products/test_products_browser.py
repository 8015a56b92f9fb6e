"""The Products page in headless Chromium against the real stack (gunicorn + worker): two suppliers'
declarations for one product show with their sources; procurement withdraws one; the page works at
1,440 px and at 390 px. Screenshots go to artifacts/screenshots/."""

import requests

from portal.demo import seed_demo
from tests.api.test_supplier_data import intake
from tests.browser.conftest import SHOTS, browser, log_in  # noqa: F401  (the browser fixture)
from tests.conftest import PASSWORD, gen_user

HX_200 = "04006381333931"


def _no_sideways_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_products_page_shows_contributions_and_withdraws_one(live_stack, session, browser):
    seed_demo(session)
    session.commit()
    push = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    for n, (supplier, substance, cas) in enumerate((("Tatra Magnetics s.r.o.", "Lead", "7439-92-1"),
                                                    ("Lumen Components S.r.l.", "Cadmium", "7440-43-9")), 1):
        answer = requests.post(live_stack.url + "/api/v1/declarations", headers=push, timeout=30, json=intake(
            f"declaration-{n}-v1", "reach_svhc", {"svhc_above_threshold": True, "substances": [
                {"name": substance, "cas_number": cas, "concentration_percent": 0.2}]},
            products=[{"part_number": "HX-200"}], supplier={"id": n, "name": supplier}))
        assert answer.status_code == 201 and answer.json()["applied"], answer.text
        cmrt = {"template": {"name": "CMRT", "version": "6.5"}, "company": {"name": supplier}, "smelters": [
            {"metal": "tin", "name": "Thaisarco", "country_code": "TH", "smelter_id": "CID001898"},
            {"metal": "gold", "name": f"Refinery {n}", "country_code": "PE", "smelter_id": None}]}
        answer = requests.post(live_stack.url + "/api/v1/declarations", headers=push, timeout=30, json=intake(
            f"declaration-{n + 10}-v1", "cmrt", cmrt, products=[{"part_number": "HX-200"}],
            supplier={"id": n, "name": supplier}))
        assert answer.status_code == 201, answer.text

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(page, live_stack.url, gen_user(session, "procurement").email, PASSWORD)
    page.get_by_role("link", name="Products").click()
    page.get_by_role("link", name="Motor housing").click()
    provenance = page.locator("#provenance")
    provenance.get_by_text("Tatra Magnetics s.r.o.").first.wait_for()
    assert "Lumen Components S.r.l." in provenance.inner_text()
    assert "Published" in page.locator("#passport-state").inner_text()
    minerals = page.locator("#product-minerals").inner_text()
    assert "Tin: 1" in minerals and "Gold: 2" in minerals
    page.screenshot(path=SHOTS / "40-products-detail-1440.png", full_page=True)

    row = page.locator("#contributions tr", has_text="Tatra Magnetics").filter(has_text="REACH")
    row.get_by_placeholder("Why withdraw it?").fill("Declared for another housing")
    row.get_by_role("button", name="Withdraw").click()
    page.get_by_text("Withdrawn: the passport has a new revision without it.").wait_for()
    assert "Lead" not in page.locator("#provenance").inner_text()
    assert "Declared for another housing" in page.locator("#contributions").inner_text()
    public = page.get_by_role("link", name="Public page").get_attribute("href")
    assert public.endswith(f"/01/{HX_200}")
    assert "Cadmium" in requests.get(public, timeout=30).text

    page.goto(live_stack.url + "/products/")
    page.get_by_role("link", name="Conflict minerals (all smelters)").click()
    page.locator("#company-minerals").get_by_text("CID001898").wait_for()
    page.screenshot(path=SHOTS / "43-products-minerals-1440.png", full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, live_stack.url, gen_user(session, "procurement").email, PASSWORD)
    phone.goto(live_stack.url + "/products/")
    assert phone.locator("#products").get_by_text("Bench fan 40 cm").is_visible()
    phone.screenshot(path=SHOTS / "41-products-list-390.png", full_page=True)
    phone.get_by_role("link", name="Motor housing").click()
    phone.locator("#contributions").wait_for()
    phone.screenshot(path=SHOTS / "42-products-detail-390.png", full_page=True)
    wide = phone.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
        > window.innerWidth + 1 && !e.closest('.scroll-x')).map(e => e.tagName + '#' + e.id + '.' + e.className)""")
    assert _no_sideways_scroll(phone), wide
