"""The public passport page's lifecycle timeline in headless Chromium, at phone and desktop width:
readable without sideways scrolling, and no serious or critical axe-core violation."""

import pytest
import requests

from tests.api.helpers import gtin
from tests.browser.conftest import SHOTS, browser  # noqa: F401  (the browser fixture)
from tests.browser.test_axe import AXE, RUN_AXE

pytestmark = pytest.mark.browser


def test_timeline_on_the_public_page(live_stack, browser):  # noqa: F811
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make browser-tools` (npm ci).", pytrace=False)
    base = live_stack.url
    write = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    created = requests.post(f"{base}/api/v1/passports", headers=write, json={
        "gtin": gtin(61), "lot": "L-2026-03", "status": "published",
        "data": {"product": {"name": "Cordless drill 18 V"}, "manufacturer": {"name": "Tatra Tools a.s."}}})
    assert created.status_code == 201, created.text
    events = f"{base}/api/v1/passports/{created.json()['id']}/events"
    for body in ({"event_type": "MANUFACTURED", "occurred_at": "2026-03-02T07:00:00Z", "location": "Brno"},
                 {"event_type": "SERVICED", "occurred_at": "2026-09-10T12:30:00Z", "serial": "SN-00017",
                  "actor": "Servis Novák s.r.o.", "note": "Carbon brushes and chuck replaced after 400 hours.",
                  "evidence": {"url": "https://servis.example/reports/17.pdf", "title": "Service report 17"}},
                 {"event_type": "RECYCLED", "occurred_at": "2026-11-20T09:00:00Z", "serial": "SN-00002"}):
        assert requests.post(events, headers=write, json=body).status_code == 201

    context = browser.new_context(bypass_csp=True)   # to inject axe
    page = context.new_page()
    assert page.goto(f"{base}/01/{gtin(61)}/10/L-2026-03").status == 200
    timeline = page.get_by_role("region", name="Life of this product")
    assert timeline.get_by_role("listitem").count() == 3
    assert "Now: Manufactured" in timeline.inner_text()   # one recycled unit is not the lot's status
    assert timeline.get_by_role("link", name="Service report 17").get_attribute("href").endswith("/17.pdf")
    page.add_script_tag(path=str(AXE))
    for width in (390, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(RUN_AXE) == []
        page.screenshot(path=str(SHOTS / f"passport-lifecycle-{width}.png"), full_page=True)
    context.close()
