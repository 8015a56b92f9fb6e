"""How far a scanned page or photo is tilted, so OCR can read it straight (issue 15).

Tesseract's own layout analysis copes with a degree or two; at 6 degrees it ran words of
neighbouring lines together (a certificate's expiry date and issuer were lost) and at 10 it
read nothing. A phone photo taken by hand is often that far off.

The projection-profile method, in Pillow's C code only (no NumPy): on a small ink mask, try
angles and keep the one whose row profile is sharpest — straight text lines give rows of ink
and rows of paper, tilted ones smear into each other. Rows are summed by resizing the mask to
one column (Image.BOX averages), ~1 ms an angle at this size.
"""

from __future__ import annotations

from PIL import Image, ImageOps

#: Widest tilt looked for; a page further off is on its side (orientation detection's job).
MAX_DEGREES = 15.0
#: Below this Tesseract reads as well as after straightening, and resampling only blurs.
MIN_DEGREES = 0.8
#: The best angle's profile must be this much sharper than the page as it is, or it is noise.
MIN_GAIN = 1.15
_SIDE_PX = 900          # ink mask's longer side: text lines stay a few pixels tall at this size
_INK_BELOW = 150        # grey levels darker than this are ink (after stretching the contrast)


def skew_angle(image: Image.Image) -> float:
    """Degrees to rotate `image` counter-clockwise (PIL's `rotate`) to make its text lines level;
    0.0 when it is level, has too little text to tell, or the answer is not clear."""
    mask = _ink_mask(image)
    if mask is None:
        return 0.0
    level = _sharpness(mask, 0.0)
    if level <= 0:
        return 0.0
    coarse = max((_sharpness(mask, a), a) for a in _steps(-MAX_DEGREES, MAX_DEGREES, 1.0))
    fine = max((_sharpness(mask, a), a) for a in _steps(coarse[1] - 1.0, coarse[1] + 1.0, 0.2))
    score, angle = max(coarse, fine)
    if abs(angle) < MIN_DEGREES or score < level * MIN_GAIN:
        return 0.0
    return round(angle, 1)


def straighten(image: Image.Image, angle: float) -> Image.Image:
    """`image` rotated by `angle` about its centre on white paper, same size (so word boxes map
    back with `unskew_box`)."""
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255 if image.mode == "L" else "white")


def unskew_box(bbox: list[float], angle: float, width: float, height: float) -> tuple[float, float, float, float]:
    """A box on the straightened page (width x height) -> the box around it on the page as stored."""
    from math import cos, radians, sin
    c, s = cos(radians(angle)), sin(radians(angle))
    cx, cy = width / 2, height / 2
    x0, top, x1, bottom = bbox
    xs, ys = [], []
    for x, y in ((x0, top), (x1, top), (x0, bottom), (x1, bottom)):
        dx, dy = x - cx, y - cy
        # PIL's rotate(angle) took a stored point d to (dx·c + dy·s, −dx·s + dy·c); this undoes it.
        xs.append(cx + dx * c - dy * s)
        ys.append(cy + dx * s + dy * c)
    return max(0.0, min(xs)), max(0.0, min(ys)), min(width, max(xs)), min(height, max(ys))


def _ink_mask(image: Image.Image) -> Image.Image | None:
    small = image.convert("L") if image.mode != "L" else image.copy()
    small.thumbnail((_SIDE_PX, _SIDE_PX))
    small = ImageOps.autocontrast(small, cutoff=1)
    mask = small.point(lambda v: 255 if v < _INK_BELOW else 0)
    ink = mask.resize((1, 1), Image.BOX).getpixel((0, 0))
    # Almost no ink (a blank page) or mostly ink (a dark photo): nothing to measure lines on.
    return mask if 1 <= ink <= 100 else None


def _sharpness(mask: Image.Image, angle: float) -> float:
    turned = mask.rotate(angle, resample=Image.NEAREST, fillcolor=0) if angle else mask
    rows = turned.resize((1, turned.height), Image.BOX).tobytes()     # one byte a row (mode L)
    return float(sum((b - a) ** 2 for a, b in zip(rows, rows[1:])))


def _steps(start: float, stop: float, step: float) -> list[float]:
    count = int(round((stop - start) / step))
    return [round(start + i * step, 2) for i in range(count + 1)]
