"""Resolver latency under gunicorn with 2 workers, against a floor: the same gunicorn serving a
trivial Flask app that answers a fixed JSON body. Prints p50/p95 for ours and the floor and their
ratio; target: our p95 ≤ 20 ms.

Ours answers a mix that a scanner and GS1's suite send: the JSON-LD credential and the linkset at
GTIN, lot and serial level, a 307 to the default link, a linkType redirect, a compressed link and a
DataMatrix code. It starts its own stack (a scratch SQLite database unless --database-url is given;
the Redis at REDIS_URL with a private queue prefix, nothing flushed) on 127.0.0.1 only.

    .venv/bin/python bench/resolver.py [--seconds 4] [--port 0]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from _stack import wait_until_up  # bench/ is on sys.path when a bench runs

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GTIN = "09506000134352"   # GS1's example GTIN; its compressed links are GS1's own vectors
FLOOR_APP = '''
from flask import Flask, jsonify
app = Flask(__name__)
BODY = {"@context": "https://www.w3.org/ns/credentials/v2", "type": ["VerifiableCredential"], "id": "x"}

@app.get("/healthz")
@app.get("/01/<path:rest>")
def answer(rest=""):
    return jsonify(BODY)
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def gunicorn(app: str, port: int, env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", app],
                            env=env, cwd=cwd, stdout=open(log, "wb"), stderr=subprocess.STDOUT)


def hammer(base: str, requests_: list[tuple[str, dict[str, str], int]], seconds: float) -> list[float]:
    """One client in a loop over the mix for `seconds` (after a warm-up round on both workers)."""
    http = requests.Session()
    for path, headers, status in requests_ * 2:
        answer = http.get(base + path, headers=headers, allow_redirects=False)
        assert answer.status_code == status, (path, answer.status_code, answer.text[:200])
    times: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path, headers, _ in requests_:
            started = time.perf_counter()
            http.get(base + path, headers=headers, allow_redirects=False)
            times.append((time.perf_counter() - started) * 1000)
    return times


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0, help="measuring time for ours and for the floor")
    parser.add_argument("--port", type=int, default=0, help="ours on PORT, the floor on PORT+1 (0: free ports)")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-resolver-"))
    ours_port, floor_port = (args.port, args.port + 1) if args.port else (free_port(), free_port())
    base, floor = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{floor_port}"
    env = {**os.environ, "DATABASE_URL": args.database_url or f"sqlite:///{scratch / 'bench.db'}",
           "QUEUE_PREFIX": f"benchresolver{os.getpid()}", "SECRET_KEY": "bench", "PUBLIC_URL": base,
           "API_RATE_LIMIT_PER_MINUTE": "100000000"}
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    created = subprocess.run(flask + ["apikeys", "create", "--name", "bench", "--scope", "write"], env=env,
                             check=True, cwd=ROOT, capture_output=True, text=True)
    key = {"X-API-Key": created.stdout.strip().splitlines()[-1]}
    (scratch / "floor_app.py").write_text(FLOOR_APP)
    procs = [gunicorn("wsgi:app", ours_port, env, ROOT, scratch / "ours.log"),
             gunicorn("floor_app:app", floor_port, {**os.environ}, scratch, scratch / "floor.log")]
    try:
        wait_until_up(base)
        wait_until_up(floor)
        for body in ({"gtin": GTIN, "data": {"product": {"name": "Kettle"}, "documents": [
                         {"doc_type": "user_manual", "url": "https://example.com/manual.pdf"}]}},
                     {"gtin": GTIN, "lot": "ABC123", "data": {}},
                     {"gtin": GTIN, "lot": "ABC123", "serial": "SN-0001", "data": {}}):
            answer = requests.post(f"{base}/api/v1/passports", json={**body, "status": "published"}, headers=key)
            assert answer.status_code == 201, answer.text[:300]
        jsonld, linkset, machine = ({"Accept": "application/ld+json"}, {"Accept": "application/linkset+json"},
                                    {"Accept": "*/*"})
        mix = [(f"/01/{GTIN}", jsonld, 200), (f"/01/{GTIN}/10/ABC123", jsonld, 200),
               (f"/01/{GTIN}/10/ABC123/21/SN-0001", jsonld, 200), (f"/01/{GTIN}/10/ABC123/21/SN-0001", linkset, 200),
               (f"/01/{GTIN}/10/ABC123", machine, 307), (f"/01/{GTIN}?linkType=gs1:instructions", machine, 307),
               ("/CxFKk4XBoI1XgkZCzpG_aaaag", jsonld, 200),
               (f"/01/{GTIN}/10/ABC123/21/SN-0001/code?format=datamatrix", machine, 200)]
        ours = hammer(base, mix, args.seconds)
        baseline = hammer(floor, [(f"/01/{GTIN}", jsonld, 200)], args.seconds)
        o50, o95, f50, f95 = percentile(ours, 50), percentile(ours, 95), percentile(baseline, 50), percentile(baseline, 95)
        print(f"resolver (ours)  p50 {o50:6.2f} ms  p95 {o95:6.2f} ms  ({len(ours)} requests, {len(mix)} kinds)")
        print(f"floor (static)   p50 {f50:6.2f} ms  p95 {f95:6.2f} ms  ({len(baseline)} requests)")
        print(f"ours / floor     p95 {o95:.2f} / {f95:.2f} = {o95 / f95:.1f}x   "
              f"(target p95 ≤ 20 ms: {'met' if o95 <= 20 else 'MISSED'})")
        # on a shared machine the floor moves with the load; the ratio is the number that travels
        print(f"load average     {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    finally:
        for proc in procs:
            stop(proc)


if __name__ == "__main__":
    main()
