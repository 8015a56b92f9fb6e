"""Patterns from a second set of real documents the development set does not have (a resin
maker's REACH notice with the Candidate List as an appendix, a product regulatory sheet, component
makers' RoHS letters, third-party RoHS certificates, certificates from bodies on no list), rebuilt
as generated PDFs. Each test fails if the pattern is read wrongly or promised (>= 0.9)."""

from __future__ import annotations

from pathlib import Path

from ingestion import extract_file
from ingestion.pdf.dates import parse_date

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import PROMISE, _conf, _extract

#: Real Candidate List entries (name, EC, CAS, date of inclusion yy/mm/dd) with valid check digits.
CANDIDATES = [
    ("Bis (2-ethylhexyl)phthalate (DEHP)", "204-211-0", "117-81-7", "08/10/28"),
    ("Benzyl butyl phthalate (BBP)", "201-622-7", "85-68-7", "08/10/28"),
    ("Dibutyl phthalate (DBP)", "201-557-4", "84-74-2", "08/10/28"),
    ("Diisobutyl phthalate", "201-553-2", "84-69-5", "10/01/13"),
    ("Acrylamide", "201-173-7", "79-06-1", "10/03/30"),
    ("Phenol, alkylation products (mainly in para position)", "310-154-3", "210555-94-5", "21/07/08"),
]


def svhc_notice_with_appendix(w: PdfWriter, *, statement_negated: bool = False) -> None:
    """Page 1: the statement that none of the substances "listed in Appendix B" is present, a
    "Date:" written "Dec. 1st, 2025". Page 2: Appendix B, the Candidate List with its columns."""
    p = w.page()
    p.centred(80, "Notice of REACH SVHC Free", 16, True)
    p.text(60, 150, "This document is for Kestrel Polymers Corporation to notify that to the best of its", 10)
    p.text(60, 164, "knowledge the products listed in Appendix A do not contain any substance(s)", 10)
    p.text(60, 178, "listed in Appendix B attached hereto (i.e. Candidate List of Substances of Very High", 10)
    p.text(60, 192, "Concern for Authorization under Regulation (EC) No. 1907/2006 of 18 December 2006).", 10)
    p.text(330, 420, "Date :", 11, True).text(380, 420, "Dec. 1st, 2025.", 11)
    p.text(330, 440, "Name :", 11, True).text(380, 440, "Mina Park", 11)
    p.text(330, 460, "Title :", 11, True).text(380, 460, "Head, SHE Office", 11)
    q = w.page()
    q.text(60, 60, "Appendix B. Candidate List of Substances of Very High Concern for Authorization", 11, True)
    q.text(60, 90, "No", 9).text(90, 90, "Substance Name", 9).text(330, 90, "EC No.", 9).text(410, 90, "CAS No.", 9)
    q.text(480, 84, "Date of", 9).text(480, 94, "inclusion", 9)
    for i, (name, ec, cas, added) in enumerate(CANDIDATES):
        top = 116 + 16 * i
        q.text(60, top, str(i + 1), 8).text(90, top, name, 8).text(330, top, ec, 8)
        q.text(410, top, cas, 8).text(480, top, added, 8)


def test_candidate_list_printed_as_an_appendix_is_not_substances_found(tmp_path: Path) -> None:
    result = _extract(tmp_path, svhc_notice_with_appendix, "svhc_notice")
    record = result["record"]
    assert result["document_type"] == "reach_svhc"
    assert record["svhc_above_threshold"] is False          # not True from the reprinted list
    assert not record.get("substances")
    assert record["declaration_date"] == "2025-12-01"
    assert record["supplier"]["name"] == "Kestrel Polymers Corporation"
    # "position" inside a substance's name is not the signatory's title label
    assert record["signatory"] == {"name": "Mina Park", "title": "Head, SHE Office"}


def regulatory_sheet(w: PdfWriter) -> None:
    """A product regulatory information sheet: a negated "following substances are not used",
    a candidate-list sentence in other words, a citation date, the date at "Effective Date" and
    the company at "Producer" followed by its business unit."""
    p = w.page()
    p.text(60, 50, "ORIOLE CHEMICAL", 14, True)
    p.centred(100, "Product Regulatory Information Sheet", 14, True)
    p.text(60, 140, "REACH (Regulation (EC) No. 1907/2006) Substances of Very High Concern (SVHC)", 10, True)
    p.text(60, 156, "Oriole LDPE is not manufactured or formulated with any of the candidate chemical", 10)
    p.text(60, 170, "substances of very high concern (List dated June 20, 2016) as stated in REACH.", 10)
    p.text(60, 200, "Oriole LDPE complies with German Food, Articles of daily use and feed code of", 10)
    p.text(60, 214, "September 1, 2005 (LFGB), Section 31.", 10)
    p.text(60, 244, "Absence of Substances and Chemicals", 10, True)
    p.text(60, 260, "The following substances are not used in the manufacture of or formulation of this", 10)
    p.text(60, 274, "product: Acrylamide, Formaldehyde, Melamine.", 10)
    p.text(60, 330, "Producer : Oriole Solutions/Chemical, Polyolefin Business Unit.", 10)
    p.text(60, 344, "(Effective Date : 2 January, 2024)", 10)


def test_a_negated_following_substances_is_no_svhc_and_the_effective_date_is_the_date(tmp_path: Path) -> None:
    result = _extract(tmp_path, regulatory_sheet, "reg_sheet")
    record = result["record"]
    assert result["document_type"] == "reach_svhc"
    assert record["svhc_above_threshold"] is False           # "following substances are not used"
    assert record["declaration_date"] == "2024-01-02"        # not 2005-09-01 (LFGB) nor 2016-06-20 (list)
    assert record["supplier"]["name"] == "Oriole Solutions/Chemical"   # at "Producer", not the business unit
    assert _conf(result, "/supplier/name") < PROMISE         # no legal form: not checked


def test_ocr_and_superscript_ordinals_in_dates() -> None:
    assert str(parse_date("Date: Dec. ist, 2025.")) == "2025-12-01"      # OCR read "1st" as "ist"
    assert str(parse_date("Dec. lst, 2025")) == "2025-12-01"
    assert str(parse_date("Issue Date 27 th Apr. 2022")) == "2022-04-27"  # superscript "th" set apart
    assert parse_date("the list, 2025") is None


def rohs_letter(w: PdfWriter, opening: str, statement: str, company_line: str) -> None:
    p = w.page()
    p.text(60, 60, opening, 10)
    p.text(60, 90, "RoHS Certificate of Conformity", 14, True)
    p.text(60, 120, statement, 10)
    p.text(60, 134, "(Directive 2015/863/EU of the European Parliament on the restriction of the use of", 10)
    p.text(60, 148, "certain hazardous substances in electrical and electronic equipment).", 10)
    p.text(60, 400, company_line, 10)
    p.text(60, 414, "the directive and do not contain any substances restricted by this directive.", 10)


def test_a_brand_with_an_inner_capital_stays_in_the_company_name(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        rohs_letter(w, "Lindau, 18.05.2020",
                    "This document certifies that all components manufactured by Nordlicht Elektronik",
                    "eiTec GmbH & Co. KG parts are in compliance with the Directive 2011/65/EU and")
        w.pages[-1].text(60, 200, "Nordlicht Elektronik eiTec GmbH & Co. KG has been aware of its obligation.", 10)
    result = _extract(tmp_path, build, "camel")
    assert result["record"]["supplier"]["name"] == "Nordlicht Elektronik eiTec GmbH & Co. KG"   # not "GmbH & Co. KG"
    assert result["record"]["declaration_date"] == "2020-05-18"


def test_a_name_without_legal_form_opening_a_statement_is_the_supplier_unpromised(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        rohs_letter(w, "Date: January 25, 2019",
                    "The part numbers listed below by Falcon Standoff Hardware, meet the requirements of the EU",
                    "Falcon Standoff Hardware would like to state that steel and nylon parts comply fully with")
    result = _extract(tmp_path, build, "states")
    assert result["record"]["supplier"]["name"] == "Falcon Standoff Hardware"
    assert _conf(result, "/supplier/name") < PROMISE          # no legal form: not checked
    assert result["record"]["rohs_compliant"] is True


def certificate_of_unlisted_body(w: PdfWriter) -> None:
    """A body on no list: named short in the body text, in full in the small print."""
    p = w.page()
    p.centred(150, "Certificate of Registration", 24, True)
    p.centred(190, "This is to certify that", 10)
    p.centred(214, "HALDEN MEDIAWORKS LLP", 16, True)
    p.centred(240, "has been independently assessed by KRV", 10)
    p.centred(254, "and is compliant with the requirement of:", 10)
    p.centred(280, "ISO 9001:2015", 18, True)
    p.text(80, 330, "Date of Certification: 25th October 2025", 9).text(330, 330, "Certificate Expiry: 24th October 2028", 9)
    p.centred(360, "Certificate Number: 305025102777Q", 10, True)
    p.centred(700, "This certificate of registration remains the property of KRV Certification LLP, and shall be", 7)
    p.centred(710, "returned immediately upon request.", 7)


def test_issuer_on_no_list_is_read_from_its_sentence_with_its_legal_form_and_not_promised(tmp_path: Path) -> None:
    result = _extract(tmp_path, certificate_of_unlisted_body, "unlisted_body")
    record = result["record"]
    assert record["issuer"]["name"] == "KRV Certification LLP"      # the full name beats "KRV"
    assert _conf(result, "/issuer/name") < PROMISE
    assert record["holder"]["name"] == "HALDEN MEDIAWORKS LLP"
    assert (record["issue_date"], record["expiry_date"]) == ("2025-10-25", "2028-10-24")


def test_issuer_opening_a_spanish_certifica_que_sentence(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(270, 140, "CERTIFICACION", 20, True)
        p.text(270, 166, "Otorgada a la empresa:", 10)
        p.text(270, 200, "TRANSPORTES ANDINOS S.A.", 12, True)
        p.text(270, 300, "Certificadora Austral, certifica que el Sistema de Gestion", 10)
        p.text(270, 314, "de la organizacion mencionada ha sido auditado y se encuentra", 10)
        p.text(270, 328, "en conformidad con los requerimientos de la norma:", 10)
        p.text(270, 360, "Norma: ISO 9001:2015", 12, True)
    result = _extract(tmp_path, build, "certifica_que")
    assert result["record"]["issuer"]["name"] == "Certificadora Austral"
    assert _conf(result, "/issuer/name") < PROMISE


def test_third_party_rohs_certificate_date_at_issue_date_with_superscript_ordinal(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(150, "Certificate of Compliance", 20, True)
        p.centred(176, "We hereby declare that the technical file of", 9)
        p.centred(196, "MANDI LAB SYSTEMS PRIVATE LIMITED", 14, True)
        p.centred(230, "has been assessed for & found to be in conformance with the provisions set forth by", 9)
        p.centred(250, "RoHS Directive (2011/65/EU)", 14, True)
        p.text(60, 300, "This is to state that the above mentioned product is in compliance with ROHS Directive", 8)
        p.text(60, 400, "Date of Initial Registration", 9).text(200, 400, "27", 9).text(211, 398, "th", 6)
        p.text(221, 400, "Apr. 2022", 9)
        p.text(320, 400, "Issue Date", 9).text(380, 400, "27", 9).text(391, 398, "th", 6).text(401, 400, "Apr. 2022", 9)
    result = _extract(tmp_path, build, "rohs_coc")
    assert result["document_type"] == "rohs"
    assert result["record"]["declaration_date"] == "2022-04-27"
    assert result["record"]["supplier"]["name"] == "MANDI LAB SYSTEMS PRIVATE LIMITED"
    assert result["record"]["rohs_compliant"] is True


def spanish_sidebar_certificate(w: PdfWriter) -> None:
    """Dates in a narrow left sidebar under their labels ("Término de Vigencia:"), the holder
    under "Otorgada a la empresa:", the body in a "<Body>, certifica que" sentence."""
    p = w.page()
    p.text(40, 120, "Registro INN: 13.195", 8).text(40, 131, "Registro ASR: Q-7788", 8)
    p.text(40, 170, "Fecha Actual Renovacion", 8).text(40, 181, "12 de Junio de 2023", 8)
    p.text(40, 200, "Termino de Vigencia:", 8).text(40, 211, "03 de Marzo de 2026", 8, True)
    p.text(270, 140, "CERTIFICACION", 20, True)
    p.text(270, 166, "Otorgada a la empresa:", 10)
    p.text(270, 200, "TRANSPORTES ANDINOS S.A.", 12, True)
    p.text(270, 220, "Domiciliada en Avenida Central 1251, Santiago", 10)
    p.text(270, 300, "Certificadora Austral, certifica que el Sistema de Gestion", 10)
    p.text(270, 314, "de la organizacion mencionada ha sido auditado y se encuentra", 10)
    p.text(270, 360, "Norma: ISO 9001:2015", 12, True)


def test_spanish_sidebar_dates_and_holder_after_otorgada_a_la_empresa(tmp_path: Path) -> None:
    result = _extract(tmp_path, spanish_sidebar_certificate, "es_sidebar")
    record = result["record"]
    assert record["scheme"] == "iso_9001"
    assert record["holder"]["name"] == "TRANSPORTES ANDINOS S.A."
    assert record["expiry_date"] == "2026-03-03"
    assert record["issue_date"] == "2023-06-12"
    assert record["issuer"]["name"] == "Certificadora Austral"


def test_an_exemption_named_by_its_bare_number_and_not_plating_codes(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        rohs_letter(w, "Date: January 25, 2019",
                    "The parts listed below by Falcon Standoff Hardware, meet the requirements of the EU",
                    "Falcon Standoff Hardware would like to state that steel and nylon parts comply fully with")
        p = w.pages[-1]
        p.text(60, 200, "Brass parts are compliant under the EU RoHS Directive per exemption 6 - lead as an", 10)
        p.text(60, 214, "alloying element. Our plating codes are compliant with the following exemptions:", 10)
        p.text(60, 228, "-1 (Cadmium Commercial)   -6 (Gold Iridite)   -27 (Electro Tin Solder)", 10)
    result = _extract(tmp_path, build, "bare_exemption")
    assert result["record"]["exemptions"] == ["6"]
    assert _conf(result, "/exemptions/0") < PROMISE          # found in running text, not at a label
