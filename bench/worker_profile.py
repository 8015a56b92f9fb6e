"""Where a forked job's overhead goes (issue 13): the same CMRT variants timed, in CPU ms a job,
as the warm extraction alone, the whole job called in this process, the first and the later jobs
run one after another in one forked child (with its minor page faults), an empty fork, and real
RQ bursts with `SimpleWorker` (no fork), `Worker` (a fork per job) and the portal's worker (one
long-lived work horse, portal/horse.py), all after the worker's own `prepare_for_forking`.

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


def rq_burst_ms(worker_class: type, ids: list[int]) -> float:
    """CPU a job of a real RQ burst over the enqueued documents (this process and its children)."""
    from portal.queues import all_queues, redis_connection
    from portal.settings import load_settings
    settings = load_settings()
    started, children = time.process_time(), children_cpu_ms()
    worker_class(all_queues(settings), connection=redis_connection(settings.redis_url)).work(
        burst=True, logging_level="WARNING")
    return ((time.process_time() - started) * 1000 + children_cpu_ms() - children) / len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    env = bench_env(args.database_url)
    from rq import SimpleWorker, Worker

    from portal.documents.jobs import extract_document
    from portal.horse import LongLivedHorseWorker
    from portal.queues import EXTRACT, queue
    from portal.settings import load_settings
    from portal.worker import prepare_for_forking
    prepare_for_forking(load_settings())
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
    before = children_cpu_ms()
    for _ in range(n):
        in_child(lambda: None)
    print(f"empty fork and exit: {(children_cpu_ms() - before) / n:.1f} ms")
    one_child_in_turn(fresh(3, 1))
    extract_queue.empty()           # the steps above ran their jobs without RQ
    print(f"RQ SimpleWorker (no fork), start-up included: {rq_burst_ms(SimpleWorker, fresh(n, 2)):.0f} ms/job")
    print(f"RQ Worker (fork per job), start-up included: {rq_burst_ms(Worker, fresh(n, 3)):.0f} ms/job")
    print(f"portal worker (one long-lived work horse), start-up included: "
          f"{rq_burst_ms(LongLivedHorseWorker, fresh(n, 4)):.0f} ms/job")

if __name__ == "__main__":
    main()
