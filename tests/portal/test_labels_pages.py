"""Every page each role can reach, rendered with demo-like data, speaks in words: no regular
expression, JSON path, enum code or Python structure reaches the screen."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from sqlmodel import select

from tests.conftest import csrf_token, login, submitted_declaration

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SKIP = re.compile(r"/logout|/static/|/export|\.png|\.xlsx|\.csv|\.json|/api/|/templates/|/page/|/files/")
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
    found = []
    for text in visible_texts(page):
        for kind, pattern in PATTERNS.items():
            if pattern.search(text):
                found.append((kind, text[:160]))
    return found


def crawl(client, start: str) -> dict[str, str]:  # noqa: ANN001
    """Same-site pages reachable by following links from `start` (GET only)."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = client.get(url, follow_redirects=True)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        page = response.get_data(as_text=True)
        pages[response.request.path if url == start else url] = page
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
