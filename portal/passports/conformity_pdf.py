"""An EU declaration of conformity as PDF, written from a passport's data in the layout of
Decision 768/2008/EC Annex III (product, manufacturer, sole responsibility, object, legislation,
standards, notified body, signature). "Label: value" lines, one per line, so that our own
declaration_of_conformity extractor (and any reader) finds the fields again.

reportlab (BSD) draws the PDF: its built-in Helvetica needs no font files."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .errors import StoreError

MARGIN = 20 * mm
FONT, BOLD = "Helvetica", "Helvetica-Bold"


@dataclass
class Signature:
    name: str
    title: str
    place: str
    on: date


def missing_fields(data: dict[str, Any]) -> list[dict[str, str]]:
    """What a declaration needs from the passport and the passport lacks (as API findings)."""
    found = []
    if not (data.get("product") or {}).get("name"):
        found.append({"path": "/data/product/name", "message": "the product's name is needed"})
    if not (data.get("manufacturer") or {}).get("name"):
        found.append({"path": "/data/manufacturer/name", "message": "the manufacturer's name is needed"})
    if not (data.get("compliance") or {}).get("eu_directives"):
        found.append({"path": "/data/compliance/eu_directives", "message": "name the Union legislation declared"})
    return found


def declaration_pdf(data: dict[str, Any], identity: dict[str, Optional[str]], signature: Signature) -> bytes:
    """The PDF bytes. Raises VALIDATION when the passport lacks what a declaration must state."""
    missing = missing_fields(data)
    if missing:
        raise StoreError("VALIDATION", "The passport lacks what a declaration of conformity must state.", missing)
    product, maker = data.get("product") or {}, data.get("manufacturer") or {}
    compliance = data.get("compliance") or {}
    page = _Page()
    page.heading("EU Declaration of Conformity", 16)
    page.gap()
    page.line("1. Product")
    page.pair("Product", product["name"])
    if product.get("part_number") or product.get("model"):
        page.pair("Model", product.get("part_number") or product["model"])
    if identity.get("gtin"):
        page.pair("GTIN", identity["gtin"] + "".join(f", {k} {v}" for k, v in identity.items()
                                                    if k != "gtin" and v))
    page.gap()
    page.line("2. Name and address of the manufacturer")
    page.pair("Manufacturer", maker["name"])
    address = ", ".join(v for v in (maker.get("address"), maker.get("country_code")) if v)
    if address:
        page.pair("Address", address)
    page.gap()
    page.paragraph("3. This declaration of conformity is issued under the sole responsibility of the manufacturer.")
    page.paragraph("4. Object of the declaration: the product identified above.")
    page.paragraph("5. The object of the declaration described above is in conformity with the relevant "
                   "Union harmonisation legislation:")
    for act in compliance["eu_directives"]:
        page.line(f"    {_act_name(act)}")
    standards = compliance.get("eu_standards") or []
    if standards:
        page.paragraph("6. References to the relevant harmonised standards used:")
        for standard in standards:
            page.line(f"    {standard}")
    if compliance.get("eu_notified_body"):
        page.paragraph(f"7. Notified body: {compliance['eu_notified_body']}")
    page.gap()
    page.line(f"Signed for and on behalf of {maker['name']}")
    page.pair("Place of issue", signature.place)
    page.pair("Date of issue", signature.on.isoformat())
    page.pair("Name", signature.name)
    page.pair("Function", signature.title)
    return page.done()


def _act_name(act: str) -> str:
    """"2014/30/EU" → "Directive 2014/30/EU"; "(EU) 2023/1542" → "Regulation (EU) 2023/1542"."""
    return f"Regulation {act}" if act.startswith("(") else f"Directive {act}"


class _Page:
    """Top-down lines on A4 pages, wrapped at the margin."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.canvas = Canvas(self.out, pagesize=A4, invariant=True)   # same data → same bytes
        self.canvas.setTitle("EU Declaration of Conformity")
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def _write(self, text: str, font: str = FONT, size: float = 10.5) -> None:
        if self.y < MARGIN:
            self.canvas.showPage()
            self.y = self.height - MARGIN
        self.canvas.setFont(font, size)
        self.canvas.drawString(MARGIN, self.y, text)
        self.y -= size * 1.5

    def heading(self, text: str, size: float) -> None:
        self._write(text, BOLD, size)

    def line(self, text: str) -> None:
        self._write(text)

    def pair(self, label: str, value: str) -> None:
        self._write(f"{label}: {value}")

    def gap(self) -> None:
        self.y -= 6

    def paragraph(self, text: str) -> None:
        limit, words, current = self.width - 2 * MARGIN, text.split(), ""
        for word in words:
            trial = f"{current} {word}".strip()
            if stringWidth(trial, FONT, 10.5) > limit and current:
                self._write(current)
                current = word
            else:
                current = trial
        if current:
            self._write(current)

    def done(self) -> bytes:
        self.canvas.save()
        return self.out.getvalue()
