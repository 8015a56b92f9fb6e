"""Declaration requests (what procurement asks for) and declarations (what a supplier answers).

A declaration's record is edited as a draft; attesting freezes it as a DeclarationVersion
(content hash, time, signatory, IP). Later edits work on the draft and make a new version.
"""

from datetime import date, datetime
from enum import Enum
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from portal.audit.immutable import immutable
from portal.timeutil import utcnow


class RequestStatus(str, Enum):
    open = "open"
    submitted = "submitted"
    in_review = "in_review"
    approved = "approved"
    changes_requested = "changes_requested"
    cancelled = "cancelled"


class DeclarationStatus(str, Enum):
    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    approved = "approved"
    changes_requested = "changes_requested"


class Campaign(SQLModel, table=True):
    """One request sent to many suppliers at once."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    document_type: str = Field(max_length=40)
    due_date: date
    message: Optional[str] = Field(default=None, max_length=4000)
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class DeclarationRequest(SQLModel, table=True):
    __tablename__ = "declaration_request"
    __table_args__ = (Index("ix_declaration_request_status_due", "status", "due_date"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id", index=True)
    campaign_id: Optional[int] = Field(default=None, foreign_key="campaign.id", index=True)
    document_type: str = Field(max_length=40, index=True)
    due_date: date = Field(index=True)
    message: Optional[str] = Field(default=None, max_length=4000)
    products: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))  # [{part_number, name}]
    status: str = Field(default=RequestStatus.open.value, max_length=20)
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: Optional[datetime] = None


class Declaration(SQLModel, table=True):
    """A supplier's answer: filled by form, by upload, or both; reviewed by procurement."""

    id: Optional[int] = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id", index=True)
    request_id: Optional[int] = Field(default=None, foreign_key="declaration_request.id", index=True)
    document_id: Optional[int] = Field(default=None, foreign_key="document.id", index=True)
    document_type: str = Field(max_length=40)
    status: str = Field(default=DeclarationStatus.draft.value, max_length=20, index=True)
    record: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    errors: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    field_notes: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))  # {path: reason}
    review_reason: Optional[str] = Field(default=None, max_length=2000)
    lock_version: int = Field(default=1)      # optimistic locking for concurrent editors
    current_version: int = Field(default=0)   # number of attested versions
    created_by_id: int = Field(foreign_key="user.id")
    reviewed_by_id: Optional[int] = Field(default=None, foreign_key="user.id")
    reviewed_at: Optional[datetime] = None
    submitted_at: Optional[datetime] = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DeclarationVersion(SQLModel, table=True):
    """An attested, frozen submission. Never updated."""

    __tablename__ = "declaration_version"

    id: Optional[int] = Field(default=None, primary_key=True)
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    number: int
    record: Any = Field(sa_column=Column(JSON, nullable=False))
    content_sha256: str = Field(max_length=64)
    source_document_sha256: Optional[str] = Field(default=None, max_length=64)
    signatory_name: str = Field(max_length=200)
    signatory_title: str = Field(max_length=200)
    attested_by_id: int = Field(foreign_key="user.id")
    attested_at: datetime = Field(default_factory=utcnow)
    attested_ip: Optional[str] = Field(default=None, max_length=64)


# an attestation is evidence: a later edit makes a new version, never a changed one
immutable(DeclarationVersion, "attest a new version instead")
