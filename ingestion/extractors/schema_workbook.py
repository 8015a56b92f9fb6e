"""Reads back the portal's schema-generated XLSX templates (ingestion/xlsx/schema_template.py),
for every document type that has no hand-written template.

Why one extractor for several types: a document type is still one schema plus one registered
extractor (the one that reads the supplier's own files: RMI workbooks, PDF certificates, ...).
The portal's generic template is a second *format* that every type shares, and its reader is
driven by the schema alone, so it is registered once under its own name (`registry_name`) and
tells the pipeline which type a file is from the file's marker (`claims`). Detection is by that
marker only (score 0.99): an RMI file or the material-composition template never carries it,
and a forced `--type` still reaches this reader when the marker names that type.

Values come back as JSON types per the schema: numbers, booleans from Yes/No, dates from Excel
dates, serial numbers or text as ISO dates. A value that does not convert is kept as typed (with
low confidence) so that schema validation reports it at its own path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import N_, ExtractionError
from ..registry import Extractor, Probe, document_types, register, schema_id
from ..result import Extraction, cell_source, pointer
from ..xlsx.normalise import iso_date, number, text
from ..xlsx.probe import workbook_for
from ..xlsx.schema_template import (
    DECLARATION,
    DEDICATED_TEMPLATES,
    FIRST_DATA_ROW,
    MARKER_CELL,
    MARKER_PREFIX,
    NAMES_ROW,
    POINTER_COL,
    VALUE_COL,
    Leaf,
    SchemaLayout,
    Table,
    humanize,
    schema_layout,
)
from ..xlsx.workbook import Sheet, Workbook, a1

CELL = 0.95          # a value typed into a typed template cell
GUESS = 0.5          # kept as typed because it did not convert; validation will say why
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0"}
NOT_OURS = N_("This workbook is not one of the portal's templates — download the template for the "
            "document type, fill it in and upload it")


def template_marker(book: Workbook) -> str | None:
    """The schema id in a schema template's marker cell (e.g. "cmrt/1"), cached on the workbook."""
    if "schema_template" not in book.memo:
        sheet = book.sheet(DECLARATION) if book.find_sheet(DECLARATION) else None
        raw = text(sheet.cell(MARKER_CELL)) if sheet is not None else None
        book.memo["schema_template"] = raw[len(MARKER_PREFIX):] if raw and raw.startswith(MARKER_PREFIX) else None
    return book.memo["schema_template"]


def template_type(book: Workbook) -> str | None:
    """The document type a schema template was made for, or None for any other workbook."""
    marker = template_marker(book)
    document_type = marker.split("/")[0] if marker else None
    if document_type in document_types() and document_type not in DEDICATED_TEMPLATES:
        return document_type
    return None


@register
class SchemaWorkbookExtractor(Extractor):
    registry_name = "schema_template"
    file_kinds = ("xlsx",)
    sheets_read = (DECLARATION,)      # its tables differ per document type

    def claims(self, probe: Probe) -> str | None:
        book = getattr(probe, "workbook", None)
        return template_type(book) if book is not None else None

    def detect(self, probe: Probe) -> float:
        return 0.99 if self.claims(probe) else 0.0

    def extract(self, path: Path, probe: Probe) -> Extraction:
        with workbook_for(probe, path) as book:
            document_type = template_type(book)
            if document_type is None:
                raise ExtractionError(NOT_OURS, code="unsupported_type")
            ext = Extraction(document_type, schema_id(document_type))
            if template_marker(book) != ext.schema_id:
                ext.warn("/", N_("This template was made for %(marker)s, not the current %(schema)s — please review the "
                                 "values") % {"marker": template_marker(book), "schema": ext.schema_id})
            layout = schema_layout(document_type)
            _read_declaration(book.sheet(DECLARATION), layout, ext)
            for table in layout.tables:
                _read_table(book.sheet(table.sheet), table, ext)
            _fill_consts(layout, ext)
        return ext


def _read_declaration(sheet: Sheet | None, layout: SchemaLayout, ext: Extraction) -> None:
    if sheet is None:
        raise ExtractionError(NOT_OURS, code="unsupported_type")
    fields = layout.fields
    sources: dict[str, dict[str, Any]] = {}
    for row in range(sheet.height):
        where = sheet.at(row, POINTER_COL - 1)
        if not isinstance(where, str) or not where.startswith("/"):
            continue                         # title, header and section rows
        raw, source = sheet.at(row, VALUE_COL - 1), cell_source(sheet.name, a1(row, VALUE_COL - 1))
        leaf = fields.get(where)
        if leaf is None:
            if not _blank(raw):
                ext.warn(where, N_("Row %(row)d: %(where)s is not a field of %(schema)s — ignored")
                         % {"row": row + 1, "where": where, "schema": ext.schema_id})
            continue
        sources[where] = source
        _put(ext, leaf, leaf.path, raw, source)
    # A required field that may be null ("not known") left blank is that null, as long as the
    # object it belongs to is there at all; otherwise the missing object is what to report.
    for where, source in sources.items():
        leaf = fields[where]
        if leaf.required and leaf.nullable and where not in ext.fields and _exists(ext.record, leaf.path[:-1]):
            ext.put(leaf.path, None, confidence=CELL, source=source)


def _read_table(sheet: Sheet | None, table: Table, ext: Extraction) -> None:
    if sheet is None:
        ext.warn(pointer(*table.path), N_('The sheet "%(sheet)s" is missing — its entries could not be read')
                 % {"sheet": table.sheet})
        return
    columns = _columns(sheet, table)
    count = 0
    for row in range(FIRST_DATA_ROW - 1, sheet.height):
        raws = [sheet.at(row, col) for col in columns]
        if all(_blank(raw) for raw in raws):
            continue                         # blank rows between entries are fine
        base = table.path + (count,)
        if table.scalar:
            _put(ext, table.columns[0], base, raws[0], cell_source(sheet.name, a1(row, columns[0])))
        else:
            # In a row that has something, a blank required-but-nullable cell (a smelter without
            # an ID) is that null.
            for leaf, col, raw in zip(table.columns, columns, raws):
                _put(ext, leaf, base + leaf.path, raw, cell_source(sheet.name, a1(row, col)),
                     null_if_blank=leaf.required and leaf.nullable)
            for path, value in table.consts:
                ext.put(base + path, value, confidence=1.0, source=cell_source(DECLARATION, MARKER_CELL))
        count += 1
    if count == 0 and table.required:
        # The supplier saw the list and left it empty: that is the answer "none".
        ext.put(table.path, [], confidence=CELL, source=cell_source(sheet.name, a1(FIRST_DATA_ROW - 1, columns[0])))


def _columns(sheet: Sheet, table: Table) -> list[int]:
    """Zero-based column of each table column: by the hidden names row, else in schema order."""
    names = {text(sheet.at(NAMES_ROW - 1, col)): col
             for col in range(len(sheet.rows[NAMES_ROW - 1]) if sheet.height >= NAMES_ROW else 0)}
    return [names.get("/".join(leaf.path), k) if leaf.path else k for k, leaf in enumerate(table.columns)]


def _put(ext: Extraction, leaf: Leaf, path: tuple[str | int, ...], raw: Any, source: dict[str, Any],
         null_if_blank: bool = False) -> None:
    if _blank(raw):
        if null_if_blank:
            ext.put(path, None, confidence=CELL, source=source)
        return
    value, confidence = convert(leaf, raw)
    ext.put(path, value, confidence=confidence, source=source)


def convert(leaf: Leaf, raw: Any) -> tuple[Any, float]:
    """A non-blank cell value as the JSON type the schema asks for, and how sure that is."""
    kind = leaf.kind
    if kind == "string":
        return (raw.strip() if isinstance(raw, str) else text(raw)), CELL
    typed = text(raw) or ""
    if kind == "enum":
        options = leaf.spec["enum"]
        if raw in options:
            return raw, CELL
        wanted = _fold(typed)
        match = next((v for v in options if wanted in (_fold(str(v)), _fold(humanize(str(v))))), None)
        return (match, CELL) if match is not None else (typed, GUESS)
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw, CELL
        folded = _fold(typed)
        return (True, CELL) if folded in _TRUE else (False, CELL) if folded in _FALSE else (typed, GUESS)
    if kind in ("number", "integer"):
        found = number(raw)
        if found is None:
            return typed, GUESS
        if found.is_integer() and abs(found) < 1e15:
            return int(found), CELL
        return found, (GUESS if kind == "integer" else CELL)
    iso, sure = iso_date(raw)                # kind == "date"
    if iso is None:
        return typed, GUESS
    return iso, CELL if sure >= 0.9 else sure     # 03/04/2026 is read day first, and flagged


def _fill_consts(layout: SchemaLayout, ext: Extraction) -> None:
    """Values fixed by the schema (e.g. template.name "CMRT"): implied by the marker."""
    source = cell_source(DECLARATION, MARKER_CELL)
    for path, value, parents_required in layout.consts:
        if parents_required or _exists(ext.record, path[:-1]):
            ext.put(path, value, confidence=1.0, source=source)


def _exists(record: dict[str, Any], path: tuple[str, ...]) -> bool:
    node: Any = record
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _fold(value: str) -> str:
    return re.sub(r"[\s_\-]+", "_", value.strip().casefold())
