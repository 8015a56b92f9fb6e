"""Certificates from bodies the development set never saw (issue 15, third certificate round: a
tune set of sixteen real certificates from fourteen bodies in seven languages, text, scans and a
photo). Each test generates a page with one pattern those certificates share and fails on the
code before this round: a label that ends in "Expiration", a federation's mark named more often
than the body, a body's letterhead name opening the certifying sentence under "Otorgado a:", the
Spanish "El sistema de gestión de" before the holder, "The Certification Body of X", a body's
acronym quoted where the page spells it out, and "property of X. It is …" in the small print."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ingestion.extractors import certificate
from ingestion.pdf.holder import find_holder
from ingestion.pdf.layout import Line, Page, PdfText, Word

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import _extract


def expiration_label_after_certification(w: PdfWriter) -> None:
    """A label column "Date of Certification:" / "Date of Certification Expiration:" / "Date of
    Initial Registration:" with the dates in the next column (a US registrar's layout)."""
    p = w.page()
    p.text(200, 60, "Northfield Registrar, LLC, a provider of third-party system registration, attests that:", 10)
    p.text(200, 120, "HARBOUR COATINGS, INC.", 20, True)
    p.text(200, 146, "1200 East Lake Ave. SE, Grand Rapids, MI 49512", 11)
    p.text(200, 300, "ISO 9001:2015", 18, True)
    p.text(200, 340, "Registrar Certificate Number:", 8).text(360, 340, "5120", 9, True)
    p.text(200, 352, "Date of Certification:", 8).text(360, 352, "April 15, 2024", 9, True)
    p.text(200, 364, "Date of Certification Expiration:", 8).text(360, 364, "April 14, 2027", 9, True)
    p.text(200, 376, "Date of Initial Registration:", 8).text(360, 376, "May 29, 2008", 9, True)
    p.centred(460, "CERTIFICATE OF REGISTRATION", 20, True)


def test_a_certification_expiration_label_is_the_expiry_not_the_issue(tmp_path: Path) -> None:
    record = _extract(tmp_path, expiration_label_after_certification, "expiration_label")["record"]
    assert record["issue_date"] == "2024-04-15"
    assert record["expiry_date"] == "2027-04-14"


def federation_mark_named_more_than_the_body(w: PdfWriter) -> None:
    """An Italian body's certificate: the federation it belongs to (CISQ) fills a side column and
    is named four times, the body itself once under the signature; bilingual date labels."""
    p = w.page()
    p.text(400, 40, "CISQ is a member of IQNet", 8)
    p.text(60, 110, "CERTIFICATO n. / CERTIFICATE No", 8).text(240, 108, "7321", 16, True)
    p.text(60, 140, "SI CERTIFICA CHE L'ORGANIZZAZIONE / WE HEREBY CERTIFY THAT THE ORGANIZATION", 6)
    p.text(60, 170, "CERAMICHE VALLEVERDE S.P.A.", 16, True)
    p.text(60, 200, "IT - 42013 CASALGRANDE (RE) - VIA STATALE 467", 9)
    p.text(60, 260, "HA ATTUATO E MANTIENE UN SISTEMA DI GESTIONE AMBIENTALE CONFORME ALLA NORMA", 6)
    p.text(60, 280, "UNI EN ISO 14001:2015", 12, True)
    p.text(60, 520, "PRIMA EMISSIONE", 8).text(160, 520, "14/11/2003", 11)
    p.text(60, 530, "FIRST ISSUE", 7)
    p.text(60, 545, "EMISSIONE CORRENTE", 8).text(160, 545, "20/12/2022", 11)
    p.text(60, 555, "CURRENT ISSUE", 7)
    p.text(60, 570, "DATA SCADENZA", 8).text(160, 570, "19/12/2025", 11)
    p.text(60, 580, "EXPIRY DATE", 7)
    p.text(270, 560, "CERTIQUALITY S.r.l. - IL PRESIDENTE", 8)
    p.text(420, 520, "CISQ is the Italian Federation of", 7)
    p.text(420, 530, "management system Certification Bodies.", 7)
    p.text(420, 700, "CISQ", 20, True)
    p.text(60, 760, "CISQ e la Federazione Italiana di Organismi di Certificazione", 6)


def test_a_federations_mark_is_not_the_issuer_and_the_current_issue_is_the_issue(tmp_path: Path) -> None:
    record = _extract(tmp_path, federation_mark_named_more_than_the_body, "federation")["record"]
    assert record["issuer"]["name"] == "CERTIQUALITY S.r.l."
    assert record["issue_date"] == "2022-12-20"
    assert record["expiry_date"] == "2025-12-19"


def awarded_to_then_the_body_opens_the_sentence(w: PdfWriter) -> None:
    """A Peruvian body's certificate: "Otorgado a:" over the holder; the body's legal name (also
    under its logo) then opens the certifying sentence on a line of its own."""
    p = w.page()
    p.centred(40, "CERTIFICADO", 30, True)
    p.text(60, 130, "CERPER", 20, True)
    p.text(60, 154, "CERTIFICACIONES DEL PERÚ S.A.", 6)
    p.text(300, 180, "Otorgado a:", 12)
    p.text(200, 210, "TEJIDOS ANDINOS DEL SUR", 10, True)      # OCR lost the legal form set apart
    p.text(160, 224, "Av. Argentina 2450, Cercado de Lima, LIMA - PERÚ", 9)
    p.text(240, 276, "CERTIFICACIONES DEL PERÚ S.A.", 11.5)      # larger than the holder
    p.text(160, 292, "Ha registrado que el Sistema de Gestión de la Calidad", 10)
    p.text(160, 305, "de la organización a la que hace referencia este documento,", 10)
    p.text(160, 318, "cumple satisfactoriamente con los requisitos de la Norma:", 10)
    p.text(300, 350, "ISO 9001:2015", 16, True)
    p.text(200, 548, "Fecha de aprobación: noviembre 28, 2024", 11)
    p.text(200, 562, "Este certificado es válido desde: noviembre 28, 2024", 10)
    p.text(300, 576, "Hasta: noviembre 12, 2027", 10)
    p.text(300, 786, "Certificado Nro. 021/2024", 8)


def test_a_body_opening_the_certifying_sentence_is_the_issuer_not_the_holder(tmp_path: Path) -> None:
    record = _extract(tmp_path, awarded_to_then_the_body_opens_the_sentence, "otorgado")["record"]
    assert record["holder"]["name"] == "TEJIDOS ANDINOS DEL SUR"
    assert record["issuer"]["name"] == "CERTIFICACIONES DEL PERÚ S.A."
    assert record["certificate_number"] == "021/2024"
    assert record["expiry_date"] == "2027-11-12"


def spanish_management_system_of(w: PdfWriter) -> None:
    """A Spanish certificate: "El sistema de gestión de" on its own line over the holder's name."""
    p = w.page()
    p.text(60, 60, "Certificado ES19/20431", 12)
    p.text(60, 80, "El sistema de gestión de", 9)
    p.text(60, 95, "ENVASES LEVANTE, S.L.U.", 18, True)
    p.text(60, 140, "Pol. Ind. El Oliveral, C/ Río Turia 7, 46190 Riba-roja de Túria, Valencia", 8)
    p.text(60, 155, "ha sido evaluado y certificado que cumple con los requisitos de", 9)
    p.text(60, 168, "ISO 9001:2015", 14, True)
    p.text(60, 520, "Este certificado es válido desde 28 de marzo de 2024 hasta 19 de febrero de 2027", 9)
    p.text(60, 640, "SGS International Certification Services Iberica, S.A.U.", 8)


def test_the_spanish_management_system_of_line_is_not_part_of_the_holder(tmp_path: Path) -> None:
    record = _extract(tmp_path, spanish_management_system_of, "sistema_de_gestion")["record"]
    assert record["holder"]["name"] == "ENVASES LEVANTE, S.L.U."


def certification_body_of(w: PdfWriter) -> None:
    """"The Certification Body of X" / "certify that" over the holder; X on no list."""
    p = w.page()
    p.centred(130, "CERTIFICATE", 36, True)
    p.centred(184, "The Certification Body of Northgate Management Service", 16, True)
    p.centred(215, "certify that", 14)
    p.centred(269, "Caspian Grid Engineering Co.", 20, True)
    p.centred(302, "Unit 12, No. 40, 9th Ave., Tehran, Iran", 14)
    p.centred(360, "has established and applies a Quality Management System", 12)
    p.centred(406, "ISO 9001:2015", 28, True)
    p.centred(614, "The certificate is valid from 2024-09-19 until 2027-09-18", 13)
    p.centred(644, "Certificate Registration No. 20917", 14)
    p.centred(797, "Northgate Management Service - Amsterdam, Nederland", 12)


def test_the_certification_body_of_a_name_gives_the_issuer(tmp_path: Path) -> None:
    record = _extract(tmp_path, certification_body_of, "body_of")["record"]
    assert record["issuer"]["name"] == "Northgate Management Service"
    assert record["holder"]["name"] == "Caspian Grid Engineering Co."


def body_short_in_the_small_print(w: PdfWriter) -> None:
    """"… continuation letter issued by ORBA. It is issued subject to …" in the small print; the
    footer prints the body's legal name, which starts with that short name."""
    p = w.page()
    p.centred(100, "CERTIFICATE OF REGISTRATION", 22, True)
    p.centred(200, "This is to certify that the Quality Management System of", 11)
    p.centred(230, "HELIX TRADING COMPANY", 20, True)
    p.centred(254, "3434 Faiha 33, Jubail, 35811, Kingdom of Saudi Arabia", 9)
    p.centred(300, "ISO 9001:2015", 24, True)
    p.text(100, 480, "Certificate No.: ORBA/QMS/E26/11012", 11, True)
    p.text(100, 500, "Issue Date", 10).text(230, 500, ": 22.05.2026", 10)
    p.text(100, 514, "Date of Expiry", 10).text(230, 514, ": 21.05.2029", 10)
    p.centred(734, "ORBA CERTIFICATION PRIVATE LIMITED", 8, True)
    p.centred(755, "1060 Laskin Road, Virginia Beach, VA 23451, United States of America", 7)
    p.text(40, 780, "The validity of certificate is subject to regular surveillance audit on or before above-mentioned dates", 6)
    p.text(40, 789, "and its only valid after surveillance with continuation letter issued by ORBA. It is issued subject to the", 6)
    p.text(40, 798, "continued availability of access. The certificate is the property of ORBA and shall be returned on demand.", 6)


def test_a_short_name_at_issued_by_ends_at_its_full_stop_and_takes_the_legal_name(tmp_path: Path) -> None:
    record = _extract(tmp_path, body_short_in_the_small_print, "issued_by_short")["record"]
    assert record["issuer"]["name"] == "ORBA CERTIFICATION PRIVATE LIMITED"


def quoted_acronym_spelled_out(w: PdfWriter) -> None:
    """"“Medline Assurance Certification (MAC)” accredited by …. This certificate remains the
    property of “MAC” to whom …": the acronym in quotes, the name spelled out before it."""
    p = w.page()
    p.centred(60, "Certificate", 40, True)
    p.centred(130, "This is to Certify that", 14)
    p.centred(170, "RAVI SURGICAL WORKS", 20, True)
    p.centred(200, "2104, Kacha Bazar, Ambala Cantt, Haryana - 133001, India", 12)
    p.centred(260, "has been found in Compliance with requirements of", 11)
    p.centred(290, "ISO 13485:2016", 30, True)
    p.text(60, 560, "Certificate No.", 12).text(200, 560, ": MDQM/7A21/0424", 12)
    p.text(60, 580, "Issue Date", 11).text(200, 580, ": 09-December-2023", 11)
    p.text(60, 600, "Expiry Date", 11).text(200, 600, ": 08-December-2026", 11)
    p.text(40, 784, "\u201cMedline Assurance Certification (MAC)\u201d accredited by UASL, England, UK. This certificate "
                    "remains the property of \u201cMAC\u201d to whom it must be returned on request.", 6)


def test_a_quoted_acronym_is_read_as_the_name_the_page_spells_out(tmp_path: Path) -> None:
    record = _extract(tmp_path, quoted_acronym_spelled_out, "quoted_acronym")["record"]
    assert record["issuer"]["name"] == "Medline Assurance Certification"


def body_named_only_by_its_site(w: PdfWriter) -> None:
    """The body's name itself unreadable (a signature over it): only its site, "www." parted from
    the address as OCR parts them, names it; the federation's mark is named twice."""
    p = w.page()
    p.text(60, 110, "CERTIFICATO n. / CERTIFICATE No", 8).text(240, 108, "9054", 16, True)
    p.text(60, 170, "PIASTRELLE EMILIANE S.P.A.", 16, True)
    p.text(60, 280, "UNI EN ISO 9001:2015", 12, True)
    p.text(60, 545, "EMISSIONE CORRENTE / CURRENT ISSUE", 8).text(220, 545, "20/12/2022", 11)
    p.text(60, 570, "DATA SCADENZA / EXPIRY DATE", 8).text(220, 570, "19/12/2025", 11)
    p.text(420, 520, "CISQ is the Italian Federation of management system Certification Bodies.", 6)
    p.text(420, 700, "CISQ", 20, True)
    p.text(300, 780, "For information concerning the validity of the certificate, visit the site", 6)
    p.text(300, 790, "www.", 6).text(318, 790, "icim.it", 6)


def test_a_body_named_only_by_its_site_is_the_issuer_by_its_listed_name(tmp_path: Path) -> None:
    record = _extract(tmp_path, body_named_only_by_its_site, "site_only")["record"]
    assert record["issuer"]["name"] == "ICIM"        # listed; "icim.it" is its address, not its name


def _japanese_registration() -> PdfText:
    """A Japanese registration certificate as OCR reads it: 登録証番号 (number), 登録事業者
    (registered organisation) over the name, 登録日 (first registration), 登録更新日 (renewal: this
    certificate's issue) and 有効期限 (expiry)."""
    rows = [(100, ["登録証番号:", "JQA-QM9120"]), (140, ["登録事業者:"]), (156, ["東和ラベル株式会社"]),
            (176, ["埼玉県越谷市蒲生1-2-3"]), (620, ["登録日", ":", "2002年5月10日"]),
            (634, ["登録更新日:", "2022年6月11日"]), (660, ["有効期限", ":", "2025年6月10日"])]
    lines = []
    for top, texts in rows:
        words = [Word(t, 80 + 120 * i, top, 80 + 120 * i + 14 * len(t), top + 14, 1, 14) for i, t in enumerate(texts)]
        lines.append(Line(1, [words]))
    return PdfText([Page(1, 595, 842, lines, ocr=True)], 1, ocr=True)


def test_japanese_registered_organisation_and_renewal_date() -> None:
    doc = _japanese_registration()
    assert find_holder(doc).value == "東和ラベル株式会社"
    issued, expires = certificate._dates(doc)
    assert (issued.value, expires.value) == (date(2022, 6, 11), date(2025, 6, 10))


def body_confirms_to_holder(w: PdfWriter) -> None:
    """A sustainability-scheme certificate: the body's name and address first, then "confirms
    to" on a line of its own, then the holder with its scheme ID and address."""
    p = w.page()
    p.centred(160, "Certificate", 22, True)
    p.centred(197, "EU-REDcert-553-52250117", 10, True)
    p.centred(214, "By means of an audit on 24.05.2025, documented in a report", 10)
    p.centred(241, "Instytut Certyfikacji Paliw", 14, True)
    p.centred(287, "Jagiellonska 55, 03-301 Warszawa, Poland", 11, True)
    p.centred(316, "confirms to", 9)
    p.centred(344, "BIOPAL TRADING Sp. z o. o.", 13.5, True)
    p.centred(367, "REDcert-ID: 4790", 9, True)
    p.centred(385, "Lesna 38, 86-031 Osielsko, Poland", 11, True)
    p.centred(425, "the compliance with the requirements of the certification scheme", 10)
    p.centred(447, "REDcert-EU", 10, True)
    p.text(100, 595, "Date of certification decision: 08.07.2025", 9)
    p.text(100, 609, "This certificate is valid from 09.07.2025 to 08.07.2026", 9)


def test_the_holder_follows_confirms_to_under_the_bodys_own_name(tmp_path: Path) -> None:
    record = _extract(tmp_path, body_confirms_to_holder, "confirms_to")["record"]
    assert record["holder"]["name"] == "BIOPAL TRADING Sp. z o. o."


def body_initials_match_the_holder(w: PdfWriter) -> None:
    """A body on no list given by its initials at a label, which happen to be the holder's too."""
    p = w.page()
    p.centred(80, "CERTIFICATE", 26, True)
    p.text(60, 140, "This is to certify that", 10)
    p.text(60, 160, "Nordic Cable Systems Ltd", 16, True)
    p.text(60, 180, "Kaivokatu 8, 00100 Helsinki, Finland", 10)
    p.text(60, 240, "ISO 9001:2015", 16, True)
    p.text(60, 400, "Certificate No.: NCS-2231", 10)
    p.text(60, 420, "Certification Body: NCS", 10)
    p.text(60, 440, "Valid until: 2027-03-10", 10)


def test_a_bodys_initials_are_never_expanded_into_the_holders_name(tmp_path: Path) -> None:
    record = _extract(tmp_path, body_initials_match_the_holder, "initials_holder")["record"]
    assert record["holder"]["name"] == "Nordic Cable Systems Ltd"
    assert record["issuer"]["name"] != record["holder"]["name"]


def test_words_ocr_could_not_read_at_the_edge_of_the_name_are_not_the_name() -> None:
    """A logo's small print beside the holder, run into its line by OCR with confidence near 0."""
    def line(top: float, items: list[tuple[str, float, float]], size: float = 14) -> Line:
        return Line(1, [[Word(t, x, top, x + 9 * len(t), top + size, 1, size, conf=c) for t, x, c in items]])
    lines = [line(60, [("CERTIFICATE", 200, 0.97), ("OF", 340, 0.97), ("REGISTRATION", 380, 0.97)], 20),
             line(130, [("sajcracronve", 59, 0.0), ("ssa?", 180, 0.01), ("HARBOUR", 220, 0.93),
                        ("COATINGS,", 300, 0.96), ("INC.", 400, 0.97)], 30),
             line(170, [("1200", 220, 0.96), ("East", 270, 0.95), ("Lake", 320, 0.95), ("Ave.", 370, 0.96)])]
    doc = PdfText([Page(1, 842, 595, lines, ocr=True)], 1, ocr=True)
    assert find_holder(doc).value == "HARBOUR COATINGS, INC."


def two_certificate_numbers(w: PdfWriter) -> None:
    """An automotive certificate: the scheme's database number and the body's own certificate
    number, both at a certificate-number label, one under the other."""
    p = w.page()
    p.centred(80, "Certificate of Approval", 18, True)
    p.centred(110, "AWARDED TO", 10)
    p.centred(126, "Rio Plast Industria e Comercio Ltda", 12, True)
    p.centred(142, "Rua Servia, 383, Sao Paulo/SP - Brazil", 9)
    p.centred(200, "Northbridge Certification certify that the Quality Management System of the above", 9)
    p.centred(212, "organisation has been audited and found to be in accordance with the requirements of", 9)
    p.centred(240, "IATF 16949 - FIRST EDITION", 13, True)
    p.text(100, 700, "Date Of Certification: 25-09-2025", 10)
    p.text(100, 716, "Date Of Expiration: 24-09-2028", 10)
    p.text(100, 732, "IATF Certificate N°: 0591122", 10)
    p.text(100, 748, "Northbridge Certification Certificate No: BR045120 - IATF", 10)


def test_two_numbers_at_certificate_number_labels_are_no_promise(tmp_path: Path) -> None:
    result = _extract(tmp_path, two_certificate_numbers, "two_numbers")
    assert result["record"]["certificate_number"] in {"BR045120", "BR045120 - IATF", "0591122"}
    assert result["fields"]["/certificate_number"]["confidence"] < 0.9
