"""The company's own CMRT in headless Chromium against the real stack: an admin uploads RMI's blank
template on the Conflict minerals page, procurement fills the form (a mistake first) and downloads the
filled workbook; the call log's filters. 1,440 px and 390 px; screenshots in artifacts/screenshots/."""

import requests

from ingestion.pipeline import extract_file
from tests.api.test_supplier_data import intake
from tests.browser.conftest import SHOTS, browser, log_in  # noqa: F401  (the browser fixture)
from tests.browser.test_axe import AXE, RUN_AXE
from tests.conftest import PASSWORD, gen_user
from tests.products.test_rmi_fill import BLANK, COMPANY


def test_upload_the_blank_cmrt_and_download_the_company_one(live_stack, session, browser, tmp_path):
    push = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    cmrt = {"template": {"name": "CMRT", "version": "6.5"}, "company": {"name": "Tatra"},
            "answers": {"q1": {"tin": "yes"}},
            "smelters": [{"metal": "tin", "name": "Thaisarco", "country_code": "TH", "smelter_id": "CID001898"}]}
    answer = requests.post(live_stack.url + "/api/v1/declarations", headers=push, timeout=30,
                           json=intake("declaration-1-v1", "cmrt", cmrt))
    assert answer.status_code == 201, answer.text

    admin = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(admin, live_stack.url, gen_user(session, "admin").email, PASSWORD)
    admin.goto(live_stack.url + "/products/minerals")
    admin.get_by_label("Template", exact=True).select_option("cmrt")
    admin.get_by_label("RMI's blank template").set_input_files(str(BLANK))
    admin.get_by_role("button", name="Upload the blank template").click()
    admin.get_by_text("Kept RMI's CMRT 6.5").wait_for(timeout=60_000)

    # bypass_csp: the test injects axe-core into the job page (the portal never serves it)
    page = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True,
                               bypass_csp=True).new_page()
    log_in(page, live_stack.url, gen_user(session, "procurement").email, PASSWORD)
    page.goto(live_stack.url + "/products/minerals")
    for key, value in COMPANY.items():
        if key != "effective_date":
            page.locator(f"#rmi-{key}").fill(value)
    page.locator("#rmi-contact_email").fill("not an address")
    page.get_by_role("button", name="Fill the company's CMRT").click()
    page.get_by_text("Enter the contact's e-mail address").wait_for()
    assert page.locator("#rmi-company_name").input_value() == COMPANY["company_name"]     # nothing lost
    page.locator("#rmi-contact_email").fill(COMPANY["contact_email"])
    page.screenshot(path=SHOTS / "44-minerals-own-cmrt-1440.png", full_page=True)
    # the worker fills it: the job's page polls its state and offers the file when it is ready
    page.get_by_role("button", name="Fill the company's CMRT").click()
    page.get_by_role("heading", name="The company's CMRT").wait_for()
    page.get_by_role("status").wait_for()
    page.screenshot(path=SHOTS / "44b-minerals-own-cmrt-job-1440.png", full_page=True)
    page.get_by_role("link", name="Download the company's CMRT").wait_for(timeout=120_000)   # no reload by hand
    assert page.get_by_role("status").inner_text() == "Ready to download"
    assert "with 1 smelter" in page.locator("#status-panel").inner_text()
    page.screenshot(path=SHOTS / "44c-minerals-own-cmrt-ready-1440.png", full_page=True)
    page.add_script_tag(path=str(AXE))
    for width in (390, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(RUN_AXE) == [], f"accessibility of the job page at {width} px"
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="Download the company's CMRT").click()
    path = tmp_path / "own.xlsx"
    download.value.save_as(path)
    record = extract_file(path)["record"]
    assert record["company"]["name"] == COMPANY["company_name"]
    assert [(s["metal"], s["smelter_id"]) for s in record["smelters"]] == [("tin", "CID001898")]

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, live_stack.url, gen_user(session, "procurement").email, PASSWORD)
    phone.goto(live_stack.url + "/products/minerals")
    phone.locator("#own-template").wait_for()
    phone.screenshot(path=SHOTS / "45-minerals-own-cmrt-390.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.locator("#rmi-jobs").get_by_role("link").first.click()           # the recent fills list
    phone.get_by_role("link", name="Download the company's CMRT").wait_for()
    phone.screenshot(path=SHOTS / "45b-minerals-own-cmrt-job-390.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.goto(live_stack.url + "/products/pushes")
    phone.get_by_label("Answer").select_option("failed")
    phone.get_by_role("button", name="Show").click()
    phone.locator("#call-log-count").get_by_text("any failure").wait_for()
    phone.screenshot(path=SHOTS / "46-pushes-filtered-390.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # the same in German on the phone: the smelter table, the form, the job's page, the call log
    phone.context.add_cookies([{"name": "lang", "value": "de", "url": live_stack.url}])
    phone.goto(live_stack.url + "/products/minerals")
    phone.get_by_role("button", name="CMRT des Unternehmens ausfüllen").wait_for()
    phone.screenshot(path=SHOTS / "47-de-minerals-own-cmrt-390.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.locator("#rmi-jobs").get_by_role("link").first.click()
    assert phone.get_by_role("status").inner_text() == "Bereit zum Herunterladen"
    assert "mit 1 Schmelzhütte ausgefüllt" in phone.locator("#status-panel").inner_text()
    phone.screenshot(path=SHOTS / "47b-de-minerals-own-cmrt-job-390.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.goto(live_stack.url + "/products/pushes?outcome=failed")
    phone.locator("#call-log-count").get_by_text("jeder Fehler").wait_for()
    phone.screenshot(path=SHOTS / "47c-de-pushes-filtered-390.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
