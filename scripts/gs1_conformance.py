"""Run GS1's resolver conformance suite (github.com/gs1/GS1DL-resolver-testsuite) headless in
Chromium against our resolver, for a GTIN, a GTIN+lot and a GTIN+lot+serial, and print pass / warn
/ fail per check.

Nothing of GS1's is kept in this repository: the suite is cloned at run time into a temp dir (or
read from --suite DIR), ajv (the JSON Schema validator its page expects as window.ajv7) is fetched
from the npm registry (ajv-dist), and the PHP helper it calls is answered by scripts/gs1_suite_helper.py.
The browser believes it talks to https://dpp.example.com; every request to that host is answered by
our resolver, started here under gunicorn on 127.0.0.1 with a scratch SQLite database.

Resources the suite loads from GS1's sites: the linkset schema and the resolver description file
schema come from tests/fixtures/gs1/ (--description-schema FILE|URL takes another, e.g. the standard's
1.2.0 edition from ref.gs1.org); the ratified link types are read from a GS1 Web Vocabulary JSON-LD
given with --vocabulary (a file or URL; e.g. v1.16/gs1Voc.jsonld of github.com/gs1/WebVoc). Checks
that need what could not be reached say so.
TLS itself is not tested here (the browser's https requests are answered from plain HTTP): in
production it is the reverse proxy's job.

    .venv/bin/python scripts/gs1_conformance.py [--suite DIR|GIT-URL] [--vocabulary FILE|URL]
        [--description-schema FILE|URL] [--port 5130]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Callable

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from gs1_suite_helper import answer  # noqa: E402

BIN = Path(sys.executable).parent
SUITE_GIT = "https://github.com/gs1/GS1DL-resolver-testsuite"
HOST = "https://dpp.example.com"
PAGE = "https://suite.test/"
HELPER = "https://philarcher.org/gs1/tester.php"   # the helper address written in the suite's script
LINKSET_SCHEMA = "https://gs1.github.io/linkset/gs1-linkset-schema.json"
LINKTYPES = "https://ref.gs1.org/voc/data/linktypes"
DESCRIPTION_SCHEMA = "https://ref.gs1.org/standards/resolver/description-file-schema"
FIXTURES = ROOT / "tests" / "fixtures" / "gs1"
GTIN = "09506000134352"
LINKS = [f"{HOST}/01/{GTIN}", f"{HOST}/01/{GTIN}/10/ABC123", f"{HOST}/01/{GTIN}/10/ABC123/21/SN-0001"]
HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>GS1 resolver conformance</title>
<script src="ajv7.min.js"></script><script src="GS1DigitalLinkToolkit.js"></script>
<script src="GS1DigitalLinkResolverTestSuite.js"></script></head>
<body><img id="rotatingcircle" alt=""><div id="gs1ResolverTests"></div></body></html>"""


def suite_files(source: str, scratch: Path) -> Path:
    if Path(source).is_dir():
        return Path(source)
    target = scratch / "suite"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", source, str(target)], check=True)
    return target


def ajv_bundle(scratch: Path) -> bytes:
    subprocess.run(["npm", "pack", "ajv-dist@8", "--silent", "--pack-destination", str(scratch)], check=True,
                   capture_output=True)
    with tarfile.open(next(scratch.glob("ajv-dist-*.tgz"))) as archive:
        return archive.extractfile("package/dist/ajv7.min.js").read()


def _read(source: str) -> bytes:
    return requests.get(source, timeout=20).content if source.startswith("http") else Path(source).read_bytes()


def description_schema(source: str) -> bytes:
    """The resolver description file schema as the suite's ajv can compile it: GS1 Resolver CE's
    edition names a meta-schema of its own in `$schema`, which ajv refuses, so anything that is not a
    json-schema.org draft is read as draft-07 (the suite itself turns draft-04 into draft-07)."""
    schema = json.loads(_read(source).decode("utf-8-sig"))
    if not str(schema.get("$schema", "")).startswith("http://json-schema.org/"):
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return json.dumps(schema).encode()


def link_types(vocabulary: str) -> bytes | None:
    """{name: {...}} of the link types in a GS1 Web Vocabulary JSON-LD (sub-properties of gs1:linkType)."""
    if not vocabulary:
        return None
    text = _read(vocabulary).decode("utf-8-sig")
    graph = json.loads(text)["@graph"]
    types = {node["@id"].removeprefix("gs1:"): {"id": node["@id"]} for node in graph
             if "linkType" in json.dumps(node.get("rdfs:subPropertyOf", ""))}
    return json.dumps(types).encode()


def start_resolver(port: int, scratch: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{scratch / 'suite.db'}", "QUEUE_PREFIX": f"gs1suite{os.getpid()}",
           "SECRET_KEY": "gs1-suite", "PUBLIC_URL": HOST, "API_RATE_LIMIT_PER_MINUTE": "100000"}
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    created = subprocess.run(flask + ["apikeys", "create", "--name", "gs1-suite", "--scope", "write"], env=env,
                             check=True, cwd=ROOT, capture_output=True, text=True)
    key = {"X-API-Key": created.stdout.strip().splitlines()[-1]}
    proc = subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
                            env=env, cwd=ROOT, stdout=open(scratch / "resolver.log", "wb"), stderr=subprocess.STDOUT)
    local = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(local + "/healthz", timeout=1).ok:
                break
        except requests.RequestException:
            time.sleep(0.2)
    documents = [{"doc_type": "user_manual", "url": "https://example.com/manual-en.pdf", "language": "en"},
                 {"doc_type": "user_manual", "url": "https://example.com/manual-fr.pdf", "language": "fr"},
                 {"doc_type": "recycling_instructions", "url": "https://example.com/recycling.pdf"}]
    for body in ({"gtin": GTIN, "data": {"product": {"name": "Kettle"}, "documents": documents, "certificates": [
                     {"scheme": "iso_14001", "standard": "ISO 14001:2015", "number": "EMS-1",
                      "url": "https://example.com/ems-1.pdf"}]}},
                 {"gtin": GTIN, "lot": "ABC123", "data": {"documents": [
                     {"doc_type": "safety_data_sheet", "url": "https://example.com/sds-abc123.pdf"}]}},
                 {"gtin": GTIN, "lot": "ABC123", "serial": "SN-0001", "data": {"documents": [
                     {"doc_type": "repair_instructions", "url": "https://example.com/repair-sn1.pdf"}]}}):
        answer_ = requests.post(f"{local}/api/v1/passports", json={**body, "status": "published"}, headers=key)
        answer_.raise_for_status()
    return proc, local


def router(files: dict[str, bytes], rewrite: Callable[[str], str], schemas: dict[str, bytes], missing: set[str]):
    def handle(route) -> None:  # noqa: ANN001
        url = route.request.url
        if url.startswith(PAGE):
            name = url[len(PAGE):].split("?")[0] or "index.html"
            kind = "text/html" if name.endswith(".html") else "text/css" if name.endswith(".css") else "text/javascript"
            return route.fulfill(status=200 if name in files else 404, body=files.get(name, b""), content_type=kind)
        if url.startswith(HELPER):
            status, body = answer(url.partition("?")[2], rewrite)
            return route.fulfill(status=status, body=body, content_type="application/json",
                                 headers={"Access-Control-Allow-Origin": "*"})
        served = next((body for prefix, body in schemas.items() if url.startswith(prefix)), None)
        if served is not None:   # GS1's schemas and vocabulary, from local copies
            return route.fulfill(status=200, body=served, content_type="application/json",
                                 headers={"Access-Control-Allow-Origin": "*"})
        if url.startswith(HOST):
            # Chromium does not send the redirect of a fulfilled answer back through the route, so a
            # redirect within our host (e.g. / to the sign-in page) is followed here
            for _ in range(5):
                response = route.fetch(url=rewrite(url), max_redirects=0)
                location = response.headers.get("location", "")
                if response.status not in (301, 302, 303, 307, 308) or not (
                        location.startswith("/") or location.startswith(HOST)):
                    break
                url = HOST + location if location.startswith("/") else location
            return route.fulfill(response=response)
        try:   # anything else goes to the network, which may not be there
            response = route.fetch(timeout=5000)
            return route.fulfill(response=response)
        except Exception:  # noqa: BLE001 - any network failure is reported the same way
            missing.add(url.split("?")[0])
            return route.abort()
    return handle


def run_suite(files: dict[str, bytes], rewrite: Callable[[str], str], schemas: dict[str, bytes]) -> dict[str, list]:
    from playwright.sync_api import sync_playwright
    results: dict[str, list] = {}
    missing: set[str] = set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
        try:
            context = browser.new_context()
            context.route("**/*", router(files, rewrite, schemas, missing))
            for link in LINKS:
                page = context.new_page()
                page.goto(PAGE)
                page.evaluate("dl => testDL(dl)", link)
                page.wait_for_timeout(1500)   # the description-file and TLS checks run unawaited
                results[link] = page.evaluate("resultsArray.map(r => [r.id, r.status, r.test, r.msg])")
                page.close()
        finally:
            browser.close()
    results["_missing"] = sorted(missing)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default=SUITE_GIT, help="the suite: a git URL to clone, or a directory")
    parser.add_argument("--vocabulary", default="", help="GS1 Web Vocabulary JSON-LD (file or URL) for link types")
    parser.add_argument("--description-schema", default=str(FIXTURES / "gs1-resolver-description-file-schema.json"),
                        help="JSON Schema for /.well-known/gs1resolver (file or URL); default: GS1 Resolver CE's")
    parser.add_argument("--port", type=int, default=0, help="where our resolver listens (0: a free port)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="gs1-suite-"))
    port = args.port
    if not port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    proc = None
    try:
        suite = suite_files(args.suite, scratch)
        files = {name: (suite / name).read_bytes() for name in
                 ("GS1DigitalLinkResolverTestSuite.js", "GS1DigitalLinkToolkit.js", "GS1DigitalLinkResolverTestSuiteStyles.css")}
        files["index.html"] = HTML.encode()
        files["ajv7.min.js"] = ajv_bundle(scratch)
        proc, local = start_resolver(port, scratch)
        schemas = {LINKSET_SCHEMA: (FIXTURES / "gs1-linkset-schema.json").read_bytes(),
                   DESCRIPTION_SCHEMA: description_schema(args.description_schema)}
        linktypes = link_types(args.vocabulary)
        if linktypes is not None:
            schemas[LINKTYPES] = linktypes
        results = run_suite(files, lambda url: local + url[len(HOST):] if url.startswith(HOST) else url, schemas)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)
        shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    failed = 0
    for link in LINKS:
        rows = results[link]
        counts = {s: sum(1 for r in rows if r[1] == s) for s in ("pass", "warn", "fail")}
        print(f"\n{link}: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail of {len(rows)}")
        for check, status, _test, message in rows:
            print(f"  {status.upper():4}  {check:22} {message[:150]}")
        failed += counts["fail"]
    if results["_missing"]:
        print("\nNot reachable from here (checks using them cannot pass): " + ", ".join(results["_missing"]))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
