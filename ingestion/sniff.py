"""Decide what a file is from its bytes, never from its name (SPEC §7).

Suppliers rename files, save workbooks with macros, or upload the wrong attachment; each
case gets a reason they can act on instead of a parser traceback.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .errors import N_, ExtractionError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject")
#: Photos and scanner output that are read by OCR like a scanned page (SPEC §4).
IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
#: Image formats a phone or a web page may give, which we do not read: named, with what to do.
OTHER_IMAGES = ((b"GIF8", N_("a GIF image")), (b"II+\x00", N_("a BigTIFF image")), (b"MM\x00+", N_("a BigTIFF image")))
OTHER_IMAGE = N_("This file is %(what)s, which is not accepted — save it as JPEG, PNG or PDF and upload it again")
NOT_ACCEPTED = N_("This file is %(what)s, not a PDF or Excel workbook — upload the PDF or XLSX file")

CORRUPT_XLSX = N_("The spreadsheet is damaged or incomplete — save it again and re-upload")
MACRO_XLSX = N_("Macro-enabled workbooks (.xlsm) are not accepted — save as .xlsx without macros")
ENCRYPTED_XLSX = N_("The workbook is password protected — remove the password, save it and re-upload")
LEGACY_XLS = N_("Excel 97-2003 workbooks (.xls) are not accepted — open the file in Excel and "
                "save it as an Excel Workbook (.xlsx)")


def sniff_kind(source: Path | str | bytes) -> str:
    """Return "pdf", "xlsx" or "image" judged by content (a file, or its bytes already read);
    raise ExtractionError for anything else."""
    if isinstance(source, bytes):
        head = source[:4096]
    else:
        source = Path(source)
        try:
            with source.open("rb") as fh:
                head = fh.read(4096)
        except OSError as exc:
            raise ExtractionError(N_("The file could not be read — upload it again"), code="unreadable") from exc
    if not head:
        raise ExtractionError(N_("The file is empty — upload the PDF or XLSX file"), code="unsupported_type")
    # PDF readers accept the header anywhere in the first KiB; so do we.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(IMAGE_MAGICS):
        return "image"
    other_image = _other_image(head)
    if other_image:
        raise ExtractionError(OTHER_IMAGE % {"what": other_image}, code="unsupported_type")
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(io.BytesIO(source) if isinstance(source, bytes) else source)
    if head.startswith(OLE_MAGIC):
        _sniff_ole(source)
    raise ExtractionError(NOT_ACCEPTED % {"what": _describe(head)}, code="unsupported_type")


def _sniff_zip(path: Path | io.BytesIO) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            content_types = _read_small(zf, "[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        # No central directory: a truncated download or an interrupted save.
        raise ExtractionError(CORRUPT_XLSX, code="corrupt") from exc
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        if "content.xml" in names and "mimetype" in names:
            raise ExtractionError(N_("OpenDocument files (.ods, .odt) are not accepted — save the spreadsheet as "
                                     "an Excel Workbook (.xlsx) and re-upload"), code="unsupported_type")
        what = N_("a Word document") if "word/document.xml" in names else (
            N_("a PowerPoint file") if "ppt/presentation.xml" in names else N_("a ZIP archive"))
        raise ExtractionError(NOT_ACCEPTED % {"what": what}, code="unsupported_type")
    lowered = content_types.lower()
    if "xl/vbaProject.bin" in names or any(m in lowered for m in MACRO_CONTENT_TYPES):
        raise ExtractionError(MACRO_XLSX, code="unsupported_type")
    if "xl/workbook.bin" in names:
        raise ExtractionError(N_("Binary workbooks (.xlsb) are not accepted — save the file as an "
                                 "Excel Workbook (.xlsx)"), code="unsupported_type")
    return "xlsx"


def _other_image(head: bytes) -> str | None:
    for magic, what in OTHER_IMAGES:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "an HEIC/AVIF photo (as iPhones save them)"
    return None


def _read_small(zf: zipfile.ZipFile, name: str, limit: int = 256 * 1024) -> bytes:
    """Read at most `limit` bytes of a member: [Content_Types].xml is tiny in honest files."""
    with zf.open(name) as fh:
        return fh.read(limit)


def _sniff_ole(source: Path | bytes) -> None:
    """OLE2 holds both legacy .xls files and password-protected OOXML (EncryptedPackage)."""
    if isinstance(source, bytes):
        blob = source[:1024 * 1024]
    else:
        with source.open("rb") as fh:
            blob = fh.read(1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in blob or "EncryptionInfo".encode("utf-16-le") in blob:
        raise ExtractionError(ENCRYPTED_XLSX, code="encrypted")
    if "Workbook".encode("utf-16-le") in blob or "Book".encode("utf-16-le") in blob:
        raise ExtractionError(LEGACY_XLS, code="unsupported_type")
    if "WordDocument".encode("utf-16-le") in blob:
        raise ExtractionError(NOT_ACCEPTED % {"what": N_("a Word 97-2003 document")}, code="unsupported_type")


def _describe(head: bytes) -> str:
    """A few words on what the supplier actually uploaded."""
    for magic, what in ((b"\x89PNG", N_("a PNG image")), (b"\xff\xd8\xff", N_("a JPEG image")),
                        (b"GIF8", N_("a GIF image")), (b"II*\x00", N_("a TIFF image")), (b"MM\x00*", N_("a TIFF image")),
                        (b"\x1f\x8b", N_("a gzip archive")), (b"Rar!", N_("a RAR archive")),
                        (b"7z\xbc\xaf", N_("a 7-Zip archive")), (b"{\\rtf", N_("an RTF document"))):
        if head.startswith(magic):
            return what
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("utf-16")
        except UnicodeDecodeError:
            return N_("in an unknown format")
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith(("<!doctype html", "<html")):
        return N_("a web page (HTML)")
    if stripped.startswith("<?xml") or stripped.startswith("<"):
        return N_("an XML file")
    if stripped.startswith(("{", "[")):
        return N_("a JSON file")
    return N_("plain text")
