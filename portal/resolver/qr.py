"""QR codes for Digital Links (segno: pure Python, PNG and SVG without Pillow)."""

from __future__ import annotations

import io
from functools import lru_cache

import segno


@lru_cache(maxsize=1024)
def qr_image(url: str, fmt: str) -> tuple[bytes, str]:
    """(bytes, mimetype). Error correction M survives a scuffed label; cached as codes never change."""
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=4, border=4, xmldecl=True, title="Digital Link")
        return buffer.getvalue(), "image/svg+xml"
    code.save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue(), "image/png"
