"""axe-core, from the npm registry (`make browser-tools` runs `npm ci`), checks every page each role
can reach, with demo-like data, at phone (390 px) and desktop (1,440 px) width: no serious or
critical accessibility violation anywhere. The test injects axe itself; the portal never serves it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import SHOTS, log_in
from tests.portal.test_labels_pages import _demo, crawl

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1440)
ROLES = {  # demo login -> extra pages to start from besides the home page
    "supplier@tatra.example": ["/declarations/{rohs}"],
    "buyer@oem.example": ["/review/{cmrt}", "/review/{cmrt}/history"],
    "quality@oem.example": [],
    "admin@oem.example": [],
}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} -- ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def _one_per_kind(urls: list[str]) -> list[str]:
    """One page per URL shape: /review/7 and /review/9, or a list and its filters, are the same
    template with other data."""
    kinds: dict[str, str] = {}
    for url in urls:
        kinds.setdefault(re.sub(r"\d+", "N", url.split("?")[0]), url)
    return list(kinds.values())


@pytest.fixture
def demo(app, session):  # noqa: ANN001, ANN201
    """Made before the live stack starts: its worker would otherwise race the in-process
    extraction of the demo CMRT."""
    return _demo(app, session)


def test_axe_finds_no_serious_or_critical_violation_on_any_page(demo, live_stack, browser):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make browser-tools` (npm ci).", pytrace=False)
    from portal.demo import DEMO_PASSWORD
    clients, rohs, cmrt = demo
    problems, checked = [], 0
    for email, extra in ROLES.items():
        starts = ["/"] + [start.format(rohs=rohs.id, cmrt=cmrt.id) for start in extra]
        urls = _one_per_kind([url for start in starts for url in crawl(clients[email], start)])
        context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 900}, bypass_csp=True)  # to inject axe
        page = context.new_page()
        log_in(page, live_stack.url, email, DEMO_PASSWORD)
        page.wait_for_url(re.compile(r"^(?!.*/login)"))
        for url in urls:
            response = page.goto(live_stack.url + url)
            if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            page.add_script_tag(path=str(AXE))
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                checked += 1
                found = [f"{email} {url} at {width}px: {violation}" for violation in page.evaluate(RUN_AXE)]
                print(*found, sep="\n", flush=True)
                problems += found
        page.screenshot(path=str(SHOTS / f"axe-{email.split('@')[0]}-last.png"), full_page=True)
        context.close()
    assert checked > 40, f"only {checked} page views were checked"
    assert not problems, "\n".join(problems)
