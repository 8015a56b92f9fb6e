"""Test-only jobs, importable by a worker process started from the repository root."""

from __future__ import annotations

import os
import signal


def segfault(document_id: int) -> None:
    """A parser crashing in C code: the work horse dies of SIGSEGV mid-job."""
    os.kill(os.getpid(), signal.SIGSEGV)

