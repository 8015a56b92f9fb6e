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
"""

from __future__ import annotations

import errno
import json
import os
import random
import select
import signal
import time
from typing import Any

from rq import Worker
from rq.exceptions import InvalidJobOperation
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.queue import Queue
from rq.timeouts import UnixSignalDeathPenalty
from rq.utils import now
from rq.worker import WorkerStatus

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


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

    # --- the worker's side -------------------------------------------------------------------

    def execute_job(self, job: Job, queue: Queue) -> None:
        execution = self.prepare_execution(job)
        self._hand_over(job, queue, execution)
        self.monitor_horse(job, queue, execution)
        self.set_state(WorkerStatus.IDLE)

    def _hand_over(self, job: Job, queue: Queue, execution: Execution) -> None:
        """Send the job to the horse, first starting one if there is none or it died while idle."""
        message = json.dumps({"job": job.id, "queue": queue.name, "execution": execution.id}).encode() + b"\n"
        for _ in range(2):
            if self._horse_pid and self._reaped_without_waiting():
                self.log.warning("work horse %s had died while idle (%s); starting another", self._horse_pid,
                            _describe(self._horse_status[1]))
                self._forget_horse()
            if not self._horse_pid:
                self._start_horse()
            try:
                os.write(self._to_horse, message)
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
        pending = b""
        while True:
            while b"\n" not in pending:
                chunk = os.read(commands, 4096)
                if not chunk:
                    os._exit(0)            # the worker retired this horse (or is gone)
                pending += chunk
            line, pending = pending.split(b"\n", 1)
            order = json.loads(line)
            job = self.job_class.fetch(order["job"], connection=self.connection, serializer=self.serializer)
            queue = self.queue_class(order["queue"], connection=self.connection, job_class=self.job_class,
                                     serializer=self.serializer, death_penalty_class=self.death_penalty_class)
            execution = Execution.fetch(order["execution"], job.id, connection=self.connection)
            execution._job = job
            self.executions = {execution.id: execution}
            os.environ["RQ_JOB_ID"] = job.id
            _NotedDeathPenalty.fired = False
            self.perform_job(job, queue, execution)
            reply = {"job": job.id, "rss": resident_bytes(), "clean": not _NotedDeathPenalty.fired}
            os.write(replies, json.dumps(reply).encode())


def _describe(status: int | None) -> str:
    if status is None:
        return "no exit status"
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status) if os.WIFEXITED(status) else status}"
