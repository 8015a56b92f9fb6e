"""Passports from a spreadsheet on the Products page (procurement): the API's import, up to 1,000
rows answered on the page row by row; larger files go through the API's import job. Also the
template and the exports as downloads for people signed in."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_login import current_user

from portal import audit
from portal.api import exports as api_exports
from portal.api.imports import passport_template
from portal.auth.views import roles_required
from portal.i18n import gettext
from portal.passports import bulk, tabular
from portal.passports.bodies import check_passport_create
from portal.passports.errors import StoreError
from portal.suppliers.service import read_grid
from portal.suppliers.views import MAX_IMPORT_BYTES
from portal.web import db, settings

from .views import STAFF, bp

MAX_ROWS = 1_000


@bp.route("/passports/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def import_passports():  # noqa: ANN201
    results, problem = None, None
    if request.method == "POST":
        results, problem = _import(request.files.get("file"))
    return render_template("products/passport_import.html", results=results, problem=problem,
                           max_rows=MAX_ROWS, max_mb=MAX_IMPORT_BYTES // (1024 * 1024))


def _import(upload: Any) -> tuple[list[dict[str, Any]] | None, str | None]:
    if upload is None or not upload.filename:
        return None, gettext("Choose a CSV or Excel file.")
    content = upload.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        return None, gettext("The file is larger than %(mb)d MB.", mb=MAX_IMPORT_BYTES // (1024 * 1024))
    try:
        items = tabular.grid_items(read_grid(content, tabular.TableError), source_system="portal import")
    except tabular.TableError as exc:
        return None, str(exc)
    if len(items) > MAX_ROWS:
        return None, gettext("The file has %(rows)s passport rows; this page imports up to %(most)s at a time. "
                             "Split the file, or send it to the API's import, which runs larger files in the "
                             "background.", rows="{:,}".format(len(items)), most="{:,}".format(MAX_ROWS))
    results = bulk.create_many(db(), items, current_user.email, settings().public_url,
                               check=check_passport_create)
    counts = bulk.summary(results)
    audit.record(db(), actor=current_user.email, actor_user_id=current_user.id, action="passport.imported",
                 entity="passport_import", entity_id=upload.filename[:100], after=counts)
    db().commit()
    rows = []
    for item, result in zip(items, results):
        row = tabular.row_result(result)
        rows.append({"line": row["row"], "gtin": item.get("gtin", ""),
                     "name": ((item.get("data") or {}).get("product") or {}).get("name", ""),
                     "outcome": "created" if result["status"] == 201 else "error",
                     "message": "; ".join(row.get("messages", []))})
    return rows, None


@bp.get("/passports/template.<fmt>")
@roles_required(*STAFF)
def passport_template_download(fmt: str):  # noqa: ANN201
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return passport_template(fmt)


@bp.get("/passports/export.<fmt>")
@roles_required(*STAFF)
def export_passports(fmt: str):  # noqa: ANN201
    """The API's exports for people signed in; the filters come from the page's form."""
    if fmt not in api_exports.FORMATS + ("epr.csv", "epr.xlsx") or \
            request.args.get("status", "") not in ("", "draft", "published"):
        abort(404)
    try:
        if fmt.startswith("epr."):
            return api_exports.epr_response(fmt[4:])
        return api_exports.passports_response(fmt)
    except StoreError as exc:   # a filter the page's form never sends, typed into the address
        abort(400, exc.message)
