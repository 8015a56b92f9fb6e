"""Patterns from a fifth set of real RoHS / REACH / EU conformity documents: a laboratory's RoHS
or SVHC test certificate issued to a manufacturer (read as that manufacturer's declaration, the
laboratory is not the supplier), a certificate of a scheme that mentions RoHS in its scope (still
a certificate), European dotted dates beside standards shaped like a US state and ZIP code
("EN 55015"), and US addresses that make a slashed date month-first. Rebuilt as generated PDFs;
each test fails if the pattern is read wrongly or promised (>= 0.9) when it cannot be checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion import ExtractionError, extract_file
from ingestion.pdf.dates import parse_date

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import PROMISE, _conf, _extract


def lab_test_certificate(w: PdfWriter) -> None:
    """A testing laboratory's "TEST CERTIFICATE": labels in a column, values in the next cell."""
    p = w.page()
    p.text(400, 40, "Nordlab Testing", 14, True)
    p.centred(100, "TEST CERTIFICATE", 22, True)
    p.text(60, 150, "Certificate No.", 10).text(220, 150, "AK 50412345 0001", 10)
    p.text(60, 170, "Certificate Holder", 10).text(220, 170, "Dongguan Everbright Cable Co., Ltd.", 10)
    p.text(220, 182, "No. 12 Industrial Road, Dongguan, Guangdong, P.R. China", 10)
    p.text(60, 205, "Product", 10).text(220, 205, "Power Cord", 10)
    p.text(60, 220, "Model(s)", 10).text(220, 220, "EB-PC01, EB-PC02", 10)
    p.text(60, 250, "Test Requirements", 10).text(220, 250, "IEC 62321-3-1:2013, IEC 62321-5:2013", 10)
    p.text(60, 280, "The products were tested on a voluntary basis and found to comply with the limits", 10)
    p.text(60, 292, "of Directive 2011/65/EU and (EU) 2015/863 (RoHS).", 10)
    p.text(60, 330, "Test Report No.", 10).text(220, 330, "CN22ABCD 001", 10)
    p.text(60, 360, "Date", 10).text(220, 360, "2022-05-18", 10)
    p.text(60, 760, "Nordlab Testing (Guangdong) Co., Ltd., Guangzhou", 8)


def test_a_laboratorys_rohs_test_certificate_is_the_makers_rohs_declaration(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_test_certificate, "lab_rohs")
    record = result["record"]
    assert result["document_type"] == "rohs"                  # not a certificate of a scheme
    assert record["supplier"]["name"] == "Dongguan Everbright Cable Co., Ltd."    # the holder, not the lab
    assert [p["part_number"] for p in record["products"]] == ["EB-PC01", "EB-PC02"]
    assert record["declaration_date"] == "2022-05-18"
    assert record["rohs_compliant"] is True


def lab_svhc_certificate(w: PdfWriter) -> None:
    p = w.page()
    p.text(60, 40, "Eastgate Analytical Services", 14, True)
    p.centred(100, "CERTIFICATE", 22, True)
    p.text(60, 150, "Applicant: Suzhou Hengli Plastics Co., Ltd.", 10)
    p.text(60, 166, "Product Name: ABS resin", 10)
    p.text(60, 182, "Item No.: HL-ABS-750", 10)
    p.text(60, 215, "This is to certify that the above sample was tested for the 235 substances of very high", 10)
    p.text(60, 228, "concern (SVHC) of the Candidate List under REACH Regulation (EC) No 1907/2006; none was", 10)
    p.text(60, 241, "found above 0.1 % (w/w).", 10)
    p.text(60, 280, "Issue Date: 2023-09-04", 10)


def test_a_laboratorys_svhc_certificate_is_the_makers_reach_declaration(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_svhc_certificate, "lab_reach")
    record = result["record"]
    assert result["document_type"] == "reach_svhc"
    assert record["supplier"]["name"] == "Suzhou Hengli Plastics Co., Ltd."
    assert record["declaration_date"] == "2023-09-04"


def test_a_scheme_certificate_that_mentions_rohs_stays_a_certificate(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(80, "CERTIFICATE", 30, True)
        p.centred(150, "This is to certify that", 11)
        p.centred(180, "Brightwater Circuits Ltd", 18, True)
        p.centred(215, "operates a quality management system which complies with ISO 9001:2015", 10)
        p.centred(235, "Scope: manufacture of RoHS compliant printed circuit boards to Directive 2011/65/EU", 10)
        p.text(60, 420, "Date of issue: 10 March 2025", 10).text(60, 440, "Valid until: 9 March 2028", 10)
    assert _extract(tmp_path, build, "iso_rohs")["document_type"] == "certificate"


def test_a_dotted_date_is_day_first_beside_a_standard_shaped_like_a_zip_code(tmp_path: Path) -> None:
    """"EN 55015" is not a US state and ZIP; 05.04.2023 is 5 April, as Europe writes it."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(60, "EU Declaration of Conformity", 18, True)
        p.text(60, 110, "We, Lumitec Elektronik GmbH, Industriestr. 4, 70565 Stuttgart, Germany", 10)
        p.text(60, 123, "declare under our sole responsibility that the product", 10)
        p.text(60, 150, "Model: LT-DRV-40", 10)
        p.text(60, 190, "is in conformity with the relevant Union harmonisation legislation:", 10)
        p.text(60, 205, "EMC Directive 2014/30/EU, RoHS Directive 2011/65/EU", 10)
        p.text(60, 230, "Harmonised standards applied: EN 55015:2013+A1:2015, EN 61547:2009", 10)
        p.text(60, 280, "Stuttgart, 05.04.2023", 10)
        p.text(60, 320, "Karl Weber, Managing Director", 10)
    result = _extract(tmp_path, build, "dotted")
    assert result["record"]["declaration_date"] == "2023-04-05"


def us_letter(dated: str, address: str):
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(60, 40, "Apex Fastener Corporation", 16, True)
        p.text(60, 60, address, 9)
        p.text(60, 110, dated, 10)
        p.text(60, 140, "To Whom It May Concern:", 10)
        p.text(60, 165, "This letter certifies that all products manufactured by Apex Fastener Corporation are", 10)
        p.text(60, 178, "compliant with the EU RoHS Directive 2011/65/EU as amended by Directive (EU) 2015/863.", 10)
        p.text(60, 240, "Sincerely,", 10)
        p.text(60, 290, "Linda Park", 10).text(60, 303, "Quality Manager", 10)
    return build


def test_a_state_and_zip_code_make_a_slashed_date_month_first(tmp_path: Path) -> None:
    result = _extract(tmp_path, us_letter("07/11/2022", "1200 Industrial Pkwy, Dayton, OH 45402"), "us")
    assert result["record"]["declaration_date"] == "2022-07-11"
    assert _conf(result, "/declaration_date") < PROMISE        # still an inference: checked by a person


def test_two_letters_before_a_number_are_not_a_us_address(tmp_path: Path) -> None:
    result = _extract(tmp_path, us_letter("07/11/2022", "Werkstr. 2, Postfach No 12345, Linz"), "not_us")
    assert result["record"]["declaration_date"] == "2022-11-07"
    assert _conf(result, "/declaration_date") < PROMISE


def lab_report_signed_by_the_lab(w: PdfWriter) -> None:
    """A laboratory's RoHS report: the client at "Applicant :" without a legal form, the
    laboratory's full name (with one) in the signature block and the footer; labels set apart
    from their values by a spaced colon ("Style/Item No. :")."""
    p = w.page()
    p.text(60, 80, "Test Report No. : CANEC2201234501", 9).text(300, 80, "Date : 15 MAR 2022", 9)
    p.text(60, 110, "Applicant :", 9).text(160, 110, "ACME ELECTRONICS", 9)
    p.text(60, 122, "Address :", 9).text(160, 122, "NO. 1, HUANAN ROAD, SHENZHEN, GUANGDONG, CHINA", 9)
    p.text(60, 170, "Sample Description :", 9).text(160, 170, "CERAMIC CAPACITOR", 9)
    p.text(60, 183, "Style/Item No. :", 9).text(160, 183, "CC0603KRX7R9BB104", 9)
    p.text(60, 280, "Conclusion : Based on the performed tests on submitted sample(s), the results of Cadmium, Lead,", 9)
    p.text(60, 292, "Mercury, Hexavalent Chromium, PBBs, PBDEs, DBP, BBP, DEHP and DIBP comply with the limits as set by", 9)
    p.text(60, 304, "RoHS Directive (EU) 2015/863 amending Annex II to Directive 2011/65/EU.", 9)
    p.text(60, 350, "Signed for and on behalf of", 9)
    p.text(60, 362, "Pearl River Testing Technology Co., Ltd.", 9)
    p.text(60, 400, "Jenny Lan", 9).text(60, 412, "Approved Signatory", 9)
    p.text(60, 760, "Pearl River Testing Technology Co., Ltd. 198 Kezhu Road, Guangzhou", 7)


def test_the_laboratory_that_signs_a_report_is_never_the_supplier(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_report_signed_by_the_lab, "lab_signed")
    record = result["record"]
    assert result["document_type"] == "rohs"
    assert record["supplier"]["name"] == "ACME ELECTRONICS"       # the applicant, not "Pearl River Testing …"
    assert _conf(result, "/supplier/name") < PROMISE              # no legal form: not checked
    assert [p["part_number"] for p in record["products"]] == ["CC0603KRX7R9BB104"]
    assert record["declaration_date"] == "2022-03-15"             # not a sample's or testing period's date


def combined_requirements_list(w: PdfWriter) -> None:
    """A maker's "Declaration of Conformity" listing requirements its products meet: EU RoHS with
    its substance table first, then REACH SVHC limits — a combined statement, read as the RoHS one."""
    p = w.page()
    p.text(60, 30, "Lotus Components", 12, True)
    p.centred(60, "Declaration of Conformity", 12, True)
    p.text(60, 85, "Lotus Components' products meet requirements below:", 9)
    p.text(60, 100, "1. EU RoHS:", 9)
    p.text(60, 115, "Restricted Substance", 9).text(300, 115, "Limit", 9)
    for i, (name, limit) in enumerate([("Cadmium (Cd)", "<=100 ppm"), ("Lead (Pb)", "<=1000 ppm"),
                                       ("Hexavalent chromium (CrVI)", "ND"), ("Polybrominated biphenyls (PBBs)", "ND"),
                                       ("Polybrominated diphenyl ethers (PBDEs)", "ND")]):
        p.text(60, 130 + 13 * i, name, 9).text(300, 130 + 13 * i, limit, 9)
    p.text(60, 210, "2. Limit for EU REACH 241 SVHC substances: <= 1000 ppm", 9)
    p.text(60, 300, "Company (seal): Shenzhen Lotus Components Co.,Ltd.", 9)


def test_a_requirements_list_led_by_rohs_is_a_rohs_statement(tmp_path: Path) -> None:
    result = _extract(tmp_path, combined_requirements_list, "combined")
    assert result["document_type"] == "rohs"                  # not REACH: RoHS leads, with its substance table
    assert result["record"]["rohs_compliant"] is True          # "products meet requirements below: EU RoHS"


def non_use_report(w: PdfWriter) -> None:
    """A "Non-use report": products do not contain the listed substances under the RoHS directive;
    the products on a second page in a table that prints the same code in two columns; the
    company's name in a copyright footer."""
    p = w.page()
    p.text(60, 70, "Issue date: 2024/10/11", 9)
    p.centred(190, "Non-use Report for Chemical Substances Contained in Products", 14, True)
    p.text(60, 260, "Our company hereby reports that our products listed in Item I delivered to your company", 9)
    p.text(60, 271, "do not contain the substances in Item II below or do not exceed the specified values under", 9)
    p.text(60, 282, "the RoHS directive (2011/65/EU, (EU) 2015/863).", 9)
    p.text(60, 660, "Masato Ito, Manager", 10)
    p.text(60, 700, "Quality Assurance Department", 10)
    p.text(60, 784, "© Kitamura Devices Co., Ltd.", 9)
    q = w.page()
    q.text(60, 143, "The Applicable Products", 10)
    q.text(60, 172, "No.", 10).text(100, 172, "Product Name", 10).text(300, 172, "Our part No.", 10)
    q.text(420, 172, "Our product No.", 10)
    q.text(60, 192, "1", 10).text(100, 192, "Side switch", 10).text(300, 192, "KDS-220B", 10).text(420, 192, "KDS-220B", 10)
    q.text(60, 784, "© Kitamura Devices Co., Ltd.", 9)


def test_a_non_use_report_states_compliance_and_names_its_maker_without_the_copyright_sign(tmp_path: Path) -> None:
    result = _extract(tmp_path, non_use_report, "non_use")
    record = result["record"]
    assert result["document_type"] == "rohs"
    assert record["rohs_compliant"] is True
    assert record["supplier"]["name"] == "Kitamura Devices Co., Ltd."          # not "© Kitamura …"
    assert record["products"] == [{"part_number": "KDS-220B"}]                 # the code is not its own name


def test_a_printout_of_a_certificate_register_search_is_refused(tmp_path: Path) -> None:
    """A web register's search result lists certificates (issuer, number, dates) without being one."""
    w = PdfWriter()
    p = w.page()
    p.text(40, 15, "24/07/2017", 8).text(300, 15, "Produtos Certificados", 8)
    p.text(40, 231, "Resultado da Consulta:", 13).text(40, 242, "15 Certificado(s)", 13).text(40, 252, "473 Produtos(s)", 13)
    p.text(40, 278, "Certificador: BVQI Nº Certificado: BRP235921 Tipo: Produto Emissão: 09/12/2016 Validade:", 11)
    p.text(40, 290, "08/12/2019 Status do Certificado: Ativo Doc.Normativo", 11)
    p.text(40, 329, "73378390000101 FLOW TRADE - EIRELI RUA TEN. CEL. FABRÍCIO PILAR, 55 - PORTO ALEGRE", 10)
    for i in range(8):
        p.text(40, 360 + 40 * i, f"MECH A1 - DIÂMETRO NOMINAL: {100 - i}X65 (MM) SIM CONEXÕES DE FERRO FUNDIDO", 10)
        p.text(40, 372 + 40 * i, "MALEÁVEL PARA CONDUÇÃO DE FLUÍDOS - NBR 6943:2000 - TIPO: A COTOVELOS", 10)
    with pytest.raises(ExtractionError) as refused:
        extract_file(w.save(tmp_path / "listing.pdf"))
    assert refused.value.code == "not_a_declaration"
    assert "register" in refused.value.reason


def test_a_doc_names_its_product_not_its_revision_and_normalises_post_2015_acts(tmp_path: Path) -> None:
    """"Type designation: V2.0" is a revision; "Directive 2015/863" and "2015/863/EU" are the act
    "(EU) 2015/863"; an ETSI standard keeps its version ("EN 300 328 V2.2.2")."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(95, "EU Declaration of Conformity", 17, True)
        p.text(60, 126, "Manufacturer: Bluefin Robotics LLC", 12)
        p.text(60, 179, "We, Bluefin Robotics LLC, declare under our sole responsibility that the following apparatus:", 11)
        p.text(60, 208, "Product description: Bluefin Rover", 12)
        p.text(60, 221, "Type designation: V2.0", 12)
        p.text(60, 262, "Conforms to the Radio Equipment Directive 2014/53/EU, RoHS Directive 2011/65/EU and the", 11)
        p.text(60, 275, "amended Directive 2015/863 (also cited as 2015/863/EU), with the standards applied:", 11)
        p.text(60, 300, "EN 300 328 V2.2.2", 11).text(60, 313, "EN IEC 63000:2018", 11)
        p.text(60, 559, "Date of issue: 2022-12-05", 12)
    result = _extract(tmp_path, build, "version_model")
    record = result["record"]
    assert record["products"] == [{"name": "Bluefin Rover"}]
    assert _conf(result, "/products/0/name") < PROMISE       # a description, no model code beside it
    assert record["directives"] == ["2014/53/EU", "2011/65/EU", "(EU) 2015/863"]
    assert record["standards"] == ["EN 300 328 V2.2.2", "EN IEC 63000:2018"]


@pytest.mark.parametrize("created, expected", [("20220513104908", "2022-05-12"),    # 5 December: after the file
                                               ("20221206090000", "2022-12-05"),    # both possible: a US address
                                               (None, "2022-12-05")])
def test_a_date_after_the_file_was_made_is_impossible(tmp_path: Path, created: str | None, expected: str) -> None:
    """"12/05/2022" from a US maker reads month-first, unless the file's metadata says it was
    made in May 2022 — then 5 December is impossible and the date is 12 May."""
    w = PdfWriter(created=created)
    us_letter("12/05/2022", "19 Morris Ave, Brooklyn, NY 11205 USA")(w)
    result = extract_file(w.save(tmp_path / "created.pdf"))
    assert result["record"]["declaration_date"] == expected
    assert _conf(result, "/declaration_date") < PROMISE


@pytest.mark.parametrize("line, expected", [
    ("Does not contain REACH SVHC", False),
    ("customers do not contain the Substances of Very High Concern (SVHC) - REACH 209 items", False),
    ("SVHC: the products do not contain lead above 0.1 %", None),      # a RoHS sentence after the SVHC word
    ("Regarding REACH, the information we provide on SVHC is on our website", None),
])
def test_a_rohs_statement_also_says_whether_svhc_are_present(tmp_path: Path, line: str, expected: bool | None) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(60, 40, "Orion Semiconductor Co., Ltd.", 14, True)
        p.centred(100, "Certificate of Compliance", 16, True)
        p.text(60, 150, "We assure that all our products are in conformity with RoHS 2011/65/EU and (EU) 2015/863.", 10)
        p.text(60, 170, line, 10)
        p.text(60, 300, "Date: 2020/06/18", 10)
    result = _extract(tmp_path, build, "svhc_side")
    assert result["document_type"] == "rohs"
    assert result["record"].get("svhc_above_threshold") is expected
    if expected is not None:
        assert _conf(result, "/svhc_above_threshold") < PROMISE     # a side remark of a RoHS statement


def rohs_letter_with(lines: list[str]):
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(60, 40, "Halvorsen Passives AS", 14, True)
        p.centred(100, "RoHS Compliance Statement", 16, True)
        p.text(60, 150, "Halvorsen Passives AS hereby certifies that its products are compliant with", 10)
        p.text(60, 163, "Directive 2011/65/EU and (EU) 2015/863.", 10)
        for i, text in enumerate(lines):
            p.text(60, 190 + 13 * i, text, 10)
        p.text(60, 200 + 13 * len(lines), "Flat 4a, Storgata 12, Oslo", 10)
        p.text(60, 300, "Date: 2025-09-01", 10)
    return build


@pytest.mark.parametrize("lines, expected", [
    (["Exemptions used: 6a, 6c, 7a, 7cI"], ["6(a)", "6(c)", "7(a)", "7(c)-I"]),
    (["Currently concerned exemptions as per Annex III are 6 a, b, c, 7 a, 7 c(I)", "and 7 c(II)."],
     ["6(a)", "6(b)", "6(c)", "7(a)", "7(c)-I", "7(c)-II"]),
])
def test_exemptions_written_without_brackets_or_as_shorthand(tmp_path: Path, lines: list[str], expected: list[str]) -> None:
    result = _extract(tmp_path, rohs_letter_with(lines), "shorthand")
    assert result["record"]["exemptions"] == expected          # never "4(a)" from the address


@pytest.mark.parametrize("cl_line, version, cl_date", [
    ("in a concentration above 0.1 % w/w, per the Candidate List updated on 27 June 2024 (241 entries).",
     "241 substances", "2024-06-27"),
    ("above 0.1 % by weight. SVHC list as of 14 June 2023 (235 substances).", "235 substances", "2023-06-14"),
])
def test_the_candidate_list_edition_by_size_and_date(tmp_path: Path, cl_line: str, version: str, cl_date: str) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(60, 40, "Nordic Fasteners AB", 16, True)
        p.centred(110, "REACH Statement", 18, True)
        p.text(60, 140, "Göteborg, 2024-07-15", 10)
        p.text(60, 170, "We hereby confirm that our products do not contain substances of very high concern (SVHC)", 10)
        p.text(60, 183, cl_line, 10)
    record = _extract(tmp_path, build, "cl_edition")["record"]
    assert (record["candidate_list_version"], record["candidate_list_date"]) == (version, cl_date)
    assert record["declaration_date"] == "2024-07-15" and record["svhc_above_threshold"] is False


def test_a_lab_report_names_the_manufacturer_not_the_applicant_as_supplier(tmp_path: Path) -> None:
    """A trading company applied for the test; the report names the maker too: the maker supplies."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(60, 40, "TEST REPORT", 16, True)
        p.text(60, 70, "Report No.: GZ24-0032", 9).text(350, 70, "Date: Jan 05, 2024", 9)
        p.text(60, 95, "Applicant: Evergreen Trading Ltd.", 9)
        p.text(60, 110, "Manufacturer: Foshan Meilan Plastics Co., Ltd.", 9)
        p.text(60, 135, "Sample Description: Storage box", 9)
        p.text(60, 148, "Item No.: ML-2210", 9)
        p.text(60, 175, "Conclusion: The submitted sample complies with the limits of RoHS Directive 2011/65/EU", 9)
        p.text(60, 187, "and its amendment Directive (EU) 2015/863.", 9)
        p.text(60, 300, "Guangzhou Quality Testing Laboratory Co., Ltd.", 9)
    record = _extract(tmp_path, build, "applicant")["record"]
    assert record["supplier"]["name"] == "Foshan Meilan Plastics Co., Ltd."
    assert [p["part_number"] for p in record["products"]] == ["ML-2210"]


def pass_report(verdict: str):
    """A laboratory's RoHS test report: a results table whose only verdict is the word in `verdict`."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(60, 70, "TEST REPORT", 16, True)
        p.text(60, 100, "Number: SHAH00123456", 9).text(350, 100, "Date: Jan 05, 2024", 9)
        p.text(60, 125, "Applicant: Ningbo Haitian Toys Co., Ltd.", 9)
        p.text(60, 165, "Sample Description: Plastic toy car", 9)
        p.text(60, 178, "Style/Item No.: HT-8802", 9)
        p.text(60, 200, "Date Received: Dec 28, 2023", 9)
        p.text(60, 213, "Testing Period: Dec 28, 2023 to Jan 05, 2024", 9)
        p.text(60, 240, "Test Conducted", 9, True).text(480, 240, "Conclusion", 9, True)
        p.text(60, 255, "RoHS Directive (EU) 2015/863 amending Annex II to Directive 2011/65/EU", 9)
        p.text(480, 255, verdict, 9)
        p.text(60, 268, "- Cadmium, Lead, Mercury, Hexavalent Chromium, PBBs, PBDEs", 9)
        p.text(60, 320, "Tested by: Li Wei", 9)
        p.text(60, 760, "Eastgate Testing Services Ltd., Shanghai", 8)
    return build


def test_a_rohs_test_report_that_passed_is_read_as_the_makers_evidence(tmp_path: Path) -> None:
    result = _extract(tmp_path, pass_report("Pass"), "passed")
    record = result["record"]
    assert result["document_type"] == "rohs"
    assert record["rohs_compliant"] is True and _conf(result, "/rohs_compliant") < PROMISE
    assert record["supplier"]["name"] == "Ningbo Haitian Toys Co., Ltd."       # the applicant, not the lab
    assert _conf(result, "/supplier/name") < PROMISE                           # who ordered the test: unchecked
    assert record["declaration_date"] == "2024-01-05"                           # not the date received


def test_a_rohs_test_report_that_failed_is_refused(tmp_path: Path) -> None:
    w = PdfWriter()
    pass_report("Fail")(w)
    with pytest.raises(ExtractionError) as refused:
        extract_file(w.save(tmp_path / "failed.pdf"))
    assert "test report" in refused.value.reason


@pytest.mark.parametrize("text, expected", [("2023年3月15日", "2023-03-15"), ("日期：2023年03月05日", "2023-03-05"),
                                            ("2023 年 3 月 15 日", "2023-03-15")])
def test_chinese_and_japanese_dates(text: str, expected: str) -> None:
    """Bilingual Chinese declarations date the signature "2023年3月15日" (year, month, day)."""
    assert parse_date(text).isoformat() == expected


def test_a_hazardous_substance_process_management_certificate_stays_a_certificate(tmp_path: Path) -> None:
    """IECQ QC 080000 certifies a management system for RoHS: a certificate, not a test of products."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(80, "CERTIFICATE OF CONFORMITY", 24, True)
        p.centred(130, "This is to certify that the Hazardous Substance Process Management system of", 11)
        p.centred(160, "Kunshan Brightline Electronics Co., Ltd.", 16, True)
        p.centred(190, "complies with IECQ QC 080000:2017 for products meeting RoHS 2011/65/EU and (EU) 2015/863", 10)
        p.centred(205, "restriction of hazardous substances requirements", 10)
        p.text(60, 420, "Date of issue: 10 March 2025", 10).text(60, 440, "Valid until: 9 March 2028", 10)
    assert _extract(tmp_path, build, "hspm")["document_type"] == "certificate"


def test_a_browsers_print_time_is_not_the_declaration_date(tmp_path: Path) -> None:
    """A declaration printed from a browser: its header holds the file name and the print time."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(40, 19, "RoHS-Certificate-of-Compliance.jpg 566x800 pixels", 7).text(420, 19, "2022-08-16, 23:45", 7)
        p.text(60, 107, "Shenzhen Harbourline Electronics Co., Ltd.", 11)
        p.centred(162, "Certificate of Compliance", 24, True)
        p.text(60, 396, "The product described above has been tested and found in compliance with the", 10)
        p.text(60, 409, "RoHS Directive 2011/65/EU Annex II as amended by (EU) 2015/863.", 10)
    record = _extract(tmp_path, build, "print_time")["record"]
    assert "declaration_date" not in record          # blank, never the day it was printed


def test_a_signing_time_in_the_body_keeps_its_date(tmp_path: Path) -> None:
    """"DocuSigned by: … 07 April 2021 10:44 BST" beside the signature is the declaration's date."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(60, 107, "Harbourline Electronics Ltd", 11)
        p.centred(162, "RoHS Declaration", 24, True)
        p.text(60, 396, "We declare that our products comply with the RoHS Directive 2011/65/EU.", 10)
        p.text(60, 598, "DocuSigned by:", 10).text(300, 598, "07 April 2021 10:44 BST", 10)
    assert _extract(tmp_path, build, "signed_time")["record"]["declaration_date"] == "2021-04-07"
