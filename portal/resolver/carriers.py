"""Data carriers of a Digital Link: the QR code of its URI (qr.py) and the GS1 DataMatrix of its
GS1 element string, (01)…(10)…(21)… with FNC1 in first position and between variable-length values.

zxing-cpp writes the DataMatrix (its bundled zint encoder does GS1 mode properly: FNC1 first, a
group separator after each variable-length AI that is not last) and reads it back in the tests, so
one well-kept library both makes and checks the symbol."""

from __future__ import annotations

import io
import re
from html import escape
from functools import lru_cache
from typing import Optional

import zxingcpp
from PIL import Image

from .qr import qr_image

KINDS = {"qr": "QR code", "datamatrix": "GS1 DataMatrix"}
IMAGE_TYPES = ("svg", "png")
_SVG_SIZE = re.compile(r'<svg width="(\d+)" height="(\d+)"')


class CarrierError(ValueError):
    """The message is shown to whoever asked for the code."""


def element_string(gtin: str, lot: Optional[str] = None, serial: Optional[str] = None) -> str:
    """The human-readable GS1 element string, as printed under the symbol and as scanners report it."""
    return f"(01){gtin}" + (f"(10){lot}" if lot else "") + (f"(21){serial}" if serial else "")


@lru_cache(maxsize=1024)
def datamatrix_image(gtin: str, lot: Optional[str], serial: Optional[str], fmt: str) -> tuple[bytes, str]:
    """(bytes, mimetype) of the GS1 DataMatrix. The encoder is given the AIs in square brackets:
    lots and serials may contain parentheses (GS1 character set 82), square brackets never."""
    bracketed = f"[01]{gtin}" + (f"[10]{lot}" if lot else "") + (f"[21]{serial}" if serial else "")
    symbol = zxingcpp.create_barcode(bracketed, zxingcpp.BarcodeFormat.DataMatrix, gs1=True, forceSquare=True)
    if fmt == "svg":
        # zint's SVG is one unit per module without a viewBox: give it one so it scales cleanly
        svg = symbol.to_svg(add_quiet_zones=True)
        match = _SVG_SIZE.search(svg)
        if match:
            width, height = int(match[1]), int(match[2])
            svg = svg.replace(match[0], f'<svg width="{width * 6}" height="{height * 6}" viewBox="0 0 {width} {height}" '
                                        f'role="img" aria-label="GS1 DataMatrix {escape(element_string(gtin, lot, serial))}"', 1)
        return svg.encode(), "image/svg+xml"
    bitmap = symbol.to_image(scale=8, add_quiet_zones=True)
    rows, columns = bitmap.shape
    picture = Image.frombuffer("L", (columns, rows), bytes(memoryview(bitmap)), "raw", "L", 0, 1)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue(), "image/png"


def code_image(kind: str, fmt: str, link: str, gtin: str, lot: Optional[str] = None,
               serial: Optional[str] = None) -> tuple[bytes, str]:
    """The `kind` of code ("qr": the Digital Link URI, "datamatrix": the element string) as SVG or PNG."""
    if kind not in KINDS:
        raise CarrierError("The code format is “qr” (a QR code of the Digital Link) or “datamatrix” "
                           "(a GS1 DataMatrix of the GTIN, lot and serial number).")
    if fmt not in IMAGE_TYPES:
        raise CarrierError("The image type is “svg” or “png”.")
    if kind == "qr":
        return qr_image(link, fmt)
    return datamatrix_image(gtin, lot, serial, fmt)
