"""Every page each role can reach, rendered with demo-like data, speaks in words: no regular
expression, JSON path, enum code, event code or Python structure reaches the screen, and a German,
French or Spanish page has no English sentence left. The pages are every GET rule of the app's URL
map (arguments filled from the seeded rows) and whatever they link to, for each role and for a
visitor who is not signed in."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from sqlmodel import select

from portal.requests.labels import data as labels_data
from tests.conftest import csrf_token, login, submitted_declaration

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SKIP = re.compile(r"/logout|/static/|/export|\.png|\.xlsx|\.csv|\.json|/api/v1|/templates/|/page/|/files/")
MAX_PAGES = 80


def _enum_codes() -> set[str]:
    """snake_case codes from the schemas' enums and the portal's statuses."""
    codes = {"in_review", "changes_requested"}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            codes.update(v for v in node.get("enum", []) if isinstance(v, str) and "_" in v)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for path in SCHEMAS.glob("*.json"):
        walk(json.loads(path.read_text()))
    return codes


CODES = _enum_codes()
PATTERNS = {
    "regular expression": re.compile(r"\^\[|\\d|\]\{\d|\$'|\(\?[:=!]|\[A-Z\]|\[0-9\]"),
    "JSON path": re.compile(r"(?<![\w/.:#~-])/[a-z_]+/[a-z0-9_]+(?:/[a-z0-9_]+)*"),
    "enum code": re.compile(r"\b(" + "|".join(sorted(map(re.escape, CODES))) + r")\b"),
    "Python structure": re.compile(r"\{'[^']*': |\[\{'|^(None|True|False)$|: (None|True|False)\b"),
    "validator message": re.compile(r"is not a '|does not match '|is a required property|is not one of \["),
}


def visible_texts(page: str) -> list[str]:
    """Text nodes and the attributes people read (alt, aria-label, placeholder, title)."""
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    texts = [html.unescape(m).strip() for m in re.findall(r'(?i)\b(?:alt|aria-label|placeholder|title)="([^"]*)"', body)]
    texts += [html.unescape(t).strip() for t in re.split(r"<[^>]+>", body)]
    return [t for t in texts if t]


def offenders(page: str) -> list[tuple[str, str]]:
    """What a person reads that is not words. Text in <code> is an identifier shown as one types it
    (a GTIN, an API path, a header name on the API reference), as `untranslated` treats it too."""
    found = []
    for text in visible_texts(re.sub(r"(?is)<code\b.*?</code>", " ", page)):
        for kind, pattern in PATTERNS.items():
            if pattern.search(text):
                found.append((kind, text[:160]))
    return found


def crawl(client, start: str) -> dict[str, str]:  # noqa: ANN001
    """Same-site pages reachable by following links from `start` (GET only)."""
    return crawl_many(client, [start], MAX_PAGES)


def crawl_many(client, starts: list[str], limit: int, landed: set[str] | None = None,  # noqa: ANN001
               one_per_shape: bool = False) -> dict[str, str]:
    """Same-site HTML pages reachable from `starts` by links (GET only), at most `limit`; the
    paths the requests ended on (after redirects) are added to `landed`. With `one_per_shape`,
    one page per path shape (/review/7 and /review/9?tab=x are the same template)."""
    seen, shapes, queue, pages = set(), set(), list(starts), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url.split("?")[0])
        if url in seen or SKIP.search(url) or (one_per_shape and shape in shapes and url not in starts):
            continue
        seen.add(url)
        response = client.get(url, follow_redirects=True)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        shapes.add(shape)
        page = response.get_data(as_text=True)
        if landed is not None:
            landed.add(response.request.path)
        pages[response.request.path if url in starts else url] = page
        for href in re.findall(r'href="(/[^"#]*)', page):
            href = html.unescape(href)
            if re.search(r"[?&]page=\d{2,}|[?&]sort=", href):
                continue  # paging and sorting show the same words
            queue.append(href)
    return pages


def _demo(app, session):  # noqa: ANN001, ANN202
    from portal.certificates.demo import seed_demo_certificates
    from portal.demo import DEMO_PASSWORD, seed_demo
    from portal.requests.models import Declaration, DeclarationRequest
    logins = seed_demo(session)
    session.commit()
    seed_demo_certificates(session)
    session.commit()
    clients = {}
    for role, email, _ in logins:
        client = app.test_client()
        login(client, email, DEMO_PASSWORD)
        clients[email] = client
    # a supplier's RoHS draft with the mistakes people make, and a CMRT in review with a correction
    tatra = clients["supplier@tatra.example"]
    rohs = session.exec(select(DeclarationRequest).where(DeclarationRequest.document_type == "rohs")).one()
    tatra.post(f"/requests/{rohs.id}/answer", data={"csrf_token": csrf_token(tatra, "/dashboard")})
    decl = session.exec(select(Declaration).where(Declaration.request_id == rohs.id)).one()
    tatra.post(f"/declarations/{decl.id}", data={
        "csrf_token": csrf_token(tatra, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
        "supplier-name": "Tatra", "declaration_date": "31.12.2026", "exemptions-0": "seven(c)-I",
        "rohs_compliant": "true", "action": "save"})
    cmrt, cmrt_supplier, reviewer = submitted_declaration(app, session)
    token = csrf_token(reviewer, f"/review/{cmrt.id}")
    reviewer.post(f"/review/{cmrt.id}/fields", data={"csrf_token": token, "lock_version": cmrt.lock_version,
                                                     "path": "/company/name", "value": "Tatra Magnetics a.s."})
    clients["cmrt supplier"], clients["cmrt reviewer"] = cmrt_supplier, reviewer
    return clients, decl, cmrt


def test_no_codes_regexes_paths_or_python_on_any_page(app, session):
    clients, rohs, cmrt = _demo(app, session)
    problems, visited, seen = [], 0, {}
    for who, client in clients.items():
        starts = ["/", f"/declarations/{rohs.id}"] if who == "supplier@tatra.example" else ["/"]
        if who == "cmrt reviewer":
            starts += [f"/review/{cmrt.id}", f"/review/{cmrt.id}/history"]
        for start in starts:
            for url, page in crawl(client, start).items():
                visited += 1
                seen[(who, url)] = page
                problems += [(who, url, kind, text) for kind, text in offenders(page)]
    assert visited > 20
    # the pages with the most codes behind them were among those read, with their findings in words
    draft = seen[("supplier@tatra.example", f"/declarations/{rohs.id}")]
    assert "Use the exemption number as listed in Annex III or IV, e.g. 7(c)-I" in draft
    assert "Enter a date like 2026-03-31" in draft and "Upload your RoHS declaration" in draft
    assert "Corrected by a reviewer" in seen[("cmrt reviewer", f"/review/{cmrt.id}")]
    assert "Changed by the supplier" in seen[("cmrt reviewer", f"/review/{cmrt.id}/history")] or \
        "Read from the uploaded file" in seen[("cmrt reviewer", f"/review/{cmrt.id}/history")]
    assert any(url.startswith("/certificates") for who, url in seen if who == "quality@oem.example")
    first = {}
    for who, url, kind, text in problems:
        first.setdefault((re.sub(r"\d+", "N", url.split("?")[0]), kind), f"{who} {url}: {kind}: {text}")
    assert not problems, "\n".join(first.values())


def test_the_scanner_catches_what_it_looks_for():
    page = ("<p>'seven(c)-I' does not match '^\\d{1,2}(\\([a-z]\\))?$'</p><td>/company/name</td>"
            "<td>oeko_tex_100</td><td>{'status': 'approved'}</td><td>None</td><p>See 2011/65/EU</p>")
    kinds = {kind for kind, _ in offenders(page)}
    assert kinds == {"regular expression", "JSON path", "enum code", "Python structure", "validator message"}
    assert offenders("<p>None yet.</p><p>Directive 2011/65/EU, sheet Declaration, cell D8</p>") == []


# --- every page of the app, every role, every language -------------------------------------------

LANGS = ("en", "de", "fr", "es")
_EVENT_ENTITIES = sorted({code.split(".")[0] for code in labels_data()["events"] if "." in code} | {"passport", "qr"})
# an event as stored (certificate.superseded); a file name (declaration.pdf) is not one
PATTERNS["event code"] = re.compile(r"\b(?:" + "|".join(_EVENT_ENTITIES) + r")\.(?!pdf\b|xlsx\b|csv\b|png\b|json\b)[a-z_]+\b")
PATTERNS["JSON path"] = re.compile(PATTERNS["JSON path"].pattern + r"|/properties/|\b[a-z_]+\[\d+\](?:\.[a-z_]+)+")
# words that read the same in every language: names of standards, formats and organisations
PROPER_NOUNS = {"rmi", "cmrt", "emrt", "crt", "gtin", "iso", "rohs", "reach", "svhc", "api", "oauth", "utc", "gs1",
                "datamatrix", "xlsx", "csv", "pdf", "json", "url", "http", "https", "sha", "totp", "iatf", "fsc",
                "pefc", "gots", "oeko", "tex", "swagger", "openapi", "untp", "epr", "dpp", "espr"}
# URL rules that are not pages people read: files, JSON, images, redirects
NOT_PAGES = re.compile(
    r"^(static$|\w+\.static$|api\.|api_docs\.(asset|start_script)$|healthz$|i18n\.|passport_files\.|"
    r"resolver\.(resolver_description|resolve_link|resolve_compressed)$|review\.page_image$|documents\.status$|"
    r"answer\.template$|products\.(rmi_job_file|rmi_job_status|export_\w+|passport_template_download)$|"
    r"(certificates|requests)\.export$|auth\.(root|accept_invitation)$)")
# page rules the seeded data cannot reach, and why
UNREACHED = {"products.rmi_job": "needs an RMI template filled by the worker (tests/products/test_rmi_browser.py)",
             "auth.second_step": "only between password and code for a user with two-factor sign-in"}


def _vocabulary() -> dict[str, set[str]]:
    """Per language, English words of the portal's own sentences (msgids) that its translations
    never use: a text holding them on a German page was not translated. Cognates (Status, Name,
    Version, Scope in French) occur among the translated words and are left out."""
    from babel.messages.pofile import read_po

    from portal.i18n import TRANSLATIONS_DIR
    words = re.compile(r"[A-Za-z][a-z]{2,}")
    out = {}
    for lang in LANGS[1:]:
        with (TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalog = read_po(source)
        english, translated = set(), set()
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            english.update(w.lower() for text in ids if text for w in words.findall(re.sub(r"%\(\w+\)\w", "", text)))
            translated.update(w.lower() for text in strings if text for w in words.findall(text))
        out[lang] = english - translated - PROPER_NOUNS
    return out


def _texts(markup: str) -> list[str]:
    from tests.portal.test_i18n import _VisibleText
    parser = _VisibleText()
    parser.feed(markup)
    return parser.parts


def untranslated(page: str, english_page: str, vocabulary: set[str], lang: str) -> list[str]:
    """Texts of a German/French/Spanish page that read exactly as on the English page and hold
    English words. Data (names, numbers, a file's cells) is marked translate="no" and code
    (<code>) is identifiers; both are left out, and so is a page that says it is English
    (<html lang="en">: the API reference is Swagger UI's own English page)."""
    declared = re.search(r'<html lang="([a-z]+)"', page)
    if declared and declared.group(1) != lang:
        return []
    code = re.compile(r"(?is)<code\b.*?</code>")
    same = set(_texts(code.sub(" ", english_page)))
    found = []
    for text in _texts(code.sub(" ", page)):
        if text in same:
            english = [w for w in re.findall(r"[A-Za-z][a-z]{2,}", re.sub(r"https?://\S+|\S+@\S+", "", text))
                       if w.lower() in vocabulary]
            if english:
                found.append(f"{text[:100]!r} ({', '.join(english[:3])})")
    return found


def _more_demo(app, session, clients) -> None:  # noqa: ANN001
    """What the admin and quality pages list: API and sandbox keys, an OAuth client, a webhook,
    an access request, lifecycle events and a serial batch, the register's daily run."""
    from portal.certificates.daily import run_daily
    from portal.passports.models import Passport
    from portal.products.models import Product
    from tests.api.helpers import api_key
    admin = clients["admin@oem.example"]
    token = csrf_token(admin, "/admin/api-keys")
    assert admin.post("/admin/api-keys", data={"csrf_token": token, "name": "ERP", "scope": "write"}).status_code == 201
    admin.post("/admin/api-keys", data={"csrf_token": token, "name": "Try-out", "scope": "read", "sandbox": "1"})
    admin.post("/admin/oauth-clients", data={"csrf_token": csrf_token(admin, "/admin/oauth-clients"),
                                             "name": "PLM", "scope": "read"})
    admin.post("/admin/webhooks", data={"csrf_token": csrf_token(admin, "/admin/webhooks"), "url": "https://erp.example/hooks",
                                        "events": ["passport.published", "passport.updated"]})
    published = session.exec(select(Passport).where(Passport.status == "published")).first()
    key = {"X-API-Key": api_key(session)}
    for body in ({"event_type": "MANUFACTURED", "occurred_at": "2026-03-02T07:00:00Z", "location": "Brno"},
                 {"event_type": "SERVICED", "occurred_at": "2026-09-10T12:30:00Z", "serial": "SN-00017"}):
        assert app.test_client().post(f"/api/v1/passports/{published.id}/events", headers=key, json=body).status_code == 201
    visitor = app.test_client()
    form = f"/passport/access/01/{published.gtin}"
    visitor.post(form, data={"csrf_token": csrf_token(visitor, form), "name": "Ana Ruiz", "organisation": "Recicla S.L.",
                             "email": "ana@recicla.example", "role": "recycler",
                             "purpose": "We dismantle these housings and need the materials."})
    product = session.exec(select(Product).where(Product.gtin == published.gtin)).one()
    buyer = clients["buyer@oem.example"]
    buyer.post(f"/products/{product.id}/serials", data={"csrf_token": csrf_token(buyer, f"/products/{product.id}"),
                                                        "prefix": "SN-", "start": "1", "count": "3"})
    run_daily()


def page_starts(app, session, rohs, cmrt) -> tuple[list[str], set[str]]:  # noqa: ANN001
    """A URL for every page rule of the app's URL map (arguments filled from the seeded rows),
    and the endpoints they stand for."""
    values = {"declaration_id": [str(rohs.id), str(cmrt.id)], "document_id": [str(cmrt.document_id)],
              **_row_ids(session)}
    starts, wanted = [], set()
    with app.test_request_context():
        from flask import url_for
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or NOT_PAGES.match(rule.endpoint) or rule.endpoint in UNREACHED:
                continue
            wanted.add(rule.endpoint)
            combos = [{}]
            for arg in rule.arguments:
                combos = [{**c, arg: v} for c in combos for v in values[arg]]
            starts += [url_for(rule.endpoint, **c) for c in combos]
    return starts, wanted


def every_page_demo(app, session):  # noqa: ANN001, ANN201
    """The demo data with everything the admin and quality pages list, a visitor who is not signed
    in, and a URL for every page rule."""
    clients, rohs, cmrt = _demo(app, session)
    _more_demo(app, session, clients)
    clients["visitor"] = app.test_client()
    starts, wanted = page_starts(app, session, rohs, cmrt)
    return clients, starts, wanted


def test_every_page_for_every_role_in_every_language_speaks_in_words(app, session):
    from portal.i18n import COOKIE
    clients, starts, wanted = every_page_demo(app, session)
    adapter = app.url_map.bind("localhost")
    vocabulary, problems, reached, views = _vocabulary(), [], set(), 0
    for who, client in clients.items():
        landed: set[str] = set()
        pages = crawl_many(client, starts, 80, landed, one_per_shape=True)
        reached |= {adapter.match(path)[0] for path in landed}
        for lang in LANGS:
            client.set_cookie(COOKIE, lang)
            for url, english in pages.items():
                page = english if lang == "en" else client.get(url, follow_redirects=True).get_data(as_text=True)
                views += 1
                problems += [(who, lang, url, kind, text) for kind, text in offenders(page)]
                if lang != "en":
                    problems += [(who, lang, url, "English", text)
                                 for text in untranslated(page, english, vocabulary[lang], lang)]
            client.delete_cookie(COOKIE)
    assert not wanted - reached, f"pages no role reached: {sorted(wanted - reached)}"
    assert views > 4 * 60
    first = {}
    for who, lang, url, kind, text in problems:
        first.setdefault((re.sub(r"\d+", "N", url.split("?")[0]), kind, text), f"{who} {lang} {url}: {kind}: {text}")
    assert not problems, f"{len(first)} kinds of problem:\n" + "\n".join(sorted(first.values()))


def _row_ids(session) -> dict[str, list[str]]:  # noqa: ANN001
    """Ids of seeded rows for the URL rules' arguments: the newest of each kind."""
    from portal.certificates.models import Certificate
    from portal.passports.models import Passport
    from portal.products.models import Product
    from portal.suppliers.models import Supplier

    def newest(model, n: int = 1) -> list[str]:  # noqa: ANN001
        return [str(i) for i in session.exec(select(model.id).order_by(model.id.desc()).limit(n)).all()]
    published = session.exec(select(Passport).where(Passport.status == "published")).first()
    return {"supplier_id": newest(Supplier), "product_id": newest(Product, 3), "certificate_id": newest(Certificate, 2),
            "rest": [published.gtin], "job_id": ["1"]}
