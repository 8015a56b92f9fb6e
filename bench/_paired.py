"""Ours against a floor, timed in turn (A B A B …) in one process, so the ratio holds while a
shared machine's speed drifts; what the ingestion benchmarks share.

Times are the process's CPU time (time.process_time), not wall time: on a machine shared by
more runnable processes than cores, a call of a few milliseconds is preempted at random and
its wall time says more about the neighbours than about the code. Both sides are single
threaded, so CPU time is the time they would take on an idle core."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def paired_ms(ours: Callable[[], object], floor: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """CPU times in ms of `runs` alternating calls of each, after one warm-up call of each."""
    ours(), floor()
    a, b = [], []
    for _ in range(runs):
        for call, out in ((ours, a), (floor, b)):
            started = time.process_time()
            call()
            out.append((time.process_time() - started) * 1000)
    return a, b


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def line(label: str, ours: list[float], floor: list[float]) -> str:
    """One printed row: ours / floor / ratio of the medians, and the pairs' median ratio."""
    ratio = statistics.median(o / f for o, f in zip(ours, floor))
    return (f"{label}: ours p50 {statistics.median(ours):.1f} ms p95 {p95(ours):.1f} ms | "
            f"floor p50 {statistics.median(floor):.1f} ms | ratio {ratio:.2f}x")
