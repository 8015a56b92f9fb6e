"""Patterns from a second tune set of real declarations (component makers' RoHS letters and
certificates, laboratories' RoHS certificates of conformity, certification bodies' RoHS
certificates, a REACH SVHC notice, a DoC inside a datasheet), rebuilt as generated PDFs: a
laboratory's certificate that products were "found compliance with" the RoHS Directive, printed
with its report's small print (report number, test method, sample description); a certification
body's name wrapped under its seal, leaving a line that is only "LIMITED"; a holder "found to be
conforming the requirements of" RoHS; and a datasheet whose declaration of conformity stands on one
page while a test table with a "DATE" column stands on another. Each test fails if the pattern is
typed or read wrongly, or promised (>= 0.9) when it cannot be checked."""

from __future__ import annotations

from pathlib import Path

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import PROMISE, _conf, _extract


def lab_coc(w: PdfWriter) -> None:
    """A laboratory's one-page RoHS certificate of conformity under its report's small print."""
    p = w.page()
    p.text(40, 40, "Note: This certification is part of the full test report(s) and should be read in", 7)
    p.text(40, 50, "conjunction with it. It does not permit the use of the test lab logo.", 7)
    p.text(40, 60, "Marlow Product Testing Service Co., Ltd.  Room 5, Riverside Avenue, Dongguan", 7)
    p.centred(110, "CERTIFICATE OF CONFORMITY", 18, True)
    p.centred(134, "NO.: M240311002-2A", 10)
    p.text(50, 170, "The following products have been tested by us and found compliance with the RoHS Directive", 10)
    p.text(50, 184, "2011/65/EU Annex II amending Annex (EU) 2015/863.", 10)
    p.text(50, 214, "Applicant : QINGHE CIRCUIT TECHNOLOGY CO.,LTD.", 10)
    p.text(50, 230, "Sample name : PCB", 10)
    p.text(50, 246, "Sample description : Immersion tin", 10)
    p.text(50, 262, "Manufacturer : QINGHE CIRCUIT TECHNOLOGY CO.,LTD.", 10)
    p.text(50, 278, "Report No : M240311002-1A", 10)
    p.text(50, 294, "Test method : IEC 62321-5:2013 & IEC 62321-4:2013+A1:2017", 10)
    p.text(50, 360, "Signature: ..............  Technical director", 10)
    p.text(50, 376, "Signed for and on behalf of Marlow Product Testing Service Co., Ltd", 10)
    p.text(50, 392, "Mar 18, 2024", 10)


def test_a_laboratory_certificate_that_found_compliance_is_a_rohs_declaration(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_coc, "lab_coc")
    record = result["record"]
    # its report's small print (report no., test method, sample description) does not make it a report to refuse
    assert result["document_type"] == "rohs"
    assert record["rohs_compliant"] is True
    assert record["supplier"]["name"] == "QINGHE CIRCUIT TECHNOLOGY CO.,LTD."     # the maker, not the laboratory
    assert record["declaration_date"] == "2024-03-18"


def body_certificate(w: PdfWriter) -> None:
    """A certification body's RoHS certificate: the holder under "This is to certify that", the
    body's own name wrapped over two lines under its seal at the foot of the page."""
    p = w.page()
    p.centred(80, "Certificate of Registration", 24, True)
    p.centred(120, "This is to certify that", 11, True)
    p.centred(150, "TAMBRA FITTINGS PVT. LTD.", 14, True)
    p.centred(172, "PLOT NO. 12, G.I.D.C. PHASE II, JAMNAGAR - 361004 GUJARAT INDIA.", 9)
    p.centred(186, "has been assessed and found to be conforming the requirements of the", 9)
    p.centred(204, "RoHS Directive 2011/65/EU on the basis of Products Testing as per Test Standards.", 10)
    p.centred(250, "RoHS", 40, True)
    p.centred(300, "Compliance for the scope of Brass Valves and Pipe Fittings", 11, True)
    p.text(300, 360, "Registration Number : QSR-20459911", 10)
    p.text(300, 376, "Initial Certification Date : 09 Mar 2021", 10)
    p.text(300, 392, "Certification Expiry Date : 08 Mar 2024", 10)
    p.text(80, 700, "NORWICK ASSESSMENT", 9, True)
    p.text(110, 712, "LIMITED", 9, True)
    p.text(80, 724, "12 Old Street, London, EC1V 9HL, ENGLAND", 7)


def test_a_wrapped_legal_form_is_no_supplier_and_conforming_is_compliant(tmp_path: Path) -> None:
    result = _extract(tmp_path, body_certificate, "body_certificate")
    record = result["record"]
    assert result["document_type"] == "rohs"
    # "LIMITED" alone under the body's seal names nobody; the holder's line does
    assert record["supplier"]["name"] == "TAMBRA FITTINGS PVT. LTD."
    assert record["rohs_compliant"] is True        # "found to be conforming the requirements of … RoHS"


def not_conforming_certificate(w: PdfWriter) -> None:
    p = w.page()
    p.centred(80, "RoHS Statement", 20, True)
    p.text(60, 130, "Tambra Fittings Pvt. Ltd. hereby declares that the brass valves listed below are", 10)
    p.text(60, 144, "not in conformance with RoHS Directive 2011/65/EU: their brass holds lead above the limit", 10)
    p.text(60, 158, "of the directive and no exemption is claimed for them in this statement.", 10)
    p.text(60, 180, "Part number: TV-2040, TV-2041", 10)
    p.text(60, 200, "Date: 09 Mar 2021", 10)
    p.text(60, 220, "Signed on behalf of Tambra Fittings Pvt. Ltd.", 10)


def test_not_in_conformance_is_a_denial(tmp_path: Path) -> None:
    result = _extract(tmp_path, not_conforming_certificate, "not_conforming")
    assert result["record"].get("rohs_compliant") is not True


def datasheet_with_doc(w: PdfWriter) -> None:
    """A power supply's datasheet: specification, then the EU DoC dated under its signatures
    ("(Place) (Date)" labels below the values), a diagram, then a test table with a DATE column."""
    p = w.page()
    p.centred(60, "SPECIFICATION", 16, True)
    p.text(60, 100, "MODEL  PS-20-5  PS-20-12  PS-20-24", 10)
    p.text(60, 116, "DC VOLTAGE  5V  12V  24V", 10)
    p.text(60, 132, "RATED CURRENT  3A  1.67A  0.83A", 10)
    q = w.page()
    q.centred(60, "Declaration of Conformity", 18, True)
    q.text(60, 100, "For the following equipment:", 10)
    q.text(60, 116, "Product Name: Din-Rail Power Supply", 10)
    q.text(60, 132, "Model Designation: PS-20-X (X=5,12,24)", 10)
    q.text(60, 148, "is herewith confirmed to comply with the requirements set out in the Council Directive:", 10)
    q.text(70, 164, "RoHS Directive (2011/65/EU), (EU)2015/863", 10)
    q.text(70, 180, "Low Voltage Directive (2014/35/EU): EN 62368-1:2014", 10)
    q.text(70, 196, "EMC Directive (2014/30/EU): EN 55032:2015 Class B", 10)
    q.text(60, 260, "Person responsible for marking this declaration:", 10)
    q.text(60, 276, "Hollin Power Co., Ltd.", 10)
    q.text(60, 290, "(Manufacturer Name)", 8)
    q.text(60, 330, "Taiwan  Aug. 14th, 2020", 10)
    q.text(60, 344, "(Place)  (Date)", 8)
    b = w.page()
    b.centred(60, "BLOCK DIAGRAM", 14, True)
    b.text(60, 100, "EMI FILTER -> RECTIFIERS -> PWM CONTROL -> OUTPUT", 10)
    r = w.page()
    r.centred(60, "DESIGN VERIFICATION TEST", 14, True)
    for top, row in ((100, ("DATE", "SAMPLE", "TEST RESULT", "TESTER", "APPROVAL")),
                     (116, ("2011/03/02", "RD SAMPLE", "PASS", "K. LIN", "M. HO")),
                     (132, ("2011/05/19", "PRODUCT SAMPLE", "PASS", "K. LIN", "M. HO"))):
        for x, cell in zip((60, 160, 280, 380, 470), row):
            r.text(x, top, cell, 10)


def test_a_doc_inside_a_datasheet_is_dated_on_its_own_page(tmp_path: Path) -> None:
    result = _extract(tmp_path, datasheet_with_doc, "datasheet_with_doc")
    record = result["record"]
    assert result["document_type"] == "declaration_of_conformity"
    # the test table's "DATE" column two pages on is when a sample was tested, not the declaration
    assert record["declaration_date"] == "2020-08-14"
    assert _conf(result, "/declaration_date") < PROMISE     # found beside no label: read, not promised


def _ocr_page(lines: list[list[tuple[str, float]]]) -> "Page":
    from ingestion.pdf.layout import Line, Page, Word
    out = []
    for n, words in enumerate(lines):
        top = 100 + 20 * n
        out.append(Line(1, [[Word(text, 60 + 45 * i, top, 100 + 45 * i, top + 10, 1, 10, conf=conf)
                             for i, (text, conf) in enumerate(words)]]))
    return Page(1, 595, 842, out, ocr=True)


def test_a_declaration_read_from_a_poorly_read_page_is_not_promised(tmp_path: Path) -> None:
    """A phone photo of a RoHS statement under a stamp: the statement's words are read surely,
    most of the page is not; as on a certificate, nothing on that page is promised."""
    from ingestion.extractors.rohs import RohsExtractor
    from ingestion.pdf.layout import PdfText
    from ingestion.pdf.ocr_quality import POOR_PAGE_CAP, page_reading
    from ingestion.pdf.preflight import PdfProbe
    sure = [(w, 1.0) for w in "We hereby declare that the products below are RoHS compliant with Directive 2011/65/EU".split()]
    noise = [[("wHIHl", 0.3), ("|||", 0.1), ("Nrthwnd", 0.4), ("ee", 0.2), ("Sl", 0.3), (";", 0.4), ("KS", 0.5)]] * 4
    page = _ocr_page([sure] + noise)
    assert page_reading(page).poor
    probe = PdfProbe(kind="pdf", path=tmp_path / "photo.pdf", text=" ".join(ln.text for ln in page.lines).lower(),
                     document=PdfText([page], 1, ocr=True))
    ex = RohsExtractor().extract(probe.path, probe)
    assert ex.record["rohs_compliant"] is True
    assert ex.fields["/rohs_compliant"]["confidence"] <= POOR_PAGE_CAP < PROMISE
