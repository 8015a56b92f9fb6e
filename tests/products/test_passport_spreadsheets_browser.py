"""The passport spreadsheet page in headless Chromium against the real stack: procurement uploads
a file and reads the results row by row, at 1,440 px and at 390 px."""

import pytest

from tests.api.helpers import gtin
from tests.browser.conftest import SHOTS, browser, log_in  # noqa: F401  (the browser fixture)
from tests.conftest import PASSWORD, gen_user
from tests.products.test_products_browser import _no_sideways_scroll

pytestmark = pytest.mark.browser


def test_upload_and_read_the_results(live_stack, session, browser, tmp_path):  # noqa: F811
    sheet = tmp_path / "passports.csv"
    sheet.write_text(f"GTIN,Product name,Product weight (kg),Material 1 name,Material 1 %\n"
                     f"{gtin(1)},Drill,2,Steel,100\n{gtin(2)},Saw,heavy,Steel,90\n")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(page, live_stack.url, gen_user(session, "procurement").email, PASSWORD)
    page.get_by_role("link", name="Products").click()
    page.get_by_role("link", name="Passports from a spreadsheet").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Passports from a spreadsheet"
    page.get_by_label("File").set_input_files(str(sheet))
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("status").filter(has_text="created").inner_text() == "1 created, 1 not imported."
    rows = page.locator("#import-results tbody tr")
    assert rows.nth(0).inner_text().split("\t")[:3] == ["2", "Drill", "created"]
    assert "Product weight (kg): 'heavy' is not a number" in rows.nth(1).inner_text()
    page.screenshot(path=str(SHOTS / "passport-import.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Passports (Excel)").click()
    assert download.value.suggested_filename == "passports.xlsx"
    page.set_viewport_size({"width": 390, "height": 844})
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "passport-import-phone.png"), full_page=True)
