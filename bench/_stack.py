"""What the benchmarks share: waiting for the web server they started, and logging in."""

from __future__ import annotations

import re
import time

import requests


def wait_until_up(base: str, attempts: int = 150) -> None:
    for _ in range(attempts):
        try:
            if requests.get(base + "/healthz", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"the web server at {base} did not come up")


def csrf_token(http: requests.Session, url: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', http.get(url).text).group(1)


def login(base: str, email: str, password: str) -> requests.Session:
    http = requests.Session()
    http.post(base + "/login", data={"email": email, "password": password,
                                     "csrf_token": csrf_token(http, base + "/login")})
    return http
