"""Patterns from a sixth set of real documents the development set does not have (a person's
course certificate, a test laboratory's RoHS certificate that cites its test report, dates typed
with typographic hyphens, bilingual label rows, a two-column certificate whose values sit under
their labels), rebuilt as generated PDFs. Each test fails if the pattern is read wrongly or
promised (>= 0.9)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingestion import ExtractionError
from ingestion.pdf.dates import parse_date
from ingestion.pdf.garbled import garbled_reason

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import PROMISE, _conf, _extract


def course_certificate(w: PdfWriter) -> None:
    """A training provider's certificate for a person: it certifies, and names an ISO standard,
    but it is about somebody having attended a course, not about a company or its products."""
    p = w.page()
    p.centred(120, "Certificate Of Completion", 30, True)
    p.centred(200, "This is to certify that", 12)
    p.centred(240, "Maren Holtvedt", 26, True)
    p.centred(300, "has successfully completed the following accredited 40 hours activity", 11)
    p.centred(320, "ISO 14001:2015 Lead Auditor certification program", 12, True)
    p.centred(345, "This course is certified by Nordlys Akademi", 10)
    p.text(100, 420, "Course No", 9).text(220, 420, "AX 331 / 12", 9)
    p.text(100, 436, "Certificate date", 9).text(220, 436, "2024-03-08", 9)
    p.text(100, 452, "Certificate no", 9).text(220, 452, "118274", 9)
    p.text(400, 470, "Founder CEO", 9)


def test_a_persons_course_certificate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as refused:
        _extract(tmp_path, course_certificate, "course")
    assert refused.value.code == "not_a_declaration"
    assert "training or course certificate" in str(refused.value)


def training_company_certificate(w: PdfWriter) -> None:
    """A company's ISO 9001 certificate whose scope is running training courses: still a
    certificate (the word 'course' alone refuses nothing)."""
    p = w.page()
    p.centred(90, "CERTIFICATE", 30, True)
    p.centred(150, "This is to certify that the quality management system of", 11)
    p.centred(185, "Fjordkurs Opplæring AS", 22, True)
    p.centred(240, "has been assessed and found to conform to", 11)
    p.centred(270, "ISO 9001:2015", 18, True)
    p.centred(310, "Scope: design and delivery of safety training courses for industry", 10)
    p.text(100, 400, "Certificate No.:", 10).text(250, 400, "NO-QMS-20931", 10)
    p.text(100, 418, "Issue date:", 10).text(250, 418, "2023-09-14", 10)
    p.text(100, 436, "Valid until:", 10).text(250, 436, "2026-09-13", 10)
    p.text(100, 520, "DNV Business Assurance Norway AS", 10, True)


def test_a_company_certificate_about_training_courses_is_still_read(tmp_path: Path) -> None:
    result = _extract(tmp_path, training_company_certificate, "training_company")
    assert result["document_type"] == "certificate"
    assert result["record"]["certificate_number"] == "NO-QMS-20931"


def lab_rohs_certificate(w: PdfWriter) -> None:
    """A test laboratory's 'Certificate of Compliance' for a maker's product: it cites the test
    report it rests on ('As shown in the Test Report No.') and concludes that the product was
    'found in compliance with' the RoHS directive — the maker's RoHS evidence, not a test report."""
    p = w.page()
    p.centred(70, "Certificate of Compliance", 24, True)
    p.text(80, 120, "Certificate Number: QLT20240117-33CC", 10)
    p.text(80, 150, "Applicant", 10).text(200, 150, ": YUYAO HENGDA PLASTIC PARTS FACTORY", 10)
    p.text(200, 163, "Chengdong Road 18, Yuyao City, Zhejiang Province, China", 9)
    p.text(80, 185, "Manufacturer", 10).text(200, 185, ": YUYAO HENGDA PLASTIC PARTS FACTORY", 10)
    p.text(80, 210, "Product Name", 10).text(200, 210, ": CABLE CLIP", 10)
    p.text(80, 228, "Test Standard", 10).text(200, 228, ": IEC 62321-4:2013+AMD1:2017, IEC 62321-5:2013", 10)
    p.text(80, 252, "As shown in the", 10).text(200, 252, ": QLT20240117-33CR", 10)
    p.text(80, 265, "Test Report No.", 10)
    p.text(80, 300, "The EUT described above has been tested by us and found in compliance with the", 10)
    p.text(80, 314, "council RoHS 2 Directive 2011/65/EU Annex II (EU) 2015/863. This certificate is only", 10)
    p.text(80, 328, "valid in conjunction with the test report.", 10)
    p.text(380, 420, "Approved Signatory", 10)
    p.text(380, 436, "Jan.22, 2024", 10)
    p.text(80, 520, "Ningbo QLT Testing Co., Ltd", 11, True)


def test_a_lab_certificate_found_in_compliance_is_read_as_rohs(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_rohs_certificate, "lab_rohs")
    assert result["document_type"] == "rohs"
    record = result["record"]
    assert record["rohs_compliant"] is True
    assert record["supplier"]["name"] == "YUYAO HENGDA PLASTIC PARTS FACTORY"
    assert record["declaration_date"] == "2024-01-22"


def lab_test_report(w: PdfWriter) -> None:
    """A test report with no conclusion of compliance stays refused (the rule above is about the
    conclusion, not about any laboratory page)."""
    p = w.page()
    p.centred(70, "TEST REPORT", 24, True)
    p.text(80, 120, "Report No.: QLT20240117-33CR", 10)
    p.text(80, 140, "Sample Description: cable clip, black", 10)
    p.text(80, 160, "Sample Received: 2024-01-10    Testing Period: 2024-01-10 to 2024-01-17", 10)
    p.text(80, 180, "Test Method: IEC 62321-5:2013 (ICP-OES)", 10)
    p.text(80, 200, "Test Results: see the table; MDL = method detection limit", 10)
    p.text(80, 220, "Lead (Pb) 12 mg/kg  Cadmium (Cd) n.d.  Mercury (Hg) n.d.", 10)


def test_a_lab_test_report_without_a_conclusion_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as refused:
        _extract(tmp_path, lab_test_report, "lab_report")
    assert refused.value.code == "not_a_declaration"


def table_doc_with_typographic_hyphens(w: PdfWriter) -> None:
    """An EU DoC laid out as a two-column table without colons, typed in a word processor that
    set every hyphen as a typographic one (dates and standards alike). The test writer's fonts
    have the en dash; U+2010 itself is checked on words below."""
    p = w.page()
    p.centred(60, "EU Declaration of Conformity", 16, True)
    p.text(60, 110, "Name of the Manufacturer", 9).text(260, 110, "Brightwave Electronics Limited", 9)
    p.text(60, 130, "Address of the Manufacturer", 9).text(260, 130, "12 Harbour Road, Wan Chai, Hong Kong", 9)
    p.text(60, 150, "Name of the Product", 9).text(260, 150, "USB-C Charger 45W", 9)
    p.text(60, 170, "Model No.", 9).text(260, 170, "BW\u2013C45", 9)
    p.text(60, 200, "We declare under our responsibility that the above referenced product complies with", 9)
    p.text(60, 214, "the following directives and standards:", 9)
    p.text(60, 240, "EN 62368\u20131:2014+A11:2017 / EN 55032:2015 / IEC 62321\u20135:2013", 9)
    p.text(60, 260, "2014/35/EU   2014/30/EU   2011/65/EU and amendment (EU) 2015/863", 9)
    p.text(60, 320, "Name:", 9).text(100, 320, "Chan Wing", 9).text(300, 320, "Date:", 9).text(340, 320, "2022\u20134\u201319", 9)


def test_a_table_doc_without_colons_and_typographic_hyphens_is_read(tmp_path: Path) -> None:
    result = _extract(tmp_path, table_doc_with_typographic_hyphens, "table_doc")
    assert result["document_type"] == "declaration_of_conformity"
    record = result["record"]
    assert record["supplier"]["name"] == "Brightwave Electronics Limited"
    assert record["products"][0]["model"] == "BW\u2013C45"
    assert record["declaration_date"] == "2022-04-19"
    assert "EN 62368-1:2014+A11:2017" in record["standards"]
    assert "IEC 62321-5:2013" in record["standards"]
    assert record["rohs_compliant"] is True


def running_text_doc(w: PdfWriter) -> None:
    """Justified running text can leave a wide space after its first words; that is no table
    row, and a product named only in a sentence is not read as the model."""
    p = w.page()
    p.centred(60, "EC Declaration of Conformity", 16, True)
    p.text(60, 110, "Manufacturer: Solberg Verktøy AS, Industriveien 4, 3044 Drammen, Norway", 9)
    p.text(60, 140, "Product", 9).text(160, 140, "type and model are given on the rating plate of each unit;", 9)
    p.text(60, 154, "this declaration covers every unit made from 2021 onwards.", 9)
    p.text(60, 180, "It complies with Directive 2006/42/EC and the harmonised standards EN ISO 12100:2010.", 9)
    p.text(60, 220, "Drammen, 2021-06-01", 9)


def test_a_wide_space_in_running_text_is_not_a_table_row(tmp_path: Path) -> None:
    result = _extract(tmp_path, running_text_doc, "running_doc")
    name = (result["record"].get("products") or [{}])[0].get("name")
    if name is not None:
        assert _conf(result, "/products/0/name") < PROMISE


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011", "\u2012", "\u2013", "\u2212"])
def test_a_date_typed_with_any_hyphen_is_a_date(hyphen: str) -> None:
    assert parse_date(f"Date: 2021{hyphen}7{hyphen}30") == date(2021, 7, 30)
    assert parse_date(f"30{hyphen}07{hyphen}2021") == date(2021, 7, 30)


def bilingual_licence(w: PdfWriter, *, issued: bool = False) -> None:
    """A national standards body's product licence: each row a label in the national language
    over the same label in English, the value level with the first; the only issue date it
    prints is the date of first issue."""
    p = w.page()
    p.centred(50, "TÜRK STANDARDLARI ENSTITÜSÜ", 14, True)      # the writer's fonts lack the dotted İ
    p.centred(68, "TURKISH STANDARDS INSTITUTION", 12, True)
    p.centred(86, "CERTIFICATE OF CONFORMITY TO TURKISH STANDARDS", 11, True)
    rows = [("BELGE NUMARASI", "REFERENCE NUMBER OF LICENCE", "0517733-TSE-02/01"),
            ("BELGENIN ILK VERILIS TARIHI", "DATE OF FIRST ISSUE OF LICENCE", "04.06.2023"),
            ("BELGENIN SON GEÇERLILIK TARIHI", "LICENCE VALID UNTIL", "04.06.2025"),
            ("BELGE SAHIBI KURULUSUN ADI", "NAME OF THE LICENCE HOLDER", "KARATAS BORU SANAYI VE TICARET",
             "LIMITED SIRKETI")]
    top = 130
    for national, english, value, *more in rows:
        p.text(50, top, national, 8).text(300, top, value, 8)
        p.text(50, top + 10, english, 7)
        for line in more:      # a long value runs on level with the English label
            p.text(300, top + 10, line, 8)
        top += 30
    p.text(50, top + 20, "ILGILI TÜRK STANDARDI", 8).text(300, top + 20, "TS EN 10255 / 12.03.2009", 8)
    if issued:
        p.text(50, top + 50, "DATE OF ISSUE", 8).text(300, top + 50, "11.06.2024", 8)


def test_the_date_of_first_issue_is_the_issue_date_when_it_is_the_only_one(tmp_path: Path) -> None:
    result = _extract(tmp_path, bilingual_licence, "licence_first_issue")
    record = result["record"]
    assert record["issue_date"] == "2023-06-04"          # not the standard's date 12.03.2009
    assert _conf(result, "/issue_date") < PROMISE         # a renewed licence was issued later
    assert record["expiry_date"] == "2025-06-04"
    # the national label is a holder label, and a Turkish legal form ends the name on the next line
    assert record["holder"]["name"] == "KARATAS BORU SANAYI VE TICARET LIMITED SIRKETI"


def test_a_printed_date_of_issue_beats_the_date_of_first_issue(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: bilingual_licence(w, issued=True), "licence_issued")
    assert result["record"]["issue_date"] == "2024-06-11"


#: A text layer left by an earlier, poor OCR pass: letters right, case at random inside words.
CASE_SOUP = ("KALITE yöNETlıvı sisTEM sEnririxısı QUAL|TY MANAGEM ENr sysTEM cERTlFlcATE ALKİL KiMyA pETRoı ünüıtı_eni "
             "sANAyi ve ricıner ı_inıireo şinreri MERKEZ: oRTA MAH. ATAYoLU cAD. oRTıM SANAYı G BLoK No: 13 "
             "ruzı_ruisTANBul isreı,ıeuı_ şuarsi boYA veRı.ıİx serıeyİ sİresİ")


def test_a_text_layer_in_random_case_is_garbled() -> None:
    assert garbled_reason(CASE_SOUP) == "letters in random case"


@pytest.mark.parametrize("text", [
    "The charger (model PowerCube) stores 20 kWh; each cell has 3000 mAh. Made by McDonald Batteries GmbH for "
    "the iPhone and iPad. This is to certify that the quality management system of McDonald Batteries GmbH "
    "has been assessed and found to conform to ISO 9001:2015 for the design and manufacture of batteries.",
    "CERTIFICATE OF REGISTRATION This is to certify that the Quality Management System of NORDWERK GmbH "
    "has been assessed and conforms with ISO 9001:2015. Certificate No. QMS 0525 0010947",
])
def test_a_few_camel_case_words_are_not_garbled(text: str) -> None:
    assert garbled_reason(text) is None


def name_above_granted_phrase(w: PdfWriter) -> None:
    """The holder's name set large over two lines, its addresses under it, and only then the
    phrase "This certificate is granted to the organization" — followed by the scope, which
    names no company."""
    p = w.page()
    p.centred(60, "QUALITY CERTIFICATE", 28, True)
    p.centred(100, "QUALITY MANAGEMENT SYSTEM CERTIFICATE", 12, True)
    p.centred(140, "DOGAN KIMYA PLASTIK URUNLERI", 15, True)
    p.centred(158, "SANAYI VE TICARET ANONIM SIRKETI", 15, True)
    p.centred(180, "MERKEZ: ORTA MAH. SANAYI CAD. NO: 13 TUZLA/ISTANBUL", 8)
    p.centred(220, "This certificate is granted to the organization", 8)
    p.centred(240, "PRODUCTION AND SALE OF PLASTIC PACKAGING AND INJECTION MOULDED PARTS", 9)
    p.centred(300, "ISO 9001:2015", 16, True)
    p.text(150, 360, "Certificate No", 9).text(330, 360, ": QMS 0611 0020331", 9)
    p.text(150, 376, "Expiry Date", 9).text(330, 376, ": 10.06.2027", 9)


def test_a_large_company_name_beats_a_phrase_that_gave_a_scope(tmp_path: Path) -> None:
    result = _extract(tmp_path, name_above_granted_phrase, "granted_below")
    assert result["record"]["holder"]["name"] == "DOGAN KIMYA PLASTIK URUNLERI SANAYI VE TICARET ANONIM SIRKETI"
    assert _conf(result, "/holder/name") < PROMISE        # a layout guess


def brand_over_legal_name(w: PdfWriter) -> None:
    """A short trade name over the legal name in brackets, both large, running over three lines,
    on a two-column certificate with no holder label or phrase."""
    p = w.page()
    p.text(200, 50, "Certificate", 22, True)
    p.text(200, 80, "Qualitätsmanagement Center im Verband", 9).text(200, 92, "der Automobilindustrie e.V.", 9)
    p.text(60, 160, "Norden Kemi", 14, True)
    p.text(60, 178, "(NORDEN KEMI PETROL", 14, True)
    p.text(60, 196, "URUNLERI SANAYI VE", 14, True)
    p.text(60, 214, "TICARET LIMITED SIRKETI)", 14, True)
    p.text(60, 240, "Orta Mahalle, Atayolu Caddesi 13, Tuzla, Istanbul", 9)
    p.text(60, 300, "has applied for a license to use the", 9).text(320, 300, "Date of certification:", 9)
    p.text(60, 312, "trademark AdBlue.", 9).text(320, 312, "November 24, 2023", 9)


def test_a_legal_name_in_brackets_over_lines_is_the_holder(tmp_path: Path) -> None:
    result = _extract(tmp_path, brand_over_legal_name, "brand_legal")
    assert result["record"]["holder"]["name"] == "NORDEN KEMI PETROL URUNLERI SANAYI VE TICARET LIMITED SIRKETI"
    assert _conf(result, "/holder/name") < PROMISE


def number_of_certificate_below(w: PdfWriter) -> None:
    """"Number of certificate:" with the number on the line under it."""
    p = w.page()
    p.centred(60, "CERTIFICATE", 26, True)
    p.centred(120, "This is to certify that", 11)
    p.centred(145, "Havbruk Pumper AS", 18, True)
    p.centred(175, "operates a management system according to ISO 14001:2015", 10)
    p.text(330, 260, "Number of certificate:", 9)
    p.text(330, 272, "0007731", 9)
    p.text(330, 300, "Valid until:", 9)
    p.text(330, 312, "March 3, 2027", 9)
    p.text(330, 340, "Date of certification:", 9)
    p.text(330, 352, "March 4, 2024", 9)


def test_number_of_certificate_is_a_number_label(tmp_path: Path) -> None:
    result = _extract(tmp_path, number_of_certificate_below, "number_of_certificate")
    assert result["record"]["certificate_number"] == "0007731"


def body_in_footer_by_web_address(w: PdfWriter) -> None:
    """A small body on no list, named only in the footer by its legal name, over a web address
    that adds "certification" to that name."""
    p = w.page()
    p.centred(60, "QUALITY MANAGEMENT SYSTEM CERTIFICATE", 16, True)
    p.centred(120, "This certificate is granted to", 10)
    p.centred(145, "Kestrel Valves Limited", 18, True)
    p.centred(200, "ISO 9001:2015", 16, True)
    p.text(150, 260, "Certificate No", 9).text(330, 260, ": QMS 0419 0077120", 9)
    p.text(150, 276, "Expiry Date", 9).text(330, 276, ": 11.04.2027", 9)
    p.centred(700, "Halcyon certification approval", 8)
    p.centred(712, "Halcyon LLC", 8)
    p.centred(724, "1309 Coffeen Avenue, Sheridan, Wyoming 82801, USA", 7)
    p.centred(736, "www.halcyoncertification.com, email: info@halcyoncertification.com", 7)


def test_a_body_named_by_the_stem_of_its_web_address_is_read_not_promised(tmp_path: Path) -> None:
    result = _extract(tmp_path, body_in_footer_by_web_address, "footer_body")
    assert result["record"]["issuer"]["name"] == "Halcyon LLC"
    assert _conf(result, "/issuer/name") < PROMISE
    assert result["record"]["holder"]["name"] == "Kestrel Valves Limited"


def slash_joined_bilingual_labels(w: PdfWriter) -> None:
    """Labels in two languages joined by a slash with no space ("Sertifika No/Certificate No"),
    and a number of capitals and two digit groups."""
    p = w.page()
    p.centred(60, "QUALITY CERTIFICATE", 24, True)
    p.centred(110, "Bu sertifika asagidaki kurulusa verilmistir / This certificate is granted to", 9)
    p.centred(135, "Ege Tekstil Sanayi Anonim Sirketi", 16, True)
    p.centred(190, "ISO 14001:2015", 16, True)
    p.text(140, 260, "Sertifika No/Certificate No", 9).text(330, 260, ":", 9).text(340, 260, "EMS 0611 0020417", 9)
    p.text(140, 276, "Yayin Tarihi/Issue Date", 9).text(330, 276, ":", 9).text(340, 276, "11.06.2024", 9)
    p.text(140, 292, "Gecerlilik Tarihi/Expiry Date", 9).text(330, 292, ":", 9).text(340, 292, "10.06.2027", 9)


def test_a_label_after_a_slash_in_one_word_is_read(tmp_path: Path) -> None:
    result = _extract(tmp_path, slash_joined_bilingual_labels, "slash_labels")
    record = result["record"]
    assert record["certificate_number"] == "EMS 0611 0020417"
    assert record["issue_date"] == "2024-06-11"
    assert record["expiry_date"] == "2027-06-10"
