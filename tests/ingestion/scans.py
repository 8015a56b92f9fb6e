"""Scanned pages and photos of generated certificates, for the OCR tests and bench/ocr.py.

A text certificate is drawn with the test PDF writer, rendered to grey pixels as a scanner
would, optionally turned a little (skew) or a lot (a page fed sideways) and speckled with
noise, then wrapped as an image-only PDF or saved as a JPEG, PNG or TIFF.
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFont

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

# Letters the test PDF writer's WinAnsi fonts cannot show (ş, ğ, ı, ł, ą, ę, Chinese): these
# certificates are drawn straight onto the scan with a TrueType font (drawn_scan).
TURKISH = [
    ("SERTİFİKA", 26, True),
    ("Bu belge, aşağıda adı geçen kuruluşun kalite yönetim sisteminin", 12, False),
    ("Anadolu Döküm Sanayi ve Ticaret A.Ş.", 16, True),
    ("Organize Sanayi Bölgesi 3. Cadde No: 12, Kayseri, Türkiye", 11, False),
    ("aşağıdaki standardın şartlarına uygun olduğunu belgeler:", 11, False),
    ("ISO 9001:2015", 18, True),
    ("Kapsam: Pik ve sfero döküm parçaların üretimi ve işlenmesi", 11, False),
    ("Sertifika No: TR-QMS-40517", 11, False),
    ("Düzenleme Tarihi: 14 Şubat 2024", 11, False),
    ("Geçerlilik Tarihi: 13 Şubat 2027", 11, False),
    ("Belgelendirme kuruluşu: Türk Loydu Uygunluk Değerlendirme Hizmetleri A.Ş.", 10, False),
]
POLISH = [
    ("CERTYFIKAT", 26, True),
    ("Niniejszym potwierdza się, że system zarządzania jakością organizacji", 12, False),
    ("Zakłady Mechaniczne Łódź Sp. z o.o.", 16, True),
    ("ul. Włókiennicza 14, 90-412 Łódź, Polska", 11, False),
    ("spełnia wymagania normy", 11, False),
    ("ISO 9001:2015", 18, True),
    ("Zakres: Projektowanie i produkcja części obrabianych skrawaniem", 11, False),
    ("Numer certyfikatu: PL-2024/0815", 11, False),
    ("Data wydania: 3 kwietnia 2024", 11, False),
    ("Ważny do: 2 kwietnia 2027", 11, False),
    ("Jednostka certyfikująca: Polskie Centrum Badań i Certyfikacji S.A.", 10, False),
]
CHINESE = [
    ("认证证书", 26, True),
    ("兹证明", 12, False),
    ("苏州精密机械制造有限公司", 16, True),
    ("地址：江苏省苏州市工业园区星湖街 328 号", 11, False),
    ("质量管理体系符合标准", 11, False),
    ("GB/T 19001-2016 / ISO 9001:2015", 18, True),
    ("认证范围：精密机械零件的设计和制造", 11, False),
    ("证书编号：00124Q31567R2M", 11, False),
    ("颁证日期：2024年3月14日", 11, False),
    ("有效期至：2027年3月13日", 11, False),
    ("中国质量认证中心", 10, False),
]
_FONTS = {"latin": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          "latin-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
          "han": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"}


def drawn_scan(lines: list[tuple[str, float, bool]], script: str = "latin", dpi: int = 200) -> Image.Image:
    """An A4 scan at `dpi` of the lines drawn as certificate_pdf lays them out, in a TrueType font
    (DejaVu Sans for Latin letters beyond WinAnsi, WenQuanYi Micro Hei for Chinese)."""
    scale = dpi / 72
    image = Image.new("L", (round(595.28 * scale), round(841.89 * scale)), 255)
    draw = ImageDraw.Draw(image)
    top = 90.0
    for text, size, bold in lines:
        name = "han" if script == "han" else ("latin-bold" if bold else "latin")
        draw.text((72 * scale, top * scale), text, fill=0, font=ImageFont.truetype(_FONTS[name], round(size * scale)))
        top += size * 2.4
    return image


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
