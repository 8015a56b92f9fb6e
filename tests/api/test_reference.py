"""The API reference page (/api/docs/), written from the OpenAPI document: every operation with
its method, path, parameters, body and answers, in words; its links land on the page; the
interactive console stays one link away."""

from __future__ import annotations

import re

from portal.api.openapi import openapi_document
from tests.portal.test_labels_pages import offenders


def _operation(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start:page.index("</article>", start)]


def test_every_operation_is_on_the_page_with_its_parts(client):
    page = client.get("/api/docs/").get_data(as_text=True)
    assert "<h1>Supplier Declaration Portal — passport store API</h1>" in page
    operations = [(method.upper(), path) for path, item in openapi_document()["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")]
    for method, path in operations:
        assert f'{method}</span> <code>/api/v1{path}</code>' in page, (method, path)
    listing = _operation(page, "op-get-passports")
    assert "List passports (filters, cursor pagination, oldest first)" in listing
    assert "<code>limit</code>" in listing and "whole number from 1 to 200" in listing
    assert "one of <code>draft</code>, <code>published</code>" in listing
    assert 'href="#schema-Passport"' in listing and "Rate limited; see Retry-After" in listing
    create = _operation(page, "op-post-passports")
    assert "Request body" in create and 'href="#schema-PassportCreate"' in create
    structure = page[page.index('id="schema-PassportCreate"'):]
    assert "GTIN-8/12/13/14; stored as GTIN-14" in structure
    assert "Public: no key needed" in _operation(page, "op-get-merkle-roots-latest")
    assert "Public: no key needed" not in listing
    assert "<code>passport.published</code>" in page and "<code>X-Portal-Signature</code>" in page


def test_links_land_and_nothing_raw_is_shown(client):
    page = client.get("/api/docs/").get_data(as_text=True)
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    missing = {href for href in re.findall(r'href="#([^"]+)"', page) if href not in ids}
    assert not missing, missing
    assert "^(" not in page and "[0-9]{" not in page        # patterns are said in words, not shown
    found = offenders(page)
    assert found == [], "\n".join(sorted({f"{k}: {t}" for k, t in found}))
    assert client.get("/api/docs/try/").status_code == 200 and 'href="/api/docs/try/"' in page
    assert '<div class="api-reference" lang="en">' in page
