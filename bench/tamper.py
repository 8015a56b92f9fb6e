"""Tamper evidence at scale: a Merkle root over N passports' chains, proofs and verification.

    .venv/bin/python bench/tamper.py [--passports 5000] [--database-url URL]

Creates N passports (bulk path, so each gets its first chain link), one revision more and two
lifecycle events on every tenth, then times (CPU time of this process; with PostgreSQL the
server's share is not counted): the root over all chain heads, a proof (first one builds the tree,
later ones reuse it), verifying one passport (chain recomputed + proof), and verifying them all as
`flask passports verify` does. A scratch SQLite database unless --database-url is given.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, SQLModel, select  # noqa: E402

from api import item  # noqa: E402  (bench/api.py: the same passport bodies)
from portal.db import all_models, get_engine  # noqa: E402


def _ms(started: float) -> float:
    return (time.process_time() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passports", type=int, default=5000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        all_models()
        engine = get_engine(url)
        SQLModel.metadata.drop_all(engine)
        SQLModel.metadata.create_all(engine)
        run(engine, args.passports)


def run(engine, count: int) -> None:  # noqa: ANN001
    from portal.passports import lifecycle, merkle, store
    from portal.passports.bulk import create_many
    from portal.passports.models import Passport
    with Session(engine) as session:
        for start in range(0, count, 1000):
            create_many(session, [item(n) for n in range(start, min(count, start + 1000))], "bench", "http://b.test")
        session.commit()
        passports = session.exec(select(Passport).order_by(Passport.id)).all()
        for passport in passports[::10]:
            store.patch(session, passport, {"data": {"product": {"name": "Renamed", "part_number": "X"}}},
                        store.Change("bench"))
            for event_type in ("MANUFACTURED", "SOLD"):
                lifecycle.add_event(session, passport, {"event_type": event_type}, "bench", "http://b.test")
        session.commit()

        started = time.process_time()
        root = merkle.compute_root(session)
        session.commit()
        print(f"merkle root over {root.leaf_count} passports: {_ms(started):.0f} ms")
        started = time.process_time()
        merkle.inclusion_proof(root, passports[0].id)
        print(f"first proof (builds the tree): {_ms(started):.0f} ms")
        timings = []
        for passport in passports[:200]:
            started = time.process_time()
            merkle.inclusion_proof(root, passport.id)
            timings.append(_ms(started))
        print(f"later proofs: p50 {statistics.median(timings):.3f} ms")
        timings = []
        for passport in passports[::max(1, len(passports) // 200)]:
            started = time.process_time()
            verdict = merkle.verify(session, passport, root)
            timings.append(_ms(started))
            assert verdict.proof_valid and verdict.matches_current_data, verdict.problems
        timings.sort()
        print(f"verify one passport: p50 {statistics.median(timings):.2f} ms, "
              f"p95 {timings[int(len(timings) * 0.95) - 1]:.2f} ms")
        started = time.process_time()
        for passport in passports:
            merkle.verify(session, passport, root)
        print(f"verify all {len(passports)} passports: {_ms(started) / 1000:.1f} s")


if __name__ == "__main__":
    main()
