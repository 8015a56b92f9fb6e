"""Data carriers of a Digital Link: the QR code of its URI and the GS1 DataMatrix of its
GS1 element string, (01)…(10)…(21)… with FNC1 in first position and between variable-length values.

zxing-cpp writes the DataMatrix (its bundled zint encoder does GS1 mode properly: FNC1 first, a
group separator after each variable-length AI that is not last) and reads it back in the tests, so
one well-kept library both makes and checks the symbols."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from html import escape
from functools import lru_cache
from typing import Optional

import zxingcpp
from PIL import Image

KINDS = {"qr": "QR code", "datamatrix": "GS1 DataMatrix"}
IMAGE_TYPES = ("svg", "png")
_SVG_SIZE = re.compile(r'<svg width="(\d+)" height="(\d+)"')


class CarrierError(ValueError):
    """The message is shown to whoever asked for the code."""


def element_string(gtin: str, lot: Optional[str] = None, serial: Optional[str] = None) -> str:
    """The human-readable GS1 element string, as printed under the symbol and as scanners report it."""
    return f"(01){gtin}" + (f"(10){lot}" if lot else "") + (f"(21){serial}" if serial else "")


def _render(symbol: zxingcpp.Barcode, fmt: str, label: str) -> tuple[bytes, str]:
    if fmt == "svg":
        # zint's SVG is one unit per module without a viewBox: give it one so it scales cleanly
        svg = symbol.to_svg(add_quiet_zones=True)
        match = _SVG_SIZE.search(svg)
        if match:
            width, height = int(match[1]), int(match[2])
            svg = svg.replace(match[0], f'<svg width="{width * 6}" height="{height * 6}" viewBox="0 0 {width} {height}" '
                                        f'role="img" aria-label="{escape(label)}"', 1)
        return svg.encode(), "image/svg+xml"
    bitmap = symbol.to_image(scale=8, add_quiet_zones=True)
    rows, columns = bitmap.shape
    picture = Image.frombuffer("L", (columns, rows), bytes(memoryview(bitmap)), "raw", "L", 0, 1).convert("1")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")   # 1 bit per pixel; optimize=True would triple the time for a few bytes
    return buffer.getvalue(), "image/png"


@lru_cache(maxsize=1024)
def qr_image(url: str, fmt: str) -> tuple[bytes, str]:
    """(bytes, mimetype) of the QR code of a Digital Link URI. Error correction M survives a scuffed
    label; cached as codes never change. zxing-cpp encodes it ~5x faster than segno, which counts in
    a batch of a thousand."""
    symbol = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ecLevel="M")
    return _render(symbol, fmt, "QR code of the Digital Link " + url)


@lru_cache(maxsize=1024)
def datamatrix_image(gtin: str, lot: Optional[str], serial: Optional[str], fmt: str) -> tuple[bytes, str]:
    """(bytes, mimetype) of the GS1 DataMatrix. The encoder is given the AIs in square brackets:
    lots and serials may contain parentheses (GS1 character set 82), square brackets never."""
    bracketed = f"[01]{gtin}" + (f"[10]{lot}" if lot else "") + (f"[21]{serial}" if serial else "")
    symbol = zxingcpp.create_barcode(bracketed, zxingcpp.BarcodeFormat.DataMatrix, gs1=True, forceSquare=True)
    return _render(symbol, fmt, "GS1 DataMatrix " + element_string(gtin, lot, serial))


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


def _file_name(index: int, serial: str) -> str:
    """Server-made: the position keeps names unique, the serial (made file-safe) keeps them readable."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in serial)
    return f"{index:05d}_{safe}"


def codes_zip(items: list[dict[str, Optional[str]]], fmt: str) -> bytes:
    """A ZIP of a QR code and a GS1 DataMatrix per item plus manifest.csv (serial, Digital Link URI,
    element string, file names, passport id, result). `items`: dicts with serial, link, gtin, lot,
    id and result."""
    if fmt not in IMAGE_TYPES:
        raise CarrierError("The image type is “svg” or “png”.")
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(["serial", "digital_link", "element_string", "qr_file", "datamatrix_file", "passport_id", "result"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, item in enumerate(items, start=1):
            name = _file_name(index, item["serial"] or "")
            qr_file, dm_file = f"qr/{name}.{fmt}", f"datamatrix/{name}.{fmt}"
            archive.writestr(qr_file, code_image("qr", fmt, item["link"], item["gtin"])[0])
            archive.writestr(dm_file, datamatrix_image(item["gtin"], item["lot"], item["serial"], fmt)[0])
            writer.writerow([item["serial"], item["link"], element_string(item["gtin"], item["lot"], item["serial"]),
                             qr_file, dm_file, item.get("id") or "", item.get("result") or ""])
        archive.writestr("manifest.csv", manifest.getvalue())
    return buffer.getvalue()
