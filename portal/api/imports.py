"""Passports from spreadsheets: GET /passports/template.csv|xlsx (the columns, public), POST
/passports/import (a CSV or XLSX file; up to 1,000 rows answered at once, up to 10,000 as a bulk
job) and GET /passports/import/{id} (the job's progress and results by spreadsheet row).

The rows become PassportCreate bodies (passports/tabular.py) and go through the same bulk
machinery as JSON: same checks, same per-item results, same job table and worker."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, g, jsonify, request
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.exports import tabular_response
from portal.passports import bulk, tabular
from portal.passports.models import BulkJob
from portal.suppliers.service import read_grid
from portal.web import db, settings

from .bulk import own_job
from .blueprint import PUBLIC_ENDPOINTS, actor, after_commit, bp, write_endpoint
from .errors import ApiError
from .schemas import MAX_ASYNC_BULK, MAX_BULK, check_body

PUBLIC_ENDPOINTS.add("api.passport_template")   # a blank template gives nothing away
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/passports/template.<fmt>")
def passport_template(fmt: str):  # noqa: ANN201
    if fmt == "csv":
        return tabular_response("csv", "passports-template", tabular.headers(), [])
    if fmt != "xlsx":
        raise ApiError("NOT_FOUND", "The template comes as template.csv or template.xlsx.")
    return Response(template_xlsx(), mimetype=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="passports-template.xlsx"'})


def template_xlsx() -> bytes:
    """Sheet 1: the columns to fill (imported); sheet 2: what to enter in each (not imported)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Passports"
    sheet.append(tabular.headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("How to fill in")
    guide.append(["Column", "What to enter"])
    for row in tabular.guide_rows():
        guide.append(row)
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 36, 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_items(content: bytes) -> list[dict[str, Any]]:
    """The file's rows as PassportCreate bodies, or VALIDATION for a file that is not a passport sheet."""
    try:
        return tabular.grid_items(read_grid(content, tabular.TableError))
    except tabular.TableError as exc:
        raise ApiError("VALIDATION", str(exc), [{"path": "/file", "message": str(exc)}]) from None


def _check_item(item: dict[str, Any], prefix: str) -> None:
    check_body("PassportCreate", item, prefix)


@bp.post("/passports/import")
@write_endpoint
def import_passports() -> tuple[dict[str, Any], int]:
    upload = request.files.get("file")
    if upload is None:
        raise ApiError("VALIDATION", "Send multipart/form-data with the CSV or XLSX file as `file`.",
                       [{"path": "/file", "message": "required"}])
    content = upload.read(settings().max_upload_bytes + 1)
    if len(content) > settings().max_upload_bytes:
        raise ApiError("PAYLOAD_TOO_LARGE", f"The file is larger than {settings().max_upload_mb} MB.")
    items = read_items(content)
    if len(items) > MAX_ASYNC_BULK:
        raise ApiError("VALIDATION", f"The file has {len(items):,} passport rows; at most {MAX_ASYNC_BULK:,} "
                       "go in one import. Split the file.")
    if len(items) <= MAX_BULK and request.form.get("mode") != "async":
        results = bulk.create_many(db(), items, actor(), settings().public_url, check=_check_item)
        return {**bulk.summary(results), "results": [tabular.row_result(r) for r in results]}, 200
    job = BulkJob(api_key_id=g.api_key.id, actor=actor(), total=len(items), items=items)
    db().add(job)
    after_commit(lambda: bulk.enqueue_bulk_job(job.id))
    return import_json(job, with_results=False), 202


def import_json(job: BulkJob, with_results: bool = True) -> dict[str, Any]:
    """The bulk job's state with results by spreadsheet row and in plain words."""
    out = bulk.job_json(job, settings().public_url, with_results=with_results)
    out["status_url"] = f"{settings().public_url.rstrip('/')}/api/v1/passports/import/{job.id}"
    if with_results:
        out["results"] = [tabular.row_result(r) for r in out["results"]]
    return out


@bp.get("/passports/import/<job_id>")
def import_status(job_id: str):  # noqa: ANN201
    return jsonify(import_json(own_job(job_id, "No such import.")))
