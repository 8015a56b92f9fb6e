"""Photos and image scans (JPEG, PNG, TIFF) of certificates and declarations, read by OCR.

An image is read exactly like a scanned PDF page: the PDF extractors receive the same PdfText,
so a photographed certificate needs no extractor of its own. Each image (each frame of a
multi-page TIFF) is a page whose coordinates are points on an A4-sized sheet: the longer side
is 842 pt whatever the pixel count, so type sizes and boxes mean what they mean on a PDF page.

Bounds (SPEC §7): the pixel count is read from the header and checked before a single pixel is
decoded, so a 1 KB PNG that declares 100,000 x 100,000 pixels is refused in milliseconds; JPEGs
are decoded straight at the reduced size OCR needs (draft mode), not at full size.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Iterator

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import N_, ExtractionError
from .limits import DEFAULT_LIMITS, Limits
from .pdf import ocr
from .pdf.layout import PdfText
from .pdf.preflight import OCR_BUDGET_S, PROBE_PAGES, PdfProbe

FORMATS = ("JPEG", "PNG", "TIFF")
#: The longer side of an image page, in points (A4).
PAGE_LONG_SIDE_PT = 841.89
#: Pixels on the longer side given to OCR: A4 at 300 dpi. A 50-megapixel photo is reduced to this.
OCR_LONG_SIDE_PX = 3508
#: A smaller image is enlarged for OCR by up to this factor (a thumbnail is not made a page) ...
MAX_ENLARGE = 8.0
#: ... and only when that gains at least this much (a 3000-pixel scan is read as it is).
MIN_ENLARGE = 1.5

CORRUPT = N_("The image is damaged or incomplete and cannot be read — take the photo or scan again and upload it")
TOO_LARGE = N_("The image has %(size)s pixels; at most %(limit)d megapixels are accepted — "
               "upload a smaller photo or scan (300 dpi is plenty)")
NO_OCR = N_("Images are read by OCR, which is not available here — upload the certificate or declaration "
          "as a PDF with selectable text")
NO_TEXT = N_("No text could be read from this image — upload a sharper, well-lit photo taken straight on, "
           "or a scan or PDF of the document")


def too_many_pixels(width: int, height: int, limits: Limits) -> str | None:
    """The supplier-facing reason an image of this size is refused, or None when it is accepted."""
    if width * height > limits.max_image_pixels or max(width, height) > limits.max_image_side:
        return TOO_LARGE % {"size": f"{width:,} × {height:,}", "limit": limits.max_image_pixels // 1_000_000}
    return None


def open_image(source: Path | bytes, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """The image, header read and bounds checked, no pixels decoded yet; ExtractionError if refused."""
    try:
        image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except Image.DecompressionBombError as exc:   # Pillow's own guard, at twice its 89-megapixel limit
        raise ExtractionError(TOO_LARGE % {"size": N_("far too many"), "limit": limits.max_image_pixels // 1_000_000},
                              code="too_large") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ExtractionError(CORRUPT, code="corrupt") from exc
    if image.format not in FORMATS:
        image.close()
        raise ExtractionError(CORRUPT, code="corrupt")
    reason = too_many_pixels(image.width, image.height, limits)
    if reason:
        image.close()
        raise ExtractionError(reason, code="too_large")
    return image


def frame_count(image: Image.Image, limits: Limits) -> int:
    return min(getattr(image, "n_frames", 1), limits.max_pages_to_extract)


def page_image(image: Image.Image, number: int, long_side_px: int, limits: Limits = DEFAULT_LIMITS,
               ) -> tuple[Image.Image, float, float, float]:
    """Frame `number` (1-based) upright (EXIF orientation applied), its longer side at most
    `long_side_px`: (image, pixels per point, page width pt, page height pt)."""
    try:
        image.seek(number - 1)
        reason = too_many_pixels(image.width, image.height, limits)   # each TIFF frame has its own size
        if reason:
            raise ExtractionError(reason, code="too_large")
        if image.format == "JPEG":
            image.draft("RGB", (long_side_px, long_side_px))   # decode at 1/2, 1/4, 1/8 size when enough
        frame = ImageOps.exif_transpose(image)
        frame.thumbnail((long_side_px, long_side_px))
        if frame.mode == "I" or frame.mode.startswith("I;16"):
            # 16 bits a pixel (scanners' "48-bit colour/16-bit grey"): Pillow would clip at 255, not scale.
            frame = frame.convert("I").point(lambda v: v / 256).convert("L")
        if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
            # A screenshot or exported PNG with a transparent background: on white paper, not black.
            rgba = frame.convert("RGBA")
            frame = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    except (OSError, ValueError, EOFError, SyntaxError) as exc:
        raise ExtractionError(CORRUPT, code="corrupt") from exc
    # Points from the upright frame's aspect: the longer side is an A4 page's longer side.
    per_point = max(frame.size) / PAGE_LONG_SIDE_PT
    return frame, per_point, frame.width / per_point, frame.height / per_point


def preflight_image(path: Path, limits: Limits = DEFAULT_LIMITS) -> PdfProbe:
    """OCR every page of the image into the PdfText the PDF extractors read."""
    if ocr.tesseract_binary() is None:
        raise ExtractionError(NO_OCR, code="needs_ocr")
    with open_image(Path(path), limits) as image:
        count = frame_count(image, limits)
        pages = ocr.ocr_bitmaps(_bitmaps(image, count, limits), count, OCR_BUDGET_S, limits.ocr_parallel_pages)
        total = getattr(image, "n_frames", 1)
    notes = [N_("Read by OCR from an image: check every value"), *ocr.language_notes(pages)]
    if total > count:
        notes.append(N_("Only the first %(read)d of %(count)d pages were read") % {"read": count, "count": total})
    document = PdfText(pages=pages, page_count=total, ocr=True, notes=notes)
    if not any(page.lines for page in pages):
        raise ExtractionError(NO_TEXT, code="needs_ocr")
    # Kind "pdf": an image is read as a scanned PDF page, by the same extractors.
    return PdfProbe(kind="pdf", path=Path(path), text=document.text(PROBE_PAGES).lower(), document=document)


def _bitmaps(image: Image.Image, count: int, limits: Limits) -> Iterator[tuple[int, ocr.Bitmap, float, float]]:
    for number in range(1, count + 1):
        frame, scale, width_pt, height_pt = page_image(image, number, OCR_LONG_SIDE_PX, limits)
        frame, scale = _enlarged(frame, scale)
        yield number, ocr.Bitmap.of(frame, scale), width_pt, height_pt


def _enlarged(frame: Image.Image, scale: float) -> tuple[Image.Image, float]:
    """A small image of a whole page (a 500 × 700 website copy of a certificate, about 60 dpi)
    enlarged towards A4 at 300 dpi: at its own size the letters are a few pixels high and OCR
    reads names and dates as noise; smoothly enlarged, they read. At most MAX_ENLARGE times."""
    factor = min(OCR_LONG_SIDE_PX / max(frame.size), MAX_ENLARGE)
    if factor < MIN_ENLARGE:
        return frame, scale
    size = (round(frame.width * factor), round(frame.height * factor))
    return frame.resize(size, Image.Resampling.LANCZOS), scale * factor
