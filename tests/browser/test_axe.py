"""axe-core, from the npm registry (`make browser-tools` runs `npm ci`), checks every page each role
can reach, with demo-like data, at phone (390 px) and desktop (1,440 px) width: no serious or
critical accessibility violation anywhere. The pages are the same as the words test reads: every
page rule of the URL map (access requests, OAuth clients, sandbox, the public passport with its
lifecycle, imports and exports, a product with serial batches…) and what they link to, one page per
URL shape, for each role and for a visitor. The test injects axe itself; the portal never serves it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import SHOTS, log_in
from tests.portal.test_labels_pages import crawl_many, every_page_demo

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1440)
ROLES = ("supplier@tatra.example", "buyer@oem.example", "quality@oem.example", "admin@oem.example", "visitor")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} -- ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


SHOT_SHAPES = ("/certificates/", "/certificates/N", "/admin/api-keys", "/admin/access-requests", "/review/N/history",
               "/passport/N/N", "/mail/", "/products/passports/import")


def _phone_shots(context, page, base: str, who: str, urls: list[str]) -> None:  # noqa: ANN001
    """German and French screenshots at 390 px of the pages the latest work translated, to look at."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    for lang in ("de", "fr"):
        context.add_cookies([{"name": "lang", "value": lang, "url": base}])
        for url in urls:
            shape = re.sub(r"\d+", "N", url.split("?")[0])
            if shape in SHOT_SHAPES:
                page.goto(base + url)
                name = re.sub(r"\W+", "-", shape.strip("/")) or "home"
                page.screenshot(path=str(SHOTS / f"{lang}-390-{who.split('@')[0]}-{name}.png"), full_page=True)
    context.clear_cookies(name="lang")


@pytest.fixture
def demo(app, session):  # noqa: ANN001, ANN201
    """Made before the live stack starts: its worker would otherwise race the in-process
    extraction of the demo CMRT."""
    return every_page_demo(app, session)


def test_axe_finds_no_serious_or_critical_violation_on_any_page(demo, live_stack, browser):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make browser-tools` (npm ci).", pytrace=False)
    from portal.demo import DEMO_PASSWORD
    clients, starts, _wanted = demo
    problems, checked, reached, overflow = [], 0, set(), []
    for email in ROLES:
        urls = list(crawl_many(clients[email], starts, 80, one_per_shape=True))
        context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 900}, bypass_csp=True)  # to inject axe
        page = context.new_page()
        if email != "visitor":
            log_in(page, live_stack.url, email, DEMO_PASSWORD)
            page.wait_for_url(re.compile(r"^(?!.*/login)"))
        for url in urls:
            response = page.goto(live_stack.url + url)
            if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            reached.add(re.sub(r"\d+", "N", url.split("?")[0]))
            page.add_script_tag(path=str(AXE))
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                checked += 1
                found = [f"{email} {url} at {width}px: {violation}" for violation in page.evaluate(RUN_AXE)]
                if width == WIDTHS[0] and page.evaluate("document.documentElement.scrollWidth") > width + 1:
                    overflow.append(f"{email} {url}: {page.evaluate('document.documentElement.scrollWidth')} px wide")
                print(*found, sep="\n", flush=True)
                problems += found
        page.screenshot(path=str(SHOTS / f"axe-{email.split('@')[0]}-last.png"), full_page=True)
        _phone_shots(context, page, live_stack.url, email, urls)
        context.close()
    print("wider than the phone:", *overflow, sep="\n")
    assert not overflow, "pages wider than a 390 px phone:\n" + "\n".join(overflow)
    assert checked > 2 * 60, f"only {checked} page views were checked"
    # the pages added lately are among them
    for shape in ("/admin/access-requests", "/admin/oauth-clients", "/admin/api-keys", "/admin/webhooks",
                  "/passport/N/N", "/passport/access/N/N", "/products/passports/import", "/products/N",
                  "/certificates/N", "/mail/", "/review/N/history"):
        assert shape in reached, f"{shape} was not checked"
    assert not problems, "\n".join(problems)
