"""Run every file of a folder through the extractor: latency per type and field accuracy.

    .venv/bin/python bench/extract.py /path/to/corpus/dev [--repeat 5] [--verbose]

Where NAME.expected.json sits next to NAME, each expected record path is compared with the
extracted one; lists are compared as sets of the fields the expected items show.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingestion import ExtractionError, extract_file  # noqa: E402


def compare(expected: Any, actual: Any, path: str = "") -> tuple[int, int, list[str]]:
    """(right, total, wrong paths) of the expected paths found in `actual`."""
    if isinstance(expected, dict):
        right = total = 0
        wrong: list[str] = []
        for key, value in expected.items():
            sub = actual.get(key) if isinstance(actual, dict) else None
            r, t, w = compare(value, sub, f"{path}/{key}")
            right, total, wrong = right + r, total + t, wrong + w
        return right, total, wrong
    if isinstance(expected, list):
        return _compare_list(expected, actual if isinstance(actual, list) else [], path)
    ok = expected == actual
    return int(ok), 1, [] if ok else [f"{path}: expected {expected!r}, got {actual!r}"]


def _compare_list(expected: list[Any], actual: list[Any], path: str) -> tuple[int, int, list[str]]:
    if not expected:
        ok = not actual
        return int(ok), 1, [] if ok else [f"{path}: expected an empty list, got {len(actual)} items"]
    pool = list(actual)
    right = total = 0
    wrong: list[str] = []
    for item in expected:
        keys = list(item) if isinstance(item, dict) else None
        project = (lambda x: tuple((x or {}).get(k) for k in keys)) if keys else (lambda x: x)  # noqa: E731
        want = project(item)
        total += len(keys) if keys else 1
        match = next((a for a in pool if project(a) == want), None)
        if match is not None:
            pool.remove(match)
            right += len(keys) if keys else 1
            continue
        # Partial credit: the closest remaining item, field by field.
        best = max(pool, key=lambda a: sum(x == y for x, y in zip(project(a), want)), default=None)
        got = project(best) if best is not None else None
        hits = sum(x == y for x, y in zip(got, want)) if keys and got else 0
        right += hits
        wrong.append(f"{path}[]: expected {item!r}, closest {dict(zip(keys, got)) if keys and got else got!r}")
    return right, total, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per file (after one warm-up)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every wrong path")
    args = parser.parse_args(argv)

    files = sorted(p for p in args.folder.iterdir() if p.is_file() and not p.name.endswith(".json"))
    latencies: dict[str, list[float]] = defaultdict(list)
    per_page: dict[str, list[float]] = defaultdict(list)   # PDFs: ms per page
    accuracy: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in files:
        result: dict[str, Any] | None = None
        reason = ""
        for run in range(args.repeat + 1):
            start = time.perf_counter()
            try:
                result = extract_file(path)
            except ExtractionError as exc:
                reason = exc.reason
            elapsed = (time.perf_counter() - start) * 1000
            if run:                              # the first run warms imports and caches
                latencies[_kind(path, result)].append(elapsed)
                if path.suffix.lower() == ".pdf":
                    per_page[_kind(path, result)].append(elapsed / _pages(path))
        expected_path = path.with_name(path.name + ".expected.json")
        if not expected_path.exists():
            print(f"{path.name:40} {'-' if result is None else result['document_type']:12} {reason}")
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        got = {"document_type": result["document_type"], "record": result["record"]} if result else {}
        right, total, wrong = compare(expected, got)
        kind = _kind(path, result)
        accuracy[kind][0] += right
        accuracy[kind][1] += total
        print(f"{path.name:40} {kind:12} {right:4}/{total:<4} {100 * right / total:6.1f}%  {reason}")
        for line in wrong if args.verbose else wrong[:3]:
            print(f"    {line}")

    print(f"\n{'type':14} {'files':>5} {'p50 ms':>8} {'p95 ms':>8} {'accuracy':>9} {'p95 ms/page':>12}")
    for kind in sorted(latencies):
        times = sorted(latencies[kind])
        right, total = accuracy.get(kind, [0, 0])
        acc = f"{100 * right / total:8.1f}%" if total else "        -"
        page = f"{_p95(per_page[kind]):12.1f}" if per_page.get(kind) else ""
        print(f"{kind:14} {len(times) // args.repeat:5} {statistics.median(times):8.1f} {_p95(times):8.1f} {acc} {page}")
    right = sum(r for r, _ in accuracy.values())
    total = sum(t for _, t in accuracy.values())
    if total:
        print(f"{'all':14} {'':5} {'':8} {'':8} {100 * right / total:8.1f}%  ({right}/{total} paths)")
    return 0


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 1
    try:
        return max(1, len(pdf))
    finally:
        pdf.close()


def _kind(path: Path, result: dict[str, Any] | None) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return f"{result['document_type']}" if result else f"failed-{suffix}"


if __name__ == "__main__":
    sys.exit(main())
