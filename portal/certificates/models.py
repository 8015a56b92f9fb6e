"""The certificate register: one row per approved certificate, and the events about it.

A certificate's state (valid, expiring, expired, superseded, revoked) is never stored: it is
computed from today's date (see states.py). What is stored are facts — dates, who superseded it,
when it was revoked — and what the daily job has already announced, so it announces each thing once.
"""

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

# The tables referenced by foreign keys below, so that a flush resolves them in any process,
# also one that imports this module alone (a job run by hand, a script).
from portal.auth import models as _auth  # noqa: F401
from portal.documents import models as _documents  # noqa: F401
from portal.requests import models as _requests  # noqa: F401
from portal.suppliers import models as _suppliers  # noqa: F401
from portal.timeutil import utcnow

SCHEME_TITLES = {
    "iso_9001": "ISO 9001", "iso_14001": "ISO 14001", "iso_45001": "ISO 45001", "iso_50001": "ISO 50001",
    "gots": "GOTS", "oeko_tex_100": "OEKO-TEX STANDARD 100", "fsc_coc": "FSC Chain of Custody",
    "grs": "GRS", "other": "Other",
}


class Certificate(SQLModel, table=True):
    __table_args__ = (
        Index("ix_certificate_supplier_scheme", "supplier_id", "scheme"),
        Index("ix_certificate_scheme_expiry", "scheme", "expiry_date"),
        Index("ix_certificate_scheme_number", "scheme", "number_key"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id")
    declaration_id: Optional[int] = Field(default=None, foreign_key="declaration.id", unique=True)
    document_id: Optional[int] = Field(default=None, foreign_key="document.id")
    source_sha256: Optional[str] = Field(default=None, max_length=64)
    scheme: str = Field(max_length=40)
    standard: Optional[str] = Field(default=None, max_length=200)
    certificate_number: str = Field(max_length=100)
    number_key: str = Field(max_length=100)     # letters and digits, upper case: how duplicates are found
    holder_name: Optional[str] = Field(default=None, max_length=300)
    holder_address: Optional[str] = Field(default=None, max_length=500)
    holder_country_code: Optional[str] = Field(default=None, max_length=2)
    issuer_name: Optional[str] = Field(default=None, max_length=300)
    scope: Optional[str] = Field(default=None, max_length=4000)
    sites: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    products: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))  # [{part_number, name}]
    issue_date: Optional[date] = None
    expiry_date: date = Field(index=True)
    findings: Optional[Any] = Field(default=None, sa_column=Column(JSON(none_as_null=True)))  # [{code, message}]
    # no index: "IS NULL" matches nearly every row, and an index tempts SQLite into using it
    superseded_by_id: Optional[int] = Field(default=None, foreign_key="certificate.id")
    superseded_at: Optional[datetime] = None
    revoked_at: Optional[datetime] = None
    revoked_reason: Optional[str] = Field(default=None, max_length=1000)
    renewal_request_id: Optional[int] = Field(default=None, foreign_key="declaration_request.id")
    # what the daily job has announced already (not the state, which is always computed)
    announced_state: Optional[str] = Field(default=None, max_length=20)
    last_reminder_key: Optional[str] = Field(default=None, max_length=40)
    approved_by_id: Optional[int] = Field(default=None, foreign_key="user.id")
    approved_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def scheme_title(self) -> str:
        return SCHEME_TITLES.get(self.scheme, self.scheme)

    @property
    def label(self) -> str:
        from portal.i18n import gettext
        return gettext("%(scheme)s certificate %(number)s", scheme=self.standard or self.scheme_title,
                       number=self.certificate_number)

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None and self.revoked_at is None


class CertificateEvent(SQLModel, table=True):
    """certificate.expiring / .expired (also sent as webhooks once those exist), .registered,
    .superseded, .revoked. `dedupe_key` makes the daily job record each state change once, even
    when two runs overlap."""

    __tablename__ = "certificate_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificate.id", index=True)
    event_type: str = Field(max_length=40)
    dedupe_key: str = Field(max_length=120, unique=True)
    on_day: date = Field(index=True)       # the register's "today" when it happened
    payload: Any = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
