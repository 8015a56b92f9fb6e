"""Real documents that companies published (../shared/corpus/real): fields right per kind, and
whether a confidence can be trusted — a reliability table of confidence bucket -> share right.

    .venv/bin/python bench/real.py [--kinds certificate,rohs] [--corpus ../shared/corpus/real]

Runs ../shared/tools/realscore.py (which runs `python -m ingestion extract` on each document and
compares with the hand-checked truth files) and reads its --json output. Skips, with a message,
when ../shared is not beside the project: the documents are not ours to copy into the repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
#: Upper bounds of the confidence buckets; a value of 0.9 or more is a promise (SPEC §4).
BUCKETS = ((0.5, "< 0.5"), (0.7, "0.5–0.7"), (0.9, "0.7–0.9"), (1.01, "≥ 0.9"))
PROMISE = 0.99


def reliability(rows: list[dict]) -> list[tuple[str, int, int]]:
    """(bucket label, values, values right) over every scored field that came with a confidence."""
    table = {label: [0, 0] for _, label in BUCKETS}
    for row in rows:
        for field in (row.get("fields") or {}).values():
            conf = field.get("conf")
            if conf is None:
                continue
            label = next(label for bound, label in BUCKETS if conf < bound)
            table[label][0] += 1
            table[label][1] += bool(field.get("ok"))
    return [(label, *table[label]) for _, label in BUCKETS]


def print_table(rows: list[dict]) -> None:
    print("\nreliability (scored fields that came with a confidence)")
    print(f"{'confidence':12s} {'values':>7s} {'right':>7s} {'share':>7s}")
    for label, count, right in reliability(rows):
        share = f"{100 * right / count:6.1f}%" if count else "      –"
        print(f"{label:12s} {count:7d} {right:7d} {share}")
    blank = sum(1 for row in rows for f in (row.get("fields") or {}).values() if f.get("conf") is None)
    print(f"{'no value':12s} {blank:7d}")
    label, count, right = reliability(rows)[-1]
    if count and right / count < PROMISE:
        print(f"values at {label} are right {100 * right / count:.1f}% of the time: below the "
              f"{100 * PROMISE:.0f}% the confidence promises")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "real")
    ap.add_argument("--tool", type=Path, default=SHARED / "tools" / "realscore.py")
    ap.add_argument("--kinds", default="", help="comma-separated kinds (certificate, rohs, doc, cmrt, other)")
    args = ap.parse_args()
    if not args.corpus.is_dir() or not args.tool.is_file():
        print(f"bench/real.py: skipped — no real-document corpus at {args.corpus} "
              f"(or no {args.tool.name}); it lives in ../shared beside the project")
        return 0
    with tempfile.TemporaryDirectory(prefix="realscore-") as tmp:
        out = Path(tmp) / "score.json"
        command = [sys.executable, str(args.tool), sys.executable, str(ROOT), str(args.corpus), "--json", str(out)]
        if args.kinds:
            command += ["--kinds", args.kinds]
        done = subprocess.run(command, cwd=ROOT)
        if done.returncode != 0 or not out.is_file():
            print(f"bench/real.py: realscore.py failed (exit {done.returncode})")
            return 1
        rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
