"""calamine reads a copy of the package holding the parts the guards checked, stored as checked."""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ingestion import ExtractionError, extract_file
from ingestion.limits import DEFAULT_LIMITS
from ingestion.registry import sheets_read
from ingestion.xlsx import Package, Workbook
from ingestion.xlsx import package as package_module

from .builders import declare_size, minimal_xlsx_parts, zip_with

CMRT_FILE = Path(__file__).resolve().parents[1] / "fixtures/xlsx/cmrt-6.5-101.xlsx"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def _handed_over(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What each Package.hand_over returned in this test."""
    seen: list[object] = []
    original = Package.hand_over

    def recording(self, open_reader):  # noqa: ANN001, ANN202
        seen.append(result := original(self, open_reader))
        return result

    monkeypatch.setattr(Package, "hand_over", recording)
    return seen


def test_every_sheet_reads_as_calamine_reads_the_upload(monkeypatch: pytest.MonkeyPatch) -> None:
    handed = _handed_over(monkeypatch)
    original = CalamineWorkbook.from_path(str(CMRT_FILE))
    with Workbook(CMRT_FILE, expect=sheets_read("xlsx")) as book:
        assert handed and handed[0] is not None, "calamine should read the checked copy"
        assert book.sheet_names == original.sheet_names
        for name in book.sheet_names:     # checked ahead (Declaration …) or copied as compressed (the others)
            assert book.sheet(name).rows == original.get_sheet_by_name(name).to_python(skip_empty_area=False)
    original.close()


def test_extraction_is_the_same_without_the_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    with_copy = extract_file(CMRT_FILE)
    from_bytes = extract_file(CMRT_FILE.read_bytes())
    monkeypatch.setattr(package_module, "_HAND_OVER", False)
    handed = _handed_over(monkeypatch)
    assert extract_file(CMRT_FILE) == with_copy == from_bytes
    assert handed == [None]


def test_the_copy_is_a_sound_zip_with_checked_parts_stored() -> None:
    parts = minimal_xlsx_parts()
    parts["docProps/big.xml"] = b"<x>" + b"y" * 100_000 + b"</x>"
    buffer = io.BytesIO()
    zip_with(buffer, parts)   # type: ignore[arg-type]
    with zipfile.ZipFile(buffer) as zf:
        checked = {"xl/worksheets/sheet1.xml": zf.read("xl/worksheets/sheet1.xml")}
        copy = zipfile.ZipFile(io.BytesIO(b"".join(package_module._stored_copy(zf, zf.infolist(), checked))))
    assert copy.testzip() is None                       # every CRC-32 and size right
    assert copy.namelist() == list(parts)
    assert all(copy.read(name) == data for name, data in parts.items())
    methods = {info.filename: info.compress_type for info in copy.infolist()}
    assert methods["xl/worksheets/sheet1.xml"] == zipfile.ZIP_STORED
    assert methods["docProps/big.xml"] == zipfile.ZIP_DEFLATED   # not checked: copied as compressed


def _size_lie(path: Path) -> Path:
    big_row = SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"A" * 200_000 + b"</t></is></c></row>" + SHEET_TAIL
    return declare_size(zip_with(path, minimal_xlsx_parts(sheet_xml=big_row)), "xl/worksheets/sheet1.xml", 1000)


def _sparse_bomb(path: Path) -> Path:
    sheet = (SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
             b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>' + SHEET_TAIL)
    return zip_with(path, minimal_xlsx_parts(sheet_xml=sheet))


@pytest.mark.parametrize("hostile", [_size_lie, _sparse_bomb])
def test_an_expected_sheet_that_fails_its_check_is_refused_when_read(tmp_path: Path, hostile,  # noqa: ANN001
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = hostile(tmp_path / "hostile.xlsx")
    with pytest.raises(ExtractionError) as plain:
        Workbook(path).sheet("Declaration")
    stored: list[str] = []
    original = package_module._stored_copy
    monkeypatch.setattr(package_module, "_stored_copy",
                        lambda zf, infos, checked: stored.extend(checked) or original(zf, infos, checked))
    with Workbook(path, expect=["Declaration"]) as book:    # opening is no verdict on the sheet …
        assert "xl/workbook.xml" in stored and "xl/worksheets/sheet1.xml" not in stored
        with pytest.raises(ExtractionError) as expected:    # … reading it is, with the same message
            book.sheet("Declaration")
    assert plain.value.code == "too_large"
    assert (expected.value.code, expected.value.reason) == (plain.value.code, plain.value.reason)


def test_a_member_named_twice_is_not_handed_over(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "twice.xlsx", minimal_xlsx_parts())
    with zipfile.ZipFile(path, "a") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")                  # zipfile warns of the duplicate name
        zf.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + SHEET_TAIL)
    package = Package.open(path, DEFAULT_LIMITS)
    try:
        assert package.hand_over(lambda copy: copy) is None
    finally:
        package.close()


def test_a_damaged_member_no_one_reads_leaves_calamine_the_upload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As before the copy existed: a broken local header of, say, a picture fails no workbook."""
    parts = {**minimal_xlsx_parts(), "xl/media/image1.png": b"\x89PNG" + bytes(2000)}
    path = zip_with(tmp_path / "picture.xlsx", parts)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        data[zf.getinfo("xl/media/image1.png").header_offset] ^= 0xFF     # its local header's signature
    path.write_bytes(bytes(data))
    handed = _handed_over(monkeypatch)
    with Workbook(path, expect=["Declaration"]) as book:
        assert book.sheet("Declaration").cell("A1") == "hello"
    assert handed == [None]


def test_a_copy_the_reader_refuses_leaves_it_the_upload(tmp_path: Path) -> None:
    def refusing(copy: str) -> None:
        raise ExtractionError("no", code="corrupt")

    package = Package.open(zip_with(tmp_path / "plain.xlsx", minimal_xlsx_parts()), DEFAULT_LIMITS)
    try:
        assert package.hand_over(refusing) is None
    finally:
        package.close()


def _one_cell(path: Path, text: bytes) -> Path:
    sheet = SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + text + b"</t></is></c></row>" + SHEET_TAIL
    return zip_with(path, minimal_xlsx_parts(sheet_xml=sheet))


def _what_the_reader_sees(path: Path) -> tuple[bytes, bytes]:
    """(the copy the reader found at the path it was given, the copy made for `path`)."""
    package = Package.open(path, DEFAULT_LIMITS)
    try:
        package.check_sheets(["Declaration"])
        with zipfile.ZipFile(path) as zf:
            made = b"".join(package_module._stored_copy(zf, zf.infolist(), dict(package._checked)))
        return package.hand_over(lambda copy: Path(copy).read_bytes()), made   # type: ignore[return-value]
    finally:
        package.close()


@pytest.mark.skipif(not package_module._HAND_OVER, reason="no in-memory files here")
def test_a_reused_copy_file_holds_exactly_the_next_workbook(tmp_path: Path) -> None:
    """The copy file is rewritten for the next workbook from its start and cut to its length: a
    shorter workbook after a longer one leaves nothing of the first behind (a zip is read from its end)."""
    long_text = os.urandom(60_000).hex()
    long, short = _one_cell(tmp_path / "long.xlsx", long_text.encode()), _one_cell(tmp_path / "short.xlsx", b"short")
    for path, text in ((long, long_text), (short, "short"), (long, long_text), (short, "short")):
        with Workbook(path, expect=["Declaration"]) as book:
            assert book.sheet("Declaration").cell("A1") == text
        assert package_module._COPY_FILES._free, "a closed workbook's copy file is kept for the next one"
        seen, made = _what_the_reader_sees(path)
        assert seen == made


@pytest.mark.skipif(not package_module._HAND_OVER, reason="no in-memory files here")
def test_two_open_workbooks_never_share_a_copy_file(tmp_path: Path) -> None:
    first_path, second_path = _one_cell(tmp_path / "a.xlsx", b"first"), _one_cell(tmp_path / "b.xlsx", b"second")
    first = Workbook(first_path, expect=["Declaration"])
    second = Workbook(second_path, expect=["Declaration"])
    try:
        assert first.package._copy is not None and second.package._copy is not None
        assert first.package._copy.fd != second.package._copy.fd
        assert first.package._copy.fd not in package_module._COPY_FILES._free
        assert (first.sheet("Declaration").cell("A1"), second.sheet("Declaration").cell("A1")) == ("first", "second")
    finally:
        first.close()
        second.close()
    with Workbook(first_path, expect=["Declaration"]) as again:    # reuses one of them, rewritten
        assert again.sheet("Declaration").cell("A1") == "first"


@pytest.mark.skipif(not package_module._HAND_OVER, reason="no in-memory files here")
def test_a_forked_child_does_not_reuse_its_parents_copy_files(tmp_path: Path) -> None:
    with Workbook(_one_cell(tmp_path / "a.xlsx", b"parent"), expect=["Declaration"]):
        pass
    assert package_module._COPY_FILES._free
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:     # the child: nothing inherited to reuse, and a workbook of its own reads right
        try:
            inherited = len(package_module._COPY_FILES._free)
            with Workbook(_one_cell(tmp_path / "b.xlsx", b"child"), expect=["Declaration"]) as book:
                own = book.sheet("Declaration").cell("A1")
            os.write(write, f"{inherited} {own}".encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as answer:
        assert answer.read() == b"0 child"
    with Workbook(_one_cell(tmp_path / "c.xlsx", b"parent again"), expect=["Declaration"]) as book:
        assert book.sheet("Declaration").cell("A1") == "parent again"


@pytest.mark.skipif(not package_module._HAND_OVER, reason="no in-memory files here")
@pytest.mark.parametrize("hostile", [_size_lie, _sparse_bomb])
def test_a_hostile_workbook_between_two_others_is_refused_and_leaves_no_trace(tmp_path: Path, hostile) -> None:  # noqa: ANN001
    """The copy file a hostile workbook was handed is reused afterwards: the refusal stands, and the
    next workbook reads only its own bytes."""
    good = _one_cell(tmp_path / "good.xlsx", b"good " * 2000)
    bad = hostile(tmp_path / "hostile.xlsx")
    for _ in range(2):
        with Workbook(good, expect=["Declaration"]) as book:
            assert book.sheet("Declaration").cell("A1") == "good " * 1999 + "good"
        with Workbook(bad, expect=["Declaration"]) as book, pytest.raises(ExtractionError) as refused:
            book.sheet("Declaration")
        assert refused.value.code == "too_large"
