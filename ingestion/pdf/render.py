"""Rendering a PDF page to pixels within a budget: the one place a page becomes a bitmap.

A 2 KB PDF can declare a 14,400 x 14,400 pt page; rendered at a fixed scale that is billions of
pixels (15-51 s and 4 GB). Every render therefore computes its scale from a pixel budget: a
longest side and a total area, whichever binds first.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

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
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        area = max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
        if area >= SCAN_SHARE * width * height and (best is None or area > best.area):
            px_width, px_height = image.get_px_size()
            best = PlacedImage(area, max(px_width / max(right - left, 1.0), px_height / max(top - bottom, 1.0)),
                               (left, height - top, right, height - bottom))
    return best


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
