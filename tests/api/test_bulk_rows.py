"""The bulk call's own write path (portal.db.insert_rows, chain.first_links, models.new_ids) stores
and hashes exactly what the single create's ORM path does, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.db import insert_rows
from portal.passports import canonical
from portal.passports.chain import first_links, link_hash, record_hash, verify_chain
from portal.passports.gtin import check_digit
from portal.passports.models import ChainLink, Passport, PassportRevision, new_ids
from portal.passports.store import Change, build_rows
from tests.api.helpers import api_key, gtin, passport_body

PROVENANCE = {"source_system": "ERP-Ø", "source_declaration_id": "D-7", "note": "Zeile „eins“\nzwei",
              "public_reason": "Erstanlage"}


def _body(n: int, **extra: object) -> dict:
    """The same data and provenance for every n (non-ASCII text, keys out of order, floats and
    nulls); GTIN, lot and serial of its own."""
    body = passport_body(1, **PROVENANCE, **extra)
    body.update(gtin=gtin(n), lot=f"L{n}", serial=f"S-{n}")
    body["data"]["product"]["name"] = "Akkuschrauber — grün"
    body["data"]["attributes"] = {"zeta": 1, "alpha": [2.5, None, True], "Ünïcode": "\"quoted\" \\ back"}
    return body


def _raw(session: Session, table: str, passport_id: str, skip: tuple[str, ...]) -> dict:
    """A row as the database holds it (JSON as its stored text), without the columns in `skip`."""
    key = "id" if table == "passport" else "passport_id"
    row = session.execute(text(f"SELECT * FROM {table} WHERE {key} = :id"), {"id": passport_id}).mappings().one()
    texts = session.execute(text(f"SELECT CAST(data AS TEXT) AS data, CAST(changed AS TEXT) AS changed "
                                 f"FROM {table} WHERE {key} = :id"), {"id": passport_id}).mappings().one() \
        if table == "passport_revision" else {}
    return {name: value for name, value in {**row, **texts}.items() if name not in skip}


@pytest.mark.parametrize("status", ["draft", "published"])
def test_a_bulk_row_is_stored_as_a_single_create_stores_it(client, session, status):
    write = {"X-API-Key": api_key(session)}
    single = client.post("/api/v1/passports", json=_body(1, status=status), headers=write)
    assert single.status_code == 201, single.get_json()
    bulk = client.post("/api/v1/passports/bulk", json={"items": [_body(2, status=status)]}, headers=write)
    assert bulk.get_json()["results"][0]["status"] == 201, bulk.get_json()
    ids = [single.get_json()["id"], bulk.get_json()["results"][0]["id"]]
    differ = ("id", "passport_id", "gtin", "lot", "serial", "dl_key", "created_at", "updated_at", "published_at")
    one, other = (_raw(session, "passport", i, differ) for i in ids)
    assert one == other and one["status"] == status
    one, other = (_raw(session, "passport_revision", i, differ) for i in ids)
    assert one == other and "grün" in other["data"]
    # the data's text is the canonical JSON its chain link hashed (encoded once, stored as hashed)
    assert other["data"] == canonical.encode(json.loads(other["data"]))
    for passport_id in ids:
        passport = session.get(Passport, passport_id)
        assert passport.created_at.tzinfo is not None and passport.updated_at == passport.created_at
        assert (passport.published_at is not None) == (status == "published")
        assert verify_chain(session, passport).intact


def test_first_links_hash_as_the_chain_does():
    now = datetime.now(timezone.utc)
    rows = []
    for n in range(12):
        body = _body(n)
        if n % 3 == 0:
            body["note"] = f"a note of its own {n}"       # a row whose frame no other row shares
        if n % 4 == 1:
            body.pop("public_reason")
        _, revision = build_rows(body, Change.from_body("bulk@example.com", body), now=now if n % 5 else None)
        rows.append(revision)
    rows[5]["owners"] = {"materials": {"document_type": "FMD", "source_declaration_id": "D-7"}}
    for row, link in zip(rows, first_links(rows)):
        content_hash = record_hash(PassportRevision(**row))
        assert link["record_hash"] == content_hash
        assert link["hash"] == link_hash("0" * 64, content_hash)
        assert (link["passport_id"], link["position"], link["record_key"]) == (row["passport_id"], 0, "1")


def test_insert_rows_refuses_a_duplicate_as_an_insert_would(client, session):
    write = {"X-API-Key": api_key(session)}
    created = client.post("/api/v1/passports", json=passport_body(1), headers=write).get_json()
    passport, _ = build_rows(passport_body(1), Change("test"), now=datetime.now(timezone.utc))
    with Session(session.get_bind()) as other:
        with pytest.raises(IntegrityError):
            insert_rows(other, Passport.__table__, [passport])
        other.rollback()
    assert [p.id for p in session.exec(select(Passport)).all()] == [created["id"]]


def test_insert_rows_refuses_rows_missing_a_column_with_a_default(app, session):
    link = {"passport_id": "p", "position": 0, "record_kind": "revision", "record_key": "1",
            "record_hash": "0" * 64, "prev_hash": "0" * 64, "hash": "0" * 64}   # no created_at
    with pytest.raises(ValueError, match="created_at"):
        insert_rows(session, ChainLink.__table__, [link])


def test_new_ids_have_uuid4s_form():
    ids = new_ids(500)
    assert len(set(ids)) == 500
    for value in ids:
        parsed = uuid.UUID(value)
        assert parsed.hex == value and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_check_digit_by_the_gs1_rule():
    def by_hand(body: str) -> int:   # weights 3, 1, 3, … from the right
        total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
        return (10 - total % 10) % 10
    rng = random.Random(13)
    for length in range(0, 18):
        for _ in range(50):
            body = "".join(rng.choice("0123456789") for _ in range(length))
            assert check_digit(body) == by_hand(body)
    assert gtin(7).endswith(str(check_digit(gtin(7)[:-1])))
    assert check_digit("400638133393") == 1       # 4006381333931, GS1's own example
    for wrong in ("12a4", "１２３"):
        with pytest.raises(ValueError):
            check_digit(wrong)
