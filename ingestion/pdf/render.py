"""Rendering a PDF page to pixels within a budget: the one place a page becomes a bitmap.

A 2 KB PDF can declare a 14,400 x 14,400 pt page; rendered at a fixed scale that is billions of
pixels (15-51 s and 4 GB). Every render therefore computes its scale from a pixel budget: a
longest side and a total area, whichever binds first.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from math import ceil
from typing import Any, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image


@dataclass(frozen=True)
class PixelBudget:
    scale: float                 # wanted pixels per point (1.0 = 72 dpi)
    max_side: int                # longest side of the bitmap, pixels
    max_pixels: int              # width x height, pixels


#: What a reviewer sees: sharp on a laptop screen, never more than 2,000 px on the long side.
REVIEW = PixelBudget(scale=1.6, max_side=2000, max_pixels=2000 * 1600)
#: What Tesseract reads: 300 dpi, which it is trained for, less when the page is bigger than A3.
OCR = PixelBudget(scale=300 / 72, max_side=5000, max_pixels=12_000_000)
#: A scan is never read below this resolution: 10 pt type keeps an x-height of ~14 px.
OCR_MIN_SCALE = 200 / 72
#: An image covering this share of the page is the scan itself, not a logo.
SCAN_SHARE = 0.3


def ocr_budget(page: pdfium.PdfPage) -> PixelBudget:
    """OCR's budget for this page: the scan's own resolution between 200 and 300 dpi.

    Rendering a 200 dpi scan at 300 dpi adds no detail but 2.25x the pixels Tesseract must read.
    """
    native = scan_scale(page)
    if native is None:
        return OCR
    return PixelBudget(min(OCR.scale, max(OCR_MIN_SCALE, native)), OCR.max_side, OCR.max_pixels)


def scan_scale(page: pdfium.PdfPage) -> float | None:
    """Pixels per point of the largest image covering much of the page, None without one."""
    scan = largest_image(page)
    return scan.scale if scan else None


@dataclass(frozen=True)
class PlacedImage:
    area: float                                   # pt² on the page (clipped to it)
    scale: float                                  # pixels per point
    box: tuple[float, float, float, float]        # x0, top, x1, bottom; origin top left, as words


def largest_image(page: pdfium.PdfPage) -> PlacedImage | None:
    """The largest image covering at least SCAN_SHARE of the page, None without one. Its area is
    clipped to the page: a background drawn larger than the page covers the page, no more."""
    width, height = page.get_size()
    best: PlacedImage | None = None
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    px_width, px_height = ctypes.c_uint(), ctypes.c_uint()
    for image in _image_objects(page):
        if not pdfium_c.FPDFPageObj_GetBounds(image, left, bottom, right, top):
            raise pdfium.PdfiumError("Failed to locate pageobject.")
        l, b, r, t = left.value, bottom.value, right.value, top.value
        area = max(0.0, min(r, width) - max(l, 0.0)) * max(0.0, min(t, height) - max(b, 0.0))
        if area >= SCAN_SHARE * width * height and (best is None or area > best.area):
            if not pdfium_c.FPDFImageObj_GetImagePixelSize(image, px_width, px_height):
                raise pdfium.PdfiumError("Failed to get image size.")
            best = PlacedImage(area, max(px_width.value / max(r - l, 1.0), px_height.value / max(t - b, 1.0)),
                               (l, height - t, r, height - b))
    return best


def _image_objects(page: pdfium.PdfPage) -> Iterator[Any]:
    """The raw handles of the page's image objects, and of those in its forms (one level deep),
    in drawing order. PDFium's own calls, not pypdfium2's page objects: a page of text can hold
    thousands of path and text objects, and a wrapper for each cost more than the search."""
    for index in range(_count(pdfium_c.FPDFPage_CountObjects(page))):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            yield obj
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            for inner in range(_count(pdfium_c.FPDFFormObj_CountObjects(obj))):
                child = pdfium_c.FPDFFormObj_GetObject(obj, inner)
                if pdfium_c.FPDFPageObj_GetType(child) == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    yield child


def _count(objects: int) -> int:
    if objects < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    return objects


def scale_for(width_pt: float, height_pt: float, budget: PixelBudget) -> float:
    """The largest scale not above budget.scale whose bitmap fits the budget's side and area."""
    width_pt, height_pt = max(width_pt, 1.0), max(height_pt, 1.0)
    by_side = budget.max_side / max(width_pt, height_pt)
    by_area = (budget.max_pixels / (width_pt * height_pt)) ** 0.5
    scale = min(budget.scale, by_side, by_area)
    # The renderer rounds each side up to whole pixels: step down until the rounded bitmap fits.
    while ceil(width_pt * scale) * ceil(height_pt * scale) > budget.max_pixels or \
            ceil(max(width_pt, height_pt) * scale) > budget.max_side:
        scale *= 0.995
    return scale


def render_page(page: pdfium.PdfPage, budget: PixelBudget, grayscale: bool = False) -> tuple[Image.Image, float]:
    """The page as a PIL image within the budget, and the scale used (pixels per point)."""
    width, height = page.get_size()
    scale = scale_for(width, height, budget)
    bitmap = page.render(scale=scale, grayscale=grayscale)
    image = bitmap.to_pil()
    return (image.convert("L") if grayscale else image.convert("RGB")), scale
