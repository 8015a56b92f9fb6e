"""Patterns from real certificates of bodies and countries the development set does not have:
Turkish and Russian certificates (typed as certificates, their numbers, dates, standard and body
read), issue dates at labels in every listed language while the first or original certification
date is not taken, and issuers known only by the list of certification bodies (national bodies,
IQNet partners). Rebuilt as generated PDFs; each test fails if the pattern is read wrongly or a
wrong value is promised (>= 0.9)."""

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

#: Turkish and Cyrillic letters are not in the test writer's WinAnsi fonts: these pages embed a
#: TrueType font that has them (DejaVu ships with the system's fonts).
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def unicode_pdf(path: Path, lines: list[tuple[Any, float, str, float, bool]]) -> Path:
    """A one-page PDF of (x or "c" for centred, top, text, size, bold) lines in a Unicode font."""
    if not UNICODE_FONT.exists() or not UNICODE_BOLD.exists():
        pytest.skip("no DejaVu font to write Turkish or Cyrillic text")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("Uni", str(UNICODE_FONT)))
    pdfmetrics.registerFont(TTFont("UniBold", str(UNICODE_BOLD)))
    canvas = Canvas(str(path), pagesize=A4)
    width, height = A4
    for x, top, text, size, bold in lines:
        canvas.setFont("UniBold" if bold else "Uni", size)
        baseline = height - top - size * 0.8
        if x == "c":
            canvas.drawCentredString(width / 2, baseline, text)
        else:
            canvas.drawString(x, baseline, text)
    canvas.save()
    return path


TURKISH = [
    ("c", 70, "SERTİFİKA", 28, True),
    ("c", 110, "KALİTE YÖNETİM SİSTEMİ", 14, True),
    ("c", 150, "Bu belge, aşağıda adı geçen kuruluşun", 10, False),
    ("c", 175, "Anadolu Plastik Sanayi ve Ticaret A.Ş.", 18, True),
    ("c", 200, "Organize Sanayi Bölgesi 5. Cadde No: 12, 16140 Bursa, Türkiye", 10, False),
    ("c", 240, "TS EN ISO 9001:2015 standardının gereklerine uygun olarak belgelendirilmiştir.", 10, False),
    (60, 420, "Sertifika No: TR-Q-2210", 10, False),
    (60, 440, "İlk Yayın Tarihi: 14.05.2015", 10, False),
    (60, 460, "Düzenleme Tarihi: 14.05.2024", 10, False),
    (60, 480, "Geçerlilik Tarihi: 13.05.2027", 10, False),
    (60, 700, "SZUTEST Uygunluk Değerlendirme A.Ş.", 9, True),
    (60, 712, "TÜRKAK tarafından akredite edilmiştir", 8, False),
]


RUSSIAN = [
    ("c", 70, "СЕРТИФИКАТ СООТВЕТСТВИЯ", 24, True),
    (60, 120, "Регистрационный номер: РОСС RU.ИК32.К00112", 10, False),
    (60, 140, "Срок действия с 15.03.2023 по 14.03.2026", 10, False),
    (60, 200, "НАСТОЯЩИЙ СЕРТИФИКАТ УДОСТОВЕРЯЕТ, ЧТО СИСТЕМА МЕНЕДЖМЕНТА КАЧЕСТВА", 10, False),
    ("c", 225, "ООО «Уральский Завод Пластмасс»", 16, True),
    (60, 250, "СООТВЕТСТВУЕТ ТРЕБОВАНИЯМ ГОСТ Р ИСО 9001-2015", 10, False),
    (60, 690, "Дата выдачи: 10 марта 2023 г.", 10, False),
    (60, 720, "Rostest-Moscow", 9, True),
]


@pytest.mark.parametrize("lines, expected, promised", [
    (TURKISH, {"certificate_number": "TR-Q-2210", "holder": "Anadolu Plastik Sanayi ve Ticaret A.Ş.",
               "issue_date": "2024-05-14",      # not the first issue ("İlk Yayın Tarihi") of 2015
               "expiry_date": "2027-05-13",
               "issuer": "SZUTEST Uygunluk Değerlendirme A.Ş."}, True),    # not TÜRKAK, which accredits it
    (RUSSIAN, {"certificate_number": "РОСС RU.ИК32.К00112",      # Cyrillic letters in it
               "holder": "ООО «Уральский Завод Пластмасс»",         # not the title "СЕРТИФИКАТ …"
               "issue_date": "2023-03-10",      # "Дата выдачи" with a Russian month name
               "expiry_date": "2026-03-14",     # the end of "Срок действия с … по …"
               "issuer": "Rostest-Moscow"}, False),    # the body by its Latin-script name, no legal form
], ids=["turkish", "russian"])
def test_turkish_and_russian_certificates_are_typed_and_read(
        tmp_path: Path, lines: list[tuple[Any, float, str, float, bool]], expected: dict[str, str],
        promised: bool) -> None:
    result = extract_file(unicode_pdf(tmp_path / "cert.pdf", lines))
    record = result["record"]
    assert result["document_type"] == "certificate"     # not refused as "not a certificate"
    assert record["scheme"] == "iso_9001"               # "TS EN ISO 9001", "ГОСТ Р ИСО 9001"
    got = {"certificate_number": record.get("certificate_number"), "holder": record["holder"]["name"],
           "issue_date": record.get("issue_date"), "expiry_date": record.get("expiry_date"),
           "issuer": record["issuer"]["name"]}
    assert got == expected
    assert (_conf(result, "/issuer/name") >= PROMISE) is promised    # a listed body by its full legal name


def test_chinese_dates_are_read() -> None:
    words = [Word("发证日期：", 0, 0, 10, 10, 1, 10), Word("2023年03月15日", 12, 0, 60, 10, 1, 10)]
    assert [h.value.isoformat() for h in find_dates(words)] == ["2023-03-15"]


def certificate_with(*extra: tuple[float, str]) -> Any:
    """An ISO 14001 certificate whose dates and small print are the (top, text) lines given."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(80, "CERTIFICATE OF REGISTRATION", 26, True)
        p.centred(140, "We hereby certify that", 11)
        p.centred(165, "Kestrel Surface Coatings Ltd", 18, True)
        p.centred(230, "operates an environmental management system which complies with ISO 14001:2015", 10)
        p.text(60, 400, "Certificate Number: EMS 77120", 10)
        for top, text in extra:
            p.text(60, top, text, 8 if top > 600 else 10)
    return build


def issue_date_at(label: str, value: str, *, original: str) -> Any:
    return certificate_with((420, original), (440, f"{label}: {value}"), (460, "Expiry date: 1 May 2027"))


@pytest.mark.parametrize("label, value", [
    ("Ausstellungsdatum", "02.05.2024"),
    ("Date d'émission", "2 mai 2024"),
    ("Fecha de emisión", "2 de mayo de 2024"),
    ("Data wydania", "02.05.2024"),
    ("Data di emissione", "02/05/2024"),
    ("Data de emissão", "2 de maio de 2024"),
    ("Datum van uitgifte", "2 mei 2024"),
    ("Issued on", "2 May 2024"),
    ("Current certificate", "2 May 2024"),          # "Original approval … Current certificate … Certificate expiry"
    ("Current issue date", "2024-05-02"),
])
def test_issue_date_labels_in_every_language(tmp_path: Path, label: str, value: str) -> None:
    result = _extract(tmp_path, issue_date_at(label, value, original="Original certification date: 12 June 2009"),
                      "issue_label")
    assert result["record"]["issue_date"] == "2024-05-02"    # never the original certification of 2009
    assert result["record"]["expiry_date"] == "2027-05-01"


@pytest.mark.parametrize("original", ["First issued: 12 June 2009", "Date of initial certification: 12 June 2009",
                                      "Original approval date: 12 June 2009"])
def test_a_first_or_original_issue_is_not_this_certificates_issue_date(tmp_path: Path, original: str) -> None:
    result = _extract(tmp_path, issue_date_at("Issue date", "2 May 2024", original=original), "first_issue")
    assert result["record"]["issue_date"] == "2024-05-02"


@pytest.mark.parametrize("footer, body", [
    ("ICONTEC - Instituto Colombiano de Normas Técnicas y Certificación",
     "Instituto Colombiano de Normas Técnicas y Certificación"),      # its fullest spelling
    ("TQCSI - Total Quality Certification Services International Pty Ltd",
     "Total Quality Certification Services International"),     # its full legal name
    ("Hong Kong Quality Assurance Agency", "Hong Kong Quality Assurance Agency"),
    ("Quality Austria Trainings, Zertifizierungs und Begutachtungs GmbH", "Quality Austria"),
    ("EQA European Quality Assurance Spain S.L.", "EQA"),
    ("China Quality Mark Certification Group", "China Quality Mark Certification Group"),
])
def test_a_listed_national_body_in_the_small_print_is_the_issuer(tmp_path: Path, footer: str, body: str) -> None:
    build = certificate_with((420, "Issue date: 2 May 2024"), (440, "Expiry date: 1 May 2027"), (700, footer),
                             (712, "Accredited by ONAC, Organismo Nacional de Acreditación de Colombia"))
    result = _extract(tmp_path, build, "national_body")
    assert result["record"]["issuer"]["name"].startswith(body)      # not the accreditation body
    assert result["record"]["holder"]["name"] == "Kestrel Surface Coatings Ltd"


def test_a_romanian_certificate_is_read_at_its_labels(tmp_path: Path) -> None:
    """Romanian labels in a sidebar, surveillance deadlines ("Data limita") above them, the
    holder after "certifica organizatia:", the body printed more fully than its short name."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(150, "Certificat de inregistrare", 30, True)
        p.centred(194, "RS Cert - Romanian Certification Systems", 11)
        p.centred(208, "(prin S.C. Alfa Consultanta S.R.L.) certifica organizatia:", 11)
        p.centred(222, "CARPATI AMBALAJE S.R.L.", 12, True)
        p.centred(245, "Sediu: 117535 Pitesti, Str. Exemplu, Nr. 4, Jud. Arges, Romania", 9)
        p.text(57, 300, "conformitate cu cerintele standardului:", 11).text(57, 318, "ISO 9001:2015", 16, True)
        p.text(58, 474, "Audit de supraveghere 1:", 9).text(186, 474, "Audit de supraveghere 2:", 9)
        p.text(60, 484, "(Data limita 04.08.2025)", 9).text(188, 484, "(Data limita 04.08.2026)", 9)
        p.text(58, 583, "Nr. certificat:", 9).text(186, 583, "09/RSC04411/0001/RO", 9)
        p.text(58, 605, "Data emiterii:", 9).text(186, 605, "05.08.2024", 9).text(314, 605, "Editia: 1", 9)
        p.text(58, 622, "Data expirarii:", 9).text(186, 622, "04.08.2027", 9)
        p.text(92, 791, "Prezentul certificat este emis de catre S.C. Alfa Consultanta S.R.L. (reprezentant RS Cert", 5)
    result = _extract(tmp_path, build, "romanian")
    record = result["record"]
    assert record["certificate_number"] == "09/RSC04411/0001/RO"
    assert record["issue_date"] == "2024-08-05"         # not a surveillance deadline
    assert record["expiry_date"] == "2027-08-04"
    assert record["holder"]["name"] == "CARPATI AMBALAJE S.R.L."
    assert record["issuer"]["name"] == "RS Cert - Romanian Certification Systems"   # not just "RS Cert"


@pytest.mark.parametrize("number, scheme", [("PBN-PEFC-COC-079311", "other"), ("NC-COC-012345", "fsc_coc")])
def test_a_pefc_chain_of_custody_is_not_an_fsc_one(tmp_path: Path, number: str, scheme: str) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(238, "Greenwood Assurance hereby certifies that", 11)
        p.centred(265, "Dobra Pallets S.R.L.", 24, True)
        p.centred(360, "conform with the following standards:", 11)
        if scheme == "other":
            p.centred(375, "PEFC ST 2002:2020 Chain of Custody of Forest and Tree Based Products", 10)
        else:
            p.centred(375, "FSC-STD-40-004 V3-1 Chain of Custody Certification", 10)
        p.centred(413, "The certificate is valid from 01 April 2025 to 31 March 2030", 11)
        p.text(72, 528, "Certificate registration code", 11).text(72, 541, number, 19)
    result = _extract(tmp_path, build, f"coc_{scheme}")
    assert result["record"]["scheme"] == scheme
    assert result["record"]["certificate_number"] == number
    if scheme == "other":
        assert result["record"]["standard"].startswith("PEFC ST 2002:2020")


def test_a_sentence_ending_in_its_label_and_a_phone_to_call_about_this_certificate(tmp_path: Path) -> None:
    """"… this certificate is valid until:" with the date opening the next line; "the validity of
    this certificate please call (0086 10 59683888)" is no number; the holder's other name in
    brackets after its legal form is not part of it."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(88, "BUREAU VERITAS", 12, True).centred(110, "Certification", 11)
        p.centred(203, "Awarded to", 8)
        p.text(104, 221, "SHANDONG RIVER CASTING CO., LTD. ( SHANDONG RIVER MALLEABLE", 12, True)
        p.text(249, 237, "IRON CORP, LTD.)", 12, True)
        p.text(112, 267, "NO.3 NAN MEN ROAD, PINGYIN, JINAN CITY, SHANDONG PROVINCE, P.R. CHINA", 9)
        p.text(114, 299, "Bureau Veritas Certification certify that the Management System of the above", 10)
        p.centred(372, "ISO 9001:2015", 14, True)
        p.text(115, 522, "Original Approval Date: 10 JANUARY 1997", 12)
        p.text(114, 537, "Subject to the continued satisfactory operation of the organisation's Management System, "
                         "this certificate is valid until:", 8)
        p.text(200, 549, "29 MAY 2027", 9)
        p.text(115, 571, "To check the validity of this certificate please call (0086 10 59683888)", 8)
        p.text(133, 652, "Issued Date: 30 MAY 2024", 9)
        p.text(133, 675, "Certificate Number 320911-UK", 14)
    result = _extract(tmp_path, build, "valid_until_below")
    record = result["record"]
    assert record["expiry_date"] == "2027-05-29"
    assert record["issue_date"] == "2024-05-30"
    assert record["certificate_number"] == "320911-UK"
    assert record["holder"]["name"] == "SHANDONG RIVER CASTING CO., LTD."


def test_a_code_beside_the_registrar_label_is_not_the_issuer(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(60, "Registration Certificate", 40, True)
        p.text(56, 159, "Accredited Registrar - 119012A", 15).text(237, 180, "This is to certify that", 15)
        p.centred(212, "NORTHGATE SURVEY SERVICES", 30, True)
        p.centred(298, "has been assessed and found to comply with the requirements of", 15)
        p.centred(348, "ISO 9001:2015", 40, True)
        p.text(33, 544, "Certificate Number: E2024031122", 12)
        p.text(33, 558, "Date of certification: 5 March 2024", 12)
        p.text(33, 600, "Certification Valid Until: 4 March 2027", 12)
        p.text(14, 806, "This Certificate remains the property of Kingsbridge Assessments Private Limited. "
                        "Must be returned on request.", 9)
    result = _extract(tmp_path, build, "registrar_code")
    assert result["record"]["issuer"]["name"] == "Kingsbridge Assessments Private Limited"   # not "119012A"
    assert _conf(result, "/issuer/name") < PROMISE           # on no list


@pytest.mark.parametrize("printed, scheme", [("1S09001:2015 - NCh-1509001:2015", "iso_9001"),
                                             ("1S045001:2018 - NCh-1S045001:2018", "iso_45001")])
def test_an_iso_standard_misread_by_ocr_still_names_its_scheme(tmp_path: Path, printed: str, scheme: str) -> None:
    build = certificate_with((420, "Issue date: 2 May 2024"), (440, "Expiry date: 1 May 2027"),
                             (480, f"Norma: {printed}"))

    def without_iso(w: PdfWriter) -> None:     # the page names no standard but the misread one
        build(w)
        w.pages[0].ops = [op for op in w.pages[0].ops if b"ISO 14001" not in op]
    result = _extract(tmp_path, without_iso, "ocr_iso")
    assert result["record"]["scheme"] == scheme


def test_a_certificate_in_a_script_we_cannot_read_is_typed_by_its_title_standard_and_body(tmp_path: Path) -> None:
    """A Japanese certificate read by an OCR without Japanese: only "ISO 9001" set as the title and
    the body's numbering ("JQA-QM8218") are legible — a certificate, its number a guess."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(261, 71, "ISO 9001", 60, True)
        p.text(212, 224, "JQA-QM4471", 17).text(515, 224, "1/4", 17)
        p.text(139, 264, "SRBRa :", 16).text(140, 280, "RMA ATL bets tt", 24)
        p.text(141, 392, "BASS SEPA :", 14).text(144, 417, "VI999YLIE", 10)
        p.text(736, 520, "ISO 9001 2015 / JIS Q 9001 2015", 10)
        p.text(141, 705, "BEA : 20024 5A 108", 10)
    result = _extract(tmp_path, build, "unreadable_script")
    assert result["document_type"] == "certificate"
    assert result["record"]["scheme"] == "iso_9001"
    assert result["record"]["certificate_number"] == "JQA-QM4471"
    assert _conf(result, "/certificate_number") < PROMISE      # no label says so
    assert result["record"].get("issuer", {}).get("name") != "JQA-QM4471"   # a number, not a name


def test_a_register_search_printout_listing_certificates_is_refused(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(30, 20, "24/07/2017        Produtos Certificados", 8)
        p.text(30, 60, "Resultado da consulta:", 11).text(30, 75, "15 certificado(s)", 10).text(30, 90, "473 produtos(s)", 10)
        p.text(30, 110, "Certificador: BVQI   Nº Certificado: BRP231234   Tipo: Produto   Emissão: 09/12/2016", 8)
        p.text(30, 122, "Validade: 08/12/2019   Status do Certificado: Ativo", 8)
        p.text(30, 140, "CNPJ/CPF   Razão Social / Nome   Nome Fantasia   Endereço   Status Empresa", 8)
        p.text(30, 152, "12345678000101   Ferro Conexões Ltda   Rua Exemplo, 55 - Porto Alegre, RS - Brasil   Ativo", 8)
    with pytest.raises(ExtractionError, match="register of certified"):
        _extract(tmp_path, build, "register_listing")


@pytest.mark.parametrize("subject, statement, kind", [
    ("RoHS", "The submitted sample complies with the limits of RoHS Directive 2011/65/EU and its amendment "
             "(EU) 2015/863.", "rohs"),
    ("REACH", "The submitted sample does not contain SVHC above 0.1 % (w/w) of the REACH Regulation "
              "(EC) No 1907/2006 candidate list.", "reach_svhc"),
])
def test_a_laboratorys_rohs_or_reach_certificate_is_that_declaration_type(
        tmp_path: Path, subject: str, statement: str, kind: str) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(70, "CERTIFICATE", 30, True)
        p.centred(110, f"{subject} Compliance Verification", 14, True)
        p.text(60, 160, "Certificate No.: SZ-2024-118734", 10)
        p.text(60, 180, "Applicant: Lumora Lighting Co., Ltd.", 10)
        p.text(60, 200, "Product: LED driver", 10).text(60, 215, "Model: LD-4420", 10)
        p.text(60, 260, statement, 9)
        p.text(60, 400, "Issue date: 12 March 2024", 10)
        p.text(60, 700, "Shenzhen Brightline Testing Technology Co., Ltd.", 9, True)
    result = _extract(tmp_path, build, f"lab_{kind}")
    assert result["document_type"] == kind          # not a management-system certificate


def test_the_previous_cycles_expiry_is_not_this_certificates(tmp_path: Path) -> None:
    """Dates of the certification cycle, the previous one first: "Expiry date of previous cycle"
    is another certificate's expiry; "… this certificate is valid until:" is this one's."""
    build = certificate_with(
        (400, "Original cycle start date: 12 January 2017"),
        (415, "Expiry date of previous cycle: 11 January 2023"),
        (430, "Certification / Recertification Audit date: 21 November 2022"),
        (445, "Certification / Recertification cycle start date: 12 January 2023"),
        (460, "Subject to the continued satisfactory operation of the organisation's Management System, "
              "this certificate is valid until: 11 January 2026"))
    result = _extract(tmp_path, build, "previous_cycle")
    assert result["record"]["expiry_date"] == "2026-01-11"
    assert result["record"]["issue_date"] == "2023-01-12"


@pytest.mark.parametrize("dated, number_line, issued, number", [
    # "Current certificate: 25 January 2023" is the issue date, and its year no number
    (("Original approval(s): ISO 14001 - 1 March 2001", "Current certificate: 25 January 2023",
      "Certificate expiry: 24 January 2026"), "Certificate identity number: 10473925", "2023-01-25", "10473925"),
    # the scheme's letters open the number ("FM 512345")
    (("Original Registration Date: 1998-05-12", "Effective Date: 2023-01-25", "Expiry Date: 2026-01-24"),
     "Holds Certificate No: FM 512345", "2023-01-25", "FM 512345"),
    # "Date of Current Approval", not the original one
    (("Date of Original Approval: 3 June 2010", "Date of Current Approval: 25 January 2023",
      "Expiry date: 24 January 2026"), "Registration No: 12345", "2023-01-25", "12345"),
])
def test_current_certificate_dates_and_numbers_of_the_large_bodies(
        tmp_path: Path, dated: tuple[str, str, str], number_line: str, issued: str, number: str) -> None:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(50, 60, "CERTIFICATE OF APPROVAL", 22, True)
        p.text(50, 100, "This is to certify that the management system of:", 9)
        p.text(50, 120, "Harwick Valves Limited", 16, True)
        p.text(50, 150, "has been approved to ISO 14001:2015", 9)
        for i, text in enumerate((*dated, number_line)):
            p.text(50, 300 + 20 * i, text, 9)
    result = _extract(tmp_path, build, "large_bodies")
    record = result["record"]
    assert (record.get("issue_date"), record.get("certificate_number")) == (issued, number)
