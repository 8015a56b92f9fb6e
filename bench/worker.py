"""Extraction jobs through a real worker against the same extraction in a warm loop, measured
in one run so that the ratio holds on a shared, noisy machine.

For each round: the warm loop (`extract_file` on the same CMRT in this process), then a burst
of N distinct variants of that CMRT stored and enqueued as the web app does and worked off by a
real `flask --app wsgi worker --burst` (fork per job, audit rows, prefill — the whole job). The
per-job wall time is the span from the first job's start to the last job's end over N, read
from the database rows; a job's overhead is what it costs beyond the warm extraction.

    .venv/bin/python bench/worker.py [--docs 30] [--rounds 3] [--database-url URL]

Uses the Redis at REDIS_URL with a private queue prefix (nothing is flushed) and a scratch
SQLite database unless --database-url is given.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from upload import variant  # bench/ is on sys.path when a bench runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
FIXTURE = ROOT / "tests/fixtures/xlsx/cmrt-6.5-101.xlsx"


def warm_loop_ms(path: Path, runs: int) -> float:
    """Median wall time of the extraction alone, in a warm process."""
    from ingestion import extract_file
    extract_file(path)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        extract_file(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def enqueue_burst(env: dict[str, str], data: bytes, n: int, round_no: int) -> list[int]:
    """Store N variants and enqueue them the way an upload does (row committed, then the job)."""
    from sqlmodel import select

    from portal.auth.models import User
    from portal.db import all_models, session_scope
    from portal.documents import storage
    from portal.documents.jobs import enqueue_extraction
    from portal.documents.models import Document
    from portal.settings import load_settings
    all_models()
    settings = load_settings()
    ids = []
    with session_scope(env["DATABASE_URL"]) as session:
        user = session.exec(select(User).where(User.email == "bench@supplier.test")).one()
        for k in range(n):
            content = variant(data, round_no * 10_000 + k)
            sha = hashlib.sha256(content).hexdigest()
            storage.put(session, content, sha)
            doc = Document(supplier_id=user.supplier_id, uploaded_by_id=user.id, sha256=sha,
                           filename=f"cmrt-{k}.xlsx", size_bytes=len(content), file_kind="xlsx")
            session.add(doc)
            session.flush()
            ids.append(doc.id)
    for doc_id in ids:
        assert enqueue_extraction(settings, doc_id)
    return ids


def burst_ms(env: dict[str, str], ids: list[int]) -> tuple[float, int]:
    """Run a burst worker over the queued jobs; per-job wall time from the rows, failures."""
    from sqlmodel import select

    from portal.db import session_scope
    from portal.documents.models import Document
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "worker", "--burst"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60 + 10 * len(ids))
    with session_scope(env["DATABASE_URL"]) as session:
        docs = session.exec(select(Document).where(Document.id.in_(ids))).all()
        done = [d for d in docs if d.extracted_at]
        if not done:
            raise SystemExit("no document was extracted — see the worker's log")
        span = (max(d.extracted_at for d in done) - min(d.extraction_started_at for d in done)).total_seconds()
        return span * 1000 / len(done), len(docs) - len(done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url")
    parser.add_argument("--file", type=Path, default=FIXTURE)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-worker-"))
    env = {**os.environ, "DATABASE_URL": args.database_url or f"sqlite:///{scratch / 'bench.db'}",
           "QUEUE_PREFIX": f"benchw{os.getpid()}", "SECRET_KEY": "bench"}
    os.environ.update(env)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(flask + ["users", "create", "--email", "bench@supplier.test", "--password", "bench-password-1",
                            "--role", "supplier", "--supplier", "Bench Supplier"], env=env, cwd=ROOT,
                   capture_output=True)
    data = args.file.read_bytes()
    floors, jobs, failed = [], [], 0
    for round_no in range(args.rounds):
        floors.append(warm_loop_ms(args.file, max(5, args.docs // 3)))
        ids = enqueue_burst(env, data, args.docs, round_no)
        per_job, lost = burst_ms(env, ids)
        jobs.append(per_job)
        failed += lost
    ours, floor = statistics.median(jobs), statistics.median(floors)
    print(f"worker job ({args.docs} CMRTs x {args.rounds} rounds, {failed} not extracted): "
          f"ours {ours:.0f} ms/job  floor {floor:.0f} ms (warm extract_file)  ratio {ours / floor:.2f}x  "
          f"overhead {ours - floor:.0f} ms/job  {3_600_000 / ours:,.0f} documents/hour/core "
          f"(rounds: ours {', '.join(f'{j:.0f}' for j in jobs)}; floor {', '.join(f'{f:.0f}' for f in floors)})")


if __name__ == "__main__":
    main()
