"""Serial-number batches: item-level passports under a product or lot passport, for serial numbers
counted from a start or listed in a CSV file. No Flask: the API and the procurement page share it."""

from __future__ import annotations

import csv
import io
from typing import Any, Optional

from sqlmodel import Session, select

from portal.i18n import gettext, ngettext

from .bulk import create_many
from .errors import StoreError
from .gtin import digital_link_path, valid_ai82
from .models import Passport

MAX_SERIALS = 1_000   # in one request with its ZIP: codes for 1,000 items take a few seconds
MAX_BACKGROUND = 10_000   # through the API as a bulk job (the bulk machinery's limit)


def counted(count: Any, start: Any = "1", prefix: Any = "", limit: int = MAX_SERIALS) -> list[str]:
    """`count` serial numbers from `start` up, each `prefix` + the number padded to the width of
    `start` ("0001" counts 0001, 0002, …)."""
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= limit:
        raise StoreError("VALIDATION", gettext("count: a whole number from 1 to %(limit)s; send larger batches "
                                               "as several requests.", limit=format(limit, ",")), [{"path": "/count", "message": "out of range"}])
    start, prefix = str(start if start is not None else "1"), str(prefix or "")
    if not start.isascii() or not start.isdigit() or len(start) > 20:
        raise StoreError("VALIDATION", gettext("start: the first serial number, in digits only (e.g. 1 or 0001)."),
                         [{"path": "/start", "message": "not digits"}])
    first, width = int(start), len(start)
    serials = [f"{prefix}{str(first + i).zfill(width)}" for i in range(count)]
    return check(serials, limit)


def counted_from_form(form: Any, limit: int = MAX_SERIALS) -> list[str]:
    """`counted` from a form's text fields count, start and prefix (a page's or a multipart request's)."""
    count = (form.get("count") or "").strip()
    return counted(int(count) if count.isascii() and count.isdigit() else count,
                   (form.get("start") or "").strip() or "1", (form.get("prefix") or "").strip(), limit)


def from_csv(content: bytes, limit: int = MAX_SERIALS) -> list[str]:
    """The serial numbers in the first column of a CSV file (a header cell "serial" is skipped)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StoreError("VALIDATION", gettext("The CSV file is not UTF-8 text.")) from None
    rows = [row for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
    serials = [row[0].strip() for row in rows]
    if serials and serials[0].lower() in ("serial", "serial number", "serial_number"):
        serials = serials[1:]
    return check(serials, limit)


def check(serials: Any, limit: int = MAX_SERIALS) -> list[str]:
    """Every serial valid for GS1 AI (21) and none twice; the whole batch is refused otherwise,
    so a mistyped file creates nothing."""
    if not isinstance(serials, list) or not serials:
        raise StoreError("VALIDATION", gettext("No serial numbers: give a count, or a list (or CSV file) of serial "
                                               "numbers."))
    if len(serials) > limit:
        raise StoreError("VALIDATION", gettext("%(count)s serial numbers: at most %(limit)s in one batch; send larger "
                                               "batches as several requests.", count=format(len(serials), ","),
                                               limit=format(limit, ",")))
    errors, seen = [], set()
    for i, serial in enumerate(serials):
        if not valid_ai82(serial):
            errors.append({"path": f"/serials/{i}", "message": gettext(
                "“%(serial)s” is not a GS1 serial number: up to 20 letters, digits or GS1 punctuation, no spaces "
                "or slashes", serial=str(serial)[:40])})
        elif serial in seen:
            errors.append({"path": f"/serials/{i}", "message": gettext("“%(serial)s” is listed twice", serial=serial)})
        seen.add(serial if isinstance(serial, str) else repr(serial))
    if errors:
        raise StoreError("VALIDATION", ngettext("%(num)d of the serial numbers cannot be used; nothing was created.",
                                                "%(num)d of the serial numbers cannot be used; nothing was created.",
                                                len(errors)),
                         errors[:50])
    return serials


def parent_for_batch(passport: Passport) -> None:
    if passport.serial:
        raise StoreError("VALIDATION", gettext("This passport is already for one serialised item; serial numbers "
                                               "are added to a product or lot passport."))


def item_bodies(parent: Passport, serials: list[str], status: Optional[str] = None) -> list[dict[str, Any]]:
    """Create bodies of the item passports (what a bulk job is given for a large batch)."""
    parent_for_batch(parent)
    lot = {"lot": parent.lot} if parent.lot else {}   # absent, not null: the create schema's shape
    return [{"gtin": parent.gtin, **lot, "serial": serial, "status": status or parent.status, "data": {}}
            for serial in serials]


def create_items(session: Session, parent: Passport, serials: list[str], actor: str, public_url: str,
                 status: Optional[str] = None) -> list[dict[str, Any]]:
    """Item passports for `serials` under `parent` (they inherit its data through the resolver).
    One result per serial: created, or already there (its passport is reused, its code still valid)."""
    # items live in their parent's namespace: a sandbox lot's units are sandbox passports too
    results = create_many(session, item_bodies(parent, serials, status), actor, public_url, sandbox=parent.sandbox)
    clashes = [serial for serial, result in zip(serials, results) if result["status"] == 409]
    existing = dict(session.exec(_under(select(Passport.serial, Passport.id), parent)
                                 .where(Passport.serial.in_(clashes))).all()) if clashes else {}
    out = []
    for serial, result in zip(serials, results):
        if result["status"] == 201:
            out.append({"serial": serial, "result": "created", "id": result["id"]})
        elif result["status"] == 409:
            out.append({"serial": serial, "result": "existing", "id": existing.get(serial)})
        else:   # cannot happen after check(); kept so a future rule shows up instead of vanishing
            out.append({"serial": serial, "result": "failed", "error": result["error"]})
    return out


def items_of(session: Session, parent: Passport, after: Optional[str] = None,
             limit: int = MAX_SERIALS) -> list[Passport]:
    """Up to `limit` live item passports under a product or lot passport, by serial number, those
    after the serial `after` when given (the next page)."""
    query = _under(select(Passport), parent).where(Passport.serial.is_not(None))
    if after:
        query = query.where(Passport.serial > after)
    return list(session.exec(query.order_by(Passport.serial).limit(limit)).all())


def _under(query: Any, parent: Passport) -> Any:
    """Live passports with the parent's GTIN and lot (none when the parent is a product passport),
    in the parent's namespace (live or sandbox)."""
    query = query.where(Passport.gtin == parent.gtin, Passport.deleted_at.is_(None), Passport.sandbox == parent.sandbox)
    return query.where(Passport.lot == parent.lot) if parent.lot else query.where(Passport.lot.is_(None))


def code_rows(parent: Passport, rows: list[dict[str, Any]], public_url: str) -> list[dict[str, Any]]:
    """`rows` (serial, id, result) with the GTIN, lot and Digital Link URI each item's codes carry."""
    root = public_url.rstrip("/")
    return [{**row, "gtin": parent.gtin, "lot": parent.lot,
             "link": f"{root}/{digital_link_path(parent.gtin, parent.lot, row['serial'])}"} for row in rows]


def zip_name(parent: Passport) -> str:
    """A download name made by the server: GTIN and the lot's letters and digits only."""
    return f"codes-{parent.gtin}" + (f"-{''.join(c for c in parent.lot if c.isalnum())}" if parent.lot else "") + ".zip"
