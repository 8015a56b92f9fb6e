"""Supplier companies, their contacts (supplier users) and bulk import."""

from __future__ import annotations

import csv
import io
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pycountry
from sqlmodel import Session, select

from ingestion import ExtractionError, sniff_kind
from portal import audit
from portal.auth.invitations import send_invitation
from portal.auth.models import Role, User
from portal.i18n import N_, gettext
from portal.settings import Settings

from .models import Supplier

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SupplierError(Exception):
    pass


def country_code(text: str) -> Optional[str]:
    """"de", "Germany", "DEU" -> "DE"; None for empty; SupplierError for unknown."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        raise SupplierError(gettext("unknown country “%(country)s”", country=text)) from None


def save_supplier(session: Session, actor: User, name: str, country: str,
                  supplier: Optional[Supplier] = None) -> Supplier:
    name = " ".join((name or "").split())[:200]
    if not name:
        raise SupplierError(gettext("the company name is required"))
    clash = session.exec(select(Supplier).where(Supplier.name == name)).first()
    if clash is not None and (supplier is None or clash.id != supplier.id):
        raise SupplierError(gettext("a supplier named “%(name)s” exists already", name=name))
    before = {"name": supplier.name, "country_code": supplier.country_code} if supplier else None
    supplier = supplier or Supplier(name=name)
    supplier.name, supplier.country_code = name, country_code(country)
    session.add(supplier)
    session.flush()
    audit.record(session, actor=actor.email, actor_user_id=actor.id, action="supplier.saved", entity="supplier",
                 entity_id=supplier.id, before=before, after={"name": supplier.name, "country_code": supplier.country_code})
    return supplier


def invite_contact(session: Session, settings: Settings, actor: User, supplier: Supplier, email: str) -> User:
    """Create (or reuse) the contact's account and e-mail a one-time link to set a password."""
    email = (email or "").strip().lower()
    if not EMAIL.match(email):
        raise SupplierError(gettext("“%(email)s” is not an e-mail address", email=email))
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None and (user.role != Role.supplier.value or user.supplier_id != supplier.id):
        raise SupplierError(gettext("%(email)s already has an account for another company or role", email=email))
    if user is None:
        user = User(email=email, password_hash="", role=Role.supplier.value, supplier_id=supplier.id, active=False)
        user.set_password(secrets.token_urlsafe(24))  # unusable until the invitation sets one
        session.add(user)
        session.flush()
    send_invitation(session, settings, user, supplier.name, created_by=actor)
    audit.record(session, actor=actor.email, actor_user_id=actor.id, action="contact.invited", entity="supplier",
                 entity_id=supplier.id, after={"email": email})
    return user


def set_contact_active(session: Session, actor: User, contact: User, active: bool) -> None:
    if contact.active != active:
        audit.record(session, actor=actor.email, actor_user_id=actor.id, action="contact.access_changed",
                     entity="supplier", entity_id=contact.supplier_id,
                     before={"email": contact.email, "active": contact.active},
                     after={"email": contact.email, "active": active})
        contact.active = active


@dataclass
class ImportRow:
    line: int
    name: str
    outcome: str        # created | updated | invited | error
    message: str = ""


def read_grid(content: bytes, error: type[Exception] = SupplierError) -> list[list]:
    """The first sheet of an XLSX file, or a CSV file (UTF-8 or Latin-1; comma, semicolon or tab),
    as rows of cells; XLSX cells keep their types (numbers, dates). Raises `error` when the content
    is neither."""
    with tempfile.TemporaryDirectory(prefix="import-") as tmp:
        path = Path(tmp) / "import"
        path.write_bytes(content)
        try:
            kind = sniff_kind(path)
        except ExtractionError as exc:
            if exc.code != "unsupported_type":
                raise error(exc.reason) from None
            kind = "csv"
        if kind == "xlsx":
            from ingestion.xlsx.workbook import Workbook
            try:
                with Workbook(path) as book:
                    sheet = book.sheet(book.sheet_names[0])
                    return [list(row) for row in sheet.rows]
            except ExtractionError as exc:
                raise error(exc.reason) from None
        if kind == "csv":
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("latin-1")
            try:
                dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
            except csv.Error:
                dialect = csv.excel   # one column, or nothing to tell the delimiter by
            try:
                return list(csv.reader(io.StringIO(text), dialect))
            except csv.Error as exc:   # e.g. a NUL byte: not a text file
                raise error(gettext("The file cannot be read as CSV (%(reason)s).", reason=exc)) from None
    raise error(gettext("Upload a CSV or Excel (.xlsx) file."))


def read_table(content: bytes, columns: str = N_("(optional: country, contact_email)")) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts keyed by the lower-cased header; `columns` explains the
    expected columns when the header has no "name"."""
    grid = [["" if v is None else str(v) for v in row] for row in read_grid(content)]
    if not grid:
        raise SupplierError(gettext("The file is empty."))
    header = [h.strip().lower().replace(" ", "_") for h in grid[0]]
    if "name" not in header:
        raise SupplierError(gettext("The first row must name the columns; a “name” column is required %(columns)s.",
                                    columns=gettext(columns)))
    return [dict(zip(header, (c.strip() for c in row))) for row in grid[1:5001]]


def import_suppliers(session: Session, settings: Settings, actor: User, content: bytes) -> list[ImportRow]:
    results = []
    for line, row in enumerate(read_table(content), start=2):
        name = row.get("name", "")
        if not any(row.values()):
            continue
        try:
            with session.begin_nested():
                existing = session.exec(select(Supplier).where(Supplier.name == " ".join(name.split()))).first()
                supplier = save_supplier(session, actor, name, row.get("country", ""), existing)
                outcome = "updated" if existing else "created"
                if row.get("contact_email"):
                    invite_contact(session, settings, actor, supplier, row["contact_email"])
                    outcome += ", contact invited"
            results.append(ImportRow(line, name, outcome))
        except SupplierError as exc:
            results.append(ImportRow(line, name, "error", str(exc)))
    return results
