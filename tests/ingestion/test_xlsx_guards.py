"""Hostile spreadsheets end in a clear message, in bounded time and memory (SPEC §7)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from ingestion import ExtractionError, extract_file
from ingestion.limits import Limits
from ingestion.xlsx import Workbook, measure_extent

from .builders import declare_size, minimal_xlsx_parts, zip_with

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def _extract_error(path: Path, limits: Limits | None = None) -> ExtractionError:
    start = time.perf_counter()
    with pytest.raises(ExtractionError) as info:
        extract_file(path, limits=limits) if limits else extract_file(path)
    assert time.perf_counter() - start < 5, "a hostile file must fail fast"
    return info.value


def test_zip_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    # 60 MB of one repeated row compresses ~1000:1, far beyond any real workbook part.
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    bomb = SHEET_HEAD + row * (60 * 1024 * 1024 // len(row)) + SHEET_TAIL
    path = zip_with(tmp_path / "bomb.xlsx", minimal_xlsx_parts(sheet_xml=bomb))
    error = _extract_error(path)
    assert error.code == "too_large"
    assert "implausible size" in error.reason


def test_total_unpacked_size_is_bounded(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "big.xlsx", minimal_xlsx_parts())
    error = _extract_error(path, Limits(max_xlsx_uncompressed_bytes=1000))
    assert error.code == "too_large"


def test_size_lie_in_the_zip_directory_is_caught(tmp_path: Path) -> None:
    """A member whose stream inflates to more than its declared size never reaches calamine."""
    big_row = SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"A" * 200_000 + b"</t></is></c></row>" + SHEET_TAIL
    path = zip_with(tmp_path / "lie.xlsx", minimal_xlsx_parts(sheet_xml=big_row))
    declare_size(path, "xl/worksheets/sheet1.xml", 1000)
    with pytest.raises(ExtractionError) as info:
        Workbook(path).sheet("Declaration")
    assert info.value.code == "too_large"


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]>'
                  b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                  b'<si><t>&lol3;</t></si></sst>')


def test_entity_expansion_in_shared_strings_is_refused(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "lol.xlsx", minimal_xlsx_parts(shared_strings=BILLION_LAUGHS))
    error = _extract_error(path)
    assert error.code == "unsupported_type"
    assert "XML declarations" in error.reason


def test_external_entity_in_a_sheet_is_refused(tmp_path: Path) -> None:
    xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + SHEET_HEAD[38:]
           + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>' + SHEET_TAIL)
    path = zip_with(tmp_path / "xxe.xlsx", minimal_xlsx_parts(sheet_xml=xxe))
    assert "XML declarations" in _extract_error(path).reason


def test_sparse_cell_bomb_is_refused_before_calamine_allocates(tmp_path: Path) -> None:
    """Two cells at A1 and XFD1048576 would make calamine allocate 17 billion cells and abort."""
    sheet = (SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
             b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>' + SHEET_TAIL)
    path = zip_with(tmp_path / "sparse.xlsx", minimal_xlsx_parts(sheet_xml=sheet))
    error = _extract_error(path)
    assert error.code == "too_large"
    assert "Declaration" in error.reason


def test_measure_extent_counts_cells_without_references() -> None:
    xml = SHEET_HEAD + b'<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>' + SHEET_TAIL
    rows, cols = measure_extent(xml)
    assert rows >= 3 and cols >= 4


def test_file_over_the_upload_limit(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "a.xlsx", minimal_xlsx_parts())
    error = _extract_error(path, Limits(max_file_bytes=100))
    assert error.code == "too_large" and "larger than" in error.reason


def test_corrupt_member_data(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "crc.xlsx", minimal_xlsx_parts())
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5] ^= 0xFF                      # flip bits inside the deflate stream
    path.write_bytes(bytes(data))
    assert _extract_error(path).code == "corrupt"


def test_plain_workbook_that_is_no_template(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "hello.xlsx", minimal_xlsx_parts())
    error = _extract_error(path)
    assert error.code == "unsupported_type"
    assert error.reason.startswith("This workbook is not a CMRT, EMRT, CRT or material composition template")


@pytest.mark.parametrize("document_type", ["cmrt", "emrt", "crt", "material_composition"])
def test_forcing_a_type_on_an_unrelated_workbook(tmp_path: Path, document_type: str) -> None:
    path = zip_with(tmp_path / "hello.xlsx", minimal_xlsx_parts())
    with pytest.raises(ExtractionError) as info:
        extract_file(path, document_type=document_type)
    assert info.value.code == "unsupported_type"


@pytest.mark.parametrize("cells, expected", [
    (b'<c r="A1"/><c r="Q2504" t="s"><v>1</v></c>', (76923, 26)),       # the quick answer: the budget
    (b'<c r="A1"/><c r="AH9"/>', (58823, 34)),
    (b'<c r="B123456"/>', (123456, 2)),                                 # a long row number is counted
    (b'<x:c r="A1"/><x:c r="C3"/>', (76923, 26)),                       # prefixed cells are checked alike
    (b'<x:c r="A1"/><x:c r="XFD1048576"/>', (1048576, 16384)),          # … and a far one is counted
    (b'<c r="A1"/><x:c/>', (2, 2)),                                     # a prefixed cell without reference
    (b'<c s="1" r="D4"/>', (4, 4)),                                     # reference not first: counted
    (b'<c r="A1"/><c t="s"/><c/>', (3, 3)),                             # cells without a reference
])
def test_sheet_extent_bounds(cells: bytes, expected: tuple[int, int]) -> None:
    from ingestion.xlsx.package import measure_extent

    xml = b'<worksheet><sheetData><row r="1">' + cells + b"</row></sheetData></worksheet>"
    assert measure_extent(xml, 2_000_000) == expected


@pytest.mark.parametrize("dimension, cells, expected", [
    (b"A1:AH9", b'<c r="A1"/><c r="AH9"/><c r="AG2"/>', (58823, 34)),    # the claim, checked: the budget
    (b"A1", b'<c r="A1"/>', (2_000_000, 1)),
    (b"A1:C3", b'<c r="A1"/><c r="D4"/>', (76923, 26)),                 # a cell right of the claim
    (b"A1:C3", b'<c r="C1"/><c r="B1234567"/>', (1234567, 3)),          # a row the claim's budget rules out
    (b"A1:B2", b'<c r="A1"/><c r="XFD1048576"/>', (1048576, 16384)),    # a lying claim changes nothing
    (b"A1:B2", b'<x:c r="A1"/><x:c r="C3"/>', (76923, 26)),             # prefixed: checked like the others
    (b"A1:B2", b'<c r="A1"/><x:c r="XFD1048576"/>', (1048576, 16384)),  # a prefixed cell past a lying claim
    (b"A1:C3", b'<c r="C1"/><x:c r="B1234567"/>', (1234567, 3)),     # a prefixed row past the budget
])
def test_sheet_extent_checks_the_claimed_dimension(dimension: bytes, cells: bytes, expected: tuple[int, int]) -> None:
    xml = (b'<worksheet><dimension ref="' + dimension + b'"/><sheetData><row r="1">' + cells
           + b"</row></sheetData></worksheet>")
    assert measure_extent(xml, 2_000_000) == expected


def test_sparse_cell_bomb_behind_a_small_dimension_is_refused(tmp_path: Path) -> None:
    sheet = (SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:B2"/><sheetData>')
             + b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
             b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>' + SHEET_TAIL)
    path = zip_with(tmp_path / "sparse.xlsx", minimal_xlsx_parts(sheet_xml=sheet))
    assert _extract_error(path).code == "too_large"


def test_prefixed_sparse_cell_bomb_behind_a_small_dimension_is_refused(tmp_path: Path) -> None:
    # calamine reads cells by their local name, so `<x:c>` is a cell to it: one pass must see it
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><x:dimension ref="A1:B2"/><x:sheetData>'
             b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>'
             b'<x:row r="1048576"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>b</x:t></x:is></x:c></x:row>'
             b"</x:sheetData></x:worksheet>")
    path = zip_with(tmp_path / "sparse-prefixed.xlsx", minimal_xlsx_parts(sheet_xml=sheet))
    assert _extract_error(path).code == "too_large"
