"""Shows reviewers where a value came from: a PDF page with the value's box drawn on it, or the
spreadsheet cell with its neighbours."""

from __future__ import annotations

import io

from ingestion.xlsx.workbook import Workbook, a1, parse_a1  # guarded reader, same limits as extraction

RENDER_SCALE = 1.6


def render_pdf_page(content: bytes, page_number: int, bbox: list[float] | None) -> bytes:
    """PNG of one page (1-based), with the bbox (pdfplumber coordinates, points from top-left)."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    pdf = pdfium.PdfDocument(content)
    try:
        if not 1 <= page_number <= len(pdf):
            raise ValueError("no such page")
        image = pdf[page_number - 1].render(scale=RENDER_SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    if bbox and len(bbox) == 4:
        x0, top, x1, bottom = (v * RENDER_SCALE for v in bbox)
        draw = ImageDraw.Draw(image, "RGBA")
        draw.rectangle([x0 - 3, top - 3, x1 + 3, bottom + 3], outline=(214, 40, 40, 255), width=3,
                       fill=(255, 214, 0, 70))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


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
