"""The resolver against the GS1-Conformant Resolver standard 1.0, the checks GS1's own conformance
suite makes, for passports at GTIN, lot and serial level: description file, CORS and Link headers,
400 for bad links, linkType redirects and 404s, the default link, and a description file and linksets
valid against GS1's schemas (tests/fixtures/gs1/)."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft7Validator

from tests.api.helpers import api_key, gtin

FIXTURES = Path(__file__).parents[1] / "fixtures" / "gs1"
SCHEMA = json.loads((FIXTURES / "gs1-linkset-schema.json").read_text())
# GS1 Resolver CE's edition names a meta-schema of its own; it is draft-07 in substance
DESCRIPTION_SCHEMA = Draft7Validator(json.loads((FIXTURES / "gs1-resolver-description-file-schema.json").read_text()),
                                     format_checker=Draft7Validator.FORMAT_CHECKER)
RATIFIED = {"defaultLink", "pip", "certificationInfo", "sustainabilityInfo", "instructions", "safetyInfo", "epil"}
MACHINE = {"Accept": "*/*"}   # what curl (and GS1's suite) sends
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
LINKSET = {"Accept": "application/linkset+json"}
PRODUCT, LOT, SERIAL = f"/01/{gtin(40)}", f"/01/{gtin(40)}/10/L-7", f"/01/{gtin(40)}/10/L-7/21/SN-1"


@pytest.fixture
def tree(client, session):  # noqa: ANN001, ANN201
    """Published passports at product, lot and serial level, each with links of its own."""
    write = {"X-API-Key": api_key(session)}
    bodies = [
        {"gtin": gtin(40), "data": {
            "product": {"name": "Cordless drill"},
            "certificates": [{"scheme": "iso_14001", "standard": "ISO 14001:2015", "number": "EMS-1",
                              "url": "https://certs.example/ems-1.pdf"}],
            "documents": [{"doc_type": "user_manual", "url": "https://tools.example/manual-en.pdf", "language": "en"},
                          {"doc_type": "user_manual", "url": "https://tools.example/manual-de.pdf", "language": "de"},
                          {"doc_type": "recycling_instructions", "url": "https://tools.example/recycling.pdf"},
                          {"doc_type": "test_report", "url": "https://tools.example/test.pdf"}]}},
        {"gtin": gtin(40), "lot": "L-7", "data": {
            "documents": [{"doc_type": "safety_data_sheet", "url": "https://tools.example/sds-l7.pdf"}]}},
        {"gtin": gtin(40), "lot": "L-7", "serial": "SN-1", "data": {
            "documents": [{"doc_type": "repair_instructions", "url": "https://tools.example/repair-sn1.pdf"}]}},
    ]
    for body in bodies:
        created = client.post("/api/v1/passports", json={**body, "status": "published"}, headers=write)
        assert created.status_code == 201, created.get_json()


@pytest.fixture
def root(app) -> str:  # noqa: ANN001
    return app.config["SETTINGS"].public_url.rstrip("/")


def test_resolver_description_file(client, root):  # noqa: ANN001
    response = client.get("/.well-known/gs1resolver", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    description = response.get_json()
    assert description["resolverRoot"] == root
    assert description["name"] and description["supportedPrimaryKeys"] == ["01"]
    assert description["supportedLinkType"][0]["namespace"] == "https://gs1.org/voc/"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert [error.message for error in DESCRIPTION_SCHEMA.iter_errors(description)] == []


def test_description_file_schema_catches_what_gs1_requires(client):  # noqa: ANN001
    """The schema copy is live: what GS1 requires and constrains is refused when broken."""
    description = client.get("/.well-known/gs1resolver").get_json()
    for broken in ({k: v for k, v in description.items() if k != "resolverRoot"},
                   {**description, "supportedPrimaryKeys": ["01", "99"]},
                   {**description, "supportedLinkType": [{"namespace": "https://gs1.org/voc/", "prefix": "gs1"}]},
                   {**description, "name": 42}):
        assert list(DESCRIPTION_SCHEMA.iter_errors(broken)), broken


@pytest.mark.parametrize("path", [PRODUCT, LOT, SERIAL])
def test_cors_and_link_header_on_every_answer(client, tree, root, path):  # noqa: ANN001
    preflight = client.options(path, headers={"Origin": "https://scanner.example",
                                              "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in preflight.headers["Access-Control-Allow-Methods"].split(",")}
    assert "Accept-Language" in preflight.headers["Access-Control-Allow-Headers"]
    answers = {"options": preflight, "page": client.get(path, headers=BROWSER), "head": client.head(path, headers=BROWSER),
               "redirect": client.get(path, headers=MACHINE),
               "linkType": client.get(path + "?linkType=gs1:certificationInfo", headers=MACHINE),
               "missing": client.get(path + "?linkType=gs1:epil", headers=MACHINE),
               "bad": client.get(path + "/foo", headers=MACHINE)}
    assert answers["head"].status_code == 200 and answers["redirect"].status_code == 307
    for name, response in answers.items():
        assert response.headers.get("Access-Control-Allow-Origin") == "*", name
        assert "Link" in response.headers, name
    for name in ("options", "page", "head", "redirect", "linkType"):
        link = answers[name].headers["Link"]
        assert f'<{root}{path}?linkType=linkset>; rel="linkset"; type="application/linkset+json"' in link, name
        assert 'rel="gs1:' not in link and "https://gs1.org/voc/" not in link   # no legacy per-link headers


@pytest.mark.parametrize("path,reason", [
    ("/01/abc", "not a valid GTIN"),
    (f"/01/{gtin(40)[:-1]}{(int(gtin(40)[-1]) + 1) % 10}", "check digit is wrong"),
    (f"{PRODUCT}/foo", "needs a value"),
    (f"{PRODUCT}/99/x", "not a key qualifier"),
    (f"{PRODUCT}/10", "needs a value"),
    (f"{PRODUCT}/21/SN-1/10/L-7", "wrong order"),
    (f"{PRODUCT}/10/a%20b", "not allowed"),
    (f"{PRODUCT}/10/{'x' * 21}", "not allowed"),
    ("/01/", "no GTIN"),
])
def test_syntax_errors_are_400_with_a_reason(client, path, reason):  # noqa: ANN001
    machine = client.get(path, headers=MACHINE)
    assert machine.status_code == 400 and reason in machine.get_json()["error"]["message"]
    person = client.get(path, headers=BROWSER)
    assert person.status_code == 400 and reason in person.get_data(as_text=True)


def test_well_formed_links_to_nothing_are_404(client, tree):  # noqa: ANN001
    assert client.get(f"/01/{gtin(41)}", headers=MACHINE).status_code == 404
    assert client.get(f"/01/{gtin(41)}", headers=BROWSER).status_code == 404
    # unknown qualifiers walk up the tree (and a variant resolves like its GTIN)
    assert client.get(f"{PRODUCT}/10/KL8G", headers=BROWSER).status_code == 200
    assert client.get(f"{PRODUCT}/22/V1/10/L-7", headers=LINKSET).get_json()["linkset"][0]["anchor"].endswith(LOT)


@pytest.mark.parametrize("path", [PRODUCT, LOT, SERIAL])
def test_trailing_slash_is_tolerated(client, tree, path):  # noqa: ANN001
    for headers in (MACHINE, BROWSER, LINKSET):
        plain, slash = client.get(path, headers=headers), client.get(path + "/", headers=headers)
        assert plain.status_code == slash.status_code and plain.headers.get("Location") == slash.headers.get("Location")
        assert plain.status_code in (200, 307)


@pytest.mark.parametrize("path", [PRODUCT, LOT, SERIAL])
def test_default_link_for_machines_page_for_people(client, tree, root, path):  # noqa: ANN001
    redirect = client.get(path, headers=MACHINE)
    assert redirect.status_code == 307 and redirect.headers["Location"] == f"{root}/passport{path}"
    page = client.get(redirect.headers["Location"], headers=MACHINE)
    assert page.status_code == 200 and page.mimetype == "text/html" and "Cordless drill" in page.get_data(as_text=True)
    person = client.get(path, headers=BROWSER)
    assert person.status_code == 200 and person.mimetype == "text/html"
    default = client.get(path, headers=LINKSET).get_json()["linkset"][0]["https://gs1.org/voc/defaultLink"]
    assert default == [{"href": f"{root}/passport{path}", "title": default[0]["title"]}]


def test_link_type_redirects_walk_up_and_pass_the_query_on(client, tree):  # noqa: ANN001
    cert = client.get(f"{SERIAL}?linkType=gs1:certificationInfo&utm=qr", headers=MACHINE)
    assert cert.status_code == 307
    target = urlsplit(cert.headers["Location"])
    assert target._replace(query="").geturl() == "https://certs.example/ems-1.pdf"   # the product's, walked up to
    assert parse_qs(target.query) == {"linkType": ["gs1:certificationInfo"], "utm": ["qr"]}
    safety = client.get(f"{SERIAL}?linkType=https://ref.gs1.org/voc/safetyInfo", headers=MACHINE)
    assert safety.headers["Location"].startswith("https://tools.example/sds-l7.pdf")    # the lot's
    repair = client.get(f"{SERIAL}?linkType=gs1:instructions", headers=BROWSER)
    assert repair.status_code == 307 and repair.headers["Location"].startswith("https://tools.example/repair-sn1.pdf")
    # the lot has no repair instructions of its own: the product's manual answers
    manual = client.get(f"{LOT}?linkType=gs1:instructions", headers={"Accept-Language": "en"})
    assert manual.status_code == 307 and manual.headers["Location"].startswith("https://tools.example/manual-en.pdf")
    missing = client.get(f"{SERIAL}?linkType=gs1:epil", headers=MACHINE)
    assert missing.status_code == 404 and "gs1:epil" in missing.get_json()["error"]["message"]
    assert client.get(f"{PRODUCT}?linkType=gs1:recyclingInfo", headers=MACHINE).status_code == 404


def test_accept_language_picks_among_links(client, tree):  # noqa: ANN001
    def manual(language: str) -> str:
        response = client.get(f"{PRODUCT}?linkType=gs1:instructions", headers={**MACHINE, "Accept-Language": language})
        return response.headers["Location"]
    assert manual("de-DE,de;q=0.9,en;q=0.5").startswith("https://tools.example/manual-de.pdf")
    assert manual("en-GB,en;q=0.8").startswith("https://tools.example/manual-en.pdf")
    french = client.get(f"{PRODUCT}?linkType=gs1:instructions", headers={**BROWSER, "Accept-Language": "fr"})
    assert french.status_code == 300    # none in French: the reader chooses
    assert "manual-en.pdf" in french.get_data(as_text=True) and "manual-de.pdf" in french.get_data(as_text=True)


def test_links_nothing_tells_apart_are_offered_as_a_choice(client, session):  # noqa: ANN001
    certificates = [{"scheme": "iso_9001", "number": "QMS-1", "url": "https://certs.example/qms-1.pdf"},
                    {"scheme": "iso_14001", "number": "EMS-1", "url": "https://certs.example/ems-1.pdf"}]
    created = client.post("/api/v1/passports", json={"gtin": gtin(42), "status": "published", "data": {
        "product": {"name": "Kettle"}, "certificates": certificates}}, headers={"X-API-Key": api_key(session)})
    assert created.status_code == 201
    choice = client.get(f"/01/{gtin(42)}?linkType=gs1:certificationInfo", headers=MACHINE)
    assert choice.status_code == 300 and choice.mimetype == "application/linkset+json"
    assert choice.headers["Access-Control-Allow-Origin"] == "*"
    assert list(Draft7Validator(SCHEMA).iter_errors(choice.get_json())) == []
    offered = choice.get_json()["linkset"][0]["https://gs1.org/voc/certificationInfo"]
    assert [link["href"] for link in offered] == [c["url"] for c in certificates]
    # the default link is always exactly one
    assert client.get(f"/01/{gtin(42)}", headers=MACHINE).status_code == 307


def test_accept_picks_among_media_types_of_one_link_type(client, session):  # noqa: ANN001
    """A declaration of conformity published as PDF and as HTML: Accept picks the variant."""
    documents = [{"doc_type": "declaration_of_conformity", "url": "https://tools.example/doc.pdf",
                  "media_type": "application/pdf"},
                 {"doc_type": "declaration_of_conformity", "url": "https://tools.example/doc.html",
                  "media_type": "text/html"}]
    created = client.post("/api/v1/passports", json={"gtin": gtin(43), "status": "published", "data": {
        "product": {"name": "Kettle"}, "documents": documents}}, headers={"X-API-Key": api_key(session)})
    assert created.status_code == 201, created.get_json()
    url = f"/01/{gtin(43)}?linkType=gs1:certificationInfo"

    def target(accept: str):  # noqa: ANN202
        return client.get(url, headers={"Accept": accept})

    def location(accept: str) -> str:
        return target(accept).headers["Location"].split("?")[0]   # the query is passed on; not checked here
    assert location("application/pdf") == "https://tools.example/doc.pdf"
    assert location("application/pdf;q=0.5, text/html") == "https://tools.example/doc.html"
    assert location(BROWSER["Accept"]) == "https://tools.example/doc.html"
    # nothing preferred (curl's */*), or a type neither is: the reader chooses
    assert target("*/*").status_code == 300 and target("image/png").status_code == 300
    linkset = client.get(f"/01/{gtin(43)}", headers=LINKSET).get_json()
    assert list(Draft7Validator(SCHEMA).iter_errors(linkset)) == []
    offered = linkset["linkset"][0]["https://gs1.org/voc/certificationInfo"]
    assert [link["type"] for link in offered] == ["application/pdf", "text/html"]
    bad = client.post("/api/v1/passports", json={"gtin": gtin(44), "data": {"documents": [
        {"doc_type": "certificate", "url": "https://tools.example/c.pdf", "media_type": "a PDF"}]}},
        headers={"X-API-Key": api_key(session, name="erp2")})
    assert bad.status_code == 400 and bad.get_json()["error"]["details"][0]["path"] == "/data/documents/0/media_type"


@pytest.mark.parametrize("path,anchors", [(PRODUCT, [PRODUCT]), (LOT, [LOT, PRODUCT]),
                                          (SERIAL, [SERIAL, LOT, PRODUCT])])
@pytest.mark.parametrize("how", ["accept", "linkset", "all"])
def test_linkset_is_valid_gs1_linkset(client, tree, path, anchors, how):  # noqa: ANN001
    response = (client.get(path, headers=LINKSET) if how == "accept"
                else client.get(f"{path}?linkType={how}", headers=MACHINE))
    assert response.status_code == 200 and response.mimetype == "application/linkset+json"
    assert 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"' in response.headers["Link"]
    body = response.get_json()
    assert list(Draft7Validator(SCHEMA).iter_errors(body)) == []
    entries = body["linkset"]
    assert [urlsplit(e["anchor"]).path for e in entries] == anchors        # item -> lot -> product
    assert entries[0]["itemDescription"].startswith("Cordless drill")
    for entry in entries:
        gs1_types = {key.removeprefix("https://gs1.org/voc/") for key in entry if key.startswith("https://gs1.org/voc/")}
        assert gs1_types <= RATIFIED and len(entry["https://gs1.org/voc/defaultLink"]) == 1
        for key, links in entry.items():
            if key not in ("anchor", "itemDescription"):
                assert all(link["href"] and link["title"] for link in links)
    product = entries[-1]
    assert product["https://gs1.org/voc/sustainabilityInfo"][0]["href"] == "https://tools.example/recycling.pdf"
    assert product["describedby"][0]["href"] == "https://tools.example/test.pdf"
    assert [link["hreflang"] for link in product["https://gs1.org/voc/instructions"]] == [["en"], ["de"]]
    assert "recyclingInfo" not in response.get_data(as_text=True)
