"""Test-only jobs, importable by a worker process started from the repository root."""

from __future__ import annotations

import os
import signal
from typing import Any


def segfault(document_id: int) -> None:
    """A parser crashing in C code: the work horse dies of SIGSEGV mid-job."""
    os.kill(os.getpid(), signal.SIGSEGV)



def stuck_in_c(document_id: int) -> None:
    """A parser stuck in C code: RQ's timeout (a SIGALRM exception) never lands; SIGALRM is
    blocked here, as it is in effect while a long C call runs."""
    import time
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(600)


def slow_in_python(document_id: int) -> None:
    """Python code that outlives its timeout: RQ's SIGALRM exception ends it."""
    import time
    time.sleep(600)


def add(a: Any, b: Any) -> Any:
    """Numbers or strings: a job, and its result, of any size."""
    return a + b


def always_fails(label: str) -> None:
    raise ValueError(f"{label} cannot be done")


def count_failure(job, connection, type, value, traceback) -> None:  # noqa: ANN001, A002 - RQ's callback
    """A failure callback that leaves a trace: how often it ran, per job."""
    connection.incr(f"test-failure-callbacks:{job.id}")


def suspend_workers() -> None:
    """`rq suspend` while a job runs: the worker must take no further job."""
    from rq import get_current_job
    from rq.suspension import suspend
    suspend(get_current_job().connection)
