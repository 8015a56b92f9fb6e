"""The resolver's own pages for people in headless Chromium: a choice between documents (300) and a
link that is not a GS1 Digital Link (400), at phone and desktop widths."""

import pytest
import requests

from tests.api.helpers import gtin
from tests.browser.conftest import SHOTS, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1440])
def test_choice_and_bad_link_pages(live_stack, browser, width):  # noqa: F811
    base = live_stack.url
    write = {"X-API-Key": live_stack.env["PASSPORT_API_KEY"]}
    manuals = [{"doc_type": "user_manual", "url": f"https://tools.example/manual-{lang}.pdf", "language": lang,
                "title": f"User manual ({name})"} for lang, name in (("en", "English"), ("de", "German"))]
    created = requests.post(f"{base}/api/v1/passports", headers=write, json={
        "gtin": gtin(43), "status": "published", "data": {"product": {"name": "Cordless drill"}, "documents": manuals}})
    assert created.status_code in (201, 409), created.text
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
    page = context.new_page()
    answer = page.goto(f"{base}/01/{gtin(43)}?linkType=gs1:instructions")
    assert answer.status == 300
    assert page.get_by_role("link", name="User manual (German)").get_attribute("href") == manuals[1]["url"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"resolver-choice-{width}.png"), full_page=True)

    answer = page.goto(f"{base}/01/{gtin(43)}/lot/L1")
    assert answer.status == 400
    assert page.get_by_role("heading", level=1).inner_text() == "Not a valid GS1 Digital Link"
    assert "is not a key qualifier of a GTIN" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / f"resolver-bad-link-{width}.png"), full_page=True)
    context.close()
