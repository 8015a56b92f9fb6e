"""GS1 Digital Link's `context` keyword: `?context=DE` chooses among links of one type by the
`context` their documents name (typically a country or jurisdiction); a context no link names falls
back to the links that hold everywhere. Through the real resolver and the passport API."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft7Validator

from tests.api.helpers import api_key, gtin

LINKSET_SCHEMA = json.loads((Path(__file__).parents[1] / "fixtures" / "gs1" / "gs1-linkset-schema.json").read_text())
MACHINE = {"Accept": "*/*"}
CERTS, MANUALS = "https://gs1.org/voc/certificationInfo", "https://gs1.org/voc/instructions"
PRODUCT = f"/01/{gtin(60)}"


@pytest.fixture
def kettle(client, session):  # noqa: ANN001, ANN201
    """Declarations of conformity for everywhere, for Germany, for France and Belgium; user manuals
    only for Germany (German and English) and for the United Kingdom, none for everywhere."""
    documents = [
        {"doc_type": "declaration_of_conformity", "url": "https://docs.example/doc.pdf"},
        {"doc_type": "declaration_of_conformity", "url": "https://docs.example/doc-de.pdf", "context": ["DE"]},
        {"doc_type": "declaration_of_conformity", "url": "https://docs.example/doc-fr-be.pdf", "context": ["FR", "BE"]},
        {"doc_type": "user_manual", "url": "https://docs.example/manual-de-de.pdf", "language": "de", "context": ["DE"]},
        {"doc_type": "user_manual", "url": "https://docs.example/manual-de-en.pdf", "language": "en", "context": ["DE"]},
        {"doc_type": "user_manual", "url": "https://docs.example/manual-gb.pdf", "language": "en", "context": ["GB"]},
    ]
    created = client.post("/api/v1/passports", json={"gtin": gtin(60), "status": "published", "data": {
        "product": {"name": "Kettle"}, "documents": documents}}, headers={"X-API-Key": api_key(session)})
    assert created.status_code == 201, created.get_json()


def _target(client, link_type: str, context: str | None = None, **headers: str):  # noqa: ANN001, ANN202
    query = f"?linkType={link_type}" + (f"&context={context}" if context is not None else "")
    return client.get(PRODUCT + query, headers={**MACHINE, **headers})


def _location(response) -> str:  # noqa: ANN001
    assert response.status_code == 307, (response.status_code, response.get_data(as_text=True)[:300])
    return response.headers["Location"].split("?")[0]


def test_context_picks_the_link_that_names_it(client, kettle):  # noqa: ANN001
    assert _location(_target(client, "gs1:certificationInfo", "DE")) == "https://docs.example/doc-de.pdf"
    assert _location(_target(client, "gs1:certificationInfo", "BE")) == "https://docs.example/doc-fr-be.pdf"
    assert _location(_target(client, "gs1:certificationInfo", "fr")) == "https://docs.example/doc-fr-be.pdf"
    # the query string, context included, is passed on to the target
    redirect = _target(client, "gs1:certificationInfo", "DE")
    assert parse_qs(urlsplit(redirect.headers["Location"]).query)["context"] == ["DE"]


def test_unknown_or_missing_context_falls_back_to_the_link_for_everywhere(client, kettle):  # noqa: ANN001
    for context in (None, "", "JP", "not-a-country"):
        assert _location(_target(client, "gs1:certificationInfo", context)) == "https://docs.example/doc.pdf"


def test_context_then_language_choose_together(client, kettle):  # noqa: ANN001
    assert _location(_target(client, "gs1:instructions", "DE", **{"Accept-Language": "de"})) == \
        "https://docs.example/manual-de-de.pdf"
    assert _location(_target(client, "gs1:instructions", "DE", **{"Accept-Language": "en-GB,en;q=0.8"})) == \
        "https://docs.example/manual-de-en.pdf"
    assert _location(_target(client, "gs1:instructions", "GB")) == "https://docs.example/manual-gb.pdf"
    # every manual is for one country: without a context (or with one none names) the reader
    # chooses among all of them, as a one-entry linkset for a machine
    for context in (None, "JP"):
        choice = _target(client, "gs1:instructions", context)
        assert choice.status_code == 300 and choice.mimetype == "application/linkset+json"
        offered = [link["href"] for link in choice.get_json()["linkset"][0][MANUALS]]
        assert len(offered) == 3 and "https://docs.example/manual-gb.pdf" in offered
    # a language alone still chooses among them where it can
    assert _location(_target(client, "gs1:instructions", None, **{"Accept-Language": "de"})) == \
        "https://docs.example/manual-de-de.pdf"


def test_context_does_not_change_the_default_link_or_a_missing_type(client, kettle):  # noqa: ANN001
    assert _location(client.get(f"{PRODUCT}?context=DE", headers=MACHINE)).endswith(f"/passport{PRODUCT}")
    assert _target(client, "gs1:epil", "DE").status_code == 404


def test_linkset_and_page_show_each_links_context(client, kettle):  # noqa: ANN001
    linkset = client.get(PRODUCT, headers={"Accept": "application/linkset+json"}).get_json()
    assert list(Draft7Validator(LINKSET_SCHEMA).iter_errors(linkset)) == []
    entry = linkset["linkset"][0]
    assert [link.get("context") for link in entry[CERTS]] == [None, ["DE"], ["FR", "BE"]]
    assert [link["context"] for link in entry[MANUALS]] == [["DE"], ["DE"], ["GB"]]
    page = client.get(PRODUCT, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "for FR, BE" in page and "for DE" in page
    description = client.get("/.well-known/gs1resolver").get_json()
    assert "ISO 3166" in description["supportedContextValuesExternal"][0]["nameOfList"]


@pytest.mark.parametrize("context", [[], ["DE", "DE"], ["a b"], ["DE;FR"], "DE", ["x" * 41]])
def test_a_malformed_context_is_refused_with_its_path(client, session, context):  # noqa: ANN001
    body = {"gtin": gtin(61), "data": {"documents": [
        {"doc_type": "user_manual", "url": "https://docs.example/m.pdf", "context": context}]}}
    refused = client.post("/api/v1/passports", json=body, headers={"X-API-Key": api_key(session)})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["details"][0]["path"].startswith("/data/documents/0/context")
