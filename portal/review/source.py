"""Shows reviewers where a value came from: a PDF page or an image with the value's box drawn on
it, or the spreadsheet cell with its neighbours.

A page is rendered within a pixel budget (ingestion.pdf.render.REVIEW), never at a fixed scale:
a 2 KB PDF can declare a 14,400 pt page, which at scale 1.6 took 15-51 s and 4 GB.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from typing import Callable

from PIL import Image, ImageDraw

from ingestion.limits import DEFAULT_LIMITS
from ingestion.xlsx.workbook import Workbook, a1, parse_a1  # guarded reader, same limits as extraction

#: Rendered pages kept per web process, by (sha256, page, kind): a reviewer clicks through a
#: page's fields one after another. Bounded in pixels (~8 review pages, ~75 MB of RGB).
CACHE_PIXELS = 8 * 2000 * 1600
_cache: OrderedDict[tuple[str, int, str], tuple[Image.Image, float]] = OrderedDict()
_cache_lock = threading.Lock()


def render_source_page(sha256: str, kind: str, page_number: int, bbox: list[float] | None,
                       load: Callable[[], bytes]) -> bytes:
    """PNG of one page (1-based) of a PDF or an image, within the review's pixel budget, with the
    bbox (points from the top left, as extraction gives them) highlighted. ValueError: no such page.
    `load` gives the file's bytes; it is not called when the page is in the cache."""
    image, scale = _page(sha256, kind, page_number, load)
    if bbox and len(bbox) == 4:
        image = image.copy()
        x0, top, x1, bottom = (v * scale for v in bbox)
        draw = ImageDraw.Draw(image, "RGBA")
        draw.rectangle([x0 - 3, top - 3, x1 + 3, bottom + 3], outline=(214, 40, 40, 255), width=3,
                       fill=(255, 214, 0, 70))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _page(sha256: str, kind: str, page_number: int, load: Callable[[], bytes]) -> tuple[Image.Image, float]:
    key = (sha256, page_number, kind)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    rendered = _render_image(load(), page_number) if kind == "image" else _render_pdf(load(), page_number)
    with _cache_lock:
        _cache[key] = rendered
        while sum(img.width * img.height for img, _ in _cache.values()) > CACHE_PIXELS and len(_cache) > 1:
            _cache.popitem(last=False)
    return rendered


def _render_pdf(content: bytes, page_number: int) -> tuple[Image.Image, float]:
    import pypdfium2 as pdfium

    from ingestion.pdf import render

    pdf = pdfium.PdfDocument(content)
    try:
        if not 1 <= page_number <= len(pdf):
            raise ValueError("no such page")
        page = pdf[page_number - 1]
        try:
            return render.render_page(page, render.REVIEW)
        finally:
            page.close()
    finally:
        pdf.close()


def _render_image(content: bytes, page_number: int) -> tuple[Image.Image, float]:
    from ingestion.errors import ExtractionError
    from ingestion.image import frame_count, open_image, page_image
    from ingestion.pdf import render

    try:
        with open_image(content) as image:
            if not 1 <= page_number <= frame_count(image, DEFAULT_LIMITS):
                raise ValueError("no such page")
            frame, scale, _, _ = page_image(image, page_number, render.REVIEW.max_side)
            return frame.convert("RGB"), scale
    except ExtractionError as exc:
        raise ValueError(exc.reason) from exc


def sheet_neighbourhood(path: str, sheet: str, cell: str, radius: int = 2) -> dict | None:
    """The cell and `radius` cells around it: {"columns": [...], "rows": [(n, [values])], "target": …}."""
    try:
        row, col = parse_a1(cell or "")
    except ValueError:
        return None
    with Workbook(path) as book:
        grid = book.sheet(sheet)
        if grid is None:
            return None
        first_row, first_col = max(0, row - radius), max(0, col - radius)
        cols = range(first_col, col + radius + 1)
        rows = [(r + 1, ["" if grid.at(r, c) is None else str(grid.at(r, c))[:80] for c in cols])
                for r in range(first_row, row + radius + 1)]
    return {"columns": [a1(0, c)[:-1] for c in cols], "rows": rows, "target_row": row + 1,
            "target_col": a1(0, col)[:-1], "sheet": sheet, "cell": cell}
