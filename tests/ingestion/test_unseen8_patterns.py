"""Certificates in languages the earlier rounds did not read (issue 15, round 8): Swedish,
Danish, Finnish, Hungarian and Czech labels and month names, Korean and Greek dates, scans in
Cyrillic read with Tesseract's Russian model, and OCR readings compared by the width of text
read surely rather than by their number of words (joined Chinese gives few, long words).
Each pattern is generated; each test fails on the code before this round."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ingestion import extract_file
from ingestion.pdf import ocr
from ingestion.pdf.dates import parse_date
from ingestion.pdf.layout import Word

try:
    from .pdf_writer import PdfWriter
    from .scans import drawn_scan, scanned_pdf
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from scans import drawn_scan, scanned_pdf
    from test_cert_patterns import PROMISE, _conf, _extract


def _labelled_certificate(title: str, intro: str, holder: str, rows: list[tuple[str, str]]):
    """A certificate whose values sit after their labels, in the language of the labels."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(100, title, 28, True)
        p.centred(160, intro, 11)
        p.centred(195, holder, 20, True)
        p.centred(240, "ISO 9001:2015", 18, True)
        top = 320
        for label, value in rows:
            p.text(90, top, label, 10).text(260, top, value, 10)
            top += 20
    return build


CASES = {
    "sv": _labelled_certificate(
        "CERTIFIKAT", "Härmed intygas att ledningssystemet hos", "Nordkvist Verkstad AB",
        [("Certifikatnummer:", "SE-QMS-44120"), ("Utfärdandedatum:", "3 augusti 2025"),
         ("Giltigt till:", "2 augusti 2028")]),
    "da": _labelled_certificate(
        "CERTIFIKAT", "Hermed attesteres at ledelsessystemet i", "Fynske Maskinfabrik A/S",
        [("Certifikatnummer:", "DK-2291-Q"), ("Udstedelsesdato:", "14. marts 2024"),
         ("Gyldigt til:", "13. marts 2027")]),
    "fi": _labelled_certificate(
        "SERTIFIKAATTI", "Täten todistetaan, että", "Pohjan Konepaja Oy",
        [("Sertifikaatin numero:", "FI-70811"), ("Myöntämispäivä:", "14. toukokuuta 2024"),
         ("Voimassa asti:", "13. toukokuuta 2027")]),
    "hu": _labelled_certificate(
        "TANÚSÍTVÁNY", "Ezennel tanúsítjuk, hogy", "Alföldi Gépgyártó Kft.",
        [("Tanúsítvány száma:", "HU-QM-3308"), ("Kiadás dátuma:", "2024. március 14."),
         ("Érvényesség lejárata:", "2027. március 13.")]),
}
EXPECTED = {
    "sv": ("SE-QMS-44120", "2025-08-03", "2028-08-02"),
    "da": ("DK-2291-Q", "2024-03-14", "2027-03-13"),
    "fi": ("FI-70811", "2024-05-14", "2027-05-13"),
    "hu": ("HU-QM-3308", "2024-03-14", "2027-03-13"),
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_labels_and_month_names_in_more_languages(tmp_path: Path, language: str) -> None:
    result = _extract(tmp_path, CASES[language], language)
    record = result["record"]
    assert (record["certificate_number"], record["issue_date"], record["expiry_date"]) == EXPECTED[language]


@pytest.mark.parametrize("text, expected", [
    ("2024년 3월 14일", date(2024, 3, 14)),          # Korean
    ("13 Μαρτίου 2027", date(2027, 3, 13)),           # Greek genitive
    ("14. března 2024", date(2024, 3, 14)),           # Czech genitive
    ("2027. márc. 13.", date(2027, 3, 13)),           # Hungarian, year first
    ("31 oktober 2026", date(2026, 10, 31)),
])
def test_dates_in_more_languages(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_a_hungarian_year_first_date_does_not_take_a_standards_year() -> None:
    assert parse_date("ISO 9001:2015 March 3, 2024") == date(2024, 3, 3)


def _word(text: str, x0: float, width: float, conf: float) -> Word:
    return Word(text=text, x0=x0, top=100, x1=x0 + width, bottom=112, page=1, size=12, conf=conf)


def test_a_chinese_reading_beats_the_english_junk_of_the_same_glyphs() -> None:
    """Joined Han text is a few long words; English splits the same glyphs into many unsure ones.
    Weighting confidence by the number of words let the junk win."""
    chinese = ocr._Reading([_word("苏州精密机械制造有限公司", 72, 200, 0.9), _word("有效期至：2027年3月13日", 72, 180, 0.88),
                            _word("证书编号：00124Q31567R2M", 72, 190, 0.9)], "chi_sim")
    junk = ocr._Reading([_word(t, 72 + 10 * i, 9, 0.45) for i, t in enumerate("MEA HA: 20245 AS REE ME iti".split() * 5)],
                        "eng")
    assert chinese.better_than(junk) and not junk.better_than(chinese)


def test_three_sure_words_still_lose_to_a_page_read_in_full() -> None:
    few = ocr._Reading([_word("ISO", 72, 20, 0.95), _word("9001", 95, 25, 0.95), _word("2015", 125, 25, 0.95)], "eng")
    full = ocr._Reading([_word(f"word{i}", 72 + (i % 10) * 45, 40, 0.8) for i in range(60)], "deu")
    assert full.better_than(few)


RUSSIAN = [
    ("СЕРТИФИКАТ", 26, True),
    ("Настоящий сертификат удостоверяет, что", 12, False),
    ("ООО «Уральский Механический Завод»", 16, True),
    ("соответствует требованиям стандарта", 11, False),
    ("ISO 9001:2015", 18, True),
    ("Номер сертификата: RU-QMS-5521", 11, False),
    ("Дата выдачи: 14 марта 2024", 11, False),
    ("Действителен до: 13 марта 2027", 11, False),
]


def test_a_russian_scan_is_read_with_the_russian_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """OSD names Cyrillic; with the Russian pack (scripts/system-deps.sh) the labels and month
    names are read, where English reads junk."""
    if shutil.which("tesseract") is None or not {"eng", "osd", "rus"} <= ocr.installed_languages():
        pytest.fail("Tesseract with eng, osd and rus is needed: `make system-deps` installs them.", pytrace=False)
    passes: list[str] = []
    real = ocr._tesseract

    def recording(pgm: bytes, args: list[str], deadline: float) -> str:
        passes.append(args[args.index("-l") + 1])
        return real(pgm, args, deadline)

    monkeypatch.setattr(ocr, "_tesseract", recording)
    result = extract_file(scanned_pdf([drawn_scan(RUSSIAN)], tmp_path / "ru.pdf"))
    assert passes[-1] == "rus+eng"      # Russian alone reads the Latin number as look-alikes ("ВУ-ОМ5-5521")
    record = result["record"]
    assert (record["issue_date"], record["expiry_date"]) == ("2024-03-14", "2027-03-13")
    assert record["certificate_number"] == "RU-QMS-5521"
