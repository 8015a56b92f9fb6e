"""Extraction jobs through a real worker against the same extraction in a warm loop, paired and
interleaved in one run so that the ratio holds on a shared, noisy machine.

One real `flask --app wsgi worker` runs for the whole bench (started, its start-up jobs worked
off, then left idle). Each round is a pair, taken in turn (floor, ours, floor, ours, …):

- floor: `extract_file` on the bytes of a CMRT variant, N times in a warm loop in this process;
- ours: N distinct variants stored and enqueued as an upload does, worked off by the worker (its
  work horse, the claim, the result, the field audit rows, the prefill, the hand-over to the
  supplier's waiting documents — the whole job and RQ's own work around it).

Ours is the CPU time of the worker's whole process tree (the worker, its live work horse and
scheduler, the children it reaped: `/proc/<pid>/stat`) from the first enqueue until every job
has ended and the worker is idle again; so no start-up is subtracted, and the worker's idle
time between rounds is not counted. CPU time because on a machine shared by more runnable
processes than cores, wall time measures the neighbours; the wall clock of both sides is
printed too (ours: first enqueue to idle again). The printed ratio is the median over the
rounds of each pair's ratio, so a slow minute moves one pair, not the answer.

    .venv/bin/python bench/worker.py [--docs 4] [--rounds 21] [--database-url URL]

Uses the Redis at REDIS_URL with the queue prefix QUEUE_PREFIX if set, else a private one
(nothing is flushed), and a scratch SQLite database unless --database-url is given. The worker's
periodic jobs run once at its start, before the first round (SWEEP_INTERVAL_S is an hour here).
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
CLOCK_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def warm_loop_ms(path: Path | bytes, runs: int) -> float:
    """Median CPU time of the extraction alone, in a warm process."""
    return statistics.median(warm_loop(path, runs)[0])


def warm_loop(content: Path | bytes, runs: int) -> tuple[list[float], float]:
    """CPU ms of each of `runs` extractions (after one to warm up) and their wall ms in all,
    read as the job reads it (bytes, the upload limit)."""
    from ingestion import extract_file
    from ingestion.limits import Limits
    from portal.settings import load_settings
    limits = Limits(max_file_bytes=load_settings().max_upload_bytes)
    extract_file(content, limits=limits)
    times, wall = [], time.perf_counter()
    for _ in range(runs):
        started = time.process_time()
        extract_file(content, limits=limits)
        times.append((time.process_time() - started) * 1000)
    return times, (time.perf_counter() - wall) * 1000


def tree_cpu_ms(pid: int) -> float:
    """CPU time of a process, its live descendants and the children they reaped: each live
    thread's run time in ns (`schedstat`; `stat`'s user and system times count in 10 ms
    ticks), plus the reaped children's user and system time."""
    total_ns, ticks, todo = 0, 0, [pid]
    while todo:
        proc = todo.pop()
        try:
            with open(f"/proc/{proc}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            for tid in os.listdir(f"/proc/{proc}/task"):
                with open(f"/proc/{proc}/task/{tid}/schedstat") as schedstat:
                    total_ns += int(schedstat.read().split()[0])
                with open(f"/proc/{proc}/task/{tid}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except FileNotFoundError:
            continue            # ended meanwhile: its time is now in its parent's reaped children
        ticks += int(fields[13]) + int(fields[14])      # cutime, cstime
    return total_ns / 1e6 + ticks * CLOCK_TICK_MS


def store_documents(env: dict[str, str], data: bytes, n: int, round_no: int) -> list[int]:
    """Store N variants as an upload does (the row committed before its job is enqueued)."""
    from sqlmodel import select

    from portal.auth.models import User
    from portal.db import all_models, session_scope
    from portal.documents import storage
    from portal.documents.models import Document
    all_models()
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
    return ids


def enqueue_all(ids: list[int]) -> None:
    from portal.documents.jobs import enqueue_extraction
    from portal.settings import load_settings
    settings = load_settings()
    for doc_id in ids:
        assert enqueue_extraction(settings, doc_id)


def enqueue_burst(env: dict[str, str], data: bytes, n: int, round_no: int) -> list[int]:
    """Store N variants and enqueue them the way an upload does."""
    ids = store_documents(env, data, n, round_no)
    enqueue_all(ids)
    return ids


def wait_idle(ids: list[int], timeout_s: float) -> None:
    """Until each job of `ids` has ended, no job is queued and every worker is idle."""
    from rq import Worker
    from rq.job import Job

    from portal.documents.jobs import job_id
    from portal.queues import EXTRACT, queue
    from portal.settings import load_settings
    settings = load_settings()
    q = queue(settings, EXTRACT)
    jids = [job_id(i, settings) for i in ids]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        jobs = Job.fetch_many(jids, connection=q.connection)
        if (all(j is not None and j.get_status(refresh=False) in ("finished", "failed") for j in jobs)
                and q.count == 0 and all(w.get_state() == "idle" for w in Worker.all(queue=q))):
            return
        time.sleep(0.02)
    raise SystemExit("the worker did not finish the round in time — see its log")


def bench_env(database_url: str | None) -> dict[str, str]:
    """A migrated database (scratch SQLite unless given) with the bench supplier, a queue prefix
    of its own; also set in this process's environment, which load_settings() reads."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-worker-"))
    env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{scratch / 'bench.db'}",
           "QUEUE_PREFIX": os.environ.get("QUEUE_PREFIX") or f"benchw{os.getpid()}", "SECRET_KEY": "bench",
           "SWEEP_INTERVAL_S": "3600"}
    os.environ.update(env)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(flask + ["users", "create", "--email", "bench@supplier.test", "--password", "bench-password-1",
                            "--role", "supplier", "--supplier", "Bench Supplier"], env=env, cwd=ROOT,
                   capture_output=True)
    return env


def extraction_failures(env: dict[str, str], ids: list[int]) -> int:
    from sqlmodel import select

    from portal.db import session_scope
    from portal.documents.models import Document
    with session_scope(env["DATABASE_URL"]) as session:
        return sum(1 for d in session.exec(select(Document).where(Document.id.in_(ids))).all() if not d.extracted_at)


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """A real worker, left running; returns once its start-up jobs are done and it is idle."""
    from rq import Worker

    from portal.queues import all_queues
    from portal.settings import load_settings
    log = log_path.open("w")
    worker = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "worker"], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    settings = load_settings()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if worker.poll() is not None:
            raise SystemExit(f"the worker ended at start — see {log_path}")
        workers = Worker.all(connection=all_queues(settings)[0].connection)
        if (workers and all(w.get_state() == "idle" for w in workers)
                and not any(q.count for q in all_queues(settings))):
            time.sleep(2)       # the periodic thread enqueues its start-up runs a moment later
            if not any(q.count for q in all_queues(settings)) and all(w.get_state() == "idle" for w in workers):
                return worker
    raise SystemExit(f"the worker did not become idle — see {log_path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=4, help="jobs (and warm extractions) a round")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--database-url")
    parser.add_argument("--file", type=Path, default=FIXTURE)
    args = parser.parse_args()

    env = bench_env(args.database_url)
    data = args.file.read_bytes()
    floor_content = variant(data, 999_999)
    log_path = Path(tempfile.mkdtemp(prefix="bench-worker-log-")) / "worker.log"
    worker = start_worker(env, log_path)
    ours, floors, ours_wall, floor_wall, failed = [], [], [], [], 0
    try:
        for round_no in range(args.rounds):
            times, wall = warm_loop(floor_content, args.docs)
            floors.append(statistics.fmean(times))
            floor_wall.append(wall / args.docs)
            ids = store_documents(env, data, args.docs, round_no)
            cpu, started = tree_cpu_ms(worker.pid), time.perf_counter()
            enqueue_all(ids)
            wait_idle(ids, 60 + 10 * args.docs)
            ours_wall.append((time.perf_counter() - started) * 1000 / args.docs)
            ours.append((tree_cpu_ms(worker.pid) - cpu) / args.docs)
            failed += extraction_failures(env, ids)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    ratio = statistics.median(o / f for o, f in zip(ours, floors))
    wall_ratio = statistics.median(o / f for o, f in zip(ours_wall, floor_wall))
    overhead = statistics.median(o - f for o, f in zip(ours, floors))
    spread = sorted(o / f for o, f in zip(ours, floors))
    print(f"worker job ({args.docs} CMRTs x {args.rounds} paired rounds, {failed} not extracted): "
          f"ours {statistics.median(ours):.0f} ms/job  floor {statistics.median(floors):.0f} ms (warm extract_file)  "
          f"ratio {ratio:.2f}x (CPU, median of pairs; quartiles {spread[len(spread) // 4]:.2f}–"
          f"{spread[(3 * len(spread)) // 4]:.2f})  wall ratio {wall_ratio:.2f}x  overhead {overhead:.0f} ms/job  "
          f"{3_600_000 / statistics.median(ours):,.0f} documents/hour/core (target ≤ 1.3x, ≤ 25 ms overhead)\n"
          f"  CPU per round: ours {', '.join(f'{j:.0f}' for j in ours)}; floor {', '.join(f'{f:.0f}' for f in floors)}\n"
          f"  wall per job: ours {', '.join(f'{w:.0f}' for w in ours_wall)}; "
          f"floor {', '.join(f'{w:.0f}' for w in floor_wall)}")


if __name__ == "__main__":
    main()
