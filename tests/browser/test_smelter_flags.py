"""Inline flags on a CMRT's smelter rows (an ID RMI does not list, a country or metal other than
RMI's for that ID), in the supplier's form and on the reviewer's screen, at desktop and phone
width: badges in words, the reviewer's smelter table one row per smelter with flagged rows first,
a "Sort by" list where no column header shows (cards), a correction per cell, axe-core clean."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SHOTS, log_in
from tests.browser.test_axe import AXE, RUN_AXE
from tests.conftest import PASSWORD, extracted_draft, gen_user, submit

pytestmark = pytest.mark.browser
FILLERS = 30
UNKNOWN = "Unknown smelter ID"
COUNTRY = "Country differs from RMI's list (RMI: Japan)"
METAL = "Metal differs from RMI's list (RMI: Gold)"


@pytest.fixture
def flagged(app, session, tmp_path):  # noqa: ANN001, ANN201
    """A supplier's CMRT (generated) with 30 plain smelters, then three flagged ones; extracted
    in-process before the live stack starts. Returns (declaration, supplier client, supplier e-mail,
    reviewer e-mail)."""
    from tests.ingestion.builders import rmi_workbook
    smelters = [{"B": "Tin", "D": f"Foundry {n:02d}", "E": "CHINA"} for n in range(1, FILLERS + 1)]
    smelters += [{"A": "CID999999", "B": "Tin", "D": "Mystery Smelter", "E": "CHINA"},  # not in RMI's list
                 {"B": "Gold", "D": "Dowa", "E": "Peru", "F": "CID000401", "G": "RMI"},  # RMI: Japan
                 {"A": "CID000401", "B": "Tin"}]                                          # RMI: gold
    decl, client, email = extracted_draft(app, session, rmi_workbook(tmp_path / "cmrt-flags.xlsx", smelters=smelters))
    return decl, client, email, gen_user(session, "procurement").email


def _signed_in(browser, base: str, email: str):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)  # to inject axe
    page = context.new_page()
    log_in(page, base, email, PASSWORD)
    page.wait_for_url(re.compile(r"^(?!.*/login)"))
    return context, page


def _axe(page, where: str) -> None:  # noqa: ANN001
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    assert not violations, where + "\n" + "\n".join(violations)


def _badges(scope) -> list[str]:  # noqa: ANN001
    return [text.strip() for text in scope.locator(".badge.flag").all_inner_texts()]


def test_flags_in_the_form_and_on_the_review_screen(flagged, live_stack, browser, session):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make browser-tools` (npm ci).", pytrace=False)
    decl, supplier_client, supplier_email, reviewer_email = flagged

    # --- the supplier's form: a badge in each flagged row, a "Sort by" list for the rows
    context, page = _signed_in(browser, live_stack.url, supplier_email)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_stack.url}/declarations/{decl.id}")
        smelters = page.locator("fieldset[data-table-tools]")
        rows = smelters.locator(":scope > [data-tt-row]")
        assert rows.nth(FILLERS).locator(".badge.flag").inner_text() == UNKNOWN
        assert _badges(rows.nth(FILLERS + 1)) == [COUNTRY]
        assert _badges(rows.nth(FILLERS + 2)) == [METAL]
        assert _badges(smelters) == [UNKNOWN, COUNTRY, METAL]            # plain rows carry none
        sort = page.get_by_label("Sort by")
        assert sort.is_visible()
        sort.select_option(label="Smelter name, Z to A")
        names = smelters.evaluate("f => Array.from(f.querySelectorAll(':scope > [data-tt-row]')).map(r => "
                                  "(r.querySelector('input[name$=\"-name\"]') || {}).value || '')")
        assert names[0] == "Mystery Smelter" and names == sorted(names, reverse=True)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        _axe(page, f"supplier form at {width}px")
        target = rows.filter(has_text=COUNTRY).first
        target.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"smelter-flags-form-{width}.png"))
        sort.select_option(label="As listed")
    context.close()

    # submitted as is (the flags are for the reviewer to weigh)
    submit(supplier_client, session, decl)

    # --- the reviewer: one row per smelter, flagged ones first, open because they have findings
    context, page = _signed_in(browser, live_stack.url, reviewer_email)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_stack.url}/review/{decl.id}")
        section = page.locator("details#section-smelters")
        assert section.get_attribute("open") is not None
        table = section.locator("table#fields-smelters")
        rows = table.locator(":scope > tbody > tr")
        assert rows.count() == FILLERS + 3
        assert section.locator(".table-status").inner_text() == f"Rows 1–25 of {FILLERS + 3}"
        first_three = [_badges(rows.nth(i)) for i in range(3)]
        assert sorted(first_three) == sorted([[UNKNOWN], [COUNTRY], [METAL]])
        assert all(rows.nth(i).locator(".badge.flag").is_visible() for i in range(3))
        dowa = rows.filter(has_text=COUNTRY)
        assert dowa.locator("td[data-label='Country (as written)']").inner_text().strip() == "Peru"
        sort = section.get_by_label("Sort by")
        assert sort.is_visible() == (width == 390)          # on a desktop the column headers sort
        if width == 390:
            sort.select_option(label="Smelter name, A to Z")
        else:
            table.locator("thead th", has_text="Smelter name").get_by_role("button").click()
        names = table.evaluate("t => Array.from(t.tBodies[0].rows).map(r => "
                               "(r.querySelector('td[data-label=\"Smelter name\"]') || {}).textContent.trim())")
        assert names == sorted(names, key=str.casefold) or names == sorted(names), names
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        _axe(page, f"review screen at {width}px")
        page.screenshot(path=str(SHOTS / f"smelter-flags-review-{width}.png"))
        section.screenshot(path=str(SHOTS / f"smelter-flags-review-table-{width}.png"))
        if width == 1440:  # a row's details open on a full-width line under it
            rows.first.locator("summary").click()
            section.screenshot(path=str(SHOTS / "smelter-flags-review-row-open-1440.png"))

    # a correction per cell: the flagged country, under the row's details
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_stack.url}/review/{decl.id}")
    dowa = page.locator("table#fields-smelters > tbody > tr", has_text=COUNTRY)
    dowa.locator("summary").click()
    country_row = dowa.locator("tr[data-path$='/country']")
    path = country_row.get_attribute("data-path")
    country_row.get_by_label(re.compile("New value for")).fill("JAPAN")
    with page.expect_navigation():
        country_row.get_by_role("button", name="Save").click()
    assert page.locator(".flash.success").count() == 1
    session.refresh(decl)
    index = int(path.split("/")[2])
    assert decl.record["smelters"][index]["country"] == "JAPAN"
    # the country now says what RMI's list says: that row's badge is gone, the others stay
    assert COUNTRY not in _badges(page.locator("#section-smelters"))
    assert sorted(_badges(page.locator("#section-smelters"))) == sorted([UNKNOWN, METAL])
    page.screenshot(path=str(SHOTS / "smelter-flags-review-corrected.png"), full_page=False)
    context.close()
