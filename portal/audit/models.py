from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow

from .immutable import immutable


class AuditEntry(SQLModel, table=True):
    """One write: who, when, what, before, after, and the source document it concerned."""

    __tablename__ = "audit_entry"

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_user_id: Optional[int] = Field(default=None, foreign_key="user.id")
    actor: str = Field(max_length=254)          # e-mail, "worker" or "api:<key name>"
    action: str = Field(max_length=60)          # document.uploaded, field.corrected, document.approved, …
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=64, index=True)
    field_path: Optional[str] = Field(default=None, max_length=300)
    before: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    after: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    source_sha256: Optional[str] = Field(default=None, max_length=64)


immutable(AuditEntry, "record a new entry instead")
