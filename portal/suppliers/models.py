from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class Supplier(SQLModel, table=True):
    """A supplier company; supplier users belong to exactly one."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    country_code: Optional[str] = Field(default=None, max_length=2)
    created_at: datetime = Field(default_factory=utcnow)
