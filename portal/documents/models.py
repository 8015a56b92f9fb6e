from datetime import datetime
from enum import Enum
from typing import Any, Optional

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class DocumentStatus(str, Enum):
    """Extraction state (SPEC §5). The UI translates these codes; they never change meaning."""

    queued = "queued"
    extracting = "extracting"
    extracted = "extracted"
    needs_review = "needs_review"
    failed = "failed"


FINAL_STATUSES = {DocumentStatus.extracted.value, DocumentStatus.needs_review.value,
                  DocumentStatus.failed.value}


class StoredFile(SQLModel, table=True):
    """Uploaded bytes, content-addressed by sha256, kept in the database so that a worker on any
    host needs nothing but DATABASE_URL and REDIS_URL to read them."""

    __tablename__ = "stored_file"

    sha256: str = Field(primary_key=True, max_length=64)
    size_bytes: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Document(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("supplier_id", "sha256", name="uq_document_supplier_sha256"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id", index=True)
    uploaded_by_id: int = Field(foreign_key="user.id")
    sha256: str = Field(foreign_key="stored_file.sha256", max_length=64)
    filename: str = Field(max_length=255)        # display text only; never used as a path
    size_bytes: int
    file_kind: str = Field(max_length=10)        # sniffed from content: pdf | xlsx
    document_type: Optional[str] = Field(default=None, max_length=40)
    status: str = Field(default=DocumentStatus.queued.value, max_length=20, index=True)
    failure_code: Optional[str] = Field(default=None, max_length=40)
    failure_reason: Optional[str] = Field(default=None, max_length=500)
    attempts: int = Field(default=0)
    result: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))    # SPEC §4 output, as extracted
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    extraction_started_at: Optional[datetime] = None
    extracted_at: Optional[datetime] = None
