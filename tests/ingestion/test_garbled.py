"""A garbled text layer is recognised per page, and that page is read by OCR instead (issue 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion.limits import Limits
from ingestion.pdf.garbled import garbled_reason
from ingestion.pdf.preflight import preflight_pdf

from .pdf_writer import PdfWriter
from .scans import ENGLISH, certificate_pdf, scan_image

SENTENCE = ("This is to certify that the management system of Northwind Components Ltd. has been assessed "
            "and found to conform to the requirements of ISO 9001:2015 for the design of machined parts. ")


def caesar(text: str, shift: int = -29) -> str:
    """What a CID font without a ToUnicode map often gives: glyph ids read as character codes."""
    return "".join(chr(max(33, ord(c) + shift)) if c.isalpha() else c for c in text)


@pytest.mark.parametrize("text", [
    SENTENCE,
    "Hiermit wird bescheinigt, dass das Unternehmen Müller Präzisionsteile GmbH ein Managementsystem "
    "eingeführt hat und anwendet. Gültig bis: 01.05.2027. Zertifikat-Nr.: 12 104 56789 TMS",
    "Niniejszym zaświadcza się, że system zarządzania jakością organizacji spełnia wymagania normy. Ważny do 2027",
    "本公司声明所供应的产品符合欧盟RoHS指令的要求，不含有超过限量的有害物质。" * 2,
    "https://s3.amazonaws.com/helpscout.net/docs/assets/59f1de7804286/images/ROHS-Certificate-of-Compliance.jpg "
    + SENTENCE,
    "Page 1",
])
def test_ordinary_text_in_any_language_is_not_garbled(text: str) -> None:
    assert garbled_reason(text) is None


@pytest.mark.parametrize(("text", "reason"), [
    (SENTENCE.replace("e", "\ufffd"), "replacement characters"),
    ("".join(chr(0xE000 + ord(c) % 200) if c.isalpha() else c for c in SENTENCE), "private-use glyphs"),
    ("".join(chr(1 + ord(c) % 30) if c.isalpha() else c for c in SENTENCE), "glyph numbers instead of letters"),
    (caesar(SENTENCE), "letters that spell no words"),
    (SENTENCE.replace(" ", "") + " " + SENTENCE.replace(" ", ""), "words run together"),
])
def test_garbage_is_named(text: str, reason: str) -> None:
    assert garbled_reason(text) == reason


def test_a_page_with_glyph_soup_is_read_by_ocr_and_its_neighbour_from_its_text(tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is needed for the OCR tests: `make system-deps` installs it.", pytrace=False)
    # Page 1: a scan of a certificate under a text layer of glyph ids (invisible text, as a PDF
    # made by a printer driver has it); page 2: plain text.
    scan = scan_image(certificate_pdf(tmp_path / "c.pdf", ENGLISH))
    w = PdfWriter()
    page = w.page((scan.width * 72 / 200, scan.height * 72 / 200)).image(scan.tobytes(), scan.width, scan.height)
    for i, (text, _, _) in enumerate(ENGLISH * 2):
        page.text(72, 700 + i * 4, caesar(text), 3)
    w.page().text(72, 72, "Annex: list of sites covered by certificate Q73-897926", 10)
    probe = preflight_pdf(w.save(tmp_path / "garbled.pdf"), Limits())
    first, second = probe.document.pages
    assert first.ocr and not second.ocr
    assert "Northwind Components Ltd." in " ".join(line.text for line in first.lines)
    assert any("garbled" in note or "unreadable" in note for note in probe.document.notes)
    assert "annex: list of sites" in probe.text
