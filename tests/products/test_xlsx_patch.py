"""Writing cells straight into a workbook's sheet XML (what fills RMI's templates): rows and cells
land in the order Excel requires, text stays text, the template's styles stay, other parts are
copied unchanged, and a cell that starts a shared formula is refused rather than corrupting it."""

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from portal.products.xlsx_patch import PatchError, patch_sheet, write_cells


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Declaration"
    sheet["A1"], sheet["C1"], sheet["A3"] = "first", "third", "row three"
    sheet["B1"].font = Font(bold=True)                  # a styled empty input cell, as in RMI's templates
    book.create_sheet("Look-up")["A1"] = "kept"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cells_and_rows_are_written_in_order_and_read_back():
    content = write_cells(_workbook(), {"Declaration": {
        "B1": "<a & b>", "A2": "=SUM(A1:A3)", "D5": 42, "E5": dt.date(2026, 11, 2)}})
    book = load_workbook(io.BytesIO(content))
    sheet = book["Declaration"]
    assert [sheet[ref].value for ref in ("A1", "B1", "C1", "A2", "A3", "D5")] == [
        "first", "<a & b>", "third", "=SUM(A1:A3)", "row three", 42]
    assert sheet["A2"].data_type == "s"                 # text from people never becomes a formula
    assert sheet["B1"].font.bold                        # the template's style of the cell is kept
    assert sheet["E5"].value == 46328                   # the date as Excel's day number
    assert book["Look-up"]["A1"].value == "kept"
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        xml = package.read("xl/worksheets/sheet1.xml")
    assert re.findall(rb'<row r="(\d+)"', xml) == [b"1", b"2", b"3", b"5"]
    assert re.findall(rb'<c r="([A-Z]+)1"', xml) == [b"A", b"B", b"C"]
    assert b'<dimension ref="A1:E5"' in xml               # the used range takes in what was written


def test_other_parts_are_copied_byte_for_byte_and_the_calculation_chain_goes():
    original = _workbook()
    with zipfile.ZipFile(io.BytesIO(original)) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    parts["xl/calcChain.xml"] = b'<calcChain><c r="B1" i="1"/></calcChain>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.calcChain+xml"/></Types>'))
    with_chain = io.BytesIO()
    with zipfile.ZipFile(with_chain, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    content = write_cells(with_chain.getvalue(), {"Declaration": {"B1": "x"}})
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        written = {info.filename: package.read(info) for info in package.infolist()}
    assert "xl/calcChain.xml" not in written and b"calcChain" not in written["[Content_Types].xml"]
    assert written["xl/worksheets/sheet2.xml"] == parts["xl/worksheets/sheet2.xml"]
    assert written["xl/styles.xml"] == parts["xl/styles.xml"]
    assert b'fullCalcOnLoad="1"' in written["xl/workbook.xml"]


def test_what_cannot_be_written_is_refused_with_a_reason():
    shared = (b'<worksheet><sheetData><row r="5"><c r="B5"><f t="shared" ref="B5:B9" si="0">A5</f></c></row>'
              b'</sheetData></worksheet>')
    with pytest.raises(PatchError, match="shared formula"):
        patch_sheet(shared, {"B5": "Tin"})
    assert b"Tin" in patch_sheet(shared, {"C5": "Tin"})
    with pytest.raises(PatchError, match="no sheet named"):
        write_cells(_workbook(), {"Smelter List": {"A5": "CID001898"}})
    with pytest.raises(PatchError, match="not a readable"):
        write_cells(b"PK not a zip", {"Declaration": {"A1": "x"}})
