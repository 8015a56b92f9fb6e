"""Scanned pages and photos of generated certificates, for the OCR tests and bench/ocr.py.

A text certificate is drawn with the test PDF writer, rendered to grey pixels as a scanner
would, optionally turned a little (skew) or a lot (a page fed sideways) and speckled with
noise, then wrapped as an image-only PDF or saved as a JPEG, PNG or TIFF.
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops

try:
    from .pdf_writer import PdfWriter
except ImportError:
    from pdf_writer import PdfWriter

ENGLISH = [
    ("CERTIFICATE", 26, True),
    ("This is to certify that the management system of", 12, False),
    ("Northwind Components Ltd.", 16, True),
    ("12 Harbour Road, Leeds LS1 4AB, United Kingdom", 11, False),
    ("has been assessed and found to conform to the requirements of", 11, False),
    ("ISO 9001:2015", 18, True),
    ("Scope: Design and manufacture of precision machined parts", 11, False),
    ("Certificate No.: Q73-897926", 11, False),
    ("Date of issue: 14 March 2024", 11, False),
    ("Valid until: 13 March 2027", 11, False),
    ("Issued by Example Certification Services Ltd.", 10, False),
]
GERMAN = [
    ("ZERTIFIKAT", 26, True),
    ("Hiermit wird bescheinigt, dass das Unternehmen", 12, False),
    ("Müller Präzisionsteile GmbH", 16, True),
    ("Industriestraße 5, 70565 Stuttgart, Deutschland", 11, False),
    ("ein Managementsystem nach der folgenden Norm eingeführt hat und anwendet:", 11, False),
    ("ISO 14001:2015", 18, True),
    ("Anwendungsbereich: Entwicklung und Fertigung von Drehteilen", 11, False),
    ("Zertifikat-Nr.: 12 104 56789 TMS", 11, False),
    ("Ausstellungsdatum: 02.05.2024", 11, False),
    ("Gültig bis: 01.05.2027", 11, False),
    ("Die Zertifizierungsstelle der TÜV SÜD Management Service GmbH", 10, False),
]


def certificate_pdf(path: Path, lines: list[tuple[str, float, bool]] = ENGLISH) -> Path:
    w = PdfWriter()
    page = w.page()
    top = 90.0
    for text, size, bold in lines:
        page.text(72, top, text, size, bold=bold)
        top += size * 2.4
    return w.save(path)


def scan_image(text_pdf: Path, dpi: int = 200, skew: float = 0.0, turn: int = 0, noise: float = 0.0,
               page: int = 1, seed: int = 0) -> Image.Image:
    """Page `page` of a text PDF as a grey scan: `skew` degrees off, turned `turn` degrees, noisy."""
    doc = pdfium.PdfDocument(str(text_pdf))
    try:
        image = doc[page - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    if skew:
        image = image.rotate(skew, expand=True, fillcolor=255, resample=Image.BICUBIC)
    if turn:
        image = image.rotate(turn, expand=True)
    if noise:
        # Dark specks on ~0.6 % of the pixels (where Gaussian noise would run past 2.5 sigma): dust
        # and toner on a scanner's glass. Seeded, so a test sees the same specks every run (Pillow's
        # effect_noise is not, and one draw in six cost the OCR a date).
        rng = random.Random(f"{seed}:{image.size}")
        specks = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
        specks = specks.point(lambda v: 60 if v < 2 else 255)
        image = ImageChops.darker(image, specks)
    return image


def scanned_pdf(images: list[Image.Image], out: Path, page_size: tuple[float, float] | None = None) -> Path:
    """An image-only PDF, one image per page; pages take the image's aspect at 72 pt per inch of 200 dpi."""
    w = PdfWriter()
    for image in images:
        size = page_size or (image.width * 72 / 200, image.height * 72 / 200)
        w.page(size).image(image.tobytes(), image.width, image.height)
    return w.save(out)
