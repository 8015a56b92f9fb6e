"""Passport store API under a real stack: single create p50/p95, bulk 1,000 wall time, async bulk
10,000 throughput, and resolver JSON-LD p50/p95 — gunicorn with 2 workers, one RQ worker.

Starts its own stack (a scratch SQLite database unless --database-url is given, the Redis at
REDIS_URL with a private queue prefix; nothing in Redis is flushed) and sends requests only to it
on 127.0.0.1. Targets on the reference machine: bulk 1,000 ≤ 3 s, resolver p95 ≤ 20 ms.

    .venv/bin/python bench/api.py [--creates 200] [--resolves 500] [--async-items 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from _stack import wait_until_up  # bench/ is on sys.path when a bench runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from portal.passports.gtin import check_digit  # noqa: E402


def gtin(n: int) -> str:
    body = str(5012345000000 + n)[-13:]
    return body + str(check_digit(body))


def item(n: int, **extra: object) -> dict:
    return {"gtin": gtin(n), **extra, "data": {
        "product": {"name": f"Bench product {n}", "part_number": f"B-{n}"},
        "manufacturer": {"name": "Bench Manufacturing GmbH", "country_code": "DE"},
        "materials": [{"name": "Steel", "percentage": 55.5, "recycled_percentage": 20, "origin_country_code": "SE"},
                      {"name": "Copper", "percentage": 4.5, "critical_raw_material": True},
                      {"name": "Polypropylene", "percentage": 40}],
        "certificates": [{"scheme": "iso_14001", "number": f"EMS-{n}", "issuer": "TÜV", "expiry_date": "2028-01-31"}],
        "carbon_footprint": {"value": 3.2, "declared_unit": "piece", "scope": "cradle_to_gate"}}}


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def timed(call) -> tuple[float, requests.Response]:  # noqa: ANN001
    started = time.perf_counter()
    response = call()
    return (time.perf_counter() - started) * 1000, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creates", type=int, default=200)
    parser.add_argument("--resolves", type=int, default=500)
    parser.add_argument("--async-items", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-api-"))
    port = 5900 + os.getpid() % 300
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": args.database_url or f"sqlite:///{scratch / 'bench.db'}",
           "QUEUE_PREFIX": f"benchapi{os.getpid()}", "SECRET_KEY": "bench", "PUBLIC_URL": base,
           "MAX_UPLOAD_MB": "50", "API_RATE_LIMIT_PER_MINUTE": "100000000"}
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    created = subprocess.run(flask + ["apikeys", "create", "--name", "bench", "--scope", "write"], env=env,
                             check=True, cwd=ROOT, capture_output=True, text=True)
    headers = {"X-API-Key": created.stdout.strip().splitlines()[-1]}
    logs = open(scratch / "stack.log", "wb")
    procs = [subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
                              env=env, cwd=ROOT, stdout=logs, stderr=subprocess.STDOUT),
             subprocess.Popen(flask + ["worker"], env=env, cwd=ROOT, stdout=logs, stderr=subprocess.STDOUT)]
    try:
        wait_until_up(base)
        http = requests.Session()
        http.headers.update(headers)
        for n in range(5):   # warm both web workers
            http.get(f"{base}/api/v1/passports?limit=1")

        times = []
        for n in range(args.creates):
            ms, response = timed(lambda n=n: http.post(f"{base}/api/v1/passports", json=item(n, status="published")))
            assert response.status_code == 201, response.text
            times.append(ms)
        print(f"single create     p50 {percentile(times, 50):7.1f} ms   p95 {percentile(times, 95):7.1f} ms   "
              f"({args.creates} requests)")

        batch = [item(100_000 + n) for n in range(1000)]
        ms, response = timed(lambda: http.post(f"{base}/api/v1/passports/bulk", json={"items": batch}))
        assert response.status_code == 200 and response.json()["created"] == 1000, response.text[:300]
        print(f"bulk 1,000        {ms / 1000:7.2f} s wall   (target ≤ 3 s: {'met' if ms <= 3000 else 'MISSED'})")

        items = [item(200_000 + n) for n in range(args.async_items)]
        started = time.perf_counter()
        job = http.post(f"{base}/api/v1/bulk-jobs", json={"items": items})
        assert job.status_code == 202, job.text[:300]
        status_url = job.json()["status_url"]
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            status = http.get(status_url).json()
            if status["status"] in ("completed", "failed"):
                break
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
        assert status["status"] == "completed", status
        print(f"async bulk {args.async_items:,}  {status['created'] / elapsed:7.0f} records/s   "
              f"({elapsed:.1f} s from POST to completed, {status['failed']} failed)")

        accept = {"Accept": "application/ld+json"}
        times = []
        for n in range(args.resolves):
            ms, response = timed(lambda n=n: http.get(f"{base}/01/{gtin(n % args.creates)}", headers=accept))
            assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/ld+json")
            times.append(ms)
        p95 = percentile(times, 95)
        print(f"resolver JSON-LD  p50 {percentile(times, 50):7.1f} ms   p95 {p95:7.1f} ms   "
              f"({args.resolves} requests; target p95 ≤ 20 ms: {'met' if p95 <= 20 else 'MISSED'})")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
