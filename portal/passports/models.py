"""The passport store: passports (mutable head), immutable revisions, received supplier
declarations, bulk jobs, and the portal's outbox of approved records to push."""

import os
from datetime import datetime
from typing import Any, Optional
from uuid import uuid4

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from portal.audit.immutable import immutable
from portal.timeutil import utcnow

from .canonical import CanonicalJSON


def _new_id() -> str:
    return uuid4().hex


# uuid4's version and variant bits, set on 128 random bits as uuid.UUID(version=4) sets them
_UUID4_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_ids(count: int) -> list[str]:
    """`count` ids of the same form as _new_id (uuid4 hex) from one read of the random source:
    uuid4() builds a UUID object per id, a third of a bulk call's cost of building a row."""
    raw = os.urandom(16 * count)
    return [format(int.from_bytes(raw[i:i + 16], "big") & _UUID4_KEEP | _UUID4_SET, "032x")
            for i in range(0, 16 * count, 16)]


class Passport(SQLModel, table=True):
    """The head of a passport: identity, lifecycle state and the number of its current revision.
    Its data lives in the revisions; GTIN, lot and serial never change after creation."""

    __table_args__ = (
        # A soft-deleted passport frees its GTIN+lot+serial for a new one; the sandbox has its own.
        Index("uq_passport_live_dl_key", "dl_key", "sandbox", unique=True,
              sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL")),
        Index("ix_passport_created_at_id", "created_at", "id"),
    )

    id: str = Field(default_factory=_new_id, primary_key=True, max_length=32)
    gtin: Optional[str] = Field(default=None, max_length=14, index=True)
    lot: Optional[str] = Field(default=None, max_length=20)
    serial: Optional[str] = Field(default=None, max_length=20)
    dl_key: Optional[str] = Field(default=None, max_length=120)   # GS1 Digital Link path, the resolver's key
    part_number: Optional[str] = Field(default=None, max_length=100, index=True)  # copy of data.product.part_number
    status: str = Field(default="draft", max_length=20)            # draft | published
    version: int = Field(default=0)                                # number of the current revision
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: Optional[datetime] = None
    deleted_at: Optional[datetime] = None
    # written by a sandbox key: seen only by sandbox keys, never by the resolver or public pages
    sandbox: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class PassportRevision(SQLModel, table=True):
    """Immutable: every change to a passport is a new row holding the whole data after the change."""

    __tablename__ = "passport_revision"
    __table_args__ = (UniqueConstraint("passport_id", "number"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    passport_id: str = Field(foreign_key="passport.id", index=True, max_length=32)
    number: int
    status: str = Field(default="draft", max_length=20)
    data: Any = Field(sa_column=Column(CanonicalJSON, nullable=False))   # the chain's hashed text
    # {element: {"document_type", "source_declaration_id"}}: which declaration type owns an element
    owners: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    changed: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))  # element names
    actor: str = Field(max_length=254)
    source_system: str = Field(max_length=100)
    source_declaration_id: Optional[str] = Field(default=None, max_length=100, index=True)
    note: Optional[str] = Field(default=None, max_length=2000)
    public_reason: Optional[str] = Field(default=None, max_length=500)   # shown on the public page
    override_reason: Optional[str] = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)


immutable(PassportRevision, "add a new revision instead")


class ReceivedDeclaration(SQLModel, table=True):
    """An approved supplier declaration received by the store, and the passports it updated."""

    __tablename__ = "received_declaration"

    id: Optional[int] = Field(default=None, primary_key=True)
    source_system: str = Field(max_length=100)
    source_declaration_id: str = Field(max_length=100, index=True)
    document_type: str = Field(max_length=40)
    record: Any = Field(sa_column=Column(JSON, nullable=False))
    supplier: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    products: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    applied: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))  # [{passport_id, version}]
    received_at: datetime = Field(default_factory=utcnow)
    # who declared what, so a newer declaration of the same lineage replaces only its own contribution
    lineage: Optional[str] = Field(default=None, max_length=300, index=True)
    declaration_version: Optional[int] = None
    source_sha256: Optional[str] = Field(default=None, max_length=64)
    approved_by: Optional[str] = Field(default=None, max_length=254)
    approved_at: Optional[datetime] = None


class Contribution(SQLModel, table=True):
    """One received declaration's part of one passport. The passport's supplier-owned elements are
    the union over its `current` contributions; `replaced` and `withdrawn` ones stay as history."""

    __tablename__ = "passport_contribution"
    __table_args__ = (UniqueConstraint("passport_id", "received_declaration_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    passport_id: str = Field(foreign_key="passport.id", index=True, max_length=32)
    received_declaration_id: int = Field(foreign_key="received_declaration.id", index=True)
    status: str = Field(default="current", max_length=20)   # current | replaced | withdrawn
    replaced_by_id: Optional[int] = None                     # the contribution that replaced it
    withdrawn_reason: Optional[str] = Field(default=None, max_length=500)
    withdrawn_by: Optional[str] = Field(default=None, max_length=254)
    withdrawn_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)


class PassportFile(SQLModel, table=True):
    """A document attached to passports (PDF or image), stored once under its SHA-256."""

    __tablename__ = "passport_file"

    sha256: str = Field(primary_key=True, max_length=64)
    media_type: str = Field(max_length=60)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class BulkJob(SQLModel, table=True):
    """An asynchronous bulk create. The row is the truth; the RQ job only carries its id."""

    __tablename__ = "bulk_job"

    id: str = Field(default_factory=_new_id, primary_key=True, max_length=32)
    api_key_id: int = Field(foreign_key="api_key.id", index=True)
    actor: str = Field(max_length=254)
    status: str = Field(default="queued", max_length=20)   # queued | running | completed | failed
    total: int = 0
    processed: int = 0
    created: int = 0
    failed: int = 0
    items: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))   # dropped when done
    results: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    error: Optional[str] = Field(default=None, max_length=500)
    webhook_url: Optional[str] = Field(default=None, max_length=2000)   # receives batch.completed
    created_at: datetime = Field(default_factory=utcnow)
    started_at: Optional[datetime] = None
    finished_at: Optional[datetime] = None


class OutboxMessage(SQLModel, table=True):
    """An approved record waiting to be pushed to the passport store over HTTP."""

    __tablename__ = "outbox_message"

    id: Optional[int] = Field(default=None, primary_key=True)
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    payload: Any = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=20, index=True)  # pending|retrying|sent|failed
    attempts: int = Field(default=0)
    last_error: Optional[str] = Field(default=None, max_length=500)
    next_attempt_at: Optional[datetime] = None
    remote_passport_id: Optional[str] = Field(default=None, max_length=64)
    remote_revision: Optional[int] = None
    remote_declaration_id: Optional[str] = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = None


class ReceivedProductRef(SQLModel, table=True):
    """A product a received declaration names (GTIN or part number), so a passport created later
    finds the declarations that concern it without reading every record."""

    __tablename__ = "received_product_ref"
    __table_args__ = (UniqueConstraint("received_declaration_id", "kind", "value"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    received_declaration_id: int = Field(foreign_key="received_declaration.id", index=True)
    kind: str = Field(max_length=10)                   # gtin | part
    value: str = Field(max_length=100, index=True)


class PushAttempt(SQLModel, table=True):
    """The call log: every HTTP request the outbox made to a passport target, with its answer."""

    __tablename__ = "push_attempt"

    id: Optional[int] = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outbox_message.id", index=True)
    target: str = Field(max_length=20)                        # PASSPORT_API_FLAVOUR at the time
    method: str = Field(max_length=10)
    url: str = Field(max_length=500)
    request_id: str = Field(max_length=100)                   # the Idempotency-Key sent
    status_code: Optional[int] = None                         # None: no answer (connection error, timeout)
    duration_ms: int = 0
    error: Optional[str] = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class RemotePassport(SQLModel, table=True):
    """A passport an external target created for us, so later changes to the product update it."""

    __tablename__ = "remote_passport"
    __table_args__ = (UniqueConstraint("target", "gtin"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    target: str = Field(max_length=20)
    gtin: str = Field(max_length=14)
    remote_id: str = Field(max_length=64)
    updated_at: datetime = Field(default_factory=utcnow)


class LifecycleEvent(SQLModel, table=True):
    """Immutable: something that happened to the product of a passport (manufactured, serviced,
    recycled, …), appended by the API. It never changes the passport's data or revisions.
    `serial` names one unit when the passport is a lot or a model."""

    __tablename__ = "passport_event"
    __table_args__ = (Index("ix_passport_event_passport_occurred", "passport_id", "occurred_at"),)

    id: str = Field(default_factory=_new_id, primary_key=True, max_length=32)
    passport_id: str = Field(foreign_key="passport.id", max_length=32)
    event_type: str = Field(max_length=30)
    occurred_at: datetime
    serial: Optional[str] = Field(default=None, max_length=20)
    location: Optional[str] = Field(default=None, max_length=200)
    note: Optional[str] = Field(default=None, max_length=2000)
    actor: Optional[str] = Field(default=None, max_length=254)        # who did it (a repairer, a recycler)
    evidence: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))  # {url, title, sha256}
    recorded_by: str = Field(max_length=254)                          # the API key that recorded it
    recorded_at: datetime = Field(default_factory=utcnow)


immutable(LifecycleEvent, "record a new event instead")


class ChainLink(SQLModel, table=True):
    """Immutable: one link of a passport's hash chain. Each revision and lifecycle event gets one,
    in the order they were written; `hash` = SHA-256(previous hash + SHA-256 of the record's
    canonical content), so changing any record breaks every later link (passports/chain.py)."""

    __tablename__ = "passport_chain"
    __table_args__ = (UniqueConstraint("passport_id", "position"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    # no foreign key: the flush hook adds links beside new passports, and without a relationship
    # the unit of work may insert the link first
    passport_id: str = Field(index=True, max_length=32)
    position: int                                    # 0, 1, 2, … per passport
    record_kind: str = Field(max_length=10)          # revision | event
    record_key: str = Field(max_length=32)           # the revision's number or the event's id
    record_hash: str = Field(max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


immutable(ChainLink, "the chain only grows")


class MerkleRoot(SQLModel, table=True):
    """Immutable: a Merkle root over every passport's chain head at one moment (daily, and on
    demand from the CLI). `leaves` keeps [passport id, chain length, head hash] in leaf order, so
    an inclusion proof can be given for any passport later. Not anchored on any ledger."""

    __tablename__ = "merkle_root"

    id: Optional[int] = Field(default=None, primary_key=True)
    day: str = Field(max_length=10, index=True)      # UTC date it was computed, YYYY-MM-DD
    root: str = Field(max_length=64)
    leaf_count: int
    leaves: Any = Field(sa_column=Column(JSON, nullable=False))
    computed_at: datetime = Field(default_factory=utcnow)
    anchored_at: Optional[datetime] = None           # set only if the root is ever anchored externally


immutable(MerkleRoot, "compute a new root instead")

from . import chain as _chain  # noqa: E402,F401  (its flush hook chains every new revision and event)
