"""The product catalogue: what the company makes, by GTIN and/or part number. Suppliers'
declarations name these products; their passports live in the passport store."""

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class Product(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    gtin: Optional[str] = Field(default=None, max_length=14, unique=True)       # GTIN-14, check digit verified
    part_number: Optional[str] = Field(default=None, max_length=100, unique=True)
    name: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
