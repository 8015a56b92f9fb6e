"""Seed 10,000 requests and 50,000 documents (with their declarations) and measure the pages
procurement and suppliers use most, under gunicorn with 2 workers.

    .venv/bin/python bench/lists.py [--requests 10000] [--documents 50000] [--samples 60]
                                    [--database-url postgresql+psycopg://postgres@127.0.0.1/bench]
Prints p50/p95 per page (target: p95 ≤ 150 ms).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import requests
from _stack import login, wait_until_up  # bench/ is on sys.path when a bench runs
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PASSWORD = "bench-password-1"
TYPES = ["cmrt", "certificate", "rohs", "reach_svhc", "material_composition"]


def seed(url: str, n_requests: int, n_documents: int, n_suppliers: int = 200) -> None:
    from portal.accounts import create_user
    from portal.db import get_engine, session_scope
    from portal.documents.models import Document, StoredFile
    from portal.requests.models import Declaration, DeclarationRequest
    from portal.suppliers.models import Supplier
    from portal.timeutil import utcnow
    rng = random.Random(7)
    now = utcnow()
    with session_scope(url) as session:
        buyer = create_user(session, email="buyer@bench.test", password=PASSWORD, role="procurement")
        supplier_user = create_user(session, email="supplier@bench.test", password=PASSWORD, role="supplier",
                                    supplier_name="Supplier 0000")
        buyer_id, first_user = buyer.id, supplier_user.id
    engine = get_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(Supplier), [{"name": f"Supplier {i:04d}", "country_code": "DE", "created_at": now}
                                        for i in range(1, n_suppliers)])
    with session_scope(url) as session:
        supplier_ids = [s.id for s in session.exec(__import__("sqlmodel").select(Supplier)).all()]
    statuses = ["open", "submitted", "in_review", "approved", "changes_requested"]
    with engine.begin() as conn:
        conn.execute(insert(DeclarationRequest), [{
            "supplier_id": supplier_ids[i % len(supplier_ids)], "document_type": rng.choice(TYPES),
            "due_date": date.today() + timedelta(days=rng.randint(-60, 90)), "status": rng.choice(statuses),
            "message": f"Request {i}", "created_by_id": buyer_id, "created_at": now, "updated_at": now}
            for i in range(n_requests)])
        blobs = [{"sha256": hashlib.sha256(f"doc{i}".encode()).hexdigest(), "size_bytes": 10,
                  "content": f"doc{i}".encode(), "created_at": now} for i in range(n_documents)]
        for start in range(0, n_documents, 5000):
            conn.execute(insert(StoredFile), blobs[start:start + 5000])
        docs = [{"id": i + 1, "supplier_id": supplier_ids[i % len(supplier_ids)], "uploaded_by_id": first_user,
                 "sha256": blobs[i]["sha256"], "filename": f"file-{i}.xlsx", "size_bytes": 10, "file_kind": "xlsx",
                 "document_type": "cmrt", "status": "extracted", "attempts": 1, "created_at": now, "updated_at": now}
                for i in range(n_documents)]
        for start in range(0, n_documents, 5000):
            conn.execute(insert(Document), docs[start:start + 5000])
        decl_statuses = ["draft", "submitted", "in_review", "approved", "changes_requested"]
        record = {"company": {"name": "Bench"}, "smelters": []}
        decls = [{"supplier_id": d["supplier_id"], "document_id": d["id"], "document_type": "cmrt",
                  "status": rng.choice(decl_statuses), "record": record, "errors": [], "lock_version": 1,
                  "current_version": 1, "created_by_id": first_user, "submitted_at": now - timedelta(minutes=i),
                  "created_at": now, "updated_at": now} for i, d in enumerate(docs)]
        for start in range(0, n_documents, 5000):
            conn.execute(insert(Declaration), decls[start:start + 5000])


def measure(http: requests.Session, url: str, samples: int) -> tuple[float, float]:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        response = http.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-lists-"))
    url = args.database_url or f"sqlite:///{scratch / 'bench.db'}"
    port = 5900 + os.getpid() % 90
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "QUEUE_PREFIX": f"benchlists{os.getpid()}"}
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    started = time.perf_counter()
    seed(url, args.requests, args.documents)
    print(f"seeded {args.requests} requests, {args.documents} documents + declarations in "
          f"{time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
    web = subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
                           env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(base)
        buyer, supplier = login(base, "buyer@bench.test", PASSWORD), login(base, "supplier@bench.test", PASSWORD)
        pages = [("review queue", buyer, "/review/"), ("review queue, page 40", buyer, "/review/?page=40"),
                 ("request list", buyer, "/requests/"),
                 ("request list, filtered", buyer, "/requests/?status=overdue&type=cmrt&sort=-due"),
                 ("request list, supplier + due range", buyer,
                  f"/requests/?supplier=5&due_from={date.today().isoformat()}&due_to={(date.today() + timedelta(days=60)).isoformat()}"),
                 ("supplier dashboard", supplier, "/dashboard")]
        for name, http, path in pages:
            measure(http, base + path, 3)  # warm-up
            p50, p95 = measure(http, base + path, args.samples)
            print(f"{name:<38} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    finally:
        web.terminate()
        web.wait(timeout=20)


if __name__ == "__main__":
    main()
