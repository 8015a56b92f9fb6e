"""The long field table of a CMRT's review screen (its smelter list) gets filter, sort and paging from
portal/static/table-tools.js, at desktop and phone width, and stays axe-clean."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SHOTS, log_in
from tests.browser.test_axe import AXE, RUN_AXE
from tests.conftest import PASSWORD, gen_user, submitted_declaration

pytestmark = pytest.mark.browser
STATUS = re.compile(r"Rows (\d+)–(\d+) of (\d+)")


@pytest.fixture
def cmrt(app, session):  # noqa: ANN001, ANN201
    """Made before the live stack starts, like tests/browser/test_axe.py's demo."""
    decl, _, _ = submitted_declaration(app, session)
    return decl, gen_user(session, "procurement").email


def _visible_rows(table) -> int:  # noqa: ANN001
    return table.evaluate("t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden).length")


def _first_cells(table) -> list[str]:  # noqa: ANN001
    return table.evaluate("t => Array.from(t.tBodies[0].rows).map(r => r.cells[0].textContent.trim())")


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
            section.locator("summary").click()
        total = table.evaluate("t => t.tBodies[0].rows.length")
        assert total > 50, f"the fixture's longest section has only {total} rows"
        status = section.locator(".table-status")
        assert status.get_attribute("aria-live") == "polite"
        assert status.inner_text() == f"Rows 1–50 of {total}"
        assert _visible_rows(table) == 50

        # paging
        previous, following = section.get_by_role("button", name="Previous"), section.get_by_role("button", name="Next")
        assert previous.is_disabled()
        following.click()
        shown = min(100, total)
        assert status.inner_text() == f"Rows 51–{shown} of {total}"
        assert _visible_rows(table) == shown - 50
        previous.click()
        assert status.inner_text() == f"Rows 1–50 of {total}"

        # filter: a word from some row's field name, matched case-insensitively
        word = _first_cells(table)[-1].split()[0]
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
        assert status.inner_text() == f"Rows 1–50 of {total}"

        if width == 1440:  # on a phone the table stacks into cards and its header row is hidden
            header = table.locator("thead th").first
            before = _first_cells(table)
            header.get_by_role("button").click()
            assert header.get_attribute("aria-sort") == "ascending"
            ascending = _first_cells(table)
            assert sorted(ascending) == sorted(before) and ascending != before
            header.get_by_role("button").click()
            assert header.get_attribute("aria-sort") == "descending"
            assert _first_cells(table) == ascending[::-1]
            assert status.inner_text() == f"Rows 1–50 of {total}"

        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        assert not violations, "\n".join(violations)
        page.screenshot(path=str(SHOTS / f"table-tools-review-{width}.png"), full_page=False)
        section.screenshot(path=str(SHOTS / f"table-tools-section-{width}.png"))
    context.close()
