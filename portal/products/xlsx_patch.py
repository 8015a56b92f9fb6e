"""Write a few input cells into an existing .xlsx without loading it into openpyxl.

RMI's blank templates hold ~180,000 cells (look-ups, formulas, validations); openpyxl spends ~14 s
parsing them and ~8 s writing them back to change a few hundred cells, and drops what it does not
model. Here every part of the package is copied byte for byte except the sheets we write to,
where only the rows we touch are rewritten (text as inline strings, so sharedStrings.xml stays as
it is), and workbook.xml, which asks Excel to recalculate on opening.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from typing import Union
from xml.sax.saxutils import escape, quoteattr

from ingestion.xlsx.workbook import a1, parse_a1

Value = Union[str, int, float, dt.date]
_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(rb'\bs="(\d+)"')
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SPANS = re.compile(rb'\sspans="[^"]*"')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"')
_CALC_CHAIN = "xl/calcChain.xml"
_CALC_CHAIN_REF = re.compile(rb'<(?:Override|Relationship)\b[^>]*calcChain\.xml"[^>]*/>')


class PatchError(ValueError):
    """The package is not a workbook we can write into (message for people)."""


def _column(letters: bytes) -> int:
    return parse_a1(letters.decode() + "1")[1]


def _cell_xml(ref: str, value: Value, style: bytes | None) -> bytes:
    s = b' s="' + style + b'"' if style else b""
    if isinstance(value, dt.date):
        return b'<c r="%s"%s><v>%d</v></c>' % (ref.encode(), s, (value - _EXCEL_EPOCH).days)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return b'<c r="%s"%s><v>%s</v></c>' % (ref.encode(), s, repr(value).encode())
    text = escape(str(value)).encode()
    return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref.encode(), s, text)


def _patch_row(row_xml: bytes | None, number: int, cells: dict[str, Value]) -> bytes:
    """The row with these cells written (the template's cell style kept, its formula replaced)."""
    if row_xml is None:
        row_xml = b'<row r="%d"></row>' % number
    elif row_xml.endswith(b"/>"):
        row_xml = row_xml[:-2] + b"></row>"
    head_end = row_xml.index(b">") + 1
    body = row_xml[head_end:-len(b"</row>")]
    # "spans" is only a hint of the row's first and last cell; dropped rather than left wrong
    row_xml = _SPANS.sub(b"", row_xml[:head_end]) + row_xml[head_end:]
    head_end = row_xml.index(b">") + 1
    existing = [(m.group(1), m.group(0)) for m in _CELL.finditer(body)]
    by_col = {_column(letters): xml for letters, xml in existing}
    for ref, value in cells.items():
        col = parse_a1(ref)[1]
        old = by_col.get(col)
        style = _STYLE.search(old[:old.index(b">")]) if old else None
        if old and b'<f t="shared"' in old and b" ref=" in old:
            raise PatchError(f"cell {ref} starts a shared formula; it is not an input cell of RMI's template")
        by_col[col] = _cell_xml(ref, value, style.group(1) if style else None)
    return row_xml[:head_end] + b"".join(by_col[c] for c in sorted(by_col)) + b"</row>"


def patch_sheet(xml: bytes, cells: dict[str, Value]) -> bytes:
    """Sheet XML with these cells (A1 -> value) written; one pass over the sheet."""
    rows: dict[int, dict[str, Value]] = {}
    for ref, value in cells.items():
        rows.setdefault(parse_a1(ref)[0] + 1, {})[ref] = value
    if b"<sheetData/>" in xml:
        xml = xml.replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)
    start, end = xml.find(b"<sheetData>"), xml.find(b"</sheetData>")
    if start < 0 or end < 0:
        raise PatchError("a sheet of the template has no cell data")
    data = xml[start + len(b"<sheetData>"):end]
    out, position, pending = [], 0, sorted(rows)
    for match in _ROW.finditer(data):
        number = int(match.group(1))
        while pending and pending[0] < number:       # rows the template does not have yet
            out.append(data[position:match.start()])
            position = match.start()
            out.append(_patch_row(None, pending[0], rows[pending.pop(0)]))
        if pending and pending[0] == number:
            out.append(data[position:match.start()])
            out.append(_patch_row(match.group(0), number, rows[pending.pop(0)]))
            position = match.end()
    out.append(data[position:])
    out.extend(_patch_row(None, n, rows[n]) for n in pending)
    head = _grow_dimension(xml[:start + len(b"<sheetData>")], cells)
    return head + b"".join(out) + xml[end:]


def _grow_dimension(head: bytes, cells: dict[str, Value]) -> bytes:
    """The sheet's used range (<dimension>) takes in the cells written; readers size the sheet by it."""
    match = _DIMENSION.search(head)
    if match is None or not cells:
        return head
    first = parse_a1(match.group(1).decode())
    last = parse_a1((match.group(2) or match.group(1)).decode())
    written = [parse_a1(ref) for ref in cells]
    rows, cols = [r for r, _c in written], [c for _r, c in written]
    top, left = min(first[0], *rows), min(first[1], *cols)
    bottom, right = max(last[0], *rows), max(last[1], *cols)
    ref = f"{a1(top, left)}:{a1(bottom, right)}".encode()
    return head[:match.start()] + b'<dimension ref="' + ref + b'"' + head[match.end():]


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part's path in the package (from workbook.xml and its relationships)."""
    workbook = package.read("xl/workbook.xml")
    rels = package.read("xl/_rels/workbook.xml.rels")
    targets = {m.group(1): m.group(2) for m in re.finditer(
        rb'<Relationship\b(?=[^>]*\bId="([^"]+)")(?=[^>]*\bTarget="([^"]+)")[^>]*>', rels)}
    parts = {}
    for match in re.finditer(rb'<sheet\b(?=[^>]*\bname="([^"]+)")(?=[^>]*\br:id="([^"]+)")[^>]*>', workbook):
        target = targets.get(match.group(2), b"").decode()
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        name = match.group(1).decode().replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", '"')
        parts[name] = path
    return parts


def write_cells(content: bytes, edits: dict[str, dict[str, Value]]) -> bytes:
    """A copy of the workbook with `edits` ({sheet name: {A1: value}}) written."""
    try:
        source = zipfile.ZipFile(io.BytesIO(content))
        parts = sheet_parts(source)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise PatchError("the template is not a readable .xlsx package") from exc
    missing = [name for name in edits if name not in parts]
    if missing:
        raise PatchError(f"the template has no sheet named {', '.join(map(quoteattr, missing))}")
    by_part = {parts[name]: cells for name, cells in edits.items() if cells}
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == _CALC_CHAIN:
                continue
            data = source.read(info)
            if info.filename in by_part:
                data = patch_sheet(data, by_part[info.filename])
            elif info.filename == "xl/workbook.xml" and b"fullCalcOnLoad" not in data:
                # formulas that depend on what we wrote have no cached value: Excel computes them on opening
                data = re.sub(rb"<calcPr\b", b'<calcPr fullCalcOnLoad="1"', data, count=1)
            elif info.filename in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                # the calculation chain lists formula cells, some of which now hold input: Excel rebuilds it
                data = _CALC_CHAIN_REF.sub(b"", data)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED if info.compress_type else info.compress_type)
    return out.getvalue()
