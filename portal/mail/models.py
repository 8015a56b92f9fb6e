from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class OutgoingEmail(SQLModel, table=True):
    """Every e-mail the portal sends is recorded. `dedupe_key` makes a reminder job that runs
    twice send once."""

    __tablename__ = "outgoing_email"

    id: Optional[int] = Field(default=None, primary_key=True)
    to: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    body: str
    kind: str = Field(max_length=40, index=True)        # invitation, request.new, request.reminder, …
    dedupe_key: Optional[str] = Field(default=None, max_length=200, unique=True)
    entity: Optional[str] = Field(default=None, max_length=40)
    entity_id: Optional[str] = Field(default=None, max_length=64)
    status: str = Field(default="pending", max_length=20)  # pending | sent | logged | failed
    error: Optional[str] = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: Optional[datetime] = None
