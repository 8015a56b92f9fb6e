"""A text layer that covers only part of a page's image: the page is OCR'd as well and the image's
own words are added, while the text layer's words are kept as they are (issue 15).

Fixtures are generated: a certificate is drawn, rendered to a grey scan, and wrapped as a page
whose text layer repeats only some of its lines, at the places the scan shows them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion.limits import Limits
from ingestion.pdf.preflight import preflight_pdf
from ingestion.pdf.textlayer import read_text_layer
from ingestion.pipeline import extract_file as extract

from .pdf_writer import PdfWriter
from .scans import ENGLISH, certificate_pdf, scan_image

#: Lines only the image has: the scheme set as a graphic and the issuer's name in a footer.
IMAGE_ONLY = {"ISO 9001:2015", "Issued by Example Certification Services Ltd."}


@pytest.fixture(autouse=True)
def _tesseract() -> None:
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is needed for the OCR tests: `make system-deps` installs it.", pytrace=False)


def layered_pdf(tmp_path: Path, image_lines: list[tuple[str, float, bool]],
                text_lines: list[tuple[str, float, bool]], name: str = "layered.pdf") -> Path:
    """A page showing `image_lines` as a scan, with a text layer of `text_lines` drawn where
    certificate_pdf sets them (the text layer is on top, as a PDF exported with a background has it)."""
    scan = scan_image(certificate_pdf(tmp_path / f"image-{name}", image_lines))
    w = PdfWriter()
    page = w.page((scan.width * 72 / 200, scan.height * 72 / 200)).image(scan.tobytes(), scan.width, scan.height)
    top = 90.0
    for (text, size, bold), (layer_text, _, _) in zip(image_lines, text_lines):
        if layer_text:
            page.text(72, top, layer_text, size, bold=bold)
        top += size * 2.4
    return w.save(tmp_path / name)


def _without_image_only(lines: list[tuple[str, float, bool]]) -> list[tuple[str, float, bool]]:
    return [("" if text in IMAGE_ONLY else text, size, bold) for text, size, bold in lines]


def test_words_only_in_the_image_are_added_and_the_text_layers_are_kept(tmp_path: Path) -> None:
    path = layered_pdf(tmp_path, ENGLISH, _without_image_only(ENGLISH))
    layer = read_text_layer(path, 5)
    assert layer.unreadable == [] and layer.partial == [1]

    page = preflight_pdf(path, Limits()).document.pages[0]
    words = [w for line in page.lines for w in line.words]
    text = " ".join(w.text for w in words)
    assert "Example Certification Services" in text and "9001:2015" in text
    # a word both layers have appears once, as the text layer's (certain) word
    northwind = [w for w in words if w.text == "Northwind"]
    assert len(northwind) == 1 and northwind[0].conf == 1.0
    assert [w.conf for w in words if w.text == "Example"][0] < 1.0
    assert not page.ocr

    result = extract(path)
    fields = result["fields"]
    assert fields["/scheme"]["value"] == "iso_9001"
    assert fields["/issuer/name"]["value"] == "Example Certification Services Ltd."
    assert fields["/certificate_number"]["value"] == "Q73-897926"
    assert fields["/certificate_number"]["confidence"] >= 0.9          # read from the text layer
    assert fields["/issuer/name"]["confidence"] < 0.9                 # read from OCR'd words
    assert any("added" in w["message"] for w in result["warnings"])


def test_ocr_never_replaces_a_word_the_text_layer_has(tmp_path: Path) -> None:
    # The scan shows another number where the text layer has the right one (as when OCR reads a
    # certificate number as junk): the text layer's wins, the image's reading is dropped.
    image = [(t.replace("Q73-897926", "Q78-000000"), s, b) for t, s, b in ENGLISH]
    path = layered_pdf(tmp_path, image, _without_image_only(ENGLISH))
    text = preflight_pdf(path, Limits()).document.text()
    assert "Q73-897926" in text and "000000" not in text
    assert extract(path)["fields"]["/certificate_number"]["value"] == "Q73-897926"


def test_a_full_text_layer_over_a_background_is_not_ocrd(tmp_path: Path) -> None:
    # Every line in the text layer, and a long scope: dense enough that OCR would add nothing.
    lines = ENGLISH + [("Scope: " + "design, machining and assembly of precision parts; " * 2, 9, False)] * 8
    path = layered_pdf(tmp_path, lines, lines)
    layer = read_text_layer(path, 5)
    assert layer.unreadable == [] and layer.partial == []
    assert not any("OCR" in note for note in preflight_pdf(path, Limits()).document.notes)


def test_a_stamp_of_text_on_a_scan_keeps_its_words_and_ocr_reads_the_rest(tmp_path: Path) -> None:
    # Only the certificate number is in the text layer (under 300 characters: a stamp); the scan
    # prints it in a way OCR misreads. The page is read by OCR, but the stamp's words stay.
    image = [(t.replace("Q73-897926", "Q78-000000"), s, b) for t, s, b in ENGLISH]
    stamp = [(t if t.startswith("Certificate No.") else "", s, b) for t, s, b in ENGLISH]
    path = layered_pdf(tmp_path, image, stamp)
    assert read_text_layer(path, 5).partial == [1]
    fields = extract(path)["fields"]
    assert fields["/certificate_number"]["value"] == "Q73-897926"
    assert fields["/holder/name"]["value"] == "Northwind Components Ltd."
    assert fields["/expiry_date"]["value"] == "2027-03-13"
