"""Every page each role can reach, in German on a 390 px phone: nothing runs off the screen, and no
word of the page's own (headings, column and row headers, labels, buttons, links in the menu) is
broken in the middle — a long compound wraps at a hyphen (a soft one the portal puts there, or the
browser's own hyphenation) or between words. The pages are those test_axe.py walks (every page rule
of the URL map with demo-like data, one per URL shape); a screenshot of each is saved in
artifacts/screenshots/de-phone-<role>-<page>.png to look at."""

from __future__ import annotations

import re

import pytest

from portal.i18n import COOKIE
from tests.browser.conftest import SHOTS
from tests.browser.test_axe import ROLES, demo  # noqa: F401  (the fixture)
from tests.portal.test_labels_pages import crawl_many

pytestmark = pytest.mark.browser
PHONE = 390
TALL = 8000  # px: a taller page is shot as its first screen
# Words of the page's own that break across two lines without a hyphen: each word of the text in
# these elements (headings, table cells, labels, buttons, the menu) is measured with a Range (more than one line box = broken). Data (translate="no",
# <code>: names, e-mail addresses, hashes) may break anywhere and is left out.
# Folded sections (<details>) are opened while measuring: a CMRT's smelter table is in one. A header kept
# for screen readers only (a stacked table's <thead>, clipped to 1 px) is not read by the eye.
BROKEN_WORDS = r"""() => {
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach(d => { d.open = true; });
  const own = 'h1, h2, h3, th, td, label, legend, dt, button, summary, .top nav a, .badge';
  const memo = new Map();
  const hidden = e => {
    if (!e) return false;
    if (!memo.has(e)) memo.set(e, e.getBoundingClientRect().width <= 1 || hidden(e.parentElement));
    return memo.get(e);
  };
  const out = [];
  for (const box of document.querySelectorAll(own)) {
    if (!box.getClientRects().length || box.closest('[translate="no"], code, .visually-hidden') || hidden(box)) continue;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent.closest(own) !== box || parent.closest('[translate="no"], code, .visually-hidden') || hidden(parent)) continue;
      for (const m of node.data.matchAll(/[^\s\u00ad\-\u2010\/]+/g)) {
        // an address, a number, a file name, a template of an identifier ("<delivery id>.<t>"): data, not words
        if (m[0].length < 4 || /[@\d_<>=?"{}]|\w\.\w/.test(m[0])) continue;
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) out.push(box.tagName.toLowerCase() + ': ' + m[0]);
      }
    }
  }
  closed.forEach(d => { d.open = false; });
  return out;
}"""


# Parts of a page that scroll sideways: a list that should be one card per row on a phone
# (table.stack), unless it is one of the wide tables kept as tables on purpose (SIDEWAYS_OK).
SIDEWAYS = """() => [...document.querySelectorAll('main *')].filter(e => e.scrollWidth > e.clientWidth + 1
    && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.getClientRects().length)
  .map(e => (e.id ? '#' + e.id : '') + (e.querySelector('table[id]') ? '#' + e.querySelector('table[id]').id : '')
            + ' ' + e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))"""


# the register's list (eight columns to compare across rows), a file's cells around a value, a
# CMRT's smelter table and the expiry chart (kept at a readable size) scroll inside their card
SIDEWAYS_OK = re.compile(r"#cert-list div\.scroll-x$| table\.cells$|#fields-smelters div\.scroll-x$|div\.scroll-x\.timeline-scroll$")


def test_every_page_reads_well_in_german_on_a_phone(demo, live_stack, browser):  # noqa: F811
    from portal.demo import DEMO_PASSWORD
    clients, starts, _wanted = demo
    overflow, broken, sideways, seen = [], [], [], set()
    for email in ROLES:
        urls = list(crawl_many(clients[email], starts, 80, one_per_shape=True))
        context = browser.new_context(viewport={"width": PHONE, "height": 900}, locale="de-DE")
        page = context.new_page()
        if email != "visitor":
            page.goto(live_stack.url + "/login")
            page.locator("#email").fill(email)
            page.locator("#password").fill(DEMO_PASSWORD)
            page.locator("main button[type=submit]").click()
            page.wait_for_url(re.compile(r"^(?!.*/login)"))
        context.add_cookies([{"name": COOKIE, "value": "de", "url": live_stack.url}])
        who = email.split("@")[0]
        for url in urls:
            response = page.goto(live_stack.url + url)
            if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            if page.locator("html").get_attribute("lang") != "de":
                continue  # the API reference is Swagger UI's own English page
            shape = re.sub(r"\d+", "N", url.split("?")[0])
            seen.add(shape)
            name = re.sub(r"\W+", "-", shape.strip("/")) or "home"
            page.screenshot(path=str(SHOTS / f"de-phone-{who}-{name}.png"),
                            full_page=page.evaluate("document.documentElement.scrollHeight") <= TALL)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE + 1:
                overflow.append(f"{who} {url}: {width} px wide")
            broken += [f"{who} {url}: {word}" for word in page.evaluate(BROKEN_WORDS)]
            sideways += [f"{who} {shape}: {part}" for part in page.evaluate(SIDEWAYS)]
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            width = page.evaluate("document.documentElement.scrollWidth")  # with every section open
            if width > PHONE + 1:
                overflow.append(f"{who} {url}, folded sections open: {width} px wide")
        context.close()
    unexpected = [part for part in sideways if not SIDEWAYS_OK.search(part)]
    assert not unexpected, "lists scrolling sideways on a German phone:\n" + "\n".join(sorted(set(unexpected)))
    assert len(seen) > 30, f"only {len(seen)} pages were walked"
    assert not overflow, "pages wider than a 390 px phone in German:\n" + "\n".join(overflow)
    assert not broken, "words broken mid-word on a German phone:\n" + "\n".join(sorted(set(broken)))
