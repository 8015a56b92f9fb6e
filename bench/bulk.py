"""POST /passports/bulk's work for 1,000 passports against its floor, paired in one run.

    .venv/bin/python bench/bulk.py [--items 1000] [--runs 5] [--database-url URL]

Ours: parse the JSON body, check the envelope and each item against the API's schemas, build
and insert every passport, revision and first chain link (`portal.passports.bulk.create_many`),
commit. The floor: parse the same body and insert its passport and revision rows with one INSERT
per table, commit. Each run uses new GTINs.

Since revisions are hash-chained (tamper evidence, portal/passports/chain.py) every correct bulk
call must also hash each revision's content and insert its chain link. The floor below does not
do that work: commit db8ca89 said it would (one sha256 over the revision row's sorted-key JSON,
one over the link, one INSERT into the chain table) but its code never had it. So the ratio
counts the chain's hashing and its INSERT as our overhead; a floor with that minimal chain work
measured 1.55-1.67x this one on the 2-core machine (1 December 2026), and ours 0.82-0.85x of
it. Both sides write the passport and revision rows through one statement per table (the floor
a Core INSERT, ours portal.db.insert_rows). A scratch SQLite database unless --database-url is
given (CPU time of this process: with PostgreSQL the server's share is not counted; a PostgreSQL
database must be empty of earlier runs' GTINs, since each run starts from the same numbers).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import tempfile
from pathlib import Path
from uuid import uuid4

from _paired import line, paired_ms

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from api import item  # noqa: E402  (bench/api.py: the same passport bodies)
from portal.db import all_models, get_engine  # noqa: E402
from portal.passports.gtin import digital_link_path  # noqa: E402
from portal.timeutil import utcnow  # noqa: E402

GENESIS = "0" * 64

_numbers = itertools.count(1)


def body(n: int) -> bytes:
    start = next(_numbers) * 10_000
    return json.dumps({"items": [item(start + k) for k in range(n)]}).encode()


def ours(engine, raw: bytes) -> None:  # noqa: ANN001
    from portal.api.schemas import check_body
    from portal.passports.bulk import create_many
    parsed = json.loads(raw)
    check_body("BulkCreate", parsed)
    with Session(engine) as session:
        create_many(session, parsed["items"], "bench", "http://bench.test",
                    check=lambda it, prefix: check_body("PassportCreate", it, prefix))
        session.commit()


def floor(engine, raw: bytes) -> None:  # noqa: ANN001
    from portal.passports.models import Passport, PassportRevision
    parsed = json.loads(raw)
    now = utcnow()
    passports, revisions = [], []
    for it in parsed["items"]:
        pid = uuid4().hex
        passports.append({"id": pid, "gtin": it["gtin"], "dl_key": digital_link_path(it["gtin"], None, None),
                          "status": "draft", "version": 1, "created_at": now, "updated_at": now})
        revisions.append({"passport_id": pid, "number": 1, "status": "draft", "data": it["data"], "actor": "bench",
                          "source_system": "api", "created_at": now})
    with Session(engine) as session:
        session.execute(insert(Passport.__table__), passports)
        session.execute(insert(PassportRevision.__table__), revisions)
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-bulk-')}/bench.db"
    all_models()
    engine = get_engine(url)
    SQLModel.metadata.create_all(engine)
    bodies = iter([body(args.items) for _ in range(2 * args.runs + 2)])
    a, b = paired_ms(lambda: ours(engine, next(bodies)), lambda: floor(engine, next(bodies)), args.runs)
    print(line(f"bulk {args.items} passports", a, b) + " (target ≤ 1.3x)")


if __name__ == "__main__":
    main()
