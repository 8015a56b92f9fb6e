"""OCR near the Tesseract floor (issues 13, 15): one English pass for a clean page, German or
French only where the page says so, orientation only when the first pass is poor, progress."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from ingestion.pdf import ocr

from .scans import ENGLISH, GERMAN, certificate_pdf, scan_image, scanned_pdf


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five scanned pages: English, German, English fed sideways, English, English."""
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is needed for the OCR tests: `make system-deps` installs it.", pytrace=False)
    tmp = tmp_path_factory.mktemp("ocr")
    english, german = certificate_pdf(tmp / "en.pdf", ENGLISH), certificate_pdf(tmp / "de.pdf", GERMAN)
    return scanned_pdf([scan_image(english), scan_image(german), scan_image(english, turn=90),
                        scan_image(english, noise=10), scan_image(english, skew=2)], tmp / "scans.pdf")


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The Tesseract runs made, by their arguments."""
    calls: list[list[str]] = []
    real = ocr._tesseract

    def recording(pgm: bytes, args: list[str], deadline: float) -> str:
        calls.append(args)
        return real(pgm, args, deadline)

    monkeypatch.setattr(ocr, "_tesseract", recording)
    return calls


def text_of(page) -> str:  # noqa: ANN001
    return " ".join(line.text for line in page.lines)


def test_a_clean_english_page_takes_one_english_pass_at_the_scans_resolution(scans: Path, passes: list) -> None:
    (page,) = ocr.ocr_pages(scans, [1], budget_s=120)
    assert "Certificate No.: Q73-897926" in text_of(page)
    assert passes == [["-l", "eng", "--psm", "3", "--dpi", "200", "tsv"]]


def test_a_german_page_is_read_again_in_german(scans: Path, passes: list) -> None:
    (page,) = ocr.ocr_pages(scans, [2], budget_s=120)
    assert [args[1] for args in passes] == ["eng", "deu"]
    assert "Gültig bis" in text_of(page)


def test_a_page_fed_sideways_is_turned_upright_by_osd(scans: Path, passes: list) -> None:
    (page,) = ocr.ocr_pages(scans, [3], budget_s=120)
    assert any(args[:4] == ["--psm", "0", "-l", "osd"] for args in passes)
    assert "Certificate No.: Q73-897926" in text_of(page)
    assert page.height > page.width     # upright: the words' boxes are in the turned page's frame


def test_pages_run_in_parallel_come_back_in_order_with_progress(scans: Path) -> None:
    notes: list[str] = []
    with ocr.progress_to(notes.append):
        start = time.perf_counter()
        pages = ocr.ocr_pages(scans, [1, 4, 5], budget_s=120, parallel=2)
        elapsed = time.perf_counter() - start
    assert [p.number for p in pages] == [1, 4, 5]
    assert all("Q73-897926" in text_of(p) for p in pages)
    assert notes == ["Reading page 1 of 3 by OCR…", "Reading page 2 of 3 by OCR…", "Reading page 3 of 3 by OCR…"]
    assert elapsed < 60


def test_the_time_budget_stops_before_the_next_page(scans: Path) -> None:
    assert ocr.ocr_pages(scans, [1, 2, 3], budget_s=0.5) == []


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_a_box_read_upright_lands_on_the_page_as_stored(angle: int) -> None:
    from PIL import Image, ImageDraw

    # A 300 x 200 "page" with a black box at (40..100, 20..50); turned as OCR turns it upright.
    stored = Image.new("L", (300, 200), 255)
    ImageDraw.Draw(stored).rectangle([40, 20, 99, 49], fill=0)
    upright = stored.rotate(-angle, expand=True)
    left, top, right, bottom = upright.point(lambda v: 255 - v).getbbox()
    page = ocr.Page(number=1, width=upright.width, height=upright.height, turned=angle)
    result = {"fields": {"/x": {"source": {"page": 1, "bbox": [left, top, right, bottom]}}}}
    ocr.boxes_on_stored_pages(result, [page])
    assert result["fields"]["/x"]["source"]["bbox"] == [40, 20, 100, 50]
