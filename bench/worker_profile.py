"""Where a forked job's overhead goes (issue 13): the same CMRT variants timed, in CPU ms a job,
as the warm extraction alone, the whole job called in this process and its parts outside the
extraction, the first and the later jobs run one after another in one forked child (with its
minor page faults), an empty fork, and real RQ bursts with `SimpleWorker` (no fork), `Worker`
(a fork per job) and the portal's worker (one long-lived work horse, portal/horse.py), all after
the worker's own `prepare_for_forking`.

    .venv/bin/python bench/worker_profile.py [--docs 20] [--database-url URL]

Uses the Redis at REDIS_URL with a private queue prefix (nothing is flushed).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from typing import Callable

from worker import FIXTURE, bench_env, enqueue_burst, warm_loop_ms  # bench/ is on sys.path


def children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def in_child(work: Callable[[], None]) -> None:
    """Run `work` in a forked child, as RQ's Worker does, and reap it."""
    pid = os.fork()
    if pid == 0:
        try:
            work()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def one_child_in_turn(ids: list[int]) -> None:
    """Jobs one after another in one child: the first pays the child's page faults, the rest do not."""
    from portal.documents.jobs import extract_document

    def run() -> None:
        timings = []
        for document_id in ids:
            started, faults = time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            extract_document(document_id)
            timings.append(f"{(time.process_time() - started) * 1000:.0f} ms / "
                           f"{resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults} faults")
        print(f"  jobs in turn in one forked child: {'; '.join(timings)}", flush=True)
    in_child(run)


def job_parts(ids: list[int]) -> None:
    """A job's own work outside the extraction, part by part (median CPU ms over `ids`, run in
    this process): where the overhead goes that RQ and the work horse do not add."""
    from portal.documents import jobs, storage
    from portal.requests import declarations
    parts: dict[str, list[float]] = {}
    originals = []

    def timed(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)
        originals.append((owner, name, original))

        def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                parts.setdefault(label, []).append((time.process_time() - started) * 1000)
        setattr(owner, name, run)

    for owner, name, label in ((jobs, "_read_locking_supplier", "read, supplier locked"),
                               (jobs, "_claim_slot", "claim (UPDATE … RETURNING)"),
                               (storage, "get_bytes", "stored bytes"),
                               (jobs, "extract_file", "extract_file"),
                               (jobs, "_finish", "result (conditional UPDATE)"),
                               (declarations, "prefill_from_document", "prefill and audit rows"),
                               (jobs, "waiting_documents", "hand-over query")):
        timed(owner, name, label)
    whole = []
    try:
        for document_id in ids:
            started = time.process_time()
            jobs.extract_document(document_id)
            whole.append((time.process_time() - started) * 1000)
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    named = sum(statistics.median(times) for label, times in parts.items() if label != "extract_file")
    outside = statistics.median(w - e for w, e in zip(whole, parts["extract_file"]))
    print(f"  a job outside extract_file: {outside:.1f} ms — "
          + "; ".join(f"{label} {statistics.median(times):.1f}" for label, times in parts.items()
                      if label != "extract_file")
          + f"; the rest (sessions, commits, logging, hand-over enqueue) {outside - named:.1f}", flush=True)


def rq_burst_ms(make_worker: Callable[[], object], ids: list[int]) -> tuple[float, float]:
    """CPU a job of a real RQ burst over the enqueued documents: this process (the worker) and
    its children (the work horses)."""
    started, children = time.process_time(), children_cpu_ms()
    make_worker().work(burst=True, logging_level="WARNING")
    return (time.process_time() - started) * 1000 / len(ids), (children_cpu_ms() - children) / len(ids)


def rq_worker(worker_class: type) -> Callable[[], object]:
    from portal.queues import all_queues, redis_connection
    from portal.settings import load_settings
    settings = load_settings()
    return lambda: worker_class(all_queues(settings), connection=redis_connection(settings.redis_url))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    env = bench_env(args.database_url)
    from rq import SimpleWorker, Worker

    from portal.documents.jobs import extract_document
    from portal.queues import EXTRACT, queue, redis_connection
    from portal.settings import load_settings
    from portal.worker import new_worker, prepare_for_forking
    settings = load_settings()
    prepare_for_forking(settings)
    data, n = FIXTURE.read_bytes(), args.docs
    extract_queue = queue(load_settings(), EXTRACT)

    def fresh(count: int, step: int) -> list[int]:
        # each step its own new documents, stored and enqueued as an upload does, right before
        # it runs: one supplier's finished job hands over to its waiting (queued) documents
        return enqueue_burst(env, data, count, step)

    print(f"warm extract_file: {warm_loop_ms(FIXTURE, 10):.0f} ms")
    inproc = []
    for document_id in fresh(n, 0):
        started = time.process_time()
        extract_document(document_id)
        inproc.append((time.process_time() - started) * 1000)
    print(f"whole job in this process (claim, extract, result, audit, prefill): {statistics.median(inproc):.0f} ms")
    job_parts(fresh(n, 5))
    extract_queue.empty()           # ran without RQ; nothing is left for the bursts below
    before = children_cpu_ms()
    for _ in range(n):
        in_child(lambda: None)
    print(f"empty fork and exit: {(children_cpu_ms() - before) / n:.1f} ms")
    one_child_in_turn(fresh(3, 1))
    extract_queue.empty()           # the steps above ran their jobs without RQ
    for label, make, step in (("RQ SimpleWorker (no fork)", rq_worker(SimpleWorker), 2),
                              ("RQ Worker (fork per job)", rq_worker(Worker), 3),
                              ("portal worker (one long-lived work horse)",
                               lambda: new_worker(settings, redis_connection(settings.redis_url)), 4)):
        worker_ms, horses_ms = rq_burst_ms(make, fresh(n, step))
        print(f"{label}, start-up included: {worker_ms + horses_ms:.0f} ms/job "
              f"(the worker {worker_ms:.1f}, its horses {horses_ms:.1f})")


if __name__ == "__main__":
    main()
