"""Procurement's catalogue pages (products, suppliers) in German, the language with the longest
words, in headless Chromium at phone (390 px) and desktop (1,440 px) width: nothing runs off the
phone's screen and axe-core finds no serious or critical violation. Screenshots of each page at
both widths go to artifacts/screenshots/de-<width>-<role>-<page>.png, to look at."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SHOTS, log_in
from tests.browser.test_axe import AXE, RUN_AXE, WIDTHS
from tests.portal.test_labels_pages import crawl_many, every_page_demo

pytestmark = pytest.mark.browser
CATALOGUE = re.compile(r"^/(products|suppliers)(/|$)")


@pytest.fixture
def demo(app, session):  # noqa: ANN001, ANN201
    return every_page_demo(app, session)   # before the live stack starts (its worker would race the demo's extraction)


def test_catalogue_pages_in_german_fit_a_phone_and_pass_axe(demo, live_stack, browser):
    from portal.demo import DEMO_PASSWORD
    clients, starts, _wanted = demo
    starts = [url for url in starts if CATALOGUE.match(url)]
    problems, seen = [], set()
    for email in ("buyer@oem.example", "admin@oem.example"):
        urls = [url for url in crawl_many(clients[email], starts, 60, one_per_shape=True) if CATALOGUE.match(url)]
        context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 900}, bypass_csp=True)  # to inject axe
        page = context.new_page()
        log_in(page, live_stack.url, email, DEMO_PASSWORD)
        page.wait_for_url(re.compile(r"^(?!.*/login)"))
        context.add_cookies([{"name": "lang", "value": "de", "url": live_stack.url}])
        for url in urls:
            response = page.goto(live_stack.url + url)
            assert response is not None and response.status == 200, url
            assert page.locator("html").get_attribute("lang") == "de", url
            shape = re.sub(r"\d+", "N", url.split("?")[0])
            seen.add(shape)
            page.add_script_tag(path=str(AXE))
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                problems += [f"{email} {url} at {width}px: {v}" for v in page.evaluate(RUN_AXE)]
                wide = page.evaluate("document.documentElement.scrollWidth")
                if width == WIDTHS[0] and wide > width + 1:
                    problems.append(f"{email} {url}: {wide} px wide at {width} px")
                name = re.sub(r"\W+", "-", shape.strip("/"))
                page.screenshot(path=str(SHOTS / f"de-{width}-{email.split('@')[0]}-{name}.png"), full_page=True)
        context.close()
    for shape in ("/products/", "/products/N", "/products/N/edit", "/products/minerals", "/products/pushes",
                  "/products/import", "/suppliers/", "/suppliers/N", "/suppliers/import"):
        assert shape in seen, f"{shape} was not checked"
    assert not problems, "\n".join(problems)
