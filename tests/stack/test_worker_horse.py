"""The worker's long-lived work horse (portal/horse.py), through real worker processes: many jobs
run in one horse; a horse is replaced after HORSE_MAX_JOBS jobs; a job past its timeout is
reported as a timeout (a Python one by RQ's exception, one stuck in C code by killing its horse)
and the next job runs; a horse SIGKILLed mid-job leaves its job retried and the next job runs in a
fresh horse; the worker's command listener outlives its Redis connections being cut."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from redis import Redis
from rq import Callback, Retry, Worker
from rq.command import send_shutdown_command
from rq.job import Job, JobStatus
from sqlmodel import select

from portal.documents.jobs import enqueue_extraction, job_id, on_extraction_failure, timeout_reason
from portal.documents.models import Document
from portal.queues import EXTRACT, queue
from portal.settings import load_settings
from tests.conftest import CMRT_FILE, REDIS_URL, gen_user, login, upload
from tests.portal.test_hardening_queue import cmrt_variant
from tests.stack.faulty_jobs import slow_in_python, stuck_in_c
from tests.stack.test_worker_fault import STARTUP_ALLOWANCE_S, STUCK_AFTER_S, SWEEP_INTERVAL_S, _document, _stop, \
    _wait, _worker

ROOT = Path(__file__).resolve().parents[2]
EXTRACTED = ("extracted", "needs_review")


def _burst(env: dict[str, str], log: Path, **extra: str) -> str:
    """A burst worker over what is queued; its log (which names each horse it starts)."""
    proc_env = {**os.environ, **env, "STUCK_AFTER_S": str(STUCK_AFTER_S), "SWEEP_INTERVAL_S": str(SWEEP_INTERVAL_S),
                **extra}
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "worker", "--burst"],
                          env=proc_env, cwd=ROOT, stdout=open(log, "wb"), stderr=subprocess.STDOUT, timeout=240)
    text = log.read_text(errors="replace")
    assert done.returncode == 0, text[-3000:]
    return text


def _horses(text: str) -> list[int]:
    return [int(pid) for pid in re.findall(r"work horse (\d+) started", text)]


def _uploads(client, session, count: int) -> list[int]:  # noqa: ANN001
    login(client, gen_user(session).email)
    for n in range(count):
        upload(client, CMRT_FILE, filename=f"cmrt-{n}.xlsx", content=cmrt_variant(n))
    return list(session.exec(select(Document.id).order_by(Document.id)).all())


def _registries_clean(settings) -> None:  # noqa: ANN001
    q = queue(settings, EXTRACT)
    assert q.started_job_registry.get_job_ids() == []       # nothing left "running"
    assert not [j for j in q.get_job_ids() if "-extract-document-" in j]    # (a periodic sweep may wait)


def test_many_jobs_run_in_one_work_horse(env, client, session, tmp_path, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ids = _uploads(client, session, 4)
    text = _burst(env, tmp_path / "worker.log")
    assert len(_horses(text)) == 1, text[-3000:]
    assert all(_document(env["DATABASE_URL"], i).status in EXTRACTED for i in ids)
    settings = load_settings()
    assert sorted(queue(settings, EXTRACT).finished_job_registry.get_job_ids()) == sorted(
        job_id(i, settings) for i in ids)
    _registries_clean(settings)


def test_a_work_horse_is_replaced_after_horse_max_jobs(env, client, session, tmp_path, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ids = _uploads(client, session, 5)
    text = _burst(env, tmp_path / "worker.log", HORSE_MAX_JOBS="2")
    horses = _horses(text)
    assert len(horses) == 3 and len(set(horses)) == 3, text[-3000:]
    assert text.count("it ran 2 jobs") == 2
    assert all(_document(env["DATABASE_URL"], i).status in EXTRACTED for i in ids)
    _registries_clean(load_settings())


def test_jobs_past_their_timeout_are_timeouts_and_the_next_job_runs(env, client, session, tmp_path, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    in_python, in_c, healthy = _uploads(client, session, 3)
    settings = load_settings()
    q = queue(settings, EXTRACT)
    q.empty()
    # (the extraction job catches RQ's timeout exception itself and is not retried; a job that
    # does not catch it is RQ's to retry, so this one has none)
    q.enqueue(slow_in_python, in_python, job_id=job_id(in_python, settings), job_timeout=2,
              on_failure=Callback(on_extraction_failure))
    # a hard timeout: retries offered and not taken, the same file would be stuck again
    q.enqueue(stuck_in_c, in_c, job_id=job_id(in_c, settings), job_timeout=2, retry=Retry(max=2),
              on_failure=Callback(on_extraction_failure))
    enqueue_extraction(settings, healthy)
    text = _burst(env, tmp_path / "worker.log", HORSE_KILL_GRACE_S="1")

    for document_id in (in_python, in_c):
        doc = _document(env["DATABASE_URL"], document_id)
        assert (doc.status, doc.failure_code, doc.failure_reason) == ("failed", "timeout", timeout_reason(settings))
    assert _document(env["DATABASE_URL"], healthy).status in EXTRACTED
    stuck = Job.fetch(job_id(in_c, settings), connection=q.connection)
    assert stuck.get_status() == JobStatus.FAILED and stuck.retries_left == 0
    assert "did not stop" in stuck.latest_result().exc_string
    assert job_id(in_c, settings) in q.failed_job_registry.get_job_ids()
    # the Python timeout's horse retired, the stuck one killed: the healthy job ran in a third
    assert "its job timed out" in text and "killing its work horse" in text
    assert len(set(_horses(text))) == 3, text[-3000:]
    _registries_clean(settings)


def test_a_horse_killed_mid_job_leaves_its_job_retried_and_a_fresh_horse_runs_the_next(env, app, client, session,
                                                                                        tmp_path, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    first = _uploads(client, session, 1)[0]
    other = app.test_client()        # another supplier's file: not held back behind the first
    login(other, gen_user(session, supplier="Other Metals GmbH").email)
    upload(other, CMRT_FILE, filename="next.xlsx", content=cmrt_variant(7))
    second = session.exec(select(Document.id).where(Document.id != first)).one()
    url, log = env["DATABASE_URL"], tmp_path / "worker.log"
    worker = _worker(env, log, EXTRACT_DELAY_S="3")
    try:
        _wait(lambda: _document(url, first).status == "extracting", STARTUP_ALLOWANCE_S + 30, "the first job", [log])
        horse = _horses(log.read_text(errors="replace"))[-1]
        os.kill(horse, signal.SIGKILL)
        _wait(lambda: _document(url, second).status in EXTRACTED, 60, "the next document", [log])
        doc = _wait(lambda: (d := _document(url, first)).status in EXTRACTED and d, 60,
                    "the killed job to be retried", [log])
        assert worker.poll() is None, "the worker itself died"
    finally:
        _stop(worker)
    text = log.read_text(errors="replace")
    assert "Work horse died mid-job (signal 9)" in text
    horses = _horses(text)
    assert horse in horses and len(set(horses)) >= 2 and horses[-1] != horse, text[-3000:]
    assert doc.attempts == 2
    _registries_clean(load_settings())


def test_the_command_listener_outlives_cut_redis_connections(env, tmp_path):
    log = tmp_path / "worker.log"
    worker = _worker(env, log)
    conn = Redis.from_url(REDIS_URL)
    db = str(conn.connection_pool.connection_kwargs.get("db", 0))
    try:
        name = _wait(lambda: next((w.name for w in Worker.all(connection=conn) if w.pid == worker.pid), None),
                     STARTUP_ALLOWANCE_S + 30, "the worker to register", [log])
        _wait(lambda: any(c["cmd"] == "subscribe" for c in conn.client_list() if c["db"] == db), 30,
              "the command listener to subscribe", [log])
        me = conn.client_id()
        for client in conn.client_list():       # the worker's connections on this test's database only
            if client["db"] == db and int(client["id"]) != me:
                conn.client_kill_filter(_id=client["id"])
        _wait(lambda: any(c["cmd"] == "subscribe" for c in conn.client_list() if c["db"] == db), 30,
              "the command listener to subscribe again", [log])
        time.sleep(1)
        send_shutdown_command(conn, name)
        assert worker.wait(timeout=30) == 0, log.read_text(errors="replace")[-3000:]
    finally:
        _stop(worker)



def test_the_worker_blocks_on_its_queue_longer_than_the_webs_socket_timeout(env):
    """RQ lengthens the socket timeout only for connections opened after the worker is made; one
    opened before (run_worker's ping) kept the web's 10 s, and an idle worker that blocked on it
    timed out every 10 s and backed off up to a minute, leaving new uploads waiting."""
    from portal.queues import redis_connection
    from portal.worker import new_worker
    settings = load_settings()
    conn = redis_connection(settings.redis_url)
    conn.ping()                                   # a connection opened with the web's timeout
    worker = new_worker(settings, conn)
    blocking = conn.connection_pool.get_connection()   # what the idle worker's dequeue gets
    try:
        assert blocking.socket_timeout is None or blocking.socket_timeout > worker.dequeue_timeout
    finally:
        conn.connection_pool.release(blocking)
