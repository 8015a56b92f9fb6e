from datetime import datetime
from typing import Any, Optional
from uuid import uuid4

from sqlalchemy import JSON, Column, event
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


def _new_id() -> str:
    return uuid4().hex


class Passport(SQLModel, table=True):
    id: str = Field(default_factory=_new_id, primary_key=True, max_length=32)
    gtin: Optional[str] = Field(default=None, max_length=14, index=True)
    lot: Optional[str] = Field(default=None, max_length=20)
    serial: Optional[str] = Field(default=None, max_length=20)
    status: str = Field(default="draft", max_length=20)
    current_revision: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PassportRevision(SQLModel, table=True):
    """Immutable: every change to a passport is a new row; rows are never updated."""

    __tablename__ = "passport_revision"

    id: Optional[int] = Field(default=None, primary_key=True)
    passport_id: str = Field(foreign_key="passport.id", index=True, max_length=32)
    number: int
    data: Any = Field(sa_column=Column(JSON, nullable=False))
    actor: str = Field(max_length=254)
    source_system: str = Field(max_length=100)
    source_declaration_id: Optional[str] = Field(default=None, max_length=100, index=True)
    note: Optional[str] = Field(default=None, max_length=2000)
    idempotency_key: Optional[str] = Field(default=None, max_length=100, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


@event.listens_for(PassportRevision, "before_update")
def _revisions_are_immutable(*_args: Any) -> None:
    raise ValueError("passport revisions are immutable; add a new revision instead")


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
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = None
