"""Patterns found on real documents from companies and certification bodies the development set
does not have (SGS, TÜV Rheinland, Bureau Veritas Mexico, DNV, DQS certificates; EC declarations
of conformity; component makers' statements; datasheets and specifications), rebuilt as generated
PDFs. Each test would fail if the pattern were read wrongly or promised (confidence >= 0.9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingestion import ExtractionError, extract_file
from ingestion.pdf.dates import find_dates
from ingestion.pdf.layout import Word

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import PROMISE, _conf, _extract


def sgs_style_certificate(w: PdfWriter) -> None:
    """The body is named only in its signature block and small print, and the small print says
    "This document is issued by the Company subject to its General Conditions"."""
    p = w.page()
    p.text(330, 60, "Certificate EG21/5521", 11)
    p.text(330, 84, "The management system of", 9)
    p.text(200, 104, "NILE PACKAGING S.A.E", 22, True)
    p.text(160, 132, "R2, Plot No. 7, Industrial Zone, 6th October City, Egypt", 9)
    p.text(200, 150, "has been assessed and certified as meeting the requirements of", 9)
    p.text(260, 176, "ISO 9001:2015", 22, True)
    p.text(120, 220, "This certificate is valid from 17 September 2021 until 17 September 2024", 10)
    p.text(260, 420, "Authorised by", 9)
    p.text(300, 470, "SGS United Kingdom Ltd", 9)
    p.text(200, 482, "Rossmore Business Park  Ellesmere Port  Cheshire  CH65 3EN  UK", 8)
    p.text(60, 700, "This document is issued by the Company subject to its General Conditions of", 6)
    p.text(60, 708, "Certification Services accessible at www.sgs.com/terms_and_conditions.htm.", 6)


def test_issuer_is_never_the_company_the_small_print_refers_to(tmp_path: Path) -> None:
    result = _extract(tmp_path, sgs_style_certificate, "sgs_style")
    assert result["record"]["issuer"]["name"] == "SGS United Kingdom Ltd"     # not "the Company"
    assert result["record"]["holder"]["name"] == "NILE PACKAGING S.A.E"


def spanish_certificate_with_sentence(w: PdfWriter) -> None:
    """"<Body> certifica que el Sistema de Gestión de la Organización mencionada ha sido auditado":
    the phrase ends in a sentence, not a name; the name is set large above it. A logo caption
    "ACREDITADO 21/11" stands where a label could read it as the issuer."""
    p = w.page()
    p.text(360, 60, "BUREAU VERITAS", 14, True).text(360, 78, "Certification", 11, True)
    p.text(150, 140, "Envases del Golfo S.A. de C.V.", 18, True)
    p.text(110, 162, "Boulevard de los Rios 5680, Altamira, Tamaulipas, C.P. 89603, Mexico", 10)
    p.text(80, 190, "BVQI Mexicana, S.A. de C.V. certifica que el Sistema de Gestion de la", 10)
    p.text(80, 203, "Organizacion mencionada ha sido auditado y se encuentra en conformidad con", 10)
    p.text(80, 216, "los requisitos de la Norma de Sistema de Gestion que a continuacion se indica", 10)
    p.text(150, 250, "NMX-CC-9001-IMNC-2015/ISO 9001: 2015", 16, True)
    p.text(80, 300, "Fecha de Inicio del Ciclo de Certificacion/ Recertificacion:", 9).text(400, 300, "02 de Abril 2021", 9)
    p.text(80, 330, "certificado es valido hasta: 01 de Abril 2024", 9)
    p.text(80, 350, "No. de Certificado: MX21.00077", 9)
    p.text(330, 420, "ACREDITADO 21/11", 9, True)
    p.text(80, 470, "Oficina Local: BVQI Mexicana, S.A. de C.V. - Blvd. Manuel Avila Camacho No. 36", 8)


def test_a_sentence_at_the_holder_phrase_is_not_the_holder(tmp_path: Path) -> None:
    result = _extract(tmp_path, spanish_certificate_with_sentence, "bv_mx")
    record = result["record"]
    assert record.get("holder", {}).get("name") == "Envases del Golfo S.A. de C.V."
    issuer = record.get("issuer", {}).get("name", "")
    assert "21/11" not in issuer and "ACREDITADO" not in issuer
    assert "Veritas" in issuer or "BVQI" in issuer


def tuv_table_certificate(w: PdfWriter) -> None:
    """A key-value table ("Certificate Registr. No.") and a generic "TÜV" in the trademark small
    print beside the full name of the issuing TÜV company."""
    p = w.page()
    p.text(70, 80, "Certificate", 40)
    p.text(70, 150, "Standard", 10).text(220, 150, "ISO 9001:2015", 14, True)
    p.text(70, 180, "Certificate Registr. No.", 10).text(220, 180, "01 100 1900777", 14, True)
    p.text(70, 210, "Certificate Holder:", 10).text(220, 210, "POLYFILM INDUSTRIES LTD", 14, True)
    p.text(220, 228, "Plot 12, Sector 60, Noida 201301, India", 10)
    p.text(70, 330, "Validity:", 10).text(220, 330, "The certificate is valid from 2022-01-01 until 2024-12-31.", 10)
    p.text(220, 430, "2021-11-20", 10)
    p.text(380, 440, "TUV Rheinland Cert GmbH", 9).text(380, 452, "Am Grauen Stein, 51105 Koln", 9)
    for i in range(3):
        p.text(560, 300 + 120 * i, "TUV, TUEV and TUV are registered trademarks.", 5)


def test_a_specific_body_wins_over_its_generic_trademark(tmp_path: Path) -> None:
    result = _extract(tmp_path, tuv_table_certificate, "tuv_table")
    record = result["record"]
    assert record["issuer"]["name"].startswith("TUV Rheinland")
    assert record["certificate_number"].replace(" ", "") == "011001900777"
    assert record["holder"]["name"] == "POLYFILM INDUSTRIES LTD"


def brc_certificate_with_auditor_number(w: PdfWriter) -> None:
    """"AUDITOR NUMBER: 21006" is not the certificate's number; "Re-Evaluation Due Date: From …
    to …" is not its validity."""
    p = w.page()
    p.text(60, 60, "Certificate EG16/4471", 10)
    p.text(60, 80, "This is to certify that", 10)
    p.text(60, 100, "Delta Films S.A.E", 20, True)
    p.text(60, 130, "has been assessed and certified as meeting the requirements of", 10)
    p.text(60, 146, "Global Standard for Packaging Materials", 13, True)
    p.text(60, 200, "AUDITOR NUMBER: 21006", 10)
    p.text(60, 216, "Date of Evaluation: 12 June 2022", 10)
    p.text(60, 232, "Certificate Issue Date: 10 August 2022", 10)
    p.text(60, 248, "Re-Evaluation Due Date: From 01 June 2023 to 29 June 2023", 10)
    p.text(60, 264, "Certificate Expiry Date: 27 September 2023", 10)
    p.text(60, 400, "SGS United Kingdom Ltd", 10)


def test_auditor_number_and_re_evaluation_window_are_not_the_certificates(tmp_path: Path) -> None:
    result = _extract(tmp_path, brc_certificate_with_auditor_number, "brc")
    record = result["record"]
    assert record["certificate_number"] == "EG16/4471"
    assert (record["issue_date"], record["expiry_date"]) == ("2022-08-10", "2023-09-27")


def dnv_place_and_date(w: PdfWriter) -> None:
    """DNV: "Place and date: Shanghai, 23 October, 2023" is the issue date; the initial
    certification date, twenty years earlier, is not."""
    p = w.page()
    p.text(60, 60, "MANAGEMENT SYSTEM CERTIFICATE", 22, True)
    p.text(60, 110, "Certificate No:", 8).text(60, 120, "9001-2004-AQ-SHA-RvA", 8)
    p.text(230, 110, "Initial certification date:", 8).text(230, 120, "03 September, 2004", 8)
    p.text(390, 110, "Valid:", 8).text(390, 120, "20 October, 2023 - 19 October, 2026", 8)
    p.text(60, 170, "This is to certify that the management system of", 11)
    p.text(60, 200, "Zhaoqing Ceramic Parts Co., Ltd.", 18, True)
    p.text(60, 250, "has been found to conform to the Quality Management System standard:", 10)
    p.text(60, 266, "ISO 9001:2015", 12, True)
    p.text(60, 600, "Place and date:", 8).text(60, 610, "Shanghai, 23 October, 2023", 8, True)
    p.text(390, 600, "For the issuing office:", 8).text(390, 610, "DNV - Business Assurance", 8, True)


def test_place_and_date_gives_the_issue_date(tmp_path: Path) -> None:
    result = _extract(tmp_path, dnv_place_and_date, "dnv")
    record = result["record"]
    assert record["issue_date"] == "2023-10-23"
    assert record["expiry_date"] == "2026-10-19"


def ce_doc_with_label_qualifier_and_us_date(w: PdfWriter) -> None:
    """"Manufacturer Name: (Or His authorized representative)" before the name, and a date
    printed 7/12/2018 by a company that signs from Seattle, WA."""
    p = w.page()
    p.centred(60, "Declaration of Conformity", 18, True)
    p.text(60, 110, "Manufacturer Name:", 10).text(200, 110, "(Or His authorized", 10)
    p.text(60, 122, "representative)", 10).text(200, 122, "Finboard Ltd", 10)
    p.text(60, 150, "Manufacturer Address:", 10).text(200, 150, "One London Wall, London EC2Y 5EB, United Kingdom", 10)
    p.text(60, 180, "Declare under our sole responsibility that the product", 10)
    p.text(60, 196, "Model: Finboard One", 10)
    p.text(60, 230, "is in conformity to all the essential requirements of Directive 2014/53/EU.", 10)
    p.text(60, 246, "Harmonised standards: EN 300 328 V2.1.1, EN 301 489-1 V2.2.0", 10)
    p.text(60, 300, "Date:", 10).text(200, 300, "7/12/2018", 10)
    p.text(60, 330, "Chief Technical Officer, 1517 12th Ave, Seattle, WA 98122", 10)


def test_doc_label_qualifier_dropped_and_ambiguous_date_not_promised(tmp_path: Path) -> None:
    result = _extract(tmp_path, ce_doc_with_label_qualifier_and_us_date, "ce_doc")
    record = result["record"]
    assert result["document_type"] == "declaration_of_conformity"
    assert record["supplier"]["name"] == "Finboard Ltd"
    assert record["declaration_date"] == "2018-07-12"            # a US document: month first
    assert _conf(result, "/declaration_date") < PROMISE          # but read both ways: checked by a person


def specification_for_approval(w: PdfWriter) -> None:
    p = w.page()
    p.centred(60, "SPECIFICATION FOR APPROVAL", 16, True)
    p.text(60, 100, "CUSTOMER :", 10).text(60, 116, "PRODUCT TYPE : SMD SEAM SEALING X'TAL 3.2x2.5", 10)
    p.text(60, 132, "NOMINAL FREQ. : 12.000000MHz", 10).text(60, 148, "TXC P/N : 7M12000044", 10)
    p.text(60, 164, "REVISION : A1", 10).text(60, 180, "MSL: Level 1    RoHS Compliant", 10)
    p.text(60, 210, "(1) TXC requires one copy returned with signature and title of authorized individual", 9)
    p.text(60, 222, "that signifies acceptance of the attached specifications.", 9)
    p.text(60, 234, "(3) Any changes to these specifications must be agreed upon by both parties and a new", 9)
    p.text(60, 246, "revision of the Product Specification Sheet will be issued.", 9)
    p.text(60, 280, "CUSTOMER SIGNATURE & Date", 10)


def package_addendum(w: PdfWriter) -> None:
    p = w.page()
    p.text(60, 40, "PACKAGE OPTION ADDENDUM", 12, True)
    p.text(60, 70, "PACKAGING INFORMATION", 10, True)
    p.text(60, 90, "Orderable Device  Status  Package Type  Pins  Eco Plan  Lead/Ball Finish  MSL Peak Temp", 8)
    for i in range(4):
        p.text(60, 106 + 14 * i, f"TLV6256{i}DBVR  ACTIVE  SOT-23  5  Green (RoHS & no Sb/Br)  CU NIPDAU  Level-1-260C", 8)
    p.text(60, 180, "(1) The marketing status values are defined as follows: ACTIVE: Product device recommended.", 8)
    p.text(60, 194, "(2) Eco Plan - The planned eco-friendly classification: Pb-Free (RoHS), Green (RoHS & no Sb/Br).", 8)


def emc_verification(w: PdfWriter) -> None:
    p = w.page()
    p.centred(60, "VERIFICATION OF EMC COMPLIANCE", 16, True)
    p.text(60, 100, "Verification No.: SZEM1710010995ITV", 10)
    p.text(60, 116, "Applicant: Example Audio Ltd", 10).text(60, 132, "Product Description: Power HAT", 10)
    p.text(60, 160, "Sufficient samples of the product have been tested and found to be in conformity with", 10)
    p.text(60, 176, "Test Standards: EN 55032:2015  EN 61000-3-2:2014  EN 55024:2010", 10)
    p.text(60, 192, "As shown in the Test Report Number(s): SZEM171001099501", 10)
    p.text(60, 220, "performed by laboratory of SGS-CSTC Standards Technical Services Co., Ltd. under Directive", 10)
    p.text(60, 236, "2014/30/EU. The CE mark can be used after completion of an EU Declaration of Conformity.", 10)


@pytest.mark.parametrize("build", [specification_for_approval, package_addendum, emc_verification])
def test_specifications_addenda_and_lab_verifications_are_refused(tmp_path: Path, build: Any) -> None:
    w = PdfWriter()
    build(w)
    with pytest.raises(ExtractionError) as refused:
        extract_file(w.save(tmp_path / f"{build.__name__}.pdf"))
    assert "not a declaration" in str(refused.value)


def letterhead_and_bare_name_declares(w: PdfWriter, title: str, body: str) -> None:
    """"ACME TECHNOLOGY declares that …" under a letterhead printing the name with its legal form."""
    p = w.page()
    p.text(40, 40, "ACME TECHNOLOGY s.p.a. Via Roma, 136 Gazzaniga (BG) Italia tel. +39 035 738130", 8)
    p.text(60, 100, title, 13, True)
    p.text(60, 140, body, 10)
    p.text(60, 156, "We inform that all our suppliers have provided proof that they are compliant.", 10)
    p.text(60, 220, "Gazzaniga, 07/12/2020", 10)
    p.text(60, 250, "Mario Rossi", 10).text(60, 262, "CEO", 10)


def test_supplier_declaring_by_bare_name_takes_its_letterhead_legal_form(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: letterhead_and_bare_name_declares(
        w, "DECLARATION OF CONFORMITY TO EU DIRECTIVE 2015/863/UE (RoHS III) - BOARDX",
        "ACME TECHNOLOGY declares that the BoardX printed circuit board is compliant with RoHS III."), "rohs_letter")
    assert result["document_type"] == "rohs"
    assert result["record"]["supplier"]["name"] == "ACME TECHNOLOGY s.p.a."


def test_a_declaration_titled_reach_without_svhc_words_is_read_as_reach(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: letterhead_and_bare_name_declares(
        w, "DECLARATION OF CONFORMITY TO DIRECTIVE 1907/2006/CE (REACH) - BOARDX",
        "ACME TECHNOLOGY declares that all covered production processes are compliant with the directive."),
        "reach_letter")
    assert result["document_type"] == "reach_svhc"
    assert result["record"]["declaration_date"] == "2020-12-07"


@pytest.mark.parametrize("printed", ["September 1st, 2025", "September 1°, 2025", "September 1%, 2025"])
def test_a_letters_ordinal_date_survives_ocr_superscripts(printed: str) -> None:
    hits = find_dates([Word(t, 0, 0, 0, 0, 0, 0) for t in printed.split()])
    assert [h.value.isoformat() for h in hits] == ["2025-09-01"]


def name_over_three_lines(w: PdfWriter) -> None:
    p = w.page()
    p.text(60, 60, "MANAGEMENT SYSTEM CERTIFICATE", 22, True)
    p.text(60, 110, "Certificate No: 0064-2002-AE-RGC-RvA", 8)
    p.text(60, 170, "This is to certify that the management system of", 11)
    p.text(60, 200, "Zhaoqing MLCC Branch of Guangdong", 18, True)
    p.text(60, 222, "Fenghua Advanced Technology Holding", 18, True)
    p.text(60, 244, "Co., Ltd.", 18, True)
    p.text(60, 280, "Fenghua Electronic City, No. 18 Fenghua Road, Zhaoqing, Guangdong, China", 10)
    p.text(60, 320, "has been found to conform to the Environmental Management System standard:", 10)
    p.text(60, 336, "ISO 14001:2015", 12, True)


def company_and_its_unit(w: PdfWriter) -> None:
    p = w.page()
    p.text(70, 80, "Certificate", 40)
    p.text(70, 150, "Standard", 10).text(220, 150, "ISO 14001:2015", 14, True)
    p.text(70, 210, "Certificate Holder:", 10).text(220, 210, "POLYFILM LTD", 14, True)
    p.text(220, 228, "FILMS DIVISION", 14, True)
    p.text(220, 248, "Unit 1: A-1 Sector 60, Noida 201301, India", 10)


def test_a_name_set_over_three_lines_is_read_whole(tmp_path: Path) -> None:
    result = _extract(tmp_path, name_over_three_lines, "three_lines")
    assert result["record"]["holder"]["name"] == \
        "Zhaoqing MLCC Branch of Guangdong Fenghua Advanced Technology Holding Co., Ltd."


def test_a_unit_under_the_company_in_the_same_type_belongs_to_the_name(tmp_path: Path) -> None:
    result = _extract(tmp_path, company_and_its_unit, "unit")
    assert result["record"]["holder"]["name"] == "POLYFILM LTD FILMS DIVISION"


def certificate_with_site_appendix(w: PdfWriter) -> None:
    p = w.page()
    p.text(60, 60, "MANAGEMENT SYSTEM CERTIFICATE", 22, True)
    p.text(60, 110, "Certificate No: 8029-2003-AQ-RGC-RvA", 8)
    p.text(60, 170, "This is to certify that the management system of", 11)
    p.text(60, 200, "Zhaoqing MLCC Branch Company -", 18, True)
    p.text(60, 222, "Subsidiary of Guangdong Fenghua", 18, True)
    p.text(60, 244, "Advanced Technology Holding", 18, True)
    p.text(60, 266, "Co., Ltd.", 18, True)
    p.text(60, 320, "has been found to conform to the Quality Management System standard: ISO 9001:2015", 10)
    a = w.page()
    a.text(60, 60, "Appendix to Certificate", 14, True)
    a.text(60, 100, "Company:", 10).text(160, 100, "Guangdong Fenghua Advanced Technology Holding Co., Ltd.", 10)
    a.text(60, 120, "Site:", 10).text(160, 120, "No. 18 Fenghua Road, Zhaoqing, China", 10)


def test_a_company_named_in_the_site_appendix_is_not_promised_as_the_holder(tmp_path: Path) -> None:
    result = _extract(tmp_path, certificate_with_site_appendix, "appendix")
    name = result["record"]["holder"]["name"]
    assert name.replace(" -", "") == \
        "Zhaoqing MLCC Branch Company Subsidiary of Guangdong Fenghua Advanced Technology Holding Co., Ltd."
