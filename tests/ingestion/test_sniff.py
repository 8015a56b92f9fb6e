"""File type is judged by content, never by name (SPEC §7)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingestion import ExtractionError, sniff_kind

from .builders import minimal_xlsx_parts, zip_with


def _raises(path: Path, code: str) -> str:
    with pytest.raises(ExtractionError) as info:
        sniff_kind(path)
    assert info.value.code == code
    assert "\n" not in info.value.reason
    return info.value.reason


def test_pdf_by_magic_bytes_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "declaration.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert sniff_kind(path) == "pdf"


def test_xlsx_by_its_parts_whatever_the_name(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "report.pdf", minimal_xlsx_parts())
    assert sniff_kind(path) == "xlsx"


def test_renamed_text_file(tmp_path: Path) -> None:
    path = tmp_path / "cmrt.xlsx"
    path.write_text("Company name,Acme\nScope,Company\n", encoding="utf-8")
    reason = _raises(path, "unsupported_type")
    assert reason.startswith("This file is plain text, not a PDF or Excel workbook")


def test_html_and_unaccepted_images_are_named(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"<!DOCTYPE html><html><body>login</body></html>")
    assert "web page" in _raises(tmp_path / "a.pdf", "unsupported_type")
    (tmp_path / "b.pdf").write_bytes(b"GIF89a" + b"\0" * 64)
    assert _raises(tmp_path / "b.pdf", "unsupported_type") == (
        "This file is a GIF image, which is not accepted — save it as JPEG, PNG or PDF and upload it again")
    (tmp_path / "c.jpg").write_bytes(b"\0\0\0\x18ftypheic" + b"\0" * 64)
    assert "HEIC" in _raises(tmp_path / "c.jpg", "unsupported_type")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF"])
def test_photos_and_scans_are_images_whatever_the_name(tmp_path: Path, fmt: str) -> None:
    from PIL import Image
    path = tmp_path / "declaration.pdf"
    Image.new("L", (40, 30), 255).save(path, fmt)
    assert sniff_kind(path) == "image"


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert "empty" in _raises(tmp_path / "empty.xlsx", "unsupported_type")


def test_macro_enabled_workbook_is_refused(tmp_path: Path) -> None:
    parts = minimal_xlsx_parts()
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 fake vba"
    path = zip_with(tmp_path / "renamed.xlsx", parts)
    assert _raises(path, "unsupported_type") == (
        "Macro-enabled workbooks (.xlsm) are not accepted — save as .xlsx without macros")


def test_macro_content_type_alone_is_refused(tmp_path: Path) -> None:
    parts = minimal_xlsx_parts()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    path = zip_with(tmp_path / "x.xlsx", parts)
    assert "Macro-enabled" in _raises(path, "unsupported_type")


def test_truncated_workbook_is_corrupt(tmp_path: Path) -> None:
    whole = zip_with(tmp_path / "whole.xlsx", minimal_xlsx_parts()).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert _raises(path, "corrupt") == "The spreadsheet is damaged or incomplete — save it again and re-upload"


def test_word_document_and_plain_zip(tmp_path: Path) -> None:
    zip_with(tmp_path / "a.xlsx", {"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"})
    assert "Word document" in _raises(tmp_path / "a.xlsx", "unsupported_type")
    zip_with(tmp_path / "b.xlsx", {"notes.txt": b"hello"})
    assert "ZIP archive" in _raises(tmp_path / "b.xlsx", "unsupported_type")


def _ole(stream_name: str) -> bytes:
    """Enough of an OLE2 compound file for sniffing: magic plus a directory entry name."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream_name.encode("utf-16-le") + b"\0" * 512


def test_password_protected_workbook(tmp_path: Path) -> None:
    (tmp_path / "locked.xlsx").write_bytes(_ole("EncryptedPackage"))
    assert "password protected" in _raises(tmp_path / "locked.xlsx", "encrypted")


def test_legacy_xls_gets_a_save_as_hint(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(_ole("Workbook"))
    assert "save it as an Excel Workbook (.xlsx)" in _raises(tmp_path / "old.xls", "unsupported_type")


def test_zip_with_stored_members_still_sniffs(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "stored.xlsx", minimal_xlsx_parts(), compression=zipfile.ZIP_STORED)
    assert sniff_kind(path) == "xlsx"


def test_opendocument_spreadsheet_gets_a_save_as_hint(tmp_path: Path) -> None:
    zip_with(tmp_path / "a.xlsx", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                   "content.xml": b"<office:document-content/>"})
    assert "save the spreadsheet as an Excel Workbook (.xlsx)" in _raises(tmp_path / "a.xlsx", "unsupported_type")
