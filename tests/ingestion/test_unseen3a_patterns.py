"""Patterns from a third set of real documents the development set does not have (German
certificates signed before their validity starts, EN 17050 declaration forms with small print
under each value, a declaration whose maker is given in a numbered section, a business licence,
scans with a vertical sidebar, bodies on no list named only in a sentence or a footer), rebuilt as
generated PDFs. Each test fails if the pattern is read wrongly or promised (>= 0.9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion import ExtractionError
from ingestion.pdf.layout import Word, build_lines

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import PROMISE, _conf, _extract


def german_signed_before_validity(w: PdfWriter, *, signed: bool = True) -> None:
    """"Gültig ab" (valid from) in a key-value block, and the place-and-date line of the
    signature ("Hamburg, den …") dated some weeks earlier: the certificate was issued then."""
    p = w.page()
    p.text(120, 50, "ZERTIFIKAT", 26, True)
    p.text(120, 140, "Hiermit wird bescheinigt, dass", 11)
    p.text(250, 200, "Kranich Kunststofftechnik GmbH", 14, True)
    p.text(250, 222, "Werkstraße 9, 22525 Hamburg, Deutschland", 10)
    p.text(120, 290, "ein Qualitätsmanagementsystem eingeführt hat und anwendet.", 10)
    p.text(120, 470, "ISO 9001 : 2015", 16, True)
    p.text(120, 530, "Zertifikat-Registrier-Nr.", 9).text(240, 530, "774411 QM15", 9)
    p.text(120, 547, "Gültig ab", 9).text(240, 547, "2021-03-22", 9)
    p.text(120, 564, "Gültig bis", 9).text(240, 564, "2024-03-21", 9)
    if signed:
        p.text(120, 581, "Hamburg, den", 9).text(240, 581, "2021-02-26", 9)
    p.text(120, 640, "DQS GmbH", 11, True)


def test_the_signing_date_is_the_issue_date_not_the_start_of_validity(tmp_path: Path) -> None:
    result = _extract(tmp_path, german_signed_before_validity, "signed_before")
    record = result["record"]
    assert record["issue_date"] == "2021-02-26"
    assert record["expiry_date"] == "2024-03-21"
    assert _conf(result, "/issue_date") < PROMISE       # two issue dates on the page: a person checks


def test_valid_from_alone_is_still_the_issue_date(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: german_signed_before_validity(w, signed=False), "valid_from_only")
    assert result["record"]["issue_date"] == "2021-03-22"
    assert _conf(result, "/issue_date") >= PROMISE


def en17050_form(w: PdfWriter) -> None:
    """The EN ISO/IEC 17050-1 form: each value over a bracketed caption in small print, the
    Official Journal's issue date in the text, the place and date of issue at the end."""
    p = w.page()
    p.centred(60, "EU Declaration of Conformity", 16, True)
    p.text(150, 110, "We,", 10).text(220, 110, "Lumen Switchgear B.V.", 10)
    p.text(150, 124, "(Supplier's name)", 5)
    p.text(150, 160, "Declare under our sole responsibility that the product:", 8)
    p.text(220, 180, "Lumen Dimmer LD-220", 10)
    p.text(150, 194, "(Name, type or model, batch or serial number)", 5)
    p.text(150, 220, "To which this declaration relates is in conformity with European Harmonised Standards", 8)
    p.text(150, 240, "Official Journal of the EU, Issue:", 8).text(300, 240, "C076 10/03/2017", 8)
    p.text(150, 256, "(issue of publication of the list of harmonised standards)", 5)
    p.text(220, 280, "EN 60669-2-1:2004", 9)
    p.text(150, 310, "Following the provisions of the Directives: EMC-directive 2014/30/EU", 8)
    p.text(180, 400, "Rotterdam, 2017-03-21", 9)
    p.text(150, 418, "(Place and date of issue)", 5)
    p.text(210, 460, "Pieter van Dam", 9)
    p.text(150, 478, "(name of responsible for CE-marking)", 5)


def test_a_value_over_its_small_print_caption_is_read(tmp_path: Path) -> None:
    result = _extract(tmp_path, en17050_form, "en17050")
    assert result["document_type"] == "declaration_of_conformity"
    assert result["record"]["declaration_date"] == "2017-03-21"      # not the Official Journal's date


def numbered_sections_doc(w: PdfWriter) -> None:
    """"1. Manufacturer" over "Name:" / "Address:"; a "Product type" that describes the product
    and a "Model designation" that names it."""
    p = w.page()
    p.text(72, 60, "EU Declaration of Conformity", 16, True)
    p.text(72, 100, "1. Manufacturer", 12, True)
    p.text(99, 122, "Name:", 10).text(250, 122, "Jana Novak", 10)
    p.text(99, 140, "Address:", 10).text(250, 140, "Ulica 4, 1000 Ljubljana, Slovenia", 10)
    p.text(72, 180, "2. Product Identification", 12, True)
    p.text(99, 202, "Product name: ORBIT 4 Smart Relay", 10)
    p.text(99, 220, "Product type: Four-channel switching relay for DIN rails", 10)
    p.text(99, 238, "Model designation: OR-4R", 10)
    p.text(72, 280, "3. Declaration", 12, True)
    p.text(72, 300, "This declaration of conformity is issued under the sole responsibility of the manufacturer.", 9)
    p.text(72, 314, "The product described above is in conformity with the relevant Union harmonisation", 9)
    p.text(72, 328, "legislation: 2014/35/EU, 2014/30/EU, 2011/65/EU.", 9)
    p.text(72, 380, "Place:", 10).text(160, 380, "Ljubljana", 10)
    p.text(72, 396, "Date:", 10).text(160, 396, "04.02.2025", 10)


def test_a_name_under_a_numbered_manufacturer_heading_is_the_supplier(tmp_path: Path) -> None:
    result = _extract(tmp_path, numbered_sections_doc, "numbered")
    record = result["record"]
    assert record["supplier"]["name"] == "Jana Novak"
    assert _conf(result, "/supplier/name") < PROMISE     # read one step from its label
    assert record["products"][0]["model"] == "OR-4R"        # "Model" wins over "Product type"
    assert _conf(result, "/products/0/model") < PROMISE  # another label says otherwise
    assert record["rohs_compliant"] is True


def business_licence(w: PdfWriter) -> None:
    p = w.page()
    p.centred(80, "BUSINESS LICENCE", 16, True)
    p.text(200, 110, "B.L.No: 30000012345", 10)
    p.text(150, 130, "The Business Licensing Act No. 25 of 1972", 9)
    p.text(90, 160, "Issuing office : BUSINESS REGISTRATIONS AND LICENSING AGENCY", 9)
    p.text(90, 176, "Tax Identification Number: 104-111-222", 9)
    p.text(90, 192, "Licence issued to: HARBOUR TRADERS LIMITED for the Business of : Export Of Timber", 9)
    p.text(90, 220, "Amount of fee paid: 393000 Receipt No: 5305595 on: 10/12/2024", 9)
    p.text(90, 236, "Date of Issue: 12/12/2024 Expiring date: 10/08/2025", 9)
    p.text(150, 300, "This digital copy does not require a signature authority", 9)
    p.text(80, 330, "NOTE - This Business Licence must be kept in a conspicuous position at the principal place", 8)


def test_a_business_licence_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as refused:
        _extract(tmp_path, business_licence, "licence")
    assert refused.value.code == "not_a_declaration"
    assert "business licence" in str(refused.value)


def certificate_with_licence_number(w: PdfWriter) -> None:
    p = w.page()
    p.centred(80, "CERTIFICATE", 24, True)
    p.text(72, 140, "Orchid Certification Ltd. certifies that", 11)
    p.text(72, 164, "Jade River Electronics Co., Ltd.", 14, True)
    p.text(72, 184, "Business License No.: 91310000631234567X", 9)
    p.text(72, 220, "operates a Quality Management System which complies with ISO 9001:2015", 10)
    p.text(72, 260, "Certificate No.: Q-2231-77", 10)
    p.text(72, 276, "Date of issue: 14 March 2024", 10)
    p.text(72, 292, "Valid until: 13 March 2027", 10)


def test_a_certificate_printing_its_holders_business_licence_is_read(tmp_path: Path) -> None:
    result = _extract(tmp_path, certificate_with_licence_number, "licence_number")
    assert result["document_type"] == "certificate"
    assert result["record"]["holder"]["name"] == "Jade River Electronics Co., Ltd."


def _ocr_word(text: str, x0: float, top: float, x1: float, bottom: float) -> Word:
    return Word(text, x0, top, x1, bottom, 1, bottom - top, conf=0.95)


def test_a_vertical_sidebar_does_not_join_the_lines_beside_it() -> None:
    """OCR reads a sidebar printed on its side ("ISO 9001" up the margin) as tall narrow boxes;
    grouped by vertical overlap, one would pull every line level with it into one."""
    words = [_ocr_word("9001", 50, 200, 94, 330), _ocr_word("CERTIFICADO", 130, 210, 147, 380)]
    for i, (en, es) in enumerate([("Meets the requirements", "Es conforme con los requisitos"),
                                  ("of the Standard", "de la Norma")]):
        top = 220 + 40 * i
        x = 260.0
        for token in en.split():
            words.append(_ocr_word(token, x, top, x + 8 * len(token), top + 9))
            x += 8 * len(token) + 4
        x = 260.0
        for token in es.split():
            words.append(_ocr_word(token, x, top + 10, x + 8 * len(token), top + 19))
            x += 8 * len(token) + 4
    texts = [line.text for line in build_lines(words)]
    assert "Meets the requirements" in texts
    assert "Es conforme con los requisitos" in texts
    assert "9001" in texts and "CERTIFICADO" in texts


def colon_column_certificate(w: PdfWriter) -> None:
    """A key-value table whose colons stand in a column of their own; a body on no list named
    short in the small print ("the property of NCQSPL") and in full in the footer."""
    p = w.page()
    p.centred(60, "Certificate of Registration", 20, True)
    p.text(100, 120, "This is to certify that the Quality Management System of", 11)
    p.text(190, 150, "MARLIN LOGISTICS COMPANY", 16, True)
    p.text(160, 176, "17 Dock Road, Jubail 35811, Kingdom of Saudi Arabia", 10)
    p.text(150, 220, "has been assessed and conforms with the following standard", 10)
    p.text(220, 250, "ISO 9001:2015", 16, True)
    for i, (label, value) in enumerate([("Certificate No.", "MAR/QMS/E26/1187"),
                                        ("Initial Registration Date", "20.05.2025"),
                                        ("Issue Date", "20.05.2025"),
                                        ("Surveillance 1 Audit Date", "20.04.2026"),
                                        ("Re-Certification Due Before", "19.05.2028"),
                                        ("Date of Expiry", "19.05.2026")]):
        top = 320 + 16 * i
        p.text(160, top, label, 9).text(310, top, ":", 9).text(330, top, value, 9)
    p.text(200, 720, "NORTH COAST QUALITY SYSTEMS PRIVATE LIMITED", 9, True)
    p.text(95, 750, "The validity of this certificate is subject to regular surveillance audits. The certificate", 6)
    p.text(95, 758, "is the property of NCQSPL and shall be returned immediately when demanded.", 6)


def body_over_its_sentence(w: PdfWriter) -> None:
    """The body's name on the line above "Certifies that …" (with a legal form after a comma),
    bilingual phrase lines, and the holder's name set well apart under them."""
    p = w.page()
    p.centred(120, "Costa Azul Certificación, S.A. de C.V.", 12, True)
    p.text(190, 136, "Certifies that the Quality Management System adopted by the firm", 11)
    p.text(175, 150, "Certifica que el Sistema de Gestión de la Calidad adoptado por la empresa", 11)
    p.text(240, 192, "LABORATORIO ANDINO S.A.S.", 10, True)
    p.text(250, 260, "ISO 9001:2015", 14, True)
    p.text(150, 520, "Certificado Numero:", 9).text(330, 520, "53660001", 9)
    p.text(150, 540, "Certificación:", 9).text(330, 540, "31/10/2022", 9)
    p.text(150, 560, "Expiración:", 9).text(330, 560, "31/10/2025", 9)


def short_named_body(w: PdfWriter) -> None:
    """"… issued by TQS. Se emite …": a short name ends at its full stop and is the start of the
    full name printed at the top."""
    p = w.page()
    p.centred(60, "Certificado de registro", 18, True)
    p.centred(100, "TQS MANAGEMENT SYSTEMS LLP.", 14, True)
    p.text(46, 130, "Esto es para Certificar que el Sistema de Gestión de Calidad de", 11)
    p.text(70, 160, "CENTRO ANDINO DE SERVICIOS Y", 14, True)
    p.text(140, 180, "CONSULTORÍA S.A.C.", 14, True)
    p.text(220, 260, "ISO 9001:2015", 16, True)
    p.text(50, 320, "Número de certificado: TQS/INT/2411/0042", 9)
    p.text(50, 340, "Fecha de Certificación: 12.11.2024", 9)
    p.text(50, 360, "Fecha de Expiración: 11.11.2027", 9)
    p.text(48, 420, "La validez del certificado está sujeta a una vigilancia con una carta de continuación emitida por", 7)
    p.text(48, 430, "TQS. Se emite sujeto a los términos y condiciones de TQS.", 7)


def footer_named_body(w: PdfWriter) -> None:
    """The body is named only in the footer, over its web address; no legal form, no list."""
    p = w.page()
    p.text(85, 125, "CERTIFICATE", 24, True)
    p.text(84, 166, "N. TZ22-30001A", 11)
    p.text(83, 220, "This is to certify that the Quality Management System of", 11)
    p.text(84, 246, "RIVERBEND MILLING LTD", 14, True)
    p.text(83, 268, "Plot 12, Mill Street, Arusha, Tanzania", 10)
    p.text(83, 385, "HAS BEEN INDEPENDENTLY ASSESSED AND IS COMPLIANT WITH THE REQUIREMENTS OF", 9)
    p.text(84, 410, "ISO 9001:2015", 14, True)
    p.text(83, 654, "Date of initial registration", 8).text(250, 654, "16/01/2023", 8)
    p.text(83, 666, "Date of this certificate", 8).text(250, 666, "16/01/2023", 8)
    p.text(83, 678, "Date of expiry", 8).text(250, 678, "15/01/2026", 8)
    p.text(15, 798, "OSPREY REGISTER", 8, True)
    p.text(15, 810, "Piazza Garibaldi 5, 20100 Milano, ITALY", 7)
    p.text(15, 822, "T. +39 02-1234567   E. info@osprey-register.com   W. www.osprey-register.com", 7)


def test_values_after_a_colon_set_in_a_column_of_its_own(tmp_path: Path) -> None:
    record = _extract(tmp_path, colon_column_certificate, "colon_column")["record"]
    assert record["certificate_number"] == "MAR/QMS/E26/1187"
    assert record["issue_date"] == "2025-05-20"
    assert record["expiry_date"] == "2026-05-19"          # not the re-certification date


def test_a_holder_set_well_apart_under_bilingual_phrases(tmp_path: Path) -> None:
    record = _extract(tmp_path, body_over_its_sentence, "body_above")["record"]
    assert record["holder"]["name"] == "LABORATORIO ANDINO S.A.S."
    assert record["certificate_number"] == "53660001"    # "Certificado Numero"
    assert (record["issue_date"], record["expiry_date"]) == ("2022-10-31", "2025-10-31")


def test_a_holder_after_esto_es_para_certificar_que(tmp_path: Path) -> None:
    result = _extract(tmp_path, short_named_body, "short_body")
    assert result["record"]["holder"]["name"] == "CENTRO ANDINO DE SERVICIOS Y CONSULTORÍA S.A.C."
    assert _conf(result, "/holder/name") >= PROMISE      # read at its phrase, ends in a legal form


def test_date_of_this_certificate_is_the_issue_date(tmp_path: Path) -> None:
    result = _extract(tmp_path, footer_named_body, "footer_body")
    assert result["record"]["issue_date"] == "2023-01-16"
    assert result["record"]["expiry_date"] == "2026-01-15"
    assert _conf(result, "/issue_date") >= PROMISE       # read at its label, not guessed as the earliest date


def test_a_body_named_by_its_initials_in_the_small_print(tmp_path: Path) -> None:
    result = _extract(tmp_path, colon_column_certificate, "colon_column")
    assert result["record"]["issuer"]["name"] == "NORTH COAST QUALITY SYSTEMS PRIVATE LIMITED"
    assert _conf(result, "/issuer/name") < PROMISE       # on no list: a person checks


def test_a_body_named_above_its_certifying_sentence(tmp_path: Path) -> None:
    result = _extract(tmp_path, body_over_its_sentence, "body_above")
    assert result["record"]["issuer"]["name"] == "Costa Azul Certificación, S.A. de C.V."
    assert _conf(result, "/issuer/name") < PROMISE


def test_a_short_body_name_in_a_sentence_is_read_in_full(tmp_path: Path) -> None:
    result = _extract(tmp_path, short_named_body, "short_body")
    assert result["record"]["issuer"]["name"] == "TQS MANAGEMENT SYSTEMS LLP"
    assert _conf(result, "/issuer/name") < PROMISE


def test_a_body_named_only_over_its_web_address(tmp_path: Path) -> None:
    result = _extract(tmp_path, footer_named_body, "footer_body")
    assert result["record"]["issuer"]["name"] == "OSPREY REGISTER"
    assert _conf(result, "/issuer/name") < PROMISE


def abbreviated_body_in_a_sentence(w: PdfWriter) -> None:
    """"… issued by Halvard Cert. GmbH": a word shortened inside the name is no sentence's end."""
    p = w.page()
    p.centred(60, "CERTIFICATE", 22, True)
    p.text(72, 120, "This is to certify that", 11)
    p.text(72, 140, "Brightwater Valves Ltd", 14, True)
    p.text(72, 180, "operates a management system that meets ISO 9001:2015", 10)
    p.text(72, 220, "Certificate No.: HC-4410", 10)
    p.text(72, 236, "Date of issue: 02.02.2024", 10).text(72, 252, "Valid until: 01.02.2027", 10)
    p.text(72, 300, "This certificate was issued by Halvard Cert. GmbH under its rules of certification.", 9)


def test_a_shortened_word_inside_a_body_name_does_not_end_it(tmp_path: Path) -> None:
    result = _extract(tmp_path, abbreviated_body_in_a_sentence, "abbreviated")
    assert result["record"]["issuer"]["name"] == "Halvard Cert. GmbH"



def unchecked_doc(w: PdfWriter, *, model: str | None) -> None:
    p = w.page()
    p.text(72, 60, "EU Declaration of Conformity", 16, True)
    p.text(72, 100, "Manufacturer: Nordlicht Audio", 10)
    p.text(72, 116, "Address: Hafenweg 3, Kiel", 10)
    p.text(72, 132, "Product: Portable speaker", 10)
    if model:
        p.text(72, 148, f"Model: {model}", 10)
    p.text(72, 190, "We declare under our sole responsibility that the product is in conformity with", 9)
    p.text(72, 204, "the relevant Union harmonisation legislation: 2014/30/EU, 2011/65/EU.", 9)
    p.text(72, 250, "Date: 04.02.2025", 10)


def test_values_nothing_checks_are_read_but_not_promised(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: unchecked_doc(w, model=None), "unchecked")
    record = result["record"]
    assert record["supplier"]["name"] == "Nordlicht Audio"
    assert record["products"][0]["name"] == "Portable speaker"
    for path in ("/supplier/name", "/supplier/address", "/products/0/name"):
        assert _conf(result, path) < PROMISE, path       # no legal form, no country, a description


def test_a_model_code_is_promised_and_vouches_for_the_name(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: unchecked_doc(w, model="NS-204"), "coded")
    assert result["record"]["products"][0]["model"] == "NS-204"
    assert _conf(result, "/products/0/model") >= PROMISE
    assert _conf(result, "/products/0/name") >= PROMISE
