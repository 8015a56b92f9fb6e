"""The spreadsheet side of detection: a Probe that carries the open workbook along.

Opening and vetting a workbook costs tens of milliseconds, so detection and extraction share
one open Workbook instead of each opening the file.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..limits import DEFAULT_LIMITS, Limits
from ..registry import Probe
from .workbook import Workbook

#: Cells every spreadsheet extractor may look at to recognise a template.
# Only small sheets: detection must stay cheap for files that turn out to be something else.
PROBE_CELLS = ("Declaration!D2", "Declaration!J3", "Declaration!D3", "Composition!A1", "Composition!B2")


@dataclass
class XlsxProbe(Probe):
    workbook: Workbook | None = None


def probe_workbook(book: Workbook) -> XlsxProbe:
    cells: dict[str, Any] = {}
    for ref in PROBE_CELLS:
        sheet_name, cell = ref.split("!")
        sheet = book.sheet(sheet_name) if book.find_sheet(sheet_name) else None
        if sheet is not None:
            cells[ref] = sheet.cell(cell)
    return XlsxProbe(kind="xlsx", path=book.path, sheet_names=list(book.sheet_names), cells=cells,
                     workbook=book)


@contextlib.contextmanager
def workbook_for(probe: Probe, path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Workbook]:
    """The probe's open workbook, or a freshly opened one when an extractor is called directly."""
    book = getattr(probe, "workbook", None)
    if book is not None:
        yield book
        return
    with Workbook(path, limits) as book:
        yield book
