"""The stand-in for GS1's conformance-suite helper (scripts/gs1_suite_helper.py) against the real
resolver under gunicorn: it must hand over what the suite reads (status, Location, Link, CORS
headers, the linkset body percent-encoded), without following redirects."""

import json
import sys
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import requests

from tests.api.helpers import api_key

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from gs1_suite_helper import answer  # noqa: E402

pytestmark = pytest.mark.stack
HOST = "https://dpp.example.com"
GTIN = "09506000134352"


def ask(live_stack, test: str, link: str, **extra: str) -> dict:  # noqa: ANN001
    query = f"test={test}&testVal={quote(link, safe='')}" + "".join(f"&{k}={quote(v, safe='')}" for k, v in extra.items())
    status, body = answer(query, lambda url: live_stack.url + url[len(HOST):])
    assert status == 200
    return json.loads(body)


def test_helper_reports_what_the_resolver_answered(live_stack, session):  # noqa: ANN001
    write = {"X-API-Key": api_key(session, name="suite")}
    created = requests.post(f"{live_stack.url}/api/v1/passports", headers=write, json={
        "gtin": GTIN, "status": "published", "data": {"product": {"name": "Kettle"}, "documents": [
            {"doc_type": "user_manual", "url": "https://example.com/manual.pdf"}]}})
    assert created.status_code == 201
    link = f"{HOST}/01/{GTIN}"

    redirect = ask(live_stack, "getAllHeaders", link + "?linkType=gs1:instructions")["result"]
    assert redirect["httpCode"] == 307 and redirect["Location"] == "https://example.com/manual.pdf?linkType=gs1%3Ainstructions"
    assert redirect["Access-Control-Allow-Origin"] == "*" and 'rel="linkset"' in redirect["Link"]

    bad = ask(live_stack, "getAllHeaders", f"{HOST}/01/{GTIN[:-1]}0", mediaType="application/json")["result"]
    assert bad["httpCode"] == 400

    cors = ask(live_stack, "getCorsHeaders", link)["result"]
    assert cors["httpCode"] == 204 and "OPTIONS" in cors["Access-Control-Allow-Methods"]

    assert ask(live_stack, "getHTTPversion", link)["result"] == "HTTP/1.1"

    linkset = json.loads(ask(live_stack, "getLinkset", link)["result"])
    assert linkset["httpCode"] == 200 and linkset["headers"]["Content-Type"].startswith("application/linkset+json")
    body = json.loads(unquote(linkset["responseBody"]))
    assert body["linkset"][0]["anchor"].endswith(f"/01/{GTIN}")

    assert "error" in json.loads(answer("test=getAllHeaders&testVal=http%3A%2F%2Fplain.example", str)[1])
