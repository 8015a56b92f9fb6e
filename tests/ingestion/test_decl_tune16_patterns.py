"""Patterns from a sixteenth tune set of real declarations (RoHS letters, EU declarations of
conformity and laboratory certificates from makers not seen before): a family's model codes in one
labelled value under a list of names in the same order, a RoHS letter that declares "full
conformity with" the directive and that its products "adhere to the requirements" / "do not exceed
the specified limits", a product introduced by a sentence whose colon OCR read as ";", and a
laboratory's RoHS certificate uploaded as a small website image (500 × 700 pixels, about 60 dpi),
and a date typed onto the page with a PDF editor ("Fill & Sign": a text annotation, no part of
the text layer) under "Place and date of issue".
Rebuilt as generated PDFs and images; each test fails on the extractor before these patterns were
handled."""

from __future__ import annotations

import ctypes
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from ingestion import extract_file

try:
    from .pdf_writer import PdfWriter
    from .scans import scan_image
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from scans import scan_image
    from test_cert_patterns import PROMISE, _conf, _extract


def family_doc(w: PdfWriter) -> None:
    """Two products named in one cell and their model codes in the next, in the same order."""
    p = w.page()
    p.centred(70, "EU Declaration of Conformity", 16, True)
    p.text(60, 120, "We", 10)
    p.text(60, 140, "Fjordline Devices AS", 10, True)
    p.text(60, 154, "Sandviksveien 12", 10)
    p.text(60, 168, "5035 Bergen", 10)
    p.text(60, 182, "Norway", 10)
    p.text(60, 210, "hereby declare that the product", 10)
    p.text(60, 236, "Product / name:", 10)
    p.text(60, 252, "NODE V2.0, NODE V2.1", 10)
    p.text(60, 272, "Model number:", 10)
    p.text(60, 288, "FJD-NOD-020, FJD-NOD-021", 10)
    p.text(60, 316, "is in conformity with the relevant Union harmonisation legislation", 10)
    p.text(60, 340, "EMC:", 10).text(300, 340, "EN 55032:2015+A1:2020", 10)
    p.text(300, 354, "EN 55035:2017+A11:2020", 10)
    p.text(60, 440, "Place and date of issue: Bergen, 14 March 2025", 10)


def test_model_codes_listed_in_one_value_are_one_product_each(tmp_path: Path) -> None:
    result = _extract(tmp_path, family_doc, "family_doc")
    assert result["document_type"] == "declaration_of_conformity"
    products = result["record"]["products"]
    # before: one product whose model was "FJD-NOD-020, FJD-NOD-021", promised at 0.9
    assert [p.get("model") for p in products] == ["FJD-NOD-020", "FJD-NOD-021"]
    assert [p.get("name") for p in products] == ["NODE V2.0", "NODE V2.1"]


def unpaired_family_doc(w: PdfWriter) -> None:
    """Two model codes under a single product description: the description names neither alone."""
    p = w.page()
    p.centred(70, "EU Declaration of Conformity", 16, True)
    p.text(60, 120, "Manufacturer: Fjordline Devices AS, Sandviksveien 12, 5035 Bergen, Norway", 10)
    p.text(60, 150, "Product name: Wireless sensor gateway", 10)
    p.text(60, 166, "Model number: FJD-GW-100, FJD-GW-200", 10)
    p.text(60, 196, "The product complies with Directive 2014/53/EU and Directive 2011/65/EU.", 10)
    p.text(60, 300, "Bergen, 2025-03-14", 10)


def test_model_codes_without_matching_names_keep_no_name(tmp_path: Path) -> None:
    result = _extract(tmp_path, unpaired_family_doc, "unpaired_doc")
    products = result["record"]["products"]
    assert [p.get("model") for p in products] == ["FJD-GW-100", "FJD-GW-200"]
    assert not any("name" in p for p in products)


def rohs_letter(w: PdfWriter) -> None:
    """A letter declaring "full conformity with" RoHS 3 for all products; no "comply" anywhere."""
    p = w.page()
    p.text(60, 90, "Fjordline Devices AS", 10, True)
    p.text(60, 104, "Sandviksveien 12", 10)
    p.text(60, 118, "5035 Bergen, Norway", 10)
    p.centred(160, "RoHS Declaration of Conformity", 13, True)
    p.text(60, 200, "We, Fjordline Devices AS, hereby declare our full conformity with the Restriction of Hazardous", 10)
    p.text(60, 214, "Substances Directive (RoHS 3). All products adhere to the requirements outlined in EU", 10)
    p.text(60, 228, "Directive 2015/863, which amends Annex II to Directive 2011/65/EU, ensuring that they do", 10)
    p.text(60, 242, "not exceed the specified limits for restricted substances.", 10)
    p.text(60, 280, "Yours sincerely,", 10)
    p.text(60, 360, "Kari Nordmann, CEO", 10).text(320, 360, "Bergen, 14 March 2025", 10)


def test_full_conformity_with_rohs_is_a_compliance_statement(tmp_path: Path) -> None:
    result = _extract(tmp_path, rohs_letter, "rohs_letter")
    assert result["document_type"] == "rohs"
    assert result["record"]["rohs_compliant"] is True
    assert _conf(result, "/rohs_compliant") >= PROMISE     # the statement names RoHS


def letter_without_rohs_name(w: PdfWriter) -> None:
    """The same wordings without naming RoHS in the sentence: compliant, but not promised."""
    p = w.page()
    p.centred(70, "RoHS Declaration", 14, True)
    p.text(60, 120, "Fjordline Devices AS, Bergen, Norway", 10)
    p.text(60, 160, "Our products adhere to the requirements of the directive named above.", 10)
    p.text(60, 300, "Bergen, 14 March 2025", 10)


def test_adhering_to_the_requirements_without_rohs_in_the_sentence_is_not_promised(tmp_path: Path) -> None:
    result = _extract(tmp_path, letter_without_rohs_name, "rohs_adhere")
    assert result["record"]["rohs_compliant"] is True
    assert _conf(result, "/rohs_compliant") < PROMISE


def introduced_with_semicolon(w: PdfWriter) -> None:
    """The sentence introducing the product ends in ";" (a colon as OCR reads it off a scan)."""
    p = w.page()
    p.text(200, 70, "Declaration of Conformity", 18, True)
    p.text(200, 92, "RED directive (2014/53/EU)", 10)
    p.text(200, 106, "RoHS directive (2011/65/EU)", 10)
    p.text(60, 150, "We, the manufacturer", 10)
    p.text(90, 166, "Fjordline Devices AS", 10)
    p.text(90, 180, "Sandviksveien 12", 10)
    p.text(90, 194, "5035 Bergen", 10)
    p.text(90, 208, "Norway", 10)
    p.text(60, 228, "declare on our sole responsibility that the product with following identification;", 10)
    p.text(90, 244, "LoRa-Bridge-R3", 10, True)
    p.text(60, 262, "to which this declaration relates is in conformity with the essential requirements and other", 10)
    p.text(60, 276, "relevant requirements of the RED directive (2014/53/EU).", 10)
    p.text(60, 420, "Bergen, 18.02.2020", 10)


def test_a_product_introduced_by_a_semicolon_is_read_but_not_promised(tmp_path: Path) -> None:
    result = _extract(tmp_path, introduced_with_semicolon, "semicolon_doc")
    assert result["document_type"] == "declaration_of_conformity"
    assert [p.get("name") for p in result["record"]["products"]] == ["LoRa-Bridge-R3"]
    assert _conf(result, "/products/0/name") < PROMISE


def lab_rohs_certificate(w: PdfWriter) -> None:
    """A testing laboratory's RoHS certificate of conformity for a maker's product, label : value."""
    p = w.page()
    p.centred(80, "CERTIFICATE OF CONFORMITY", 20, True)
    p.text(300, 110, "Certificate No.: FJT240611007RH-02", 10, True)
    p.text(60, 140, "Applicant", 11, True).text(170, 140, ":  Marston Electronics Ltd", 11, True)
    p.text(60, 160, "Address", 11, True).text(170, 160, ":  12 Carrow Road, Norwich NR1 1HS, United Kingdom", 11, True)
    p.text(60, 180, "Manufacturer", 11, True).text(170, 180, ":  Marston Electronics Ltd", 11, True)
    p.text(60, 200, "Product", 11, True).text(170, 200, ":  Optical fibre thermometer", 11, True)
    p.text(60, 230, "RoHS 2.0 Directive (EU) 2015/863 amending Annex II to Directive 2011/65/EU.", 11, True)
    p.text(60, 300, "The EUT described above has been tested by us and found in compliance with the", 11)
    p.text(60, 316, "council RoHS 2.0 Directive (EU) 2015/863 amending Annex II to Directive 2011/65/EU.", 11)
    p.text(330, 420, "Date: Jun. 11, 2024", 11, True)
    p.text(60, 700, "Nordic Testing Laboratory Co., Ltd.", 11, True)


def test_a_small_website_image_of_a_certificate_is_enlarged_for_ocr(tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is needed for the OCR tests: `make system-deps` installs it.", pytrace=False)
    w = PdfWriter()
    lab_rohs_certificate(w)
    small = scan_image(w.save(tmp_path / "lab.pdf"), dpi=60)       # ~500 x 700 pixels, as websites show them
    path = tmp_path / "rohs.jpg"
    small.convert("RGB").save(path, "JPEG", quality=85)
    result = extract_file(path)
    # before: read at its own size, the letters were a few pixels high and the page was refused
    assert result["document_type"] == "rohs"
    record = result["record"]
    assert record["supplier"]["name"] == "Marston Electronics Ltd"
    assert record["declaration_date"] == "2024-06-11"
    assert record["rohs_compliant"] is True


def signed_rohs_letter(w: PdfWriter) -> None:
    """The RoHS letter with its place and date left blank under the label, to be typed in."""
    p = w.page()
    p.text(60, 90, "Fjordline Devices AS", 10, True)
    p.text(60, 104, "Sandviksveien 12, 5035 Bergen, Norway", 10)
    p.centred(160, "RoHS Declaration of Conformity", 13, True)
    p.text(60, 200, "We, Fjordline Devices AS, hereby declare that all our products comply with Directive", 10)
    p.text(60, 214, "2011/65/EU as amended by (EU) 2015/863.", 10)
    p.text(60, 560, "Kari Nordmann", 10).text(320, 560, "Place and date of issue", 10)
    p.text(60, 574, "CEO", 10)


def _type_onto(path: Path, text: str, rect: tuple[float, float, float, float],
               appearance: str = "/Helvetica 12 Tf 0 g") -> Path:
    """Add a FreeText annotation (what "Add text" / "Fill & Sign" in a PDF editor makes)."""
    doc = pdfium.PdfDocument(str(path))
    page = doc[0]           # held: the annotation lives in this page's handle
    try:
        annot = pdfium_c.FPDFPage_CreateAnnot(page.raw, pdfium_c.FPDF_ANNOT_FREETEXT)
        left, bottom, right, top = rect
        box = pdfium_c.FS_RECTF()
        box.left, box.bottom, box.right, box.top = left, bottom, right, top
        pdfium_c.FPDFAnnot_SetRect(annot, box)
        for key, value in ((b"Contents", text), (b"DA", appearance)):
            encoded = (value + "\x00").encode("utf-16-le")
            buffer = (ctypes.c_ubyte * len(encoded)).from_buffer_copy(encoded)
            pdfium_c.FPDFAnnot_SetStringValue(annot, key, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPage_CloseAnnot(annot)
        out = path.with_name("typed_" + path.name)
        doc.save(str(out))
    finally:
        page.close()
        doc.close()
    return out


def test_a_date_typed_onto_the_page_is_read(tmp_path: Path) -> None:
    w = PdfWriter()
    signed_rohs_letter(w)
    # 842 - 590 = 252: the box sits just under "Place and date of issue" (printed 560 pt down)
    path = _type_onto(w.save(tmp_path / "letter.pdf"), "Bergen, 14 March 2025", (318, 252, 470, 270))
    result = extract_file(path)
    assert result["document_type"] == "rohs"
    # before: the typed date was no part of the text layer and the declaration had none
    assert result["record"]["declaration_date"] == "2025-03-14"


def test_a_typed_text_with_a_malformed_font_size_is_still_read(tmp_path: Path) -> None:
    """A malformed appearance ("1..2 Tf") gives the typed words no font size; the page is not damaged."""
    w = PdfWriter()
    signed_rohs_letter(w)
    path = _type_onto(w.save(tmp_path / "letter.pdf"), "Bergen, 14 March 2025", (318, 252, 470, 270),
                      appearance="/Helvetica 1..2 Tf 0 g")
    result = extract_file(path)
    assert result["document_type"] == "rohs"
    assert result["record"]["declaration_date"] == "2025-03-14"
