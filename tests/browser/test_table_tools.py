"""The smelter table of a CMRT's review screen (one row per smelter) gets filter, sort and paging from
portal/static/table-tools.js, at desktop and phone width, and stays axe-clean."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SHOTS, log_in
from tests.browser.test_axe import AXE, RUN_AXE
from tests.conftest import PASSWORD, extracted_draft, gen_user, submitted_declaration

pytestmark = pytest.mark.browser
STATUS = re.compile(r"Rows (\d+)–(\d+) of (\d+)")


@pytest.fixture
def cmrt(app, session):  # noqa: ANN001, ANN201
    """Made before the live stack starts, like tests/browser/test_axe.py's demo."""
    decl, _, _ = submitted_declaration(app, session)
    return decl, gen_user(session, "procurement").email


def _visible_rows(table) -> int:  # noqa: ANN001
    return table.evaluate("t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden).length")


def _cells(table, index: int) -> list[str]:  # noqa: ANN001
    return table.evaluate("(t, i) => Array.from(t.tBodies[0].rows).map(r => r.cells[i].textContent.trim())", index)


def test_review_smelter_table_filters_sorts_and_pages(cmrt, live_stack, browser):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make browser-tools` (npm ci).", pytrace=False)
    decl, email = cmrt
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)  # to inject axe
    page = context.new_page()
    log_in(page, live_stack.url, email, PASSWORD)
    page.wait_for_url(re.compile(r"^(?!.*/login)"))
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_stack.url}/review/{decl.id}")
        table = page.locator("table[data-table-tools]").first
        section = page.locator("details:has(table[data-table-tools])").first
        if section.get_attribute("open") is None:
            section.locator(":scope > summary").click()
        total = table.evaluate("t => t.tBodies[0].rows.length")
        size = int(table.get_attribute("data-page-size") or 50)
        assert total > size, f"the fixture's smelter list has only {total} rows"
        status = section.locator(".table-status")
        assert status.get_attribute("aria-live") == "polite"
        assert status.inner_text() == f"Rows 1–{size} of {total}"
        assert _visible_rows(table) == size

        # paging
        previous, following = section.get_by_role("button", name="Previous"), section.get_by_role("button", name="Next")
        assert previous.is_disabled()
        following.click()
        shown = min(2 * size, total)
        assert status.inner_text() == f"Rows {size + 1}–{shown} of {total}"
        assert _visible_rows(table) == shown - size
        previous.click()
        assert status.inner_text() == f"Rows 1–{size} of {total}"

        # filter: the metal of the last smelter, matched case-insensitively
        word = _cells(table, 2)[-1].split()[0]
        section.get_by_label("Filter rows").fill(word.upper())
        matched = STATUS.match(status.inner_text())
        assert matched, status.inner_text()
        count = int(matched.group(3))
        assert 0 < count <= total
        if count < total:
            assert f"(filtered from {total})" in status.inner_text()
        texts = table.evaluate("t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden).map(r => r.textContent)")
        assert texts and all(word.lower() in text.lower() for text in texts)
        section.get_by_label("Filter rows").fill("no such smelter anywhere")
        assert status.inner_text() == "No rows match “no such smelter anywhere”."
        assert _visible_rows(table) == 0
        section.get_by_label("Filter rows").fill("")
        assert status.inner_text() == f"Rows 1–{size} of {total}"

        # sort by smelter ID: the column header's button, or on a phone (cards, no header row) "Sort by"
        header = table.locator(":scope > thead th", has_text=re.compile(r"^Smelter ID$"))
        column = table.evaluate("t => Array.from(t.tHead.rows[0].cells).findIndex(c => c.textContent.trim() === 'Smelter ID')")
        before = _cells(table, column)
        if width == 1440:
            header.get_by_role("button").click()
        else:
            assert table.locator(":scope > thead").bounding_box()["height"] <= 1  # the header row is hidden on cards
            section.get_by_label("Sort by").select_option(label="Smelter ID, A to Z")
        assert header.get_attribute("aria-sort") == "ascending"
        ascending = _cells(table, column)
        assert sorted(ascending) == sorted(before) and ascending != before
        if width == 1440:
            header.get_by_role("button").click()
        else:
            section.get_by_label("Sort by").select_option(label="Smelter ID, Z to A")
        assert header.get_attribute("aria-sort") == "descending"
        assert _cells(table, column) == ascending[::-1]
        assert status.inner_text() == f"Rows 1–{size} of {total}"

        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        assert not violations, "\n".join(violations)
        page.screenshot(path=str(SHOTS / f"table-tools-review-{width}.png"), full_page=False)
        section.screenshot(path=str(SHOTS / f"table-tools-section-{width}.png"))
    context.close()


@pytest.fixture
def long_draft(app, session, tmp_path):  # noqa: ANN001, ANN201
    """A supplier's CMRT draft with 60 smelter rows, read in-process before the live stack starts."""
    from tests.ingestion.builders import rmi_workbook
    smelters = [{"B": "Tin", "D": f"Foundry {n:02d}", "E": "CHINA"} for n in range(1, 61)]
    decl, _, email = extracted_draft(app, session, rmi_workbook(tmp_path / "cmrt-60.xlsx", smelters=smelters))
    return decl, email


def test_supplier_form_pages_smelters_without_dropping_inputs(long_draft, live_stack, browser, session):
    decl, email = long_draft
    assert len(decl.record["smelters"]) == 60
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(page, live_stack.url, email, PASSWORD)
    page.wait_for_url(re.compile(r"^(?!.*/login)"))
    page.goto(f"{live_stack.url}/declarations/{decl.id}")
    smelters = page.locator("fieldset[data-table-tools]")
    status = page.locator(".table-status")
    assert status.inner_text() == "Rows 1–50 of 60"
    assert smelters.evaluate("f => f.querySelectorAll(':scope > [data-tt-row]:not([hidden])').length") == 50
    page.get_by_label("Filter rows").fill("Foundry 57")
    page.keyboard.press("Enter")  # must not submit the form
    assert status.inner_text() == "Rows 1–1 of 1 (filtered from 60)"
    row = smelters.locator(":scope > [data-tt-row]:not([hidden])")
    row.get_by_label(re.compile("name", re.I)).first.fill("Foundry 57 renamed")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    session.refresh(decl)
    names = [s.get("name") for s in decl.record["smelters"]]
    assert len(names) == 60, "rows hidden by the filter were dropped from the form"
    assert names[56] == "Foundry 57 renamed" and names[0] == "Foundry 01" and names[59] == "Foundry 60"
    # the error summary (shown after saving) links a field on page two: following it turns the page
    assert status.inner_text() == "Rows 1–50 of 60"
    href = page.evaluate("() => Array.from(document.querySelectorAll('a[href^=\"#smelters-\"]'))"
                         ".map(a => a.getAttribute('href')).find(h => /^#smelters-5\\d-/.test(h))")
    assert href, "the error summary links no field of rows 51-60"
    late, target = page.locator(f"a[href='{href}']").first, page.locator(href)
    assert target.is_hidden()
    late.click()
    assert status.inner_text() == "Rows 51–60 of 60" and target.is_visible()
    page.screenshot(path=str(SHOTS / "table-tools-supplier-form.png"))
