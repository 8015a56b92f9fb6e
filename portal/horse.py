"""An RQ worker whose work horse lives for many jobs (issue 13).

RQ's `Worker` forks a child per job: crash isolation and a hard timeout, at ~50 ms of CPU a job
(the fork, the child's page faults, RQ's fork path), as much as a CMRT's whole extraction.
`SimpleWorker` saves that but runs jobs in the worker itself: a parser's segfault or memory
blow-up takes the worker down, and a job stuck in C code outlives its timeout (the timeout is a
SIGALRM exception, which lands only when the C call returns). Here the worker forks one horse and
hands it job after job through a pipe. The worker keeps what it did for a per-job horse: the
heartbeats, the hard timeout (it kills the horse's process group), the bookkeeping of a horse
that died mid-job. A horse that died or was killed is replaced by a fresh one for the next job;
so is one that has run `max_jobs` jobs, grown past `max_rss_bytes` or had a job time out (an
exception raised at a random point may leave a library's state half-changed).

RQ's bookkeeping around a job cost ~16 Redis round trips (`redis-cli MONITOR` during
bench/worker.py): 9 in the worker, 7 in the horse. The same writes go in 5 here (see
`prepare_execution`, `_hand_over`, `handle_job_success`, `execute_job`, `heartbeat`, `set_state`):
the worker marks the job started in the pipeline that creates its execution and hands the horse the
job it already holds (RQ's own fork-per-job horse inherits it in memory), so the horse sends nothing
before the job and one transaction after it.
"""

from __future__ import annotations

import base64
import errno
import json
import os
import random
import select
import signal
import time
from datetime import datetime, timezone
from typing import Any

from rq import Worker
from rq.exceptions import InvalidJobOperation
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.queue import Queue
from rq.rate_limit import release_slot
from rq.suspension import WORKERS_SUSPENDED
from rq.timeouts import UnixSignalDeathPenalty
from rq.utils import now, utcformat
from rq.worker import WorkerStatus

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
# A heartbeat repeated this soon with the same TTL is not sent: RQ's loop beats three times
# between two jobs (after one, before and after the next dequeue), milliseconds apart; the
# registration's TTL (worker_ttl + 60 s) and STUCK_AFTER_S dwarf the second skipped.
BEAT_FRESH_S = 1.0


class _NotedDeathPenalty(UnixSignalDeathPenalty):
    """RQ's SIGALRM timeout, noting in the horse that it fired (the job may have caught it)."""

    fired = False

    def handle_death_penalty(self, signum, frame) -> None:  # noqa: ANN001 - a signal handler
        _NotedDeathPenalty.fired = True
        super().handle_death_penalty(signum, frame)


def resident_bytes() -> int:
    """This process's resident set now (not its peak): what a leak grows."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_BYTES


class LongLivedHorseWorker(Worker):
    death_penalty_class = _NotedDeathPenalty

    def __init__(self, *args: Any, max_jobs: int = 500, max_rss_bytes: int = 1 << 30, kill_grace_s: int = 60,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_jobs, self.max_rss_bytes, self.kill_grace_s = max(1, max_jobs), max_rss_bytes, kill_grace_s
        self._to_horse = self._from_horse = -1
        self._horse_jobs = 0
        self._horse_status: tuple[int, int, Any] | None = None     # waitpid's answer once reaped
        self._last_beat: tuple[float, int] | None = None           # (monotonic time, TTL) the worker sent
        self._job_beat_due: Job | None = None                      # the horse's, see handle_execution_ended
        self._suspended_seen: tuple[float, bool] | None = None     # (monotonic time, answer), see execute_job

    # --- fewer round trips (both sides) ------------------------------------------------------

    def heartbeat(self, timeout: int | None = None, pipeline=None) -> None:  # noqa: ANN001
        """RQ's heartbeat as one pipeline (RQ sends its three commands one by one), and not at all
        when the worker sent the same one under BEAT_FRESH_S ago. Only this process writes its
        registration's TTL (the horse no longer beats, see prepare_job_execution), so what it last
        sent is what Redis holds."""
        ttl = timeout or self.worker_ttl + 60
        if pipeline is not None:
            super().heartbeat(ttl, pipeline)
        elif (self._last_beat is not None and self._last_beat[1] == ttl
              and time.monotonic() - self._last_beat[0] < BEAT_FRESH_S):
            return
        else:
            with self.connection.pipeline(transaction=False) as beat:
                super().heartbeat(ttl, beat)
                beat.execute()
        self._last_beat = (time.monotonic(), ttl)

    def set_state(self, state: str, pipeline=None) -> None:  # noqa: ANN001
        """RQ sets IDLE again before each dequeue although the worker is idle since its last job
        (execute_job sets it with the heartbeat): an unchanged state is not sent again."""
        if pipeline is None and state == self._state:
            return
        super().set_state(state, pipeline)

    def prepare_execution(self, job: Job) -> Execution:
        """RQ's `prepare_execution` (the execution, the started registry, state BUSY) and what RQ's
        horse then does in `prepare_job_execution` (the job STARTED with its worker and start
        time, its heartbeat, the worker's TTL for the job) in one transaction, not two round trips
        (and the horse's two fetches, see _hand_over). The job is STARTED before the horse has it:
        a horse that dies first leaves it to _horse_died, as one that dies mid-job."""
        with self.connection.pipeline() as pipeline:
            ttl = self.get_heartbeat_ttl(job)
            execution = Execution.create(job, ttl, pipeline=pipeline, worker_name=self.name)
            self.executions[execution.id] = execution
            self.set_state(WorkerStatus.BUSY, pipeline=pipeline)
            self.heartbeat(ttl, pipeline=pipeline)
            job.heartbeat(now(), ttl, pipeline=pipeline)
            job.prepare_for_execution(self.name, pipeline=pipeline)
            pipeline.persist(job.key)
            if len(self.queues) == 1:       # RQ's dequeue moved it to the intermediate queue
                pipeline.lrem(self.queues[0].intermediate_queue_key, 1, job.id)
            pipeline.execute()
        return execution

    # --- the worker's side -------------------------------------------------------------------

    def execute_job(self, job: Job, queue: Queue) -> None:
        execution = self.prepare_execution(job)
        self._hand_over(job, queue, execution)
        self.monitor_horse(job, queue, execution)
        with self.connection.pipeline(transaction=False) as pipeline:
            self.set_state(WorkerStatus.IDLE, pipeline=pipeline)
            self.heartbeat(pipeline=pipeline)               # RQ's loop beats next ...
            pipeline.exists(WORKERS_SUSPENDED)              # ... and asks this (check_for_suspension)
            self._suspended_seen = (time.monotonic(), bool(pipeline.execute()[-1]))

    def check_for_suspension(self, burst: bool) -> None:
        """RQ asks Redis (with a heartbeat) at each turn of its loop; after a job the answer came
        a moment ago with the IDLE state (execute_job). A suspension still goes to RQ's own wait."""
        seen, self._suspended_seen = self._suspended_seen, None
        if seen is not None and not seen[1] and time.monotonic() - seen[0] < BEAT_FRESH_S:
            return
        super().check_for_suspension(burst)

    def _hand_over(self, job: Job, queue: Queue, execution: Execution) -> None:
        """Send the job to the horse, first starting one if there is none or it died while idle.
        The job goes as the hash the worker holds (dequeued, then marked started), the execution
        as its fields: RQ's per-job horse inherits both in memory; fetching them cost the horse
        two round trips a job."""
        encode = self.connection.get_encoder().encode
        message = json.dumps({
            "job": job.id, "queue": queue.name,
            "hash": {key: base64.b64encode(encode(value)).decode() for key, value in job.to_dict().items()},
            "execution": {"id": execution.id, "created_at": execution.created_at.timestamp(),
                          "last_heartbeat": execution.last_heartbeat.timestamp()},
        }).encode() + b"\n"
        for _ in range(2):
            if self._horse_pid and self._reaped_without_waiting():
                self.log.warning("work horse %s had died while idle (%s); starting another", self._horse_pid,
                            _describe(self._horse_status[1]))
                self._forget_horse()
            if not self._horse_pid:
                self._start_horse()
            try:
                _write_all(self._to_horse, message)
                return
            except BrokenPipeError:
                self.kill_horse()
                self._reap()
                self._forget_horse()
        raise RuntimeError("could not hand a job to a fresh work horse")

    def _start_horse(self) -> None:
        commands_r, commands_w = os.pipe()
        replies_r, replies_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgrp()      # the horse and what it starts (tesseract) are killed together
                os.close(commands_w)
                os.close(replies_r)
                self._horse_loop(commands_r, replies_w)
            except BaseException:   # noqa: BLE001 - whatever it was, the worker sees status 1
                self.log.exception("work horse %s: stopping on an error outside a job's own handling", os.getpid())
            finally:
                os._exit(1)
        os.close(commands_r)
        os.close(replies_w)
        self._horse_pid, self._to_horse, self._from_horse = pid, commands_w, replies_r
        self._horse_jobs, self._horse_status = 0, None
        self.log.info("worker %s: work horse %s started", self.name, pid)

    def monitor_horse(self, job: Job, queue: Queue, execution: Execution) -> None:
        """Wait for the horse's reply, beating meanwhile; kill it when the job outlives its
        timeout by `kill_grace_s` (stuck where RQ's SIGALRM cannot land)."""
        job.started_at = now()
        timeout = job.timeout or self.queue_class.DEFAULT_TIMEOUT
        reply, timed_out = None, False
        while True:
            # wake for the next heartbeat, or at the kill deadline if that comes first
            left_s = timeout + self.kill_grace_s - (now() - job.started_at).total_seconds()
            wait_s = self.job_monitoring_interval if timeout == -1 else max(0.05, min(self.job_monitoring_interval,
                                                                                      left_s + 0.05))
            ready, _, _ = select.select([self._from_horse], [], [], wait_s)
            if ready:
                data = os.read(self._from_horse, 4096)     # one reply, written at once (< PIPE_BUF)
                reply = json.loads(data) if data else None
                break
            if self._reaped_without_waiting():          # dead, its pipe held open by a grandchild
                break
            working_s = (now() - job.started_at).total_seconds()
            if timeout != -1 and working_s >= timeout + self.kill_grace_s:
                self.log.warning("worker %s: job %s ran %.0f s, past its timeout of %s s; killing its work horse %s",
                            self.name, job.id, working_s, timeout, self._horse_pid)
                self.kill_horse(signal.SIGKILL)
                self.heartbeat(self.job_monitoring_interval + 60)
                timed_out = True
                break
            self.maintain_heartbeats(job, execution)
        self.executions.pop(execution.id, None)
        if reply is not None:
            self._horse_jobs += 1
            self._recycle_if_due(reply)
            return
        self._horse_died(job, queue, execution, timed_out)

    def _recycle_if_due(self, reply: dict) -> None:
        if self._horse_jobs >= self.max_jobs:
            reason = f"it ran {self._horse_jobs} jobs"
        elif reply["rss"] > self.max_rss_bytes:
            reason = f"it holds {reply['rss'] / 2**20:.0f} MB"
        elif not reply["clean"]:
            reason = "its job timed out"
        else:
            return
        self.log.info("worker %s: retiring work horse %s: %s", self.name, self._horse_pid, reason)
        self.retire_horse()

    def _horse_died(self, job: Job, queue: Queue, execution: Execution, timed_out: bool) -> None:
        """The horse died mid-job (killed at the timeout, a segfault, the OOM killer, a stop
        command): what RQ's `monitor_work_horse` does for a per-job horse that did not exit 0."""
        self.kill_horse(signal.SIGKILL)          # anything it started goes with it
        retpid, ret_val, rusage = self._reap()
        self._forget_horse()
        try:
            status = job.get_status()
        except InvalidJobOperation:
            return                                 # finished, and its result already expired
        if self._stopped_job_id == job.id:
            self._handle_stopped_job(job, queue, execution)
            return
        if status in (JobStatus.FINISHED, JobStatus.FAILED):
            return                                 # it died after recording the job's end
        job.ended_at = now()
        if timed_out:
            # not retried: the same job would be stuck again and hold a worker each time
            job.retries_left = 0
            exc_string = (f"Job exceeded its timeout of {job.timeout} s and did not stop (stuck outside "
                          f"Python); its work horse was killed {self.kill_grace_s} s later")
        else:
            exc_string = f"Work horse died mid-job ({_describe(ret_val)})"
        self.log.warning("worker %s: job %s failed: %s", self.name, job.id, exc_string)
        self.handle_work_horse_killed(job, retpid, ret_val, rusage)
        self.handle_job_failure(job, queue=queue, exc_string=exc_string, execution=execution)

    def _reaped_without_waiting(self) -> bool:
        if self._horse_status is None:
            try:
                pid, status, rusage = os.wait4(self._horse_pid, os.WNOHANG)
            except ChildProcessError:
                pid, status, rusage = self._horse_pid, 0, None
            if pid:
                self._horse_status = (pid, status, rusage)
        return self._horse_status is not None

    def _reap(self) -> tuple[int, int, Any]:
        if self._horse_status is None:
            try:
                self._horse_status = os.wait4(self._horse_pid, 0)
            except ChildProcessError:
                self._horse_status = (self._horse_pid, 0, None)
        return self._horse_status

    def _forget_horse(self) -> None:
        for fd in (self._to_horse, self._from_horse):
            if fd >= 0:
                os.close(fd)
        self._to_horse = self._from_horse = -1
        self._horse_pid = 0

    def retire_horse(self, wait_s: float = 10.0) -> None:
        """Let an idle horse exit (end of its commands), reap it; kill it if it does not go."""
        if not self._horse_pid:
            return
        os.close(self._to_horse)
        self._to_horse = -1
        deadline = time.monotonic() + wait_s
        while not self._reaped_without_waiting() and time.monotonic() < deadline:
            time.sleep(0.005)
        if self._horse_status is None:
            self.kill_horse(signal.SIGKILL)
            self._reap()
        self._forget_horse()

    def kill_horse(self, sig: signal.Signals = signal.SIGKILL) -> None:
        if not self._horse_pid:
            return
        try:
            os.killpg(self._horse_pid, sig)
        except OSError as exc:
            if exc.errno not in (errno.ESRCH, errno.EPERM):
                raise

    def wait_for_horse(self) -> tuple[int | None, int | None, Any]:
        return self._reap() if self._horse_pid else (None, None, None)

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            if not self.is_horse:
                self.retire_horse()

    # --- the horse's side --------------------------------------------------------------------

    def _horse_loop(self, commands: int, replies: int) -> None:
        """Run jobs until the worker closes the pipe. Any error outside a job's own handling ends
        the horse with status 1: the worker then treats the job as a horse that died."""
        random.seed()
        self.setup_work_horse_signals()
        self._is_horse = True
        self._horse_pid = 0
        while True:
            # one order at a time (the next comes after this one's reply); it carries the job's
            # hash, so it may be longer than a read: gathered in a bytearray, not rescanned
            order_bytes = bytearray()
            while True:
                chunk = os.read(commands, 1 << 16)
                if not chunk:
                    os._exit(0)            # the worker retired this horse (or is gone)
                order_bytes += chunk
                if chunk.endswith(b"\n"):
                    break
            order = json.loads(order_bytes)
            job = self.job_class(order["job"], connection=self.connection, serializer=self.serializer)
            job.restore({key.encode(): base64.b64decode(value) for key, value in order["hash"].items()})
            queue = self.queue_class(order["queue"], connection=self.connection, job_class=self.job_class,
                                     serializer=self.serializer, death_penalty_class=self.death_penalty_class)
            sent = order["execution"]
            execution = Execution(sent["id"], job.id, connection=self.connection, worker_name=self.name)
            execution.created_at = datetime.fromtimestamp(sent["created_at"], tz=timezone.utc)
            execution.last_heartbeat = datetime.fromtimestamp(sent["last_heartbeat"], tz=timezone.utc)
            execution._job = job
            self.executions = {execution.id: execution}
            os.environ["RQ_JOB_ID"] = job.id
            _NotedDeathPenalty.fired = False
            self.perform_job(job, queue, execution)
            reply = {"job": job.id, "rss": resident_bytes(), "clean": not _NotedDeathPenalty.fired}
            os.write(replies, json.dumps(reply).encode())

    def prepare_job_execution(self, job: Job, remove_from_intermediate_queue: bool = False) -> None:
        """Nothing left to send: the worker wrote RQ's preparation in prepare_execution."""
        self.procline(f"Processing {job.func_name} from {job.origin} since {time.time()}")

    def handle_execution_ended(self, job: Job, queue: Queue, heartbeat_ttl: int) -> None:
        """RQ's, but the job's heartbeat (one round trip of its own, before the callback) goes in
        the transaction that records the job's end (cleanup_execution); meanwhile the worker
        keeps beating for the job (monitor_horse)."""
        job.ended_at = now()
        self._job_beat_due = job

    def cleanup_execution(self, job: Job, pipeline, execution: Execution | None = None) -> None:  # noqa: ANN001
        self._send_job_beat(job, pipeline)
        super().cleanup_execution(job, pipeline, execution)

    def _send_job_beat(self, job: Job, pipeline) -> None:  # noqa: ANN001
        if self._job_beat_due is job:
            self._job_beat_due = None
            job.last_heartbeat = now()
            pipeline.hset(job.key, "last_heartbeat", utcformat(job.last_heartbeat))

    def handle_job_success(self, job: Job, queue: Queue, started_job_registry, execution: Execution) -> None:  # noqa: ANN001
        """RQ's `handle_job_success` in one transaction, not three round trips. RQ WATCHes the
        job's dependents, reads them, then writes; here the read is inside the transaction that
        marks the job finished, so a dependent added before it is in the answer and one added after
        sees the job finished and is enqueued by RQ itself. Dependents found (the portal has none)
        are enqueued as RQ does after a failure. A repeating job keeps RQ's own path."""
        if job.repeats_left is not None and job.repeats_left > 0:
            super().handle_job_success(job, queue, started_job_registry, execution)
            return
        with self.connection.pipeline() as pipeline:
            self._send_job_beat(job, pipeline)      # before job.cleanup, which deletes at result_ttl 0
            pipeline.smembers(job.dependents_key)
            dependents_at = len(pipeline) - 1
            self.increment_successful_job_count(pipeline=pipeline)
            self.increment_total_working_time(job.ended_at - job.started_at, pipeline)
            result_ttl = job.get_result_ttl(self.default_result_ttl)
            if result_ttl != 0:
                job._handle_success(result_ttl, pipeline=pipeline, worker_name=self.name, execution_id=execution.id,
                                    execution_started_at=execution.created_at, execution_ended_at=job.ended_at)
            job.cleanup(result_ttl, pipeline=pipeline, remove_from_queue=False)
            job._status = JobStatus.FINISHED
            self.cleanup_execution(job, pipeline=pipeline, execution=execution)
            dependents = pipeline.execute()[dependents_at]
        if dependents:
            self._enqueue_dependents_safely(queue, job)
        release_slot(job)
        self.log.info("Successfully completed job %s in %ss on worker %s", job.id, job.ended_at - job.started_at,
                      self.name)


def _write_all(fd: int, data: bytes) -> None:
    """os.write may write part of a message longer than the pipe's atomic size (PIPE_BUF)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _describe(status: int | None) -> str:
    if status is None:
        return "no exit status"
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status) if os.WIFEXITED(status) else status}"
