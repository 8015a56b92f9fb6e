"""Certificates from bodies and countries the development set does not hold (issue 15, second
certificate round, tune set of real certificates from fifteen bodies): a label giving the body's
short name while the footer prints its legal name, a linking word between a label and the name
under it, a holder's name wrapped over lines OCR measures at different heights, and the Turkish
registration date label. Each pattern is generated; each test fails on the code before this round."""

from __future__ import annotations

from pathlib import Path

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import _extract


def short_name_at_label_legal_name_in_footer(w: PdfWriter) -> None:
    """"For and on behalf of SGS:" at the signature; the footer's small print gives the legal name."""
    p = w.page()
    p.centred(90, "Certificate of Registration", 24)
    p.text(60, 140, "QUALITY MANAGEMENT SYSTEM - ISO 9001:2015", 11)
    p.text(60, 180, "This is to certify that:", 10).text(260, 180, "Brightwater Fittings Ltd", 10)
    p.text(260, 194, "14 Harbour Road, Leeds LS1 4AB, United Kingdom", 10)
    p.text(60, 240, "Holds Certificate No:", 10).text(260, 240, "GB24/881903", 11, True)
    p.text(60, 420, "For and on behalf of SGS:", 10)
    p.text(60, 480, "Effective Date: 2024-03-11", 10).text(330, 480, "Expiry Date: 2027-03-10", 10)
    p.text(60, 760, "SGS United Kingdom Limited, registered in England under number 1193985 at Rossmore Business Park,", 7)
    p.text(60, 770, "Ellesmere Port CH65 3EN, United Kingdom.", 7)


def test_a_bodys_short_name_at_a_label_gives_way_to_its_legal_name_in_the_footer(tmp_path: Path) -> None:
    result = _extract(tmp_path, short_name_at_label_legal_name_in_footer, "short_issuer")
    assert result["record"]["issuer"]["name"] == "SGS United Kingdom Limited"
    assert result["record"]["holder"]["name"] == "Brightwater Fittings Ltd"


def linking_word_before_the_body(w: PdfWriter) -> None:
    """"Certification Body" over "at Intertek India Pvt. Ltd.": the label's sentence runs on."""
    p = w.page()
    p.centred(80, "CERTIFICATE", 28, True)
    p.text(60, 130, "Management system as per", 12)
    p.text(60, 148, "ISO 9001 : 2015", 14, True)
    p.text(60, 180, "it is hereby certified that", 9)
    p.text(60, 205, "KALINDI FORGINGS LTD.", 14, True)
    p.text(60, 222, "Plot 12, MIDC Chakan, Pune - 410 501, India", 11)
    p.text(60, 400, "Certificate Registration No. QM 44 00718", 10).text(340, 400, "Valid until 11.09.2027", 10)
    p.text(60, 460, "Certification Body", 10).text(340, 460, "Issue 12.09.2024", 10)
    p.text(60, 474, "at Intertek India Pvt. Ltd.", 10)


def test_a_linking_word_under_an_issuer_label_is_not_part_of_the_name(tmp_path: Path) -> None:
    record = _extract(tmp_path, linking_word_before_the_body, "linking_word")["record"]
    assert record["issuer"]["name"] == "Intertek India Pvt. Ltd."


def holder_wrapped_at_a_conjunction(w: PdfWriter) -> None:
    """A name over two lines, the first ending in "E", set in other sizes (as OCR measures a
    line with a cedilla taller); no label or phrase names it."""
    p = w.page()
    p.centred(80, "CERTIFICADO", 30, True)
    p.centred(150, "Norma ISO 9001:2015", 11)
    p.centred(230, "NORTEVIA TELECOM CONSULTORIA E", 11, True)
    p.centred(246, "SERVIÇOS EM TECNOLOGIA LTDA", 15, True)
    p.centred(266, "Rua das Flores 120, São Paulo - SP - Brasil", 10)
    p.text(200, 600, "Certificado nº: SP 1204/1", 10)
    p.text(200, 614, "Validade: 03/02/2028", 10)
    p.text(200, 628, "Emissão: 03/02/2025", 10)


def test_a_holder_name_line_ending_in_a_conjunction_runs_on_to_the_next(tmp_path: Path) -> None:
    record = _extract(tmp_path, holder_wrapped_at_a_conjunction, "wrapped_holder")["record"]
    assert record["holder"]["name"] == "NORTEVIA TELECOM CONSULTORIA E SERVIÇOS EM TECNOLOGIA LTDA"


def holder_in_capitals_over_three_lines(w: PdfWriter) -> None:
    """A Turkish company's name in capitals over three lines, the middle one measured taller (the
    writer has no dotted capital I: plain I stands in); "Tescil Tarihi" (registration date) is the certificate's date."""
    p = w.page()
    p.centred(90, "SERTIFIKA", 30, True)
    p.centred(160, "ISO 45001 : 2018", 16, True)
    p.centred(200, "DORUK YAPI ELEKTRIK MAKINE", 14, True)
    p.centred(220, "MÜHENDISLIK INSAAT TAAHHÜT", 20, True)
    p.centred(242, "SANAYI VE TICARET A.S.", 14, True)
    p.centred(262, "Organize Sanayi Bölgesi 4. Cadde No: 7 Kayseri/TÜRKIYE", 9)
    p.centred(290, "Kapsam: elektrik taahhüt ve bakim hizmetleri (SOA: 26.10.2025 Rev.00)", 9)
    p.text(120, 560, "Sertifika No", 10).text(230, 560, ": TR-55120", 10)
    p.text(120, 575, "Tescil Tarihi", 10).text(230, 575, ": 14.03.2025", 10)
    p.text(120, 590, "Geçerlilik Tarihi", 10).text(230, 590, ": 13.03.2028", 10)
    p.text(120, 605, "Iç Denetim Tarihi", 10).text(230, 605, ": 02.02.2025", 10)


def test_a_name_in_capitals_joins_lines_measured_at_other_heights(tmp_path: Path) -> None:
    record = _extract(tmp_path, holder_in_capitals_over_three_lines, "capitals_holder")["record"]
    assert record["holder"]["name"] == \
        "DORUK YAPI ELEKTRIK MAKINE MÜHENDISLIK INSAAT TAAHHÜT SANAYI VE TICARET A.S."


def test_the_turkish_registration_date_is_the_issue_date(tmp_path: Path) -> None:
    record = _extract(tmp_path, holder_in_capitals_over_three_lines, "tescil")["record"]
    assert (record["issue_date"], record["expiry_date"]) == ("2025-03-14", "2028-03-13")


def _tsv(*words: str) -> str:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [f"5\t1\t1\t1\t1\t{i + 1}\t{100 + 200 * i}\t50\t{12 * len(t)}\t20\t91\t{t}" for i, t in enumerate(words)]
    return "\n".join([head, *rows])


def test_an_ocr_word_glued_to_its_label_by_a_colon_is_split() -> None:
    from ingestion.pdf.ocr import _words_from_tsv
    words = _words_from_tsv(_tsv("Certificate", "No:244-24-QQ-01663-R0-M", "validity:2027-01-30", "10:30", "http://x.cn"), 1, 1.0)
    assert [w.text for w in words] == ["Certificate", "No:", "244-24-QQ-01663-R0-M", "validity:", "2027-01-30",
                                       "10:30", "http://x.cn"]
    assert words[1].x1 == words[2].x0 and words[1].x0 == 300 and words[2].x1 == 300 + 12 * 23


def name_beside_the_phrase_address_under_it(w: PdfWriter) -> None:
    """"This is to certify that:" in the left column, the name beside it without a legal form, the
    address under the name, one line per part."""
    p = w.page()
    p.centred(90, "Certificate of Registration", 24)
    p.text(60, 140, "QUALITY MANAGEMENT SYSTEM - ISO 9001:2015", 11)
    p.text(60, 180, "This is to certify that:", 10).text(260, 180, "Daehan Polymers", 10)
    p.text(260, 194, "58, Sandan 2-ro", 10)
    p.text(260, 208, "Ulsan-si 44781", 10)
    p.text(260, 222, "Republic of Korea", 10)
    p.text(60, 260, "Holds Certificate No:", 10).text(260, 260, "KR 772014", 11, True)
    p.text(60, 480, "Effective Date: 2024-05-02", 10).text(330, 480, "Expiry Date: 2027-05-01", 10)


def test_a_name_beside_the_certifying_phrase_is_not_replaced_by_the_address_under_it(tmp_path: Path) -> None:
    record = _extract(tmp_path, name_beside_the_phrase_address_under_it, "beside")["record"]
    assert record["holder"]["name"] == "Daehan Polymers"


def signatory_at_the_body_label(w: PdfWriter) -> None:
    """"For the Certification Body: Marta Ricci" over the signature; the body is named in full in
    the certifying sentence."""
    p = w.page()
    p.text(60, 80, "CERTIFICATE", 28)
    p.text(60, 130, "Certificate No.:", 9).text(250, 130, "Certificate Issue date:", 9)
    p.text(60, 142, "204417-2021-AFSMS-ITA-ACCREDIA", 9).text(250, 142, "05.03.2025", 9)
    p.text(250, 156, "Certificate Expiry Date:", 9)
    p.text(250, 168, "04.03.2028", 9)
    p.text(60, 220, "Herewith the certification body Kiwa Cermet Italia S.p.A. being an accredited body", 10)
    p.text(60, 232, "confirms that the processing activities of", 10)
    p.text(60, 260, "CASEIFICIO VALLE VERDE S.R.L.", 16, True)
    p.text(60, 278, "Via Roma 12, 42100 Reggio Emilia, Italy", 10)
    p.text(60, 330, "meet the requirements set out in the ISO 22000:2018", 12)
    p.text(60, 700, "For the Certification Body: Marta Ricci", 9)


def test_a_signatory_at_the_body_label_is_not_the_issuer(tmp_path: Path) -> None:
    record = _extract(tmp_path, signatory_at_the_body_label, "signatory")["record"]
    assert record["issuer"]["name"] == "Kiwa Cermet Italia S.p.A."


def test_a_colon_ocr_read_as_a_one_before_a_date_is_dropped() -> None:
    from ingestion.pdf.ocr import _words_from_tsv
    words = _words_from_tsv(_tsv("Tarihi", "107.07.2025", "|06.07.2026", "141.13.2025", "1.07.2025"), 1, 1.0)
    assert [w.text for w in words] == ["Tarihi", "07.07.2025", "06.07.2026", "141.13.2025", "1.07.2025"]



def test_only_a_bare_body_name_gives_way_to_the_legal_name() -> None:
    from ingestion.pdf.bodies import only_a_body_name
    assert only_a_body_name("BSI") and only_a_body_name("SGS:")
    # a local entity of the body is itself a legal name the label chose: kept as printed
    assert not only_a_body_name("SGS Korea Branch") and not only_a_body_name("PT. Sucofindo Cabang Batam")
