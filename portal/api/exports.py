"""Exports: GET /exports/passports.csv|xlsx|jsonl (filtered by status, category, updated_since;
CSV and JSON lines streamed page by page), GET /exports/epr.csv|xlsx (the EPR report), and
POST /passports/{id}/declaration-of-conformity (an EU DoC as PDF, attached as a document).

Spreadsheet cells are guarded against formula injection (portal/exports.py)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any, Iterator, Optional

from flask import Response, g, request, stream_with_context
from sqlalchemy import func
from sqlmodel import and_, or_, select

from portal.exports import neutralise, tabular_response
from portal.passports import access, epr, store, tabular
from portal.passports.conformity_pdf import Signature, declaration_pdf
from portal.passports.models import Passport, PassportRevision
from portal.web import db, settings

from .blueprint import actor, bad_text, bp, json_body, reader, sandbox, write_endpoint
from .errors import ApiError
from .files import attach_file
from .schemas import check_body
from .strict import parse_time

PAGE = 500
FORMATS = ("csv", "xlsx", "jsonl")


#: what a spreadsheet row needs: no ORM objects, and not the revision's other JSON columns
ROW_COLUMNS = (Passport.id, Passport.created_at, Passport.gtin, Passport.lot, Passport.serial,
               PassportRevision.status, PassportRevision.data)


def _filtered(*selected: Any) -> Any:
    """Live passports with their current revision, by the query's filters (checked by strict.py
    against the document; category compares case-insensitively)."""
    query = (select(*selected)
             .join(PassportRevision, and_(PassportRevision.passport_id == Passport.id,
                                          PassportRevision.number == Passport.version))
             .where(Passport.deleted_at.is_(None), Passport.sandbox == sandbox()))   # a key sees its own namespace only
    args = request.args
    if args.get("status"):
        query = query.where(Passport.status == args["status"])
    if "updated_since" in args:
        query = query.where(Passport.updated_at >= parse_time(args["updated_since"], "updated_since"))
    if args.get("category") and not bad_text(args["category"]):
        category = PassportRevision.data["product"]["category"].as_string()
        query = query.where(func.lower(category) == args["category"].strip().lower())
    return query


def _pages(query: Any) -> Iterator[Any]:
    """Keyset pages of PAGE rows of a `_filtered` query: memory stays flat however many passports
    match. Its first selected column is the Passport, or Passport.id then Passport.created_at.
    The query is built before the answer starts, so a bad filter is a 400, not a broken stream."""
    after = None
    while True:
        page = query
        if after is not None:
            page = page.where(or_(Passport.created_at > after[0],
                                  and_(Passport.created_at == after[0], Passport.id > after[1])))
        rows = db().exec(page.order_by(Passport.created_at, Passport.id).limit(PAGE)).all()
        yield from rows
        if len(rows) < PAGE:
            return
        last = rows[-1]
        after = (last[0].created_at, last[0].id) if isinstance(last[0], Passport) else (last[1], last[0])


def _audience(gtin: Optional[str]) -> access.Audience:
    """What the caller may read of the passports of `gtin` (schemas/passport/access.json): a key's
    scope (a grant reads its own GTIN's restricted data only); staff signed in own the store."""
    return reader(gtin) if g.get("api_key") is not None else "owner"


def _rows(query: Any) -> Iterator[list[Any]]:
    for row in _pages(query):
        yield tabular.passport_row({"gtin": row.gtin, "lot": row.lot, "serial": row.serial, "status": row.status},
                                   access.visible(row.data, _audience(row.gtin)))


@bp.get("/exports/passports.<fmt>")
def export_passports(fmt: str):  # noqa: ANN201
    if fmt not in FORMATS:
        raise ApiError("NOT_FOUND", "Passports export as passports.csv, passports.xlsx or passports.jsonl.")
    return passports_response(fmt)


def passports_response(fmt: str) -> Response:
    """The passports matching the request's filters in `fmt` (one of FORMATS)."""
    disposition = {"Content-Disposition": f'attachment; filename="passports.{fmt}"'}
    if fmt == "xlsx":   # a zip archive: written whole, then sent
        return tabular_response("xlsx", "passports", tabular.headers(), _rows(_filtered(*ROW_COLUMNS)))
    if fmt == "csv":
        stream = _csv_lines(_filtered(*ROW_COLUMNS))
    else:
        stream = _json_lines(_filtered(Passport, PassportRevision))
    mimetype = "text/csv" if fmt == "csv" else "application/jsonl"
    return Response(stream_with_context(stream), mimetype=mimetype, headers=disposition)


def _csv_lines(query: Any) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(tabular.headers())
    yield "\ufeff".encode() + buffer.getvalue().encode()   # the BOM tells Excel it is UTF-8
    for n, row in enumerate(_rows(query), start=1):
        if n % 100 == 1:
            buffer.seek(0)
            buffer.truncate()
        writer.writerow([neutralise(v) for v in row])
        if n % 100 == 0:
            yield buffer.getvalue().encode()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _json_lines(query: Any) -> Iterator[bytes]:
    public_url = settings().public_url
    for passport, revision in _pages(query):
        body = access.visible_record(store.passport_json(passport, revision, public_url), _audience(passport.gtin),
                                     "passport")
        yield (json.dumps(body, ensure_ascii=False) + "\n").encode()


@bp.get("/exports/epr.<fmt>")
def export_epr(fmt: str):  # noqa: ANN201
    if fmt not in ("csv", "xlsx"):
        raise ApiError("NOT_FOUND", "The EPR report comes as epr.csv or epr.xlsx.")
    return epr_response(fmt)


def epr_response(fmt: str) -> Response:
    rows = epr.report_rows(access.visible(row.data, _audience(row.gtin)) for row in _pages(_filtered(*ROW_COLUMNS)))
    return tabular_response(fmt, "epr-report", epr.HEADER, rows)


@bp.post("/passports/<passport_id>/declaration-of-conformity")
@write_endpoint
def declaration_of_conformity(passport_id: str) -> tuple[dict[str, Any], int]:
    """Write the passport's EU declaration of conformity as PDF and attach it (a new revision)."""
    from .views import passport_or_404
    passport = passport_or_404(passport_id)
    body = json_body()
    check_body("DeclarationOfConformity", body)
    revision = store.current_revision(db(), passport)
    signed_on = date.fromisoformat(body["date"]) if body.get("date") else date.today()
    signatory = body["signatory"]
    content = declaration_pdf(revision.data, {"gtin": passport.gtin, "lot": passport.lot, "serial": passport.serial},
                              Signature(signatory["name"], signatory["title"], body["place"], signed_on))
    change = store.Change(actor(), body.get("source_system"), note="EU declaration of conformity generated")
    title = f"EU declaration of conformity {signed_on.isoformat()}"
    new = attach_file(passport, content, "application/pdf", "declaration_of_conformity",
                      {"title": title, "language": "en"}, change)
    return store.passport_json(passport, new, settings().public_url), 201
