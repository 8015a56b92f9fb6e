"""Per-passport hash chains over revisions and lifecycle events.

Every new PassportRevision and LifecycleEvent gets a ChainLink in the same flush (a session hook,
so no write path can forget it; bulk creation, which inserts without the ORM, calls `first_links`).
A link's hash covers the record's canonical content and the previous link's hash: an UPDATE of a
revision row changes its content hash, and `verify_chain` finds the link that no longer matches.
"""

from __future__ import annotations

import hashlib
import json
import operator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Optional, Union

from sqlalchemy import String, and_, cast, event, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from .canonical import encode
from .models import ChainLink, LifecycleEvent, Passport, PassportRevision

GENESIS = "0" * 64   # the previous hash of a chain's first link
Record = Union[PassportRevision, LifecycleEvent]


@lru_cache(maxsize=256)   # a bulk call's thousand rows share one creation time
def _time(value: Optional[datetime]) -> Optional[str]:
    """The same text before the INSERT (aware) and after reading back (SQLite gives naive UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


REVISION_FIELDS = ("passport_id", "number", "status", "data", "owners", "changed", "actor", "source_system",
                   "source_declaration_id", "note", "public_reason", "override_reason", "created_at")
EVENT_FIELDS = ("id", "passport_id", "event_type", "occurred_at", "serial", "location", "note", "actor",
                "evidence", "recorded_by", "recorded_at")
TIMES = ("created_at", "occurred_at", "recorded_at")


_encode = encode   # canonical JSON, as revision data is stored (passports/canonical.py)


def _canonical(kind: str, values: dict[str, Any]) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8) of a record's fields: what the hash covers."""
    content = {name: _time(value) if name in TIMES else value for name, value in values.items()}
    content["kind"] = kind
    return _encode(content).encode("utf-8")


def canonical(record: Record) -> bytes:
    if isinstance(record, PassportRevision):
        return _canonical("revision", {name: getattr(record, name) for name in REVISION_FIELDS})
    return _canonical("event", {name: getattr(record, name) for name in EVENT_FIELDS})


def record_hash(record: Record) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def link_hash(prev_hash: str, content_hash: str) -> str:
    return hashlib.sha256(f"{prev_hash}{content_hash}".encode("ascii")).hexdigest()


def _kind_key(record: Record) -> tuple[str, str]:
    if isinstance(record, PassportRevision):
        return "revision", str(record.number)
    return "event", record.id


def _head(session: OrmSession, passport_id: str) -> tuple[int, str]:
    """(next position, previous hash) of the passport's chain as the database has it now."""
    with session.no_autoflush:
        lock(session, passport_id)
        # execute, not exec: the flush hook gets plain SQLAlchemy sessions too
        last = session.execute(select(ChainLink.position, ChainLink.hash).where(ChainLink.passport_id == passport_id)
                               .order_by(ChainLink.position.desc()).limit(1)).first()
    return (last[0] + 1, last[1]) if last else (0, GENESIS)


def lock(session: OrmSession, passport_id: str) -> None:
    """Make writers to one passport's chain take turns until the commit, so two never link to
    the same head: a no-op UPDATE of the passport row locks the row on PostgreSQL and takes
    SQLite's write lock (where SELECT … FOR UPDATE does nothing). A passport being created has
    no row yet, and nobody else can see it."""
    session.execute(update(Passport.__table__).where(Passport.__table__.c.id == passport_id)
                    .values(version=Passport.__table__.c.version))


def _link(passport_id: str, position: int, prev: str, record: Record) -> ChainLink:
    kind, key = _kind_key(record)
    content_hash = record_hash(record)
    return ChainLink(passport_id=passport_id, position=position, record_kind=kind, record_key=key,
                     record_hash=content_hash, prev_hash=prev, hash=link_hash(prev, content_hash))


def first_links(revision_rows: list[dict[str, Any]],
                data_texts: Optional[list[str]] = None) -> list[dict[str, Any]]:
    """The first links of new passports, as column values (bulk creation's one INSERT per table;
    hashed from the rows themselves: an ORM object per passport would cost more). With
    `data_texts`, each row's data as the canonical JSON text hashed is appended to it: the
    revision's column stores that text (CanonicalJSON), so the data is encoded once.

    What `record_hash` and `link_hash` compute, unrolled for a thousand rows. Encoding each
    revision's data is the part that must be paid per row; the text around it is the same for
    rows that share every field but the data and the passport id (a bulk call's rows share the
    actor, the time, the provenance), so it is encoded once per such group."""
    encode, quote, sha256 = _encode, json.encoder.encode_basestring, hashlib.sha256
    genesis = sha256(GENESIS.encode("ascii"))    # every first link hashes after the same prefix
    shared = operator.itemgetter(*_FRAME_FIELDS)
    frames: dict[tuple[int, ...], Optional[tuple[str, str, str]]] = {}
    keep = data_texts.append if data_texts is not None else None
    links = []
    for row in revision_rows:
        data, passport_id = row["data"], row["passport_id"]
        values = shared(row)
        key = tuple(map(id, values))   # the rows hold these objects, so no id is reused meanwhile
        frame = frames.get(key, False)
        if frame is False:      # a first sighting: a frame pays only once it is seen again
            frames[key] = None
            text = _encode({**dict(zip(_FRAME_FIELDS, map(_timed, _FRAME_FIELDS, values))),
                            "data": data, "passport_id": passport_id, "kind": "revision"})
            if keep is not None:
                keep(encode(data))
        else:
            if frame is None:
                frame = frames[key] = _frame(dict(zip(_FRAME_FIELDS, values)))
            # a text's canonical JSON is what json's own string encoder writes (ids are text)
            data_text = encode(data)
            text = frame[0] + data_text + frame[1] + quote(passport_id) + frame[2]
            if keep is not None:
                keep(data_text)
        content_hash = sha256(text.encode("utf-8")).hexdigest()
        link = genesis.copy()
        link.update(content_hash.encode("ascii"))
        links.append({"passport_id": passport_id, "position": 0, "record_kind": "revision",
                      "record_key": str(row["number"]), "record_hash": content_hash, "prev_hash": GENESIS,
                      "hash": link.hexdigest(), "created_at": row["created_at"]})
    return links


_VARYING = ("data", "passport_id")      # a revision's fields that differ row by row, in sorted order
_FRAME_FIELDS = tuple(name for name in REVISION_FIELDS if name not in _VARYING)


def _timed(name: str, value: Any) -> Any:
    return _time(value) if name in TIMES else value


def _frame(fields: dict[str, Any]) -> tuple[str, str, str]:
    """A revision's canonical text (as `_canonical` writes it: sorted keys, "," and ":") cut
    around the values of _VARYING, which `fields` lacks."""
    content = {name: _timed(name, value) for name, value in fields.items()}
    content["kind"] = "revision"
    pieces, parts = [], []
    for index, name in enumerate(sorted([*content, *_VARYING])):
        label = ("," if index else "{") + _encode(name) + ":"
        if name in _VARYING:
            pieces.append("".join(parts) + label)
            parts = []
        else:
            parts.append(label + _encode(content[name]))
    pieces.append("".join(parts) + "}")
    return pieces[0], pieces[1], pieces[2]


def _order(record: Record) -> tuple[Any, ...]:
    if isinstance(record, PassportRevision):
        return (_time(record.created_at) or "", 0, record.number)
    return (_time(record.recorded_at) or "", 1, record.id)


@event.listens_for(OrmSession, "before_flush")
def _chain_new_records(session: OrmSession, _context: Any, _instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, (PassportRevision, LifecycleEvent))]
    if not new:
        return
    by_passport: dict[str, list[Record]] = {}
    for record in new:
        by_passport.setdefault(record.passport_id, []).append(record)
    for passport_id, records in by_passport.items():
        position, prev = _head(session, passport_id)
        for record in sorted(records, key=_order):
            link = _link(passport_id, position, prev, record)
            session.add(link)
            position, prev = position + 1, link.hash


def backfill(session: Session) -> int:
    """Chain the revisions and events that have no link yet (rows from before chains existed),
    oldest first, after whatever the passport's chain already holds. Returns how many it chained.
    Run by the migration's follow-up command (`passports chain`) and before every Merkle root."""
    # anti-joins: only the unchained rows are read, not every revision's data
    revision_link = and_(ChainLink.passport_id == PassportRevision.passport_id, ChainLink.record_kind == "revision",
                         ChainLink.record_key == cast(PassportRevision.number, String))
    event_link = and_(ChainLink.passport_id == LifecycleEvent.passport_id, ChainLink.record_kind == "event",
                      ChainLink.record_key == LifecycleEvent.id)
    pending: dict[str, list[Record]] = {}
    for record in [*session.exec(select(PassportRevision).outerjoin(ChainLink, revision_link)
                                 .where(ChainLink.id.is_(None))).all(),
                   *session.exec(select(LifecycleEvent).outerjoin(ChainLink, event_link)
                                 .where(ChainLink.id.is_(None))).all()]:
        pending.setdefault(record.passport_id, []).append(record)
    count = 0
    for passport_id, records in sorted(pending.items()):
        position, prev = _head(session, passport_id)
        for record in sorted(records, key=_order):
            link = _link(passport_id, position, prev, record)
            session.add(link)
            position, prev, count = position + 1, link.hash, count + 1
        session.flush()
    return count


@dataclass
class ChainCheck:
    """What recomputing one passport's chain from its rows found."""

    passport_id: str
    length: int = 0
    head: str = GENESIS
    hashes: list[str] = field(default_factory=list)      # recomputed hash per position
    problems: list[str] = field(default_factory=list)    # human sentences; empty when intact

    @property
    def intact(self) -> bool:
        return not self.problems

    def hash_at(self, length: int) -> Optional[str]:
        """The recomputed head of the first `length` links (None if the chain is shorter)."""
        if length == 0:
            return GENESIS
        return self.hashes[length - 1] if 0 < length <= len(self.hashes) else None


def _describe(kind: str, key: str) -> str:
    return f"revision {key}" if kind == "revision" else f"lifecycle event {key}"


def verify_chain(session: Session, passport: Passport) -> ChainCheck:
    """Recompute the chain from the revision and event rows and compare it link by link."""
    check = ChainCheck(passport.id)
    links = session.exec(select(ChainLink).where(ChainLink.passport_id == passport.id)
                         .order_by(ChainLink.position)).all()
    revisions = {str(r.number): r for r in session.exec(
        select(PassportRevision).where(PassportRevision.passport_id == passport.id)).all()}
    events = {e.id: e for e in session.exec(select(LifecycleEvent).where(LifecycleEvent.passport_id == passport.id)).all()}
    prev = GENESIS
    seen: set[tuple[str, str]] = set()
    for position, link in enumerate(links):
        if link.position != position:
            check.problems.append(f"link {position} of the chain is missing")
        record = (revisions if link.record_kind == "revision" else events).get(link.record_key)
        what = _describe(link.record_kind, link.record_key)
        if record is None:
            check.problems.append(f"{what} is chained but its row is gone")
            content_hash = link.record_hash
        else:
            content_hash = record_hash(record)
            if content_hash != link.record_hash:
                check.problems.append(f"{what} was changed after it was recorded")
        if link.prev_hash != prev:
            check.problems.append(f"link {position} does not follow the link before it")
        prev = link_hash(prev, content_hash)
        if link.hash != prev:
            check.problems.append(f"link {position}'s stored hash does not match its content")
        check.hashes.append(prev)
        seen.add((link.record_kind, link.record_key))
    for key in revisions:
        if ("revision", key) not in seen:
            check.problems.append(f"revision {key} is not in the chain")
    for key in events:
        if ("event", key) not in seen:
            check.problems.append(f"lifecycle event {key} is not in the chain")
    check.length, check.head = len(links), prev
    return check

