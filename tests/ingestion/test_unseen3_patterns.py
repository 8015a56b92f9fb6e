"""Patterns from a third set of real documents the development set does not have: a standard's
artwork or the certificate's number set on the holder's line, issuers named only beside their
accreditation ("… is accredited by UKAS") or only in the small print, a narrow sidebar of labels
and dates beside the body (which OCR runs into the body's lines), REACH declarations listing
their products in an appendix, RoHS status sheets dated at "Rev Date", part numbers shaped like
telephone numbers, and numeric dates settled by the document's other dates. Rebuilt as generated
PDFs (and scans of them); each test fails if the pattern is read wrongly or promised (>= 0.9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion import extract_file
from ingestion.pdf import ocr

try:
    from .pdf_writer import PdfWriter
    from .scans import scan_image, scanned_pdf
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from scans import scan_image, scanned_pdf
    from test_cert_patterns import PROMISE, _conf, _extract


def holder_line_with(beside: tuple[float, float, str, float], holder: tuple[float, str]) -> object:
    """A holder set large under "This is to certify that", with other text on its line."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(80, "CERTIFICATE", 30, True)
        p.text(60, 150, "This is to certify that", 11)
        p.text(holder[0], 180, holder[1], 18, True)
        x, top, text, size = beside
        p.text(x, top, text, size, True)
        p.text(60, 205, "Unit 4, Mill Lane, Derby DE1 2AB, United Kingdom", 10)
        p.text(60, 240, "complies with the requirements of ISO 9001:2015", 10)
        p.text(60, 420, "Date of issue: 10 March 2025", 10)
        p.text(60, 440, "Valid until: 9 March 2028", 10)
    return build


@pytest.mark.parametrize("beside, holder, name", [
    ((290, 174, "ISO 9001", 26), (60, "Brightwater Plastics Ltd"), "Brightwater Plastics Ltd"),
    ((40, 176, "ISO 9001", 26), (170, "Brightwater Plastics Limited"), "Brightwater Plastics Limited"),
    ((245, 180, "Cert. No. 204411", 18), (60, "Brightwater Plastics"), "Brightwater Plastics"),
    ((150, 170, "ISO", 30), (215, "Brightwater Plastics Ltd"), "Brightwater Plastics Ltd"),
    ((480, 300, "Page 1", 8), (60, "ISO Group Ltd"), "ISO Group Ltd"),      # a name's own word stays
])
def test_artwork_or_number_on_the_holders_line_is_not_the_holder(
        tmp_path: Path, beside: tuple[float, float, str, float], holder: tuple[float, str], name: str) -> None:
    result = _extract(tmp_path, holder_line_with(beside, holder), "run_in")
    record = result["record"]
    assert record["holder"]["name"] == name               # not "… Ltd ISO 9001", not "… Cert. No. 204411"
    assert record.get("certificate_number") in (None, "204411")    # never the standard's "9001"
    if "Cert. No." in beside[2]:
        assert _conf(result, "/holder/name") < PROMISE    # no legal form: not checked


@pytest.mark.parametrize("between", [("ISO 9001", 30), ("No. Q-2231-77", 12)])
def test_artwork_or_number_between_the_phrase_and_the_holder_is_not_the_holder(
        tmp_path: Path, between: tuple[str, float]) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(80, "CERTIFICATE", 30, True)
        p.centred(150, "This is to certify that", 11)
        p.centred(172, between[0], between[1], True)
        p.centred(215, "Brightwater Plastics", 18, True)
        p.centred(240, "Unit 4, Mill Lane, Derby DE1 2AB, United Kingdom", 10)
        p.centred(270, "complies with the requirements of ISO 9001:2015", 10)
        p.text(60, 420, "Date of issue: 10 March 2025", 10).text(60, 440, "Valid until: 9 March 2028", 10)
    result = _extract(tmp_path, build, "between")
    assert result["record"]["holder"]["name"] == "Brightwater Plastics"    # not "9001", not "No. Q-2231-77"
    assert _conf(result, "/holder/name") < PROMISE


def unlisted_issuer_beside_its_accreditation(w: PdfWriter) -> None:
    """The body is on no list and named only in the small print, beside "Accredited by ENAC";
    the holder's line also prints the number."""
    p = w.page()
    p.centred(80, "CERTIFICATE OF REGISTRATION", 26, True)
    p.text(60, 150, "This is to certify that", 11)
    p.text(60, 175, "Talavera Componentes S.L.", 18, True)
    p.text(60, 200, "Poligono Industrial 7, 45600 Talavera, Spain", 10)
    p.text(60, 240, "has been audited and found to meet the requirements of ISO 9001:2015", 10)
    p.text(60, 400, "Certificate No.: ES-Q-88213", 10)
    p.text(60, 420, "Date of issue: 14 May 2024", 10)
    p.text(60, 440, "Valid until: 13 May 2027", 10)
    p.text(60, 700, "Accredited by ENAC", 8)
    p.text(60, 712, "Iberia Quality Certification S.L., Calle Alcala 100, 28009 Madrid", 8)


def test_an_unlisted_issuer_is_read_from_the_small_print_not_its_accreditation_body(tmp_path: Path) -> None:
    result = _extract(tmp_path, unlisted_issuer_beside_its_accreditation, "unlisted_small_print")
    assert result["record"]["issuer"]["name"] == "Iberia Quality Certification S.L."   # not ENAC
    assert _conf(result, "/issuer/name") < PROMISE            # found by its shape only: a guess
    assert result["record"]["holder"]["name"] == "Talavera Componentes S.L."


def test_a_body_that_is_accredited_is_the_issuer_and_an_unlisted_accreditation_body_never(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(80, "CERTIFICATE", 30, True)
        p.centred(140, "This is to certify that", 11)
        p.centred(165, "Hollis Metal Finishing Ltd", 18, True)
        p.centred(230, "has been assessed and found to conform to ISO 14001:2015", 11)
        p.text(60, 400, "Certificate Number: EMS 77120", 10)
        p.text(60, 420, "Date of issue: 2 May 2024", 10).text(60, 440, "Expiry date: 1 May 2027", 10)
        p.text(60, 640, "Our certification scheme is assessed by Gulf International Accreditation Centre.", 8)
        p.text(60, 652, "Pennine Registrars Ltd is accredited by an accreditation body, number 0412.", 8)
    result = _extract(tmp_path, build, "accredited_sentence")
    assert result["record"]["issuer"]["name"] == "Pennine Registrars Ltd"
    assert _conf(result, "/issuer/name") < PROMISE

    def italian(w: PdfWriter) -> None:
        p = w.page()
        p.centred(80, "CERTIFICATO", 30, True)
        p.centred(140, "Si certifica che il sistema di gestione di", 11)
        p.centred(165, "Fonderie Adriatiche S.r.l.", 18, True)
        p.centred(230, "e conforme alla norma ISO 9001:2015", 11)
        p.text(60, 400, "Certificato n.: IT-Q-5521", 10)
        p.text(60, 420, "Data di emissione: 10 aprile 2024", 10).text(60, 440, "Data di scadenza: 9 aprile 2027", 10)
        p.text(60, 690, "Organismo accreditato da ACCREDIA", 8)
        p.text(60, 702, "Certificazioni Marche S.r.l. - Via Roma 1, Ancona", 8)
    result = _extract(tmp_path, italian, "accreditato")
    assert result["record"]["issuer"]["name"] == "Certificazioni Marche S.r.l."
    assert _conf(result, "/issuer/name") < PROMISE


def portuguese_sidebar(w: PdfWriter) -> None:
    """Labels and dates in a narrow sidebar level with the body's certifying phrase."""
    p = w.page()
    p.text(40, 150, "Certificado n.º", 8).text(40, 161, "PT-2024/0815", 8, True)
    p.text(40, 190, "Data de emissão:", 8).text(40, 201, "12 de junho de 2024", 8, True)
    p.text(40, 230, "Válido até:", 8).text(40, 241, "11 de junho de 2027", 8, True)
    p.text(40, 270, "Data da certificação inicial:", 8).text(40, 281, "3 de maio de 2018", 8)
    p.text(180, 100, "CERTIFICADO", 24, True)
    p.text(180, 150, "Certifica-se que o sistema de gestão da empresa", 10)
    p.text(180, 175, "Cortiças do Douro, Lda.", 14, True)
    p.text(180, 195, "Rua da Ribeira 12, 4050-513 Porto, Portugal", 9)
    p.text(180, 230, "cumpre os requisitos da norma", 10)
    p.text(180, 255, "ISO 9001:2015", 16, True)
    p.text(180, 700, "Lusitana Certificação, Lda. - Av. da Liberdade 10, Lisboa", 7)
    p.text(180, 710, "Organismo acreditado pelo IPAC", 7)


def test_a_sidebar_beside_the_certifying_phrase_is_not_the_holder(tmp_path: Path) -> None:
    result = _extract(tmp_path, portuguese_sidebar, "pt_sidebar")
    record = result["record"]
    assert record["holder"]["name"] == "Cortiças do Douro, Lda."     # not the sidebar's "PT-2024/0815"
    assert record["certificate_number"] == "PT-2024/0815"
    assert (record["issue_date"], record["expiry_date"]) == ("2024-06-12", "2027-06-11")
    assert record["issuer"]["name"] == "Lusitana Certificação, Lda."
    assert _conf(result, "/issuer/name") < PROMISE


def test_a_scanned_sidebar_keeps_its_label_and_date_apart_from_the_body(tmp_path: Path) -> None:
    """OCR boxes of the body's taller type bridge the sidebar's label and the date under it; read
    as one line, "Válido até:" and "11 de junho de 2027" were interleaved and the expiry lost."""
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is needed for the OCR tests: `make system-deps` installs it.", pytrace=False)
    w = PdfWriter()
    portuguese_sidebar(w)
    scan = scanned_pdf([scan_image(w.save(tmp_path / "text.pdf"), noise=0.3, seed=1)], tmp_path / "scan.pdf")
    result = extract_file(scan)
    record = result["record"]
    assert record["holder"]["name"].endswith("do Douro, Lda.")      # OCR may read the ç of Cortiças as g
    assert (record["issue_date"], record["expiry_date"]) == ("2024-06-12", "2027-06-11")
    assert _conf(result, "/expiry_date") < PROMISE                   # read by OCR: checked by a person
    if "por" in ocr.installed_languages():      # the Portuguese pass reads "Certificação", not "Certificagao"
        assert result["record"]["holder"]["name"] == "Cortiças do Douro, Lda."
        assert "Certificação, Lda." in result["record"]["issuer"]["name"]
        assert _conf(result, "/issuer/name") < PROMISE


def reach_with_appendix(header: str, parts: list[str]) -> object:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(60, 50, "Corvane Wire & Cable Co., Ltd.", 14, True)
        p.centred(120, "REACH SVHC Declaration", 16, True)
        p.text(60, 150, "Date: 14 February 2025", 10)
        p.text(60, 180, "We hereby declare that the products listed in Appendix 1 do not contain any substance", 10)
        p.text(60, 194, "of very high concern (SVHC) on the Candidate List under Regulation (EC) No 1907/2006", 10)
        p.text(60, 208, "(REACH) in a concentration above 0.1 % weight by weight.", 10)
        q = w.page()
        q.text(60, 60, "Appendix 1 - product list", 12, True)
        q.text(60, 90, header, 9, True).text(220, 90, "Description", 9, True)
        for i, part in enumerate(parts):
            q.text(60, 108 + 16 * i, part, 9).text(220, 108 + 16 * i, f"Hook-up wire, colour {i + 1}", 9)
    return build


@pytest.mark.parametrize("header", ["Part Number", "Model", "Item Code"])
def test_reach_products_listed_in_an_appendix_on_a_later_page(tmp_path: Path, header: str) -> None:
    parts = ["CW1805BK", "CW1805RD", "CW2210WH"]
    result = _extract(tmp_path, reach_with_appendix(header, parts), "reach_appendix")
    record = result["record"]
    assert result["document_type"] == "reach_svhc"
    assert [p["part_number"] for p in record["products"]] == parts
    assert record["svhc_above_threshold"] is False
    assert record["declaration_date"] == "2025-02-14"


def test_a_status_sheet_is_dated_at_rev_date_not_at_a_discontinued_series(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(380, 30, "Kestrel Resistors, Inc.", 16, True)
        p.text(52, 50, "RoHS Compliance Status", 15, True)
        p.text(60, 120, "Series", 8).text(120, 120, "Description", 8).text(320, 120, "RoHS Compliant", 8)
        p.text(60, 140, "KRA", 8).text(120, 140, "Thick film chip resistor", 8).text(320, 140, "YES", 8)
        p.text(120, 150, "DISCONTINUED (May 3, 2013)", 8)
        p.text(60, 165, "KRB", 8).text(120, 165, "Metal film resistor", 8).text(320, 165, "YES", 8)
        p.text(54, 700, "Rev Date: 3/1/2022", 11).text(300, 700, "www.kestrel-resistors.com", 9)
    result = _extract(tmp_path, build, "rev_date")
    assert result["document_type"] == "rohs"
    assert result["record"]["declaration_date"] == "2022-03-01"       # month first: an Inc. in the US
    assert _conf(result, "/declaration_date") < PROMISE
    assert any(w["path"] == "/declaration_date" for w in result["warnings"])


def test_a_labelled_part_number_shaped_like_a_phone_number_and_a_requested_part_column(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(180, "Statement of Compliance", 13, True)
        p.text(263, 220, "Requested Part", 10)
        p.text(63, 253, "19 August 2022", 10).text(255, 253, "KRGQ0603J1K0", 10).text(420, 253, "(Part 1 of 1)", 10)
        p.text(210, 270, "Kestrel Internal Number: 1-2176340-9", 10)
        p.text(157, 346, "EU RoHS Directive 2011/65/EU:", 10).text(330, 346, "Compliant", 10)
        p.text(92, 620, "Kestrel Connectivity Corporation", 9)
        p.text(92, 638, "1050 Westlakes Drive, Berwyn, PA 19312", 9)
    result = _extract(tmp_path, build, "internal_number")
    parts = {p["part_number"] for p in result["record"]["products"]}
    assert parts == {"1-2176340-9", "KRGQ0603J1K0"}


def test_a_letters_other_numeric_dates_settle_its_own(tmp_path: Path) -> None:
    def build(w: PdfWriter, *, other: str) -> None:
        p = w.page()
        p.text(56, 60, "Nordhafen Kabel", 12, True)
        p.text(56, 130, "Date: 07/11/2022", 10)
        p.text(56, 160, "RoHS Declaration", 11, True)
        p.text(56, 190, "The cables listed below are compliant with the RoHS Directive 2011/65/EU.", 10)
        p.text(56, 204, other, 10)
    settled = _extract(tmp_path, lambda w: build(w, other="This replaces our letter of 12/28/2021."), "settled")
    assert settled["record"]["declaration_date"] == "2022-07-11"      # 12/28/2021 proves month first
    assert _conf(settled, "/declaration_date") < PROMISE
    open_ = _extract(tmp_path, lambda w: build(w, other="Part numbers: NK-100, NK-200"), "open")
    assert open_["record"]["declaration_date"] == "2022-11-07"        # day first, flagged, not promised
    assert _conf(open_, "/declaration_date") < PROMISE
    assert any("can be read as" in w["message"] for w in open_["warnings"])


def test_supplier_named_under_the_signatorys_title_and_a_series_designation(tmp_path: Path) -> None:
    """A logo-only letterhead (its words one a line), the company named without a legal form in the
    statement and again under the signatory's job title; the product at "Series Designation:"."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(100, 48, "HALVARD", 25, True).text(100, 78, "INTERCONNECT", 5).text(160, 78, "SYSTEMS", 5)
        p.text(220, 103, "ROHS3 Compliance Statement", 12, True)
        p.text(63, 118, "10/3/2019", 10)
        p.text(330, 160, "Series Designation:", 8).text(330, 172, "HV-220", 8)
        p.text(63, 200, "This statement certifies that all assemblies manufactured by Halvard Interconnect Systems", 9)
        p.text(63, 212, "are fully RoHS compliant in accordance with EU RoHS Directive 2011/65/EU.", 9)
        p.text(63, 510, "Maria Lind", 8)
        p.text(63, 523, "Quality Management System Administrator", 9)
        p.text(63, 536, "Halvard Interconnect Systems", 8)
        p.text(93, 717, "801 E Mission Rd, San Marcos CA 92069 760-744-0125", 10)
    result = _extract(tmp_path, build, "signed_for")
    record = result["record"]
    assert record["supplier"]["name"] == "Halvard Interconnect Systems"
    assert _conf(result, "/supplier/name") < PROMISE          # no legal form: not checked
    assert [p["part_number"] for p in record["products"]] == ["HV-220"]
    assert record["declaration_date"] == "2019-10-03"          # CA 92069: a US letter, month first
    assert _conf(result, "/declaration_date") < PROMISE


def test_an_unlisted_issuer_with_a_us_address_reads_month_first_but_flagged(tmp_path: Path) -> None:
    def build(w: PdfWriter, address: str) -> None:
        p = w.page()
        p.text(70, 80, "ISO 9001 Certificate", 20, True)
        rows = [("Certificate number", "Q-55012"), ("Certificate holder", "Lakeside Plastics Ltd"),
                ("Certification body", "Buckeye Quality Registrar"), ("Date of issue", "03/01/2024"),
                ("Valid until", "02/01/2027")]
        for i, (label, value) in enumerate(rows):
            p.text(76, 140 + 20 * i, label, 10).text(240, 140 + 20 * i, value, 10)
        p.text(76, 300, address, 9)
    us = _extract(tmp_path, lambda w: build(w, "Buckeye Quality Registrar, 120 Main Street, Dayton, OH 45402"), "us")
    assert (us["record"]["issue_date"], us["record"]["expiry_date"]) == ("2024-03-01", "2027-02-01")
    assert _conf(us, "/issue_date") < PROMISE and _conf(us, "/expiry_date") < PROMISE
    assert {w["path"] for w in us["warnings"] if "can be read as" in w["message"]} == {"/issue_date", "/expiry_date"}
    other = _extract(tmp_path, lambda w: build(w, "Tested to EN 10204 type 3.1"), "en_standard")
    assert other["record"]["issue_date"] == "2024-01-03"        # "EN 10204" is no US ZIP code: day first
