from datetime import datetime
from typing import Optional

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow

ROLES = ("recycler", "repairer", "market_surveillance", "other")
STATUSES = ("pending", "approved", "rejected")


class AccessRequest(SQLModel, table=True):
    """A request for restricted passport data, and the admin's decision. An approved request
    points at the API key it created; the key's secret is made when the e-mail is delivered and
    is stored nowhere (grants.mint_key)."""

    __tablename__ = "access_request"
    __table_args__ = (Index("ix_access_request_address_created", "client_address", "created_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    passport_id: Optional[str] = Field(default=None, foreign_key="passport.id", max_length=32, index=True)
    digital_link: str = Field(max_length=300)         # the page it was asked from, as the requester saw it
    name: str = Field(max_length=200)
    organisation: str = Field(max_length=200)
    email: str = Field(max_length=254, index=True)
    role: str = Field(max_length=30)                   # ROLES
    purpose: str = Field(max_length=2000)
    client_address: Optional[str] = Field(default=None, max_length=64)   # caps requests per sender (grants.py)
    status: str = Field(default="pending", max_length=20, index=True)   # STATUSES
    reason: Optional[str] = Field(default=None, max_length=500)         # why it was rejected
    grant_days: Optional[int] = None
    api_key_id: Optional[int] = Field(default=None, foreign_key="api_key.id")
    decided_by: Optional[str] = Field(default=None, max_length=254)
    decided_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, index=True)
