"""The product catalogue: what the company makes, by GTIN and/or part number. Suppliers'
declarations name these products; their passports live in the passport store."""

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class Product(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    gtin: Optional[str] = Field(default=None, max_length=14, unique=True)       # GTIN-14, check digit verified
    part_number: Optional[str] = Field(default=None, max_length=100, unique=True)
    name: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class RmiTemplate(SQLModel, table=True):
    """RMI's blank reporting template (CMRT, EMRT or CRT) that an admin uploaded once; the portal
    fills a copy with the company's own roll-up. Bytes live in stored_file, like uploads."""

    __tablename__ = "rmi_template"

    kind: str = Field(primary_key=True, max_length=8)                    # "cmrt" | "emrt" | "crt"
    sha256: str = Field(foreign_key="stored_file.sha256", max_length=64)
    filename: str = Field(max_length=200)                                # display text only
    version: Optional[str] = Field(default=None, max_length=20)          # as the template states it
    uploaded_by: str = Field(max_length=255)
    uploaded_at: datetime = Field(default_factory=utcnow)


class RmiFillJob(SQLModel, table=True):
    """One request for the company's filled RMI template, done by the worker (it takes seconds, too
    long for a web request). The filled file lives in stored_file; `key` lets a second click on
    the same form join the job already under way instead of starting another."""

    __tablename__ = "rmi_fill_job"

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)                                      # "cmrt" | "emrt" | "crt"
    template_sha256: str = Field(max_length=64)                          # the blank it fills
    company: Any = Field(sa_column=Column(JSON, nullable=False))         # the form as it was sent
    key: str = Field(max_length=64, index=True)
    status: str = Field(default="queued", max_length=20)                 # queued | running | done | failed
    step: Optional[str] = Field(default=None, max_length=200)            # what it is doing, for the page
    smelter_count: Optional[int] = None
    result_sha256: Optional[str] = Field(default=None, foreign_key="stored_file.sha256", max_length=64)
    error: Optional[str] = Field(default=None, max_length=500)
    requested_by: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: Optional[datetime] = None
