"""A tiny PDF writer for tests: Helvetica text at positions, rules, grey images, rotation.

Enough to craft certificates in any layout and hostile files (thousands of pages, truncated),
without a PDF library. Positions are given from the top left, as pdfplumber reports them.
Text is WinAnsi-encoded, so German and French accents work with the standard fonts.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

A4 = (595.28, 841.89)
A4_LANDSCAPE = (841.89, 595.28)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


@dataclass
class PageSpec:
    width: float
    height: float
    rotate: int = 0
    ops: list[bytes] = field(default_factory=list)
    images: list[tuple[int, int, bytes]] = field(default_factory=list)

    def text(self, x: float, top: float, text: str, size: float = 10, bold: bool = False) -> "PageSpec":
        baseline = self.height - top - size * 0.8
        font = b"/F2" if bold else b"/F1"
        self.ops.append(b"BT %s %.2f Tf %.2f %.2f Td (%s) Tj ET" % (font, size, x, baseline, _escape(text)))
        return self

    def centred(self, top: float, text: str, size: float = 10, bold: bool = False) -> "PageSpec":
        # Helvetica's average advance is ~0.5 em: good enough to centre a line by eye.
        return self.text(self.width / 2 - len(text) * size * 0.25, top, text, size, bold)

    def rule(self, x0: float, top0: float, x1: float, top1: float) -> "PageSpec":
        self.ops.append(b"0.5 w %.2f %.2f m %.2f %.2f l S" % (x0, self.height - top0, x1, self.height - top1))
        return self

    def image(self, pixels: bytes, px_width: int, px_height: int) -> "PageSpec":
        """A full-page 8-bit grey image (a scan)."""
        name = len(self.images)
        self.images.append((px_width, px_height, pixels))
        self.ops.append(b"q %.2f 0 0 %.2f 0 0 cm /Im%d Do Q" % (self.width, self.height, name))
        return self


@dataclass
class PdfWriter:
    pages: list[PageSpec] = field(default_factory=list)
    #: The Info dictionary's CreationDate ("20220513104908"), as office software writes it; none by default.
    created: str | None = None

    def page(self, size: tuple[float, float] = A4, rotate: int = 0) -> PageSpec:
        spec = PageSpec(size[0], size[1], rotate)
        self.pages.append(spec)
        return spec

    def build(self) -> bytes:
        objects: list[bytes] = [b"", b""]          # 1: catalog, 2: page tree (filled in last)
        fonts = []
        for base in (b"Helvetica", b"Helvetica-Bold"):
            objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % base)
            fonts.append(len(objects))
        font_dict = b"/Font << /F1 %d 0 R /F2 %d 0 R >>" % tuple(fonts)
        kids = []
        shared: dict[bytes, int] = {}              # identical pages share one content stream
        for spec in self.pages:
            content = b"\n".join(spec.ops)
            if content not in shared or spec.images:
                objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
                shared[content] = len(objects)
            xobjects = []
            for w, h, pixels in spec.images:
                data = zlib.compress(pixels)
                objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                               b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                               % (w, h, len(data), data))
                xobjects.append(b"/Im%d %d 0 R" % (len(xobjects), len(objects)))
            resources = font_dict + (b" /XObject << %s >>" % b" ".join(xobjects) if xobjects else b"")
            objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Rotate %d "
                           b"/Resources << %s >> /Contents %d 0 R >>"
                           % (spec.width, spec.height, spec.rotate, resources, shared[content]))
            kids.append(len(objects))
        objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
        objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % k for k in kids), len(kids))
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        info = b""
        if self.created:
            offsets.append(len(out))
            objects.append(b"<< /CreationDate (D:%s) >>" % self.created.encode())
            out += b"%d 0 obj\n%s\nendobj\n" % (len(objects), objects[-1])
            info = b" /Info %d 0 R" % len(objects)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
        return bytes(out)

    def save(self, path: Path) -> Path:
        path.write_bytes(self.build())
        return path
