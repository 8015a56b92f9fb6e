"""Serial-number batches: POST /passports/{id}/serials creates item passports under a product or lot
passport (a count from a start, a list, or a CSV file) and answers with their codes as a ZIP when
asked for application/zip (over 1,000: 202 and a bulk job); GET /passports/{id}/codes.zip gives the codes of its items again, 1,000
a ZIP (a `Link: rel="next"` header names the next page)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, g, request
from sqlalchemy.exc import IntegrityError

from portal.passports import bulk, serials
from portal.passports.models import BulkJob
from portal.passports.models import Passport
from portal.resolver.carriers import CarrierError, codes_zip
from portal.web import db, settings

from .blueprint import actor, bad_text, bp, json_body, require_write
from .errors import ApiError

ZIP = "application/zip"


def _zip(parent: Passport, rows: list[dict[str, Any]], fmt: str, status: int) -> Response:
    try:
        content = codes_zip(serials.code_rows(parent, rows, settings().public_url), fmt)
    except CarrierError as error:
        raise ApiError("VALIDATION", str(error), [{"path": "?type", "message": "svg or png"}]) from None
    response = Response(content, status=status, mimetype=ZIP)
    response.headers["Content-Disposition"] = f'attachment; filename="{serials.zip_name(parent)}"'
    return response


def _request_serials(limit: int = serials.MAX_BACKGROUND) -> tuple[list[str], dict[str, Any]]:
    """The serial numbers and options of a JSON body or of a form with a CSV file."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("csv")
        options = {k: v for k, v in request.form.items() if k in ("status", "type", "count", "start", "prefix")}
        if upload is not None and upload.filename:
            return serials.from_csv(upload.read(), limit), options
        return serials.counted_from_form(options, limit), options
    body = json_body()
    unknown = sorted(set(body) - {"count", "start", "prefix", "serials", "status", "type"})
    if unknown:
        raise ApiError("VALIDATION", f"Unknown field {unknown[0][:40]!r}: a batch has count, start and prefix, "
                       "or serials, and optionally status and type.")
    if "serials" in body:
        if "count" in body:
            raise ApiError("VALIDATION", "Give either count (with start and prefix) or serials, not both.")
        return serials.check(body["serials"], limit), body
    return serials.counted(body.get("count"), body.get("start", "1"), body.get("prefix", ""), limit), body


@bp.post("/passports/<passport_id>/serials")
def create_serials(passport_id: str) -> Response | tuple[dict[str, Any], int]:
    """Not a write_endpoint: the answer may be a ZIP, which an Idempotency-Key replay could not store.
    Running the same batch twice is harmless anyway: existing serials are reported, not duplicated."""
    from .views import passport_or_404
    require_write()
    parent = passport_or_404(passport_id)
    serial_list, options = _request_serials()
    status = options.get("status")
    if status not in (None, "draft", "published"):
        raise ApiError("VALIDATION", "status: draft or published (by default the status of the passport).")
    fmt = options.get("type") or "svg"
    if fmt not in ("svg", "png"):
        raise ApiError("VALIDATION", "type: svg or png, the image type of the codes in the ZIP.")
    if len(serial_list) > serials.MAX_SERIALS:
        return _in_background(parent, serial_list, status, fmt)
    rows = serials.create_items(db(), parent, serial_list, actor(), settings().public_url, status)
    try:
        db().commit()
    except IntegrityError:
        db().rollback()
        raise ApiError("GTIN_EXISTS", "Another request created some of these serial numbers at the same "
                       "time; send the batch again (existing ones are kept).") from None
    if request.accept_mimetypes.best_match([ZIP, "application/json"]) == ZIP:
        return _zip(parent, rows, fmt, 201)
    created = sum(1 for row in rows if row["result"] == "created")
    base = f"{settings().public_url.rstrip('/')}/api/v1/passports/{parent.id}"
    return {"created": created, "existing": len(rows) - created,
            "items": serials.code_rows(parent, rows, settings().public_url),
            "codes_url": f"{base}/codes.zip?type={fmt}"}, 201


def _in_background(parent: Passport, serial_list: list[str], status: Any, fmt: str) -> tuple[dict[str, Any], int]:
    """More than one ZIP's worth: a bulk job creates the items (progress at its status_url); their
    codes come from codes.zip, 1,000 a page, as they appear."""
    job = BulkJob(api_key_id=g.api_key.id, actor=actor(), total=len(serial_list),
                  items=serials.item_bodies(parent, serial_list, status))
    db().add(job)
    db().commit()
    bulk.enqueue_bulk_job(job.id)
    base = f"{settings().public_url.rstrip('/')}/api/v1/passports/{parent.id}"
    return {**bulk.job_json(job, settings().public_url, with_results=False),
            "codes_url": f"{base}/codes.zip?type={fmt}"}, 202


@bp.get("/passports/<passport_id>/codes.zip")
def passport_codes(passport_id: str) -> Response:
    """The QR and DataMatrix codes of a passport's items (or of the item itself) with a manifest."""
    from .views import passport_or_404
    parent = passport_or_404(passport_id)
    if parent.serial:
        rows = [{"serial": parent.serial, "id": parent.id, "result": "existing"}]
        parent = Passport(gtin=parent.gtin, lot=parent.lot)
    else:
        after = request.args.get("after") or None
        if after is not None and bad_text(after):
            raise ApiError("VALIDATION", "after: a serial number, as text.")
        items = serials.items_of(db(), parent, after, limit=serials.MAX_SERIALS + 1)
        if not items:
            raise ApiError("NOT_FOUND", "No serialised items " + (f"after “{after[:40]}”" if after else "yet: create "
                           "them with POST …/serials") + ".")
        rows = [{"serial": item.serial, "id": item.id, "result": "existing"} for item in items[:serials.MAX_SERIALS]]
        if len(items) > serials.MAX_SERIALS:   # one ZIP stays a few seconds of work: page through the rest
            response = _zip(parent, rows, request.args.get("type", "svg"), 200)
            response.headers["Link"] = (f'<{request.base_url}?type={request.args.get("type", "svg")}&after='
                                        f'{quote(rows[-1]["serial"], safe="")}>; rel="next"')
            return response
    return _zip(parent, rows, request.args.get("type", "svg"), 200)
