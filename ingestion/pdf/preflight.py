"""Preflight of a PDF: refuse what cannot or must not be read, and read the text once.

Order matters for bounded cost: pypdfium2 opens the file without parsing page content (fast
even for thousands of pages), so encryption, corruption and page count are settled before
pdfplumber, which is slower per page, touches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from ..errors import N_, ExtractionError
from ..limits import DEFAULT_LIMITS, Limits
from ..registry import Probe
from . import ocr
from .layout import PdfText, page_ranges

PROBE_PAGES = 3              # detection looks at the first pages only
OCR_BUDGET_S = 240           # all OCR of one document; below the worker's job timeout
_PDFIUM_PASSWORD_ERROR = 4   # FPDF_ERR_PASSWORD

ENCRYPTED = N_("The PDF is password protected — upload an unprotected copy")
CORRUPT = N_("The PDF is damaged or incomplete and cannot be read — export or scan it again and upload the new file")
NEEDS_OCR = N_("This is a scanned document without a text layer: it needs OCR, which is not available here "
             "— upload a PDF with selectable text")
NO_TEXT = N_("No text could be read from this document, not even by OCR — upload a PDF with selectable text "
           "or a sharper scan")


@dataclass
class PdfProbe(Probe):
    """A Probe that also carries the text read during preflight, so extractors don't read it twice."""

    document: PdfText | None = None


def preflight_pdf(path: Path, limits: Limits = DEFAULT_LIMITS) -> PdfProbe:
    """Check the PDF and read its words; raises ExtractionError with a supplier-facing reason."""
    path = Path(path)
    doc, page_count, created = _opened(path, limits)
    from .textlayer import read_text_layer  # pdfplumber is heavy: imported only when a PDF comes

    to_read = min(page_count, limits.max_pages_to_extract)
    try:
        pages, empty, partial = read_text_layer(path, to_read, doc)
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        raise ExtractionError(CORRUPT, code="corrupt") from exc
    finally:
        doc.close()
    notes = []
    if page_count > to_read:
        notes.append(N_("Only the first %(read)d of %(count)d pages were read") % {"read": to_read, "count": page_count})
    used_ocr = False
    garbled = [p.number for p in pages if p.number in empty and p.lines]
    if garbled:
        notes.append(N_("The text layer is unreadable (pages %(pages)s): read by OCR where available")
                     % {"pages": page_ranges(garbled)})
    if empty or partial:
        if ocr.tesseract_binary() is None:
            if len(empty) == len(pages):
                raise ExtractionError(NEEDS_OCR, code="needs_ocr")
            if empty:
                notes.append(N_("Not read: no text layer and no OCR available (pages %(pages)s)") % {"pages": page_ranges(empty)})
        else:
            # Unreadable pages first: when the budget runs out, a page with no words matters more
            # than the words a partial page's image adds.
            by_number = {p.number: p for p in ocr.ocr_pages(path, empty + partial, OCR_BUDGET_S,
                                                                    limits.ocr_parallel_pages)}
            originals = {p.number: p for p in pages}
            merged = {n: ocr.merge_words(originals[n], by_number[n]) for n in partial if n in by_number}
            read = {n: p for n, p in by_number.items() if n in empty}
            read.update((n, p) for n, p in merged.items() if p.ocr)   # a stamp OCR had to turn: its reading
            added = sorted(n for n, p in merged.items() if not p.ocr and p is not originals[n])
            pages = [read.get(p.number) or merged.get(p.number) or p for p in pages]
            used_ocr = bool(read)
            if read:
                notes.append(N_("Read by OCR (pages %(pages)s): check every value") % {"pages": page_ranges(sorted(read))})
            if added:
                notes.append(N_("Words only in the page's image were read by OCR and added (pages %(pages)s): "
                                "check values read from them") % {"pages": page_ranges(added)})
            notes += ocr.language_notes(list(by_number.values()))
    document = PdfText(pages=pages, page_count=page_count, ocr=used_ocr, notes=notes, created=created)
    if not any(page.lines for page in pages):
        raise ExtractionError(NO_TEXT if used_ocr else NEEDS_OCR, code="needs_ocr")
    return PdfProbe(kind="pdf", path=path, text=document.text(PROBE_PAGES).lower(), document=document)


def pdf_text(path: Path, probe: Probe) -> PdfText:
    """The document's text: the one preflight read, or read now (an extractor called directly)."""
    if isinstance(probe, PdfProbe) and probe.document is not None:
        return probe.document
    document = preflight_pdf(path).document
    assert document is not None
    return document


def _opened(path: Path, limits: Limits) -> tuple[pdfium.PdfDocument, int, date | None]:
    """The document open (the caller closes it), its page count, and the creation date its
    metadata gives (if any); refused when it is too large, damaged or password protected."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise ExtractionError(N_("The file could not be opened — upload it again"), code="unreadable") from exc
    if size > limits.max_file_bytes:
        raise ExtractionError(N_("The PDF is larger than %(mb)d MB — upload a smaller file")
                              % {"mb": limits.max_file_bytes // (1024 * 1024)}, code="too_large")
    if b"%PDF-" not in head:
        raise ExtractionError(CORRUPT, code="corrupt")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PDFIUM_PASSWORD_ERROR or "password" in str(exc).lower():
            raise ExtractionError(ENCRYPTED, code="encrypted") from exc
        raise ExtractionError(CORRUPT, code="corrupt") from exc
    try:
        count = len(doc)
        created = _creation_date(doc)
        if count == 0:
            raise ExtractionError(CORRUPT, code="corrupt")
        if count > limits.max_pdf_pages:
            raise ExtractionError(N_("The PDF has %(count)d pages; at most %(limit)d are accepted — "
                                     "upload only the certificate or declaration")
                                  % {"count": count, "limit": limits.max_pdf_pages}, code="too_large")
    except BaseException:
        doc.close()
        raise
    return doc, count, created


#: "D:20220513104908-04'00'": the PDF date format's year, month and day.
PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")


def _creation_date(doc: pdfium.PdfDocument) -> date | None:
    """The metadata's CreationDate, when it is a real date (not the 1970s default, not the future)."""
    try:
        m = PDF_DATE.match(doc.get_metadata_dict().get("CreationDate") or "")
        created = date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except (pdfium.PdfiumError, ValueError):
        return None
    return created if created is not None and date(1995, 1, 1) <= created <= date.today() else None
