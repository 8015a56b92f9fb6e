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

from ingestion import extract_file
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
    (60, 120, "Регистрационный номер: RU.MSK.QMS.04172", 10, False),
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
    (RUSSIAN, {"certificate_number": "RU.MSK.QMS.04172",
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
    ("ICONTEC - Instituto Colombiano de Normas Técnicas y Certificación", "ICONTEC"),
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
