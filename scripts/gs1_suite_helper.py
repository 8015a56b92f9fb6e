"""A local stand-in for the PHP helper (tester.php) that GS1's resolver conformance suite calls: the
suite's page asks it to make the HTTP requests a browser cannot (HEAD without following redirects,
custom Accept headers, OPTIONS) and answers with what the resolver said, as JSON in the helper's shape.

Written from the helper's documented behaviour, not from its code. `rewrite` maps the public https
address of the resolver under test to where it really listens (http://127.0.0.1:PORT here).

    answer(query_string, rewrite) -> (status, JSON text)
"""

from __future__ import annotations

import json
from typing import Callable, Optional
from urllib.parse import parse_qs, quote, unquote

import requests

ORIGIN = "https://ref.gs1.org/test-suites/resolver/"
TIMEOUT = 10


def _headers(response: requests.Response) -> dict[str, str]:
    """The response headers with the server's own spelling (the suite looks up `Location` and
    `location`), plus the status line under key 0 as the PHP helper gives it."""
    out: dict[str, str] = {"0": f"HTTP/{'1.1' if response.raw.version == 11 else '1.0'} {response.status_code} "
                                f"{response.reason}"}
    for name, value in response.raw.headers.items():
        out[name] = value
    return out


def _request(method: str, url: str, rewrite: Callable[[str], str], extra: dict[str, str]) -> requests.Response:
    return requests.request(method, rewrite(url), headers={"Origin": ORIGIN, "Accept": "*/*", **extra},
                            allow_redirects=False, timeout=TIMEOUT)


def _summary(url: str, response: requests.Response, sent: dict[str, str]) -> dict[str, object]:
    return {"uri": url, "httpCode": response.status_code, "httpMsg": response.reason or "",
            "requestURI": "", "Requesting_User_Agent": "", "Requesting_Accept_Header": "",
            "Requesting_Accept_Language": "", **_headers(response),
            **{str(i + 1): f"{k}: {v}" for i, (k, v) in enumerate(sent.items())}}


def answer(query_string: str, rewrite: Callable[[str], str]) -> tuple[int, str]:
    # the PHP helper URL-decodes the whole query before parsing it: do the same, so that values the
    # suite encoded once arrive as it meant them
    params = {k: v[0] for k, v in parse_qs(unquote(query_string), keep_blank_values=True).items()}
    test, url = params.get("test"), params.get("testVal") or ""
    if not url.startswith("https://"):
        return 200, json.dumps({"error": "No valid command received"})
    try:
        result: object
        if test == "getHTTPversion":
            response = _request("HEAD", url, rewrite, {})
            result = "HTTP/1.1" if response.raw.version == 11 else "HTTP/1.0"
        elif test in ("getAllHeaders", "getLinksetHeaders"):
            sent = {"Origin": ORIGIN}
            media: Optional[str] = "application/linkset+json" if test == "getLinksetHeaders" else params.get("mediaType")
            if media:
                sent["Accept"] = media
            if params.get("lang"):
                sent["Accept-Language"] = params["lang"]
            result = _summary(url, _request("GET", url, rewrite, sent), sent)
        elif test == "getCorsHeaders":
            sent = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET,HEAD,OPTIONS"}
            result = _summary(url, _request("OPTIONS", url, rewrite, sent), sent)
        elif test == "getLinkset":
            response = _request("GET", url, rewrite, {"Accept": "application/linkset+json"})
            # the helper hands the body over percent-encoded (PHP rawurlencode), inside a JSON string
            result = json.dumps({"uri": url, "httpCode": response.status_code, "httpMsg": response.reason or "",
                                 "headers": _headers(response), "responseBody": quote(response.text, safe="-_.~")})
        else:
            return 200, json.dumps({"error": "Invalid test command"})
    except requests.RequestException as error:
        result = {"error": str(error)}
    return 200, json.dumps({"test": test, "testVal": url, "result": result})
