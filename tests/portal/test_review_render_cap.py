"""Every page render is bounded in pixels (issue 9): a 2 KB PDF declaring a 14,400 x 14,400 pt
page renders fast and small on the review screen and for OCR; review renders are cached."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from ingestion.pdf import render
from portal.review import source
from tests.ingestion.pdf_writer import PdfWriter

HUGE = (14_400.0, 14_400.0)     # the largest page PDF allows: 200 inches square


def huge_page_pdf(tmp_path: Path) -> bytes:
    w = PdfWriter()
    w.page(HUGE).text(72, 72, "Certificate No.: Q73-897926", 10).rule(0, 0, HUGE[0], HUGE[1])
    data = w.save(tmp_path / "huge.pdf").read_bytes()
    assert len(data) < 4096
    return data


def test_review_render_of_a_huge_page_is_fast_and_bounded_and_cached(tmp_path: Path) -> None:
    data = huge_page_pdf(tmp_path)
    loads = []

    def load() -> bytes:
        loads.append(1)
        return data

    start = time.perf_counter()
    png = source.render_source_page("f" * 64, "pdf", 1, [72, 72, 200, 82], load)
    assert time.perf_counter() - start < 3
    image = Image.open(io.BytesIO(png))
    assert max(image.size) <= render.REVIEW.max_side
    assert image.width * image.height <= render.REVIEW.max_pixels
    # Another field on the same page: drawn on the cached render, the file is not read again.
    start = time.perf_counter()
    again = source.render_source_page("f" * 64, "pdf", 1, [72, 90, 200, 100], load)
    assert len(loads) == 1 and again != png
    assert time.perf_counter() - start < 1


def test_review_cache_stays_within_its_pixel_bound(tmp_path: Path) -> None:
    data = huge_page_pdf(tmp_path)
    for n in range(12):
        source.render_source_page(f"{n:064d}", "pdf", 1, None, lambda: data)
    assert sum(img.width * img.height for img, _ in source._cache.values()) <= source.CACHE_PIXELS


def test_ocr_render_of_a_huge_page_stays_in_the_ocr_budget(tmp_path: Path) -> None:
    doc = pdfium.PdfDocument(huge_page_pdf(tmp_path))
    try:
        start = time.perf_counter()
        image, scale = render.render_page(doc[0], render.ocr_budget(doc[0]), grayscale=True)
        assert time.perf_counter() - start < 5
    finally:
        doc.close()
    assert image.width * image.height <= render.OCR.max_pixels and max(image.size) <= render.OCR.max_side
    assert scale < 300 / 72


def test_an_a4_page_keeps_its_full_resolution() -> None:
    assert render.scale_for(595, 842, render.REVIEW) == render.REVIEW.scale
    assert render.scale_for(595, 842, render.OCR) == render.OCR.scale
