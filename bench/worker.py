"""Extraction jobs through a real worker against the same extraction in a warm loop, measured
in one run so that the ratio holds on a shared, noisy machine.

For each round: the warm loop (`extract_file` on the same CMRT in this process), then a burst
of N distinct variants of that CMRT stored and enqueued as the web app does and worked off by a
real `flask --app wsgi worker --burst` (its work horse, audit rows, prefill — the whole job). The
per-job cost is CPU time: the worker's and its work horse's CPU (getrusage of the reaped
children) for the burst, less that of a burst with nothing queued (the worker's start-up), over
N; the floor is the warm loop's CPU time. CPU time because on a machine shared by more runnable
processes than cores, wall time measures the neighbours. The wall-clock span from the first
job's start to the last job's end (from the database rows) is printed too.

    .venv/bin/python bench/worker.py [--docs 30] [--rounds 3] [--database-url URL]

Uses the Redis at REDIS_URL with a private queue prefix (nothing is flushed) and a scratch
SQLite database unless --database-url is given.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
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
    """Median CPU time of the extraction alone, in a warm process."""
    from ingestion import extract_file
    extract_file(path)
    times = []
    for _ in range(runs):
        started = time.process_time()
        extract_file(path)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def run_burst(env: dict[str, str], jobs: int) -> float:
    """CPU time of a burst worker (and its work horses) that works off the queue and exits."""
    before = children_cpu_ms()
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "worker", "--burst"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60 + 10 * jobs)
    return children_cpu_ms() - before


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


def burst_ms(env: dict[str, str], ids: list[int], start_up: float) -> tuple[float, float, int]:
    """Run a burst worker over the queued jobs: per-job CPU and wall time, documents not extracted."""
    from sqlmodel import select

    from portal.db import session_scope
    from portal.documents.models import Document
    cpu = (run_burst(env, len(ids)) - start_up) / len(ids)
    with session_scope(env["DATABASE_URL"]) as session:
        docs = session.exec(select(Document).where(Document.id.in_(ids))).all()
        done = [d for d in docs if d.extracted_at]
        if not done:
            raise SystemExit("no document was extracted — see the worker's log")
        span = (max(d.extracted_at for d in done) - min(d.extraction_started_at for d in done)).total_seconds()
        return cpu, span * 1000 / len(done), len(docs) - len(done)


def bench_env(database_url: str | None) -> dict[str, str]:
    """A migrated database (scratch SQLite unless given) with the bench supplier, a private queue
    prefix; also set in this process's environment, which load_settings() reads."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-worker-"))
    env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{scratch / 'bench.db'}",
           "QUEUE_PREFIX": f"benchw{os.getpid()}", "SECRET_KEY": "bench"}
    os.environ.update(env)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(flask + ["users", "create", "--email", "bench@supplier.test", "--password", "bench-password-1",
                            "--role", "supplier", "--supplier", "Bench Supplier"], env=env, cwd=ROOT,
                   capture_output=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url")
    parser.add_argument("--file", type=Path, default=FIXTURE)
    args = parser.parse_args()

    env = bench_env(args.database_url)
    data = args.file.read_bytes()
    floors, jobs, walls, failed = [], [], [], 0
    for round_no in range(args.rounds):
        floors.append(warm_loop_ms(args.file, max(5, args.docs // 3)))
        start_up = run_burst(env, 0)         # nothing queued yet: the worker's own start and stop
        ids = enqueue_burst(env, data, args.docs, round_no)
        per_job, wall, lost = burst_ms(env, ids, start_up)
        jobs.append(per_job)
        walls.append(wall)
        failed += lost
    ours, floor = statistics.median(jobs), statistics.median(floors)
    print(f"worker job ({args.docs} CMRTs x {args.rounds} rounds, {failed} not extracted): "
          f"ours {ours:.0f} ms/job  floor {floor:.0f} ms (warm extract_file)  ratio {ours / floor:.2f}x  "
          f"overhead {ours - floor:.0f} ms/job  {3_600_000 / ours:,.0f} documents/hour/core (target ≤ 1.3x, "
          f"≤ 25 ms overhead) | CPU per round: ours {', '.join(f'{j:.0f}' for j in jobs)}; "
          f"floor {', '.join(f'{f:.0f}' for f in floors)}; wall per job {', '.join(f'{w:.0f}' for w in walls)}")


if __name__ == "__main__":
    main()
