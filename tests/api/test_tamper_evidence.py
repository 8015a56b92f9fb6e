"""Tamper evidence: per-passport hash chains over revisions and lifecycle events, Merkle roots
over the chain heads, inclusion proofs, and both verify paths (public API and CLI) catching a
row changed directly in the database."""

import hashlib
import json

import pytest
from sqlalchemy import text
from sqlmodel import select

from portal.db import get_engine
from portal.passports import merkle
from portal.passports.chain import GENESIS, verify_chain
from portal.passports.models import ChainLink, MerkleRoot, Passport
from portal.settings import load_settings
from tests.api.helpers import api_key, gtin, passport_body


@pytest.fixture
def write(session):  # noqa: ANN001, ANN201
    return {"X-API-Key": api_key(session)}


def _published(client, write, n, **extra):  # noqa: ANN001, ANN202
    response = client.post("/api/v1/passports", json=passport_body(n, status="published", **extra), headers=write)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _history(client, write):  # noqa: ANN001, ANN202
    """A product passport with three revisions and two events, a lot passport, and a draft."""
    product = client.post("/api/v1/passports", json=passport_body(1), headers=write).get_json()
    client.patch(f"/api/v1/passports/{product['id']}", json={"data": {"product": {
        "name": "Cordless drill 1", "part_number": "DR-1", "description": "18 V"}}}, headers=write)
    client.post(f"/api/v1/passports/{product['id']}/publish", headers=write)
    for event_type in ("MANUFACTURED", "SOLD"):
        client.post(f"/api/v1/passports/{product['id']}/events", json={"event_type": event_type}, headers=write)
    lot = _published(client, write, 2, lot="L-1")
    draft = client.post("/api/v1/passports", json=passport_body(3), headers=write).get_json()
    return product, lot, draft


def _cli(app, *args):  # noqa: ANN001, ANN202
    """`flask passports …`; Click's result.output holds stdout and stderr together."""
    return app.test_cli_runner().invoke(args=["passports", *args])


def _leaf(passport_id, length, head):  # noqa: ANN001, ANN202
    # written out here rather than imported: the published recipe, as a verifier would code it
    return hashlib.sha256(b"\x00" + f"{passport_id}:{length}:{head}".encode()).hexdigest()


def _climb(leaf, path):  # noqa: ANN001, ANN202
    value = bytes.fromhex(leaf)
    for step in path:
        sibling = bytes.fromhex(step["hash"])
        pair = sibling + value if step["position"] == "left" else value + sibling
        value = hashlib.sha256(b"\x01" + pair).digest()
    return value.hex()


def _root_of_yesterday(app, database_url) -> tuple[str, str]:  # noqa: ANN001
    """A root computed now and dated the day before, as the worker's root of yesterday would be."""
    from datetime import timedelta

    from portal.timeutil import utcnow
    assert _cli(app, "merkle-root").exit_code == 0
    day = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%d")
    with get_engine(database_url).begin() as conn:
        conn.execute(text("UPDATE merkle_root SET day = :day"), {"day": day})
        root = conn.execute(text("SELECT root FROM merkle_root")).scalar_one()
    return day, root


def test_every_revision_and_event_is_chained_in_order(client, session, write):
    product, _, _ = _history(client, write)
    links = session.exec(select(ChainLink).where(ChainLink.passport_id == product["id"])
                         .order_by(ChainLink.position)).all()
    assert [(link.record_kind, link.record_key) for link in links][:3] == [
        ("revision", "1"), ("revision", "2"), ("revision", "3")]
    assert [link.record_kind for link in links[3:]] == ["event", "event"]
    assert links[0].prev_hash == GENESIS
    for before, after in zip(links, links[1:]):
        assert after.prev_hash == before.hash
        assert after.hash == hashlib.sha256((before.hash + after.record_hash).encode()).hexdigest()
    check = verify_chain(session, session.get(Passport, product["id"]))
    assert check.intact and check.length == 5 and check.head == links[-1].hash


def test_bulk_created_passports_are_chained(client, session, write):
    response = client.post("/api/v1/passports/bulk", json={"items": [passport_body(10 + i) for i in range(3)]},
                           headers=write)
    assert response.get_json()["created"] == 3
    for passport in session.exec(select(Passport)).all():
        check = verify_chain(session, passport)
        assert check.intact and check.length == 1, check.problems


def test_root_proof_and_public_verify(app, client, session, write):
    product, lot, draft = _history(client, write)
    assert client.get("/api/v1/merkle-roots/latest").status_code == 404   # none yet, and no key needed
    result = _cli(app, "merkle-root")
    assert result.exit_code == 0 and "over 3 passports" in result.output

    latest = client.get("/api/v1/merkle-roots/latest").get_json()
    assert latest["leafCount"] == 3 and latest["anchoredAt"] is None
    proof = client.get(f"/api/v1/passports/{product['id']}/proof", headers=write).get_json()
    assert proof["merkleRoot"] == latest["merkleRoot"] and proof["chainLength"] == 5
    # a verifier recomputes the root from the proof alone
    assert _leaf(product["id"], proof["chainLength"], proof["chainHead"]) == proof["leaf"]
    assert _climb(proof["leaf"], proof["path"]) == latest["merkleRoot"]
    assert client.get(f"/api/v1/passports/{product['id']}/proof").status_code == 401

    verdict = client.get(f"/api/v1/verify/{gtin(1)}").get_json()
    assert verdict["matchesCurrentData"] is True and verdict["proofValid"] is True
    assert verdict["merkleRoot"] == latest["merkleRoot"] and verdict["anchoredAt"] is None
    assert verdict["problems"] == []
    by_lot = client.get(f"/api/v1/verify/{gtin(2)}/lot/L-1").get_json()
    assert by_lot["passportId"] == lot["id"] and by_lot["proofValid"] is True
    assert client.get(f"/api/v1/verify/{gtin(3)}").status_code == 404        # a draft is not public
    bad = client.get("/api/v1/verify/4006381333932")
    assert bad.status_code == 400 and "check digit" in bad.get_json()["error"]["message"]

    # an event after the root: the history still leads to the head the root holds
    client.post(f"/api/v1/passports/{product['id']}/events", json={"event_type": "SERVICED"}, headers=write)
    later = client.get(f"/api/v1/verify/{gtin(1)}").get_json()
    assert later["matchesCurrentData"] is True and later["proofValid"] is True and later["chainLength"] == 6
    cli = _cli(app, "verify")
    assert cli.exit_code == 0, cli.output
    assert "Checked 3 passports" in cli.output and "0 mismatched" in cli.output


@pytest.mark.parametrize("target", ["revision", "event"])
def test_a_row_changed_in_the_database_is_caught_by_both_verify_paths(app, database_url, client, session, write, target):
    product, _, _ = _history(client, write)
    assert _cli(app, "merkle-root").exit_code == 0
    assert _cli(app, "verify", "--gtin", gtin(1)).exit_code == 0
    with get_engine(database_url).begin() as conn:   # behind the application's back, as an intruder would
        if target == "revision":
            forged = json.dumps({"product": {"name": "Cordless drill 1", "part_number": "DR-1",
                                             "description": "made in the EU"}})
            conn.execute(text("UPDATE passport_revision SET data = :data WHERE passport_id = :id AND number = 2"),
                         {"data": forged, "id": product["id"]})
        else:
            conn.execute(text("UPDATE passport_event SET event_type = 'REFURBISHED' WHERE passport_id = :id "
                              "AND event_type = 'SOLD'"), {"id": product["id"]})
    session.expire_all()

    verdict = client.get(f"/api/v1/verify/{gtin(1)}").get_json()
    assert verdict["matchesCurrentData"] is False and verdict["proofValid"] is False
    changed = "revision 2 was changed" if target == "revision" else "was changed after it was recorded"
    assert any(changed in problem for problem in verdict["problems"]), verdict["problems"]
    other = client.get(f"/api/v1/verify/{gtin(2)}/lot/L-1").get_json()
    assert other["matchesCurrentData"] is True and other["proofValid"] is True   # the others are untouched

    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert f"MISMATCH 01/{gtin(1)}" in result.output and "1 mismatched" in result.output
    assert _cli(app, "verify", "--gtin", gtin(2)).exit_code == 0


def test_a_chain_written_when_data_was_stored_as_json_dumps_text_still_verifies(app, database_url, client, session,
                                                                                 write):
    """Revision data is stored as the canonical JSON the chain hashes (passports/canonical.py);
    rows from before hold json.dumps's text (spaces, ASCII escapes, the body's key order), which
    reads back to the same values, so their chains verify as before."""
    product, _, _ = _history(client, write)
    bulk = client.post("/api/v1/passports/bulk", json={"items": [passport_body(9)]}, headers=write).get_json()
    ids = [product["id"], bulk["results"][0]["id"]]
    with get_engine(database_url).begin() as conn:
        rows = conn.execute(text("SELECT id, CAST(data AS TEXT) FROM passport_revision WHERE passport_id IN "
                                 "(:a, :b)"), {"a": ids[0], "b": ids[1]}).all()
        for row_id, stored in rows:
            values = json.loads(stored)
            older = json.dumps(dict(reversed(list(values.items()))))    # as the ORM's serializer wrote it
            assert json.loads(older) == values and older != stored
            conn.execute(text("UPDATE passport_revision SET data = :data WHERE id = :id"), {"data": older, "id": row_id})
    session.expire_all()
    for passport_id in ids:
        assert verify_chain(session, session.get(Passport, passport_id)).intact
    assert _cli(app, "verify", "--gtin", gtin(1)).exit_code == 0


def test_a_deleted_revision_row_is_caught(app, database_url, client, session, write):
    product, _, _ = _history(client, write)
    with get_engine(database_url).begin() as conn:
        conn.execute(text("DELETE FROM passport_revision WHERE passport_id = :id AND number = 1"),
                     {"id": product["id"]})
    session.expire_all()
    problems = verify_chain(session, session.get(Passport, product["id"])).problems
    assert "revision 1 is chained but its row is gone" in problems
    assert _cli(app, "verify", "--gtin", gtin(1)).exit_code == 1


def test_backfill_chains_rows_from_before_the_migration(app, database_url, client, session, write):
    product, _, _ = _history(client, write)
    with get_engine(database_url).begin() as conn:   # as after `db upgrade` on a store with revisions
        conn.execute(text("DELETE FROM passport_chain"))
    session.expire_all()
    passport = session.get(Passport, product["id"])
    assert "revision 1 is not in the chain" in verify_chain(session, passport).problems
    result = _cli(app, "chain")
    assert result.exit_code == 0 and "Chained 7 revisions and lifecycle events" in result.output
    session.expire_all()
    check = verify_chain(session, passport)
    assert check.intact and check.length == 5
    assert "Chained 0" in _cli(app, "chain").output


def test_daily_job_makes_one_root_a_day_and_the_worker_schedules_it(client, session, write):
    _history(client, write)
    assert "over 3 passports" in merkle.daily_root()
    assert "already computed" in merkle.daily_root()
    assert len(session.exec(select(MerkleRoot)).all()) == 1
    from portal.worker import periodic_jobs
    jobs = {name: (func, interval) for name, func, interval in periodic_jobs(load_settings())}
    assert jobs["merkle-root"] == (merkle.daily_root, 3600)


def test_newer_passport_than_the_root_is_not_a_mismatch(app, client, write):
    _published(client, write, 4)
    assert _cli(app, "merkle-root").exit_code == 0
    newer = _published(client, write, 5)
    verdict = client.get(f"/api/v1/verify/{gtin(5)}").get_json()
    assert verdict["matchesCurrentData"] is True and verdict["proofValid"] is False
    assert verdict["merkleRoot"] is None and "next daily root" in verdict["problems"][0]
    missing = client.get(f"/api/v1/passports/{newer['id']}/proof", headers=write)
    assert missing.status_code == 404 and "next daily root" in missing.get_json()["error"]["message"]
    assert _cli(app, "verify").exit_code == 0


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 13])
def test_every_leaf_proves_into_the_root_for_any_tree_size(count):
    leaves = [[f"{i:032x}", i + 1, hashlib.sha256(str(i).encode()).hexdigest()] for i in range(count)]
    levels = merkle.tree_levels([merkle.leaf_hash(*leaf) for leaf in leaves])
    root = levels[-1][0]
    for index, leaf in enumerate(leaves):
        path = merkle.audit_path(levels, index)
        assert _climb(_leaf(*leaf), path) == root
        assert _climb(_leaf(leaf[0], leaf[1], "0" * 64), path) != root   # another head does not fit


def test_concurrent_writes_to_one_passport_keep_one_unbroken_chain(app, client, session, write):
    """Eight events and a change at once: each links to the head the one before it left (the
    passport row is locked while its chain grows), none is lost, none answers an error."""
    from concurrent.futures import ThreadPoolExecutor
    passport = _published(client, write, 20)
    url = f"/api/v1/passports/{passport['id']}"

    def post(i):  # noqa: ANN001, ANN202
        with app.test_client() as own:
            if i == 8:
                return own.patch(url, json={"data": {"product": {"name": "Renamed", "part_number": "R"}}},
                                 headers=write).status_code
            return own.post(f"{url}/events", json={"event_type": "SERVICED", "note": f"visit {i}"},
                            headers=write).status_code

    with ThreadPoolExecutor(max_workers=9) as pool:
        statuses = list(pool.map(post, range(9)))
    assert statuses == [201] * 8 + [200]
    session.expire_all()
    check = verify_chain(session, session.get(Passport, passport["id"]))
    assert check.intact and check.length == 10, check.problems


def test_a_row_altered_and_rechained_is_caught_by_the_earlier_roots(app, database_url, client, session, write):
    """An intruder who also rebuilds the chain (deletes the links, lets the backfill re-chain the
    forged row) gets past the latest root, not past the roots computed before the change: the CLI
    checks every one, the public verify the one a verifier kept (?date= or ?root=)."""
    product, _, _ = _history(client, write)
    day, earlier = _root_of_yesterday(app, database_url)
    with get_engine(database_url).begin() as conn:
        conn.execute(text("UPDATE passport_revision SET note = 'forged' WHERE passport_id = :id AND number = 1"),
                     {"id": product["id"]})
        conn.execute(text("DELETE FROM passport_chain WHERE passport_id = :id"), {"id": product["id"]})
    assert "Chained 5" in _cli(app, "chain").output
    assert _cli(app, "merkle-root").exit_code == 0
    session.expire_all()
    assert verify_chain(session, session.get(Passport, product["id"])).intact   # the new chain is whole
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert f"MISMATCH 01/{gtin(1)}" in result.output and "an earlier root" in result.output
    assert client.get(f"/api/v1/verify/{gtin(1)}").get_json()["proofValid"] is True
    for query in (f"date={day}", f"root={earlier}"):
        verdict = client.get(f"/api/v1/verify/{gtin(1)}?{query}").get_json()
        assert verdict["proofValid"] is False and verdict["merkleRoot"] == earlier
        assert "the history no longer leads to the chain head the Merkle root holds" in verdict["problems"]


def test_item_passports_are_verified_by_serial_with_and_without_lot(app, database_url, client, session, write):
    with_lot = _published(client, write, 4, lot="L-7", serial="SN-1")
    without_lot = _published(client, write, 4, serial="SN+2&b")   # a serial that needs escaping in the path
    assert _cli(app, "merkle-root").exit_code == 0
    one = client.get(f"/api/v1/verify/{gtin(4)}/lot/L-7/serial/SN-1")
    assert one.status_code == 200 and one.headers["X-RateLimit-Limit"] == "60"
    two = client.get(f"/api/v1/verify/{gtin(4)}/serial/SN%2B2%26b").get_json()
    for verdict, passport in ((one.get_json(), with_lot), (two, without_lot)):
        assert verdict["matchesCurrentData"] is True and verdict["proofValid"] is True, verdict
        assert verdict["merkleRoot"] == merkle.latest_root(session).root
        assert passport["id"] in json.dumps(verdict)
    # the lot is part of the item's identity: the same serial under no lot (or another lot) is not it
    assert client.get(f"/api/v1/verify/{gtin(4)}/serial/SN-1").status_code == 404
    missing = client.get(f"/api/v1/verify/{gtin(4)}/lot/L-8/serial/SN-1").get_json()
    assert missing["error"]["message"] == "No published passport for this GTIN, lot and serial number."
    too_long = client.get(f"/api/v1/verify/{gtin(4)}/serial/{'9' * 21}")
    assert too_long.status_code == 400 and too_long.get_json()["error"]["message"] == "serial: at most 20 characters."

    with get_engine(database_url).begin() as conn:   # the item's only revision, changed behind our back
        forged = json.dumps({"product": {"name": "Cordless drill 4", "part_number": "DR-4"}, "note": "forged"})
        conn.execute(text("UPDATE passport_revision SET data = :data WHERE passport_id = :id"),
                     {"data": forged, "id": with_lot["id"]})
    session.expire_all()
    caught = client.get(f"/api/v1/verify/{gtin(4)}/lot/L-7/serial/SN-1").get_json()
    assert caught["matchesCurrentData"] is False and caught["proofValid"] is False
    assert any("revision 1 was changed" in problem for problem in caught["problems"]), caught["problems"]
    untouched = client.get(f"/api/v1/verify/{gtin(4)}/serial/SN%2B2%26b").get_json()
    assert untouched["matchesCurrentData"] is True


def test_public_verify_is_rate_limited_per_address(client, session, write):
    _published(client, write, 1)
    answers = [client.get(f"/api/v1/verify/{gtin(1)}", environ_base={"REMOTE_ADDR": "198.51.100.7"})
               for _ in range(61)]
    assert {a.status_code for a in answers[:60]} == {200}
    limited = answers[60]
    assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "More than 60 requests in a minute from this address" in limited.get_json()["error"]["message"]
    # another address, and keyed API calls, are counted apart
    assert client.get(f"/api/v1/verify/{gtin(1)}", environ_base={"REMOTE_ADDR": "198.51.100.8"}).status_code == 200
    assert client.get("/api/v1/passports", headers=write, environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200


def test_verify_and_proof_against_an_earlier_root_by_value_or_day(app, database_url, client, session, write):
    product, _, _ = _history(client, write)
    day, earlier = _root_of_yesterday(app, database_url)
    client.post(f"/api/v1/passports/{product['id']}/events", json={"event_type": "SERVICED"}, headers=write)
    newer = _published(client, write, 6)
    assert _cli(app, "merkle-root").exit_code == 0
    latest = client.get("/api/v1/merkle-roots/latest").get_json()["merkleRoot"]
    assert latest != earlier

    assert client.get(f"/api/v1/verify/{gtin(1)}").get_json()["merkleRoot"] == latest
    for query in (f"root={earlier}", f"root={earlier.upper()}", f"date={day}"):
        verdict = client.get(f"/api/v1/verify/{gtin(1)}?{query}").get_json()
        assert verdict["merkleRoot"] == earlier, query
        assert verdict["matchesCurrentData"] is True and verdict["proofValid"] is True and verdict["problems"] == []
        assert verdict["anchoredAt"] is None and verdict["chainLength"] == 6   # the history has grown since
    # the proof in that root: a verifier who kept it recomputes it from the five links it held
    proof = client.get(f"/api/v1/passports/{product['id']}/proof?date={day}", headers=write).get_json()
    assert proof["merkleRoot"] == earlier and proof["chainLength"] == 5
    assert _climb(_leaf(product["id"], 5, proof["chainHead"]), proof["path"]) == earlier

    # a passport created after that root is not in it: said, not a mismatch
    later = client.get(f"/api/v1/verify/{gtin(6)}?root={earlier}").get_json()
    assert later["matchesCurrentData"] is True and later["proofValid"] is False and later["merkleRoot"] is None
    assert later["problems"] == [f"the passport is not in the Merkle root of {day}: it was created after that root"]
    missing = client.get(f"/api/v1/passports/{newer['id']}/proof?date={day}", headers=write)
    assert missing.status_code == 404 and day in missing.get_json()["error"]["message"]
    assert client.get(f"/api/v1/verify/{gtin(6)}").get_json()["proofValid"] is True


@pytest.mark.parametrize("query,status,words", [
    ("root=" + "ab" * 32, 404, "No Merkle root with this value"),
    ("date=2001-01-01", 404, "No Merkle root was computed on 2001-01-01"),
    ("root=abc", 400, "root: 64 hexadecimal digits"),
    ("root=" + "g" * 64, 400, "root: 64 hexadecimal digits"),
    ("date=2026-02-30", 400, "date: a day such as 2026-06-01"),
    ("date=yesterday", 400, "date: a day such as 2026-06-01"),
    ("date=2026-06-01&root=" + "ab" * 32, 400, "either root or date"),
])
def test_an_unknown_or_malformed_root_is_said_in_words(app, client, write, query, status, words):  # noqa: ANN001
    _published(client, write, 1)
    assert _cli(app, "merkle-root").exit_code == 0
    answer = client.get(f"/api/v1/verify/{gtin(1)}?{query}")
    assert answer.status_code == status and words in answer.get_json()["error"]["message"], answer.get_json()

