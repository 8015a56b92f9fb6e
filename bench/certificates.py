"""Certificate register at scale: seed 100,000 certificates, time the daily job, and measure the
p95 of the quality dashboard and of filtered lists (targets: job ≤ 30 s, dashboard p95 ≤ 200 ms).

A scratch database (SQLite file by default, or --database-url postgresql+psycopg://…, whose
tables are dropped and created), 5,000 suppliers with one contact each, certificates whose expiry
dates spread from two years ago to three years ahead over every scheme (5 % superseded, 0.5 %
revoked). The daily job runs three times: the first run catches up on everything (every
expiring and expired certificate announced, reminded, a renewal request opened), the second on
the same day must find nothing to do, the third is an ordinary next day.

    .venv/bin/python bench/certificates.py [--certificates 100000] [--requests 60] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"
SCHEMES = ("iso_9001", "iso_14001", "iso_45001", "iso_50001", "gots", "oeko_tex_100", "fsc_coc", "grs", "other")


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def fresh_schema(url: str) -> None:
    from sqlalchemy import text
    from sqlmodel import SQLModel

    from portal.db import all_models, get_engine
    all_models()
    engine = get_engine(url)
    if url.startswith("postgresql"):
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    SQLModel.metadata.create_all(engine)


def seed(url: str, certificates: int, suppliers: int, today: date) -> None:
    """Bulk inserts (executemany): the ORM one row at a time would take minutes, not seconds."""
    from sqlalchemy import insert, update
    from werkzeug.security import generate_password_hash

    from portal.auth.models import User
    from portal.certificates.checks import number_key
    from portal.certificates.models import Certificate
    from portal.db import session_scope
    from portal.suppliers.models import Supplier
    from portal.timeutil import utcnow

    rng = random.Random(5)
    now = utcnow()
    password_hash = generate_password_hash(PASSWORD)
    with session_scope(url) as session:
        session.execute(insert(Supplier), [{"name": f"Supplier {i:05d} GmbH", "country_code": "DE", "created_at": now}
                                           for i in range(1, suppliers + 1)])
        session.execute(insert(User), [{"email": f"contact{i}@supplier{i}.test", "password_hash": password_hash,
                                        "role": "supplier", "supplier_id": i, "active": True, "created_at": now}
                                       for i in range(1, suppliers + 1)])
        for role in ("quality", "procurement"):
            session.execute(insert(User), [{"email": f"{role}@bench.test", "password_hash": password_hash,
                                            "role": role, "active": True, "created_at": now}])
        rows = []
        for i in range(1, certificates + 1):
            scheme = SCHEMES[i % len(SCHEMES)]
            expiry = today + timedelta(days=rng.randint(-730, 1095))
            number = f"CERT-{scheme[:3].upper()}-{i:07d}"
            rows.append({"supplier_id": rng.randint(1, suppliers), "scheme": scheme, "certificate_number": number,
                         "number_key": number_key(number), "standard": None, "holder_name": f"Holder {i}",
                         "issuer_name": "TÜV SÜD", "issue_date": expiry - timedelta(days=1095), "expiry_date": expiry,
                         "created_at": now})
        for start in range(0, len(rows), 10_000):
            session.execute(insert(Certificate), rows[start:start + 10_000])
        ids = list(range(1, certificates + 1))
        superseded = rng.sample(ids, certificates // 20)
        session.execute(update(Certificate).where(Certificate.id.in_(superseded)).values(superseded_by_id=1,
                                                                                          superseded_at=now))
        revoked = rng.sample(sorted(set(ids) - set(superseded)), certificates // 200)
        session.execute(update(Certificate).where(Certificate.id.in_(revoked)).values(revoked_at=now,
                                                                                       revoked_reason="bench"))
    if url.startswith("postgresql"):
        # planner statistics, as autovacuum would gather them on a live database; without them
        # PostgreSQL plans the fresh tables badly for the first minutes
        from sqlalchemy import text

        from portal.db import get_engine
        with get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def time_daily(today: date) -> list[tuple[str, dict]]:
    from portal.certificates.daily import run_daily
    runs = []
    for label, day in (("first run (catch-up)", today), ("same day again", today),
                       ("next day", today + timedelta(days=1))):
        started = time.perf_counter()
        result = run_daily(day)
        result["seconds"] = round(time.perf_counter() - started, 2)
        runs.append((label, result))
    return runs


def time_pages(requests_per_url: int) -> dict[str, list[float]]:
    from portal import create_app
    from tests.conftest import csrf_token
    app = create_app({"TESTING": True})
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": "quality@bench.test", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, "login failed"
    urls = {
        "dashboard": ["/certificates/"],
        "filtered list": ["/certificates/list?state=expiring", "/certificates/list?state=expired&scheme=gots",
                          "/certificates/list?state=valid&sort=supplier", "/certificates/list?window=30",
                          "/certificates/list?supplier=42", "/certificates/list?q=Supplier%2000042",
                          "/certificates/list?state=current&page=40"],
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for name, group in urls.items():
        for url in group:
            client.get(url)   # warm-up (template compilation, first connection)
        for _ in range(requests_per_url):
            for url in group:
                started = time.perf_counter()
                response = client.get(url)
                timings[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--suppliers", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=60, help="requests per URL for the page timings")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-certificates-")
    url = args.database_url or f"sqlite:///{scratch}/bench.db"
    # settings are read from the environment (portal.settings); set them before the app loads them
    os.environ.update({"DATABASE_URL": url, "SECRET_KEY": "bench", "PUBLIC_URL": "http://127.0.0.1:9"})
    today = date.today()

    started = time.perf_counter()
    fresh_schema(url)
    seed(url, args.certificates, args.suppliers, today)
    print(f"database: {url.split('@')[-1]}")
    print(f"seeded {args.certificates:,} certificates, {args.suppliers:,} suppliers in {time.perf_counter() - started:.1f} s")

    for label, result in time_daily(today):
        work = {k: v for k, v in result.items() if k not in ("seconds",) and v}
        print(f"daily job, {label:22s} {result['seconds']:6.2f} s  {work}")

    for name, values in time_pages(args.requests).items():
        print(f"{name:14s} p50 {percentile(values, 50):6.1f} ms   p95 {percentile(values, 95):6.1f} ms   "
              f"({len(values)} requests)")


if __name__ == "__main__":
    main()
