"""Bad PDFs end in a clear ExtractionError, quickly; good ones come back with their words."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingestion.errors import ExtractionError
from ingestion.limits import Limits
from ingestion.pdf import ocr, preflight
from ingestion.pdf.layout import page_ranges
from ingestion.pdf.preflight import preflight_pdf

try:
    from .pdf_writer import PdfWriter
except ImportError:
    from pdf_writer import PdfWriter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
HAVE_TESSERACT = shutil.which("tesseract") is not None


def one_page(tmp_path: Path, name: str = "doc.pdf") -> Path:
    w = PdfWriter()
    page = w.page()
    page.text(72, 72, "CERTIFICATE", 24, bold=True)
    page.text(72, 120, "Certificate No.: Q73-897926", 10)
    return w.save(tmp_path / name)


def refused(path: Path, limits: Limits = Limits()) -> ExtractionError:
    start = time.perf_counter()
    with pytest.raises(ExtractionError) as info:
        preflight_pdf(path, limits)
    assert time.perf_counter() - start < 5, "a bad file must be refused quickly"
    return info.value


def test_text_pdf_gives_words_and_lower_case_probe_text(tmp_path: Path) -> None:
    probe = preflight_pdf(one_page(tmp_path), Limits())
    assert probe.kind == "pdf"
    assert "certificate no.: q73-897926" in probe.text
    words = [w.text for w in probe.document.pages[0].lines[1].words]
    assert words == ["Certificate", "No.:", "Q73-897926"]


def test_encrypted_pdf_is_refused_with_a_reason_the_supplier_can_act_on() -> None:
    err = refused(FIXTURES / "libreoffice-writer-password.pdf")
    assert err.code == "encrypted"
    assert err.reason == "The PDF is password protected — upload an unprotected copy"


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = one_page(tmp_path).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    err = refused(cut)
    assert err.code == "corrupt"
    assert "damaged or incomplete" in err.reason


def test_file_that_is_no_pdf_at_all_is_corrupt(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"PK\x03\x04 not a pdf" * 50)
    assert refused(junk).code == "corrupt"


def test_thousands_of_pages_are_refused_before_any_page_is_read(tmp_path: Path) -> None:
    w = PdfWriter()
    for _ in range(5000):
        w.page().text(50, 50, "page", 10)
    path = w.save(tmp_path / "many.pdf")
    err = refused(path)
    assert err.code == "too_large"
    assert "5000 pages" in err.reason


def test_only_the_first_pages_are_read_and_that_is_said(tmp_path: Path) -> None:
    w = PdfWriter()
    for i in range(8):
        w.page().text(50, 50, f"page {i + 1}", 10)
    probe = preflight_pdf(w.save(tmp_path / "eight.pdf"), Limits(max_pages_to_extract=3))
    assert [p.number for p in probe.document.pages] == [1, 2, 3]
    assert probe.document.notes == ["Only the first 3 of 8 pages were read"]


def test_image_only_pdf_without_ocr_says_it_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "tesseract_binary", lambda: None)
    err = refused(FIXTURES / "imagemagick-CCITTFaxDecode.pdf")
    assert err.code == "needs_ocr"
    assert "scanned document without a text layer" in err.reason


@pytest.mark.usefixtures("tesseract")
def test_image_only_pdf_with_nothing_legible_is_not_a_silent_empty_record() -> None:
    # The CCITT sample is a 16x16 pixel image: OCR runs and finds nothing.
    err = refused(FIXTURES / "imagemagick-CCITTFaxDecode.pdf")
    assert err.code == "needs_ocr"
    assert "not even by OCR" in err.reason


def scan_of(text_pdf: Path, out: Path) -> Path:
    """An image-only copy of a text PDF, as a scanner would make it."""
    doc = pdfium.PdfDocument(str(text_pdf))
    image = doc[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    doc.close()
    w = PdfWriter()
    w.page().image(image.tobytes(), image.width, image.height)
    return w.save(out)


@pytest.mark.usefixtures("tesseract")
def test_scanned_page_is_read_by_ocr_with_positions_in_points(tmp_path: Path) -> None:
    text_pdf = one_page(tmp_path)
    drawn = next(w for line in preflight_pdf(text_pdf).document.lines() for w in line.words
                 if w.text == "Q73-897926")
    probe = preflight_pdf(scan_of(text_pdf, tmp_path / "scan.pdf"), Limits())
    assert probe.document.ocr
    assert "q73-897926" in probe.text
    read = next(w for line in probe.document.lines() for w in line.words if w.text == "Q73-897926")
    assert abs(read.x0 - drawn.x0) < 3 and abs(read.x1 - drawn.x1) < 3    # points, not pixels
    assert drawn.top - 3 < read.top < read.bottom < drawn.bottom + 3
    assert 0 < read.conf <= 1
    assert probe.document.notes == ["Read by OCR (pages 1): check every value"]


def test_page_ranges_in_notes_read_naturally() -> None:
    assert page_ranges([1, 2, 3, 7, 9, 10]) == "1-3, 7, 9-10"


@pytest.fixture
def tesseract() -> None:
    if not HAVE_TESSERACT:
        pytest.fail("Tesseract is needed for the OCR tests: `make system-deps` installs Debian's tesseract-ocr.",
                    pytrace=False)
