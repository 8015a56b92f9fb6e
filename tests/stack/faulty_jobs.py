"""Test-only jobs, importable by a worker process started from the repository root."""

from __future__ import annotations

import os
import signal


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
