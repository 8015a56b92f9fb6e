"""CSV/XLSX downloads of lists, safe against formula injection (a cell starting with = + - @ is
shown as text by spreadsheet programs only when prefixed with ')."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def xlsx_safe(value: Any) -> Any:
    """A cell value XLSX can hold: control characters (which the API accepts in text) become U+FFFD,
    so the cell shows that something was there instead of the whole download failing."""
    value = neutralise(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def tabular_response(fmt: str, name: str, header: list[str], rows: Iterable[list[Any]]) -> Response:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
        return Response(out.getvalue().encode("utf-8-sig"), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([xlsx_safe(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    abort(404)
