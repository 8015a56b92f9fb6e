"""Files that are none of our declarations are refused with a reason the supplier can act on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingestion import ExtractionError, extract_file

try:
    from .pdf_writer import PdfWriter
except ImportError:
    from pdf_writer import PdfWriter

ROOT = Path(__file__).resolve().parents[2]


def datasheet(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.text(56, 50, "SR720561W  Four Digit LED Display  Datasheet", 14, True)
    p.text(56, 90, "FEATURES", 11, True)
    for i, line in enumerate(("High intensity and reliability", "Low power requirement and low cost",
                              "IC compatible, easy assembly", "Meet RoHS EU Directive", "ESD (HBM) 1000 V")):
        p.text(70, 106 + 14 * i, line, 10)
    p.text(56, 190, "DESCRIPTION", 11, True)
    p.text(70, 206, "0.56 inch four digits display, common cathode, black face, white segments", 10)
    p.text(56, 240, "Absolute Maximum Ratings", 11, True)
    p.text(70, 256, "Forward voltage 3.2 V typical; operating temperature -40 to 85 C; storage temperature", 10)
    p.text(56, 290, "Package Dimensions", 11, True).text(70, 306, "Tolerance is 0.25 mm unless noted", 10)
    return w.save(tmp_path / "datasheet.pdf")


def sds_page(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.text(56, 40, "SAC305 No Clean Solder Wire 4900 - Safety Data Sheet", 11, True)
    p.text(56, 80, "Section 15: Regulatory Information", 11, True)
    p.text(56, 100, "California Proposition 65: this product does not contain any of the listed substances.", 10)
    p.text(56, 130, "RoHS (Restriction of Hazardous Substances Directive)", 10)
    p.text(56, 144, "This product does not contain any lead, cadmium or mercury and complies with European RoHS.", 10)
    p.text(56, 180, "Section 16: Other Information", 11, True)
    p.text(56, 200, "SDS prepared by the Regulatory Department. Date of Revision: 06 March 2020", 10)
    p.text(56, 214, "Supersedes: 09 July 2019. Section continued on the next page.", 10)
    return w.save(tmp_path / "sds.pdf")


def photo_like(tmp_path: Path) -> Path:
    w = PdfWriter()
    w.page().text(120, 300, "PA66 ROHS", 12).text(120, 320, "M3 x 8 100 pcs", 10)
    return w.save(tmp_path / "photo.pdf")


@pytest.mark.parametrize("build, words", [(datasheet, "product datasheet"), (sds_page, "safety data sheet"),
                                          (photo_like, "photo")])
def test_non_declarations_are_refused_with_what_to_upload(tmp_path: Path, build, words: str) -> None:
    with pytest.raises(ExtractionError) as refused:
        extract_file(build(tmp_path))
    assert refused.value.code == "not_a_declaration"
    assert words in refused.value.reason
    assert "upload" in refused.value.reason


def test_the_command_line_exits_2_with_the_reason(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ingestion", "extract", str(datasheet(tmp_path))], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == ("This looks like a product datasheet, not a declaration — upload the "
                                   "declaration or certificate itself")


def test_a_short_declaration_is_not_taken_for_a_photo(tmp_path: Path) -> None:
    w = PdfWriter()
    w.page().text(56, 60, "We hereby declare that part KX-1 is RoHS compliant. Kite GmbH, 2025-01-02", 10)
    assert extract_file(w.save(tmp_path / "short.pdf"))["document_type"] == "rohs"
