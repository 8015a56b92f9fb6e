"""RQ's bookkeeping around a job in fewer Redis round trips (portal/horse.py), through a real
worker and its forked work horse in this process: a job still ends in exactly one final state
with its result and TTLs, the registries `rq info` and the sweeper read are right, failures are
recorded, retried and called back, dependents run, a suspension is heeded, and a burst's job costs
at most 5 round trips (measured 3.8; 14.8 with RQ's own methods)."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator

import pytest
from redis import Redis
from redis.connection import Connection
from rq import Callback, Queue, Retry
from rq.job import JobStatus
from rq.suspension import resume

from portal.worker import PortalWorker
from tests.conftest import QUEUE_PREFIX, REDIS_URL
from tests.stack.faulty_jobs import add, always_fails, count_failure, suspend_workers

ROUND_TRIPS_PER_JOB = 5


@pytest.fixture
def conn(env) -> Iterator[Redis]:  # noqa: ANN001 - env flushes the test database
    conn = Redis.from_url(REDIS_URL)
    yield conn
    conn.close()


@pytest.fixture
def round_trips(monkeypatch) -> multiprocessing.Value:  # noqa: ANN001
    """Requests sent to Redis (a pipeline is one) from this process and its forked work horse."""
    sent = multiprocessing.Value("l", 0)        # shared memory: the horse is a forked child
    original = Connection.send_packed_command

    def counting(self, command, check_health=True):  # noqa: ANN001, ANN202
        with sent.get_lock():
            sent.value += 1
        return original(self, command, check_health)
    monkeypatch.setattr(Connection, "send_packed_command", counting)
    return sent


def _burst(conn: Redis, *queues: Queue) -> None:
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        PortalWorker(list(queues), connection=conn).work(burst=True, logging_level="WARNING")
    finally:
        for sig, handler in handlers.items():      # RQ installs its own in this (pytest's) process
            signal.signal(sig, handler)


def _queue(conn: Redis, name: str = "rt") -> Queue:
    return Queue(f"{QUEUE_PREFIX}-{name}", connection=conn)


def test_finished_jobs_keep_their_results_registries_and_ttls(conn):
    q, other = _queue(conn), _queue(conn, "rt-other")
    jobs = [q.enqueue(add, n, 1, result_ttl=500) for n in range(3)]
    _burst(conn, q, other)
    for n, job in enumerate(jobs):
        job.refresh()
        assert job.get_status() == JobStatus.FINISHED and job.return_value() == n + 1
        assert job.started_at and job.ended_at and job.worker_name and job.last_heartbeat
        assert 490 <= conn.ttl(job.key) <= 500
        assert 490 <= conn.ttl(f"rq:results:{job.id}") <= 500
        assert conn.exists(f"rq:executions:{job.id}") == 0
    assert sorted(q.finished_job_registry.get_job_ids()) == sorted(j.id for j in jobs)
    assert q.started_job_registry.get_job_ids() == [] and q.failed_job_registry.get_job_ids() == []
    assert q.count == 0


def test_one_queue_leaves_its_intermediate_queue_empty(conn):
    q = _queue(conn)
    job = q.enqueue(add, 2, 2)
    _burst(conn, q)              # one queue: RQ dequeues through its intermediate queue
    assert job.get_status() == JobStatus.FINISHED and job.return_value() == 4
    assert conn.llen(q.intermediate_queue_key) == 0


def test_a_job_with_result_ttl_0_leaves_no_key_behind(conn):
    q = _queue(conn)
    job = q.enqueue(add, 1, 1, result_ttl=0)
    _burst(conn, q, _queue(conn, "rt-other"))
    # a late heartbeat would recreate the deleted hash with `last_heartbeat` alone (rq#1450)
    assert conn.exists(job.key) == 0
    assert q.finished_job_registry.get_job_ids() == [] and q.started_job_registry.get_job_ids() == []


def test_a_failing_job_is_retried_then_failed_once_with_its_callback(conn):
    q = _queue(conn)
    job = q.enqueue(always_fails, "this", retry=Retry(max=1), failure_ttl=700,
                    on_failure=Callback(count_failure))
    _burst(conn, q, _queue(conn, "rt-other"))      # runs it, retries it at once, runs it again
    job.refresh()
    assert job.get_status() == JobStatus.FAILED and job.retries_left == 0
    assert "this cannot be done" in job.latest_result().exc_string
    assert len(job.results()) == 1          # the retried run records no result of its own
    assert q.failed_job_registry.get_job_ids() == [job.id]
    assert q.finished_job_registry.get_job_ids() == [] and q.started_job_registry.get_job_ids() == []
    assert 690 <= conn.ttl(job.key) <= 700
    assert int(conn.get(f"test-failure-callbacks:{job.id}")) == 2     # RQ calls back on each failure


def test_a_dependent_job_runs_after_the_job_it_waits_for(conn):
    q = _queue(conn)
    first = q.enqueue(add, 1, 2)
    second = q.enqueue(add, 3, 4, depends_on=first)
    assert second.get_status() == JobStatus.DEFERRED
    _burst(conn, q, _queue(conn, "rt-other"))
    first.refresh()
    second.refresh()
    assert second.get_status() == JobStatus.FINISHED and second.return_value() == 7
    assert second.started_at >= first.ended_at


def test_a_job_costs_at_most_five_round_trips(conn, round_trips):
    q, other = _queue(conn), _queue(conn, "rt-other")
    sent = []
    for count in (2, 7):
        jobs = [q.enqueue(add, n, n) for n in range(count)]
        before = round_trips.value
        _burst(conn, q, other)
        sent.append(round_trips.value - before)
        assert all(j.get_status() == JobStatus.FINISHED for j in jobs)
    per_job = (sent[1] - sent[0]) / 5       # the worker's start and end cancel out
    assert per_job <= ROUND_TRIPS_PER_JOB, sent


def test_a_heartbeat_just_sent_is_not_sent_again_unless_its_ttl_differs(conn, round_trips):
    worker = PortalWorker([_queue(conn)], connection=conn)
    before = round_trips.value
    worker.heartbeat()
    worker.heartbeat()                      # the same, a moment later: not sent
    assert round_trips.value - before == 1
    worker.heartbeat(90)                    # a job's shorter TTL is sent ...
    worker.heartbeat()                      # ... and so is the idle worker's longer one after it
    assert round_trips.value - before == 3
    assert conn.ttl(worker.key) == worker.worker_ttl + 60


def test_a_job_larger_than_a_pipe_read_reaches_the_horse_whole(conn):
    q = _queue(conn)
    job = q.enqueue(add, "x" * 300_000, "y")        # handed to the horse with its hash
    _burst(conn, q, _queue(conn, "rt-other"))
    assert job.get_status() == JobStatus.FINISHED and job.return_value() == "x" * 300_000 + "y"


def test_a_worker_suspended_during_a_job_takes_no_further_job(conn):
    q = _queue(conn)
    suspending = q.enqueue(suspend_workers)
    waiting = q.enqueue(add, 1, 1)
    try:
        _burst(conn, q, _queue(conn, "rt-other"))  # a burst worker that finds itself suspended quits
    finally:
        resume(conn)           # the flag is global to the database: later workers would wait
    assert suspending.get_status() == JobStatus.FINISHED
    assert waiting.get_status() == JobStatus.QUEUED and q.get_job_ids() == [waiting.id]
