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

from ingestion import ExtractionError

from ingestion.pdf import ocr
from ingestion.pdf.dates import parse_date
from ingestion.pdf.layout import Word

try:
    from .pdf_writer import PdfWriter
    from .scans import drawn_scan, scanned_pdf
    from .test_cert_patterns import _extract
    from .test_ocr_languages import _extracted
except ImportError:
    from pdf_writer import PdfWriter
    from scans import drawn_scan, scanned_pdf
    from test_cert_patterns import _extract
    from test_ocr_languages import _extracted


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
    result, passes = _extracted(scanned_pdf([drawn_scan(RUSSIAN)], tmp_path / "ru.pdf"), monkeypatch)
    assert passes[-1] == "rus+eng"      # Russian alone reads the Latin number as look-alikes ("ВУ-ОМ5-5521")
    record = result["record"]
    assert (record["issue_date"], record["expiry_date"]) == ("2024-03-14", "2027-03-13")
    assert record["certificate_number"] == "RU-QMS-5521"


def certificate_with_unlabelled_issue_date(w: PdfWriter) -> None:
    """The expiry is labelled; the issue date stands alone over the signature, after an audit's
    date and a cited regulation's; the earliest date on the page is not the issue."""
    p = w.page()
    p.centred(90, "CERTIFICATE", 30, True)
    p.centred(150, "This is to certify that the management system of", 11)
    p.centred(185, "Kestrel Fasteners Ltd.", 20, True)
    p.centred(240, "complies with the requirements of", 11)
    p.centred(270, "ISO 9001:2015", 18, True)
    p.centred(300, "applied in line with Regulation (EU) 2019/1020 of 20 June 2019", 9)
    p.text(100, 360, "Certificate No.:", 10).text(250, 360, "KF-Q-11872", 10)
    p.text(100, 378, "Audit completed", 10).text(250, 378, "10 February 2024", 10)
    p.text(100, 396, "Valid until:", 10).text(250, 396, "13 March 2027", 10)
    p.text(100, 520, "14 March 2024", 10).text(380, 520, "Managing Director", 10)


def test_an_unlabelled_issue_date_is_the_latest_before_the_expiry(tmp_path: Path) -> None:
    result = _extract(tmp_path, certificate_with_unlabelled_issue_date, "unlabelled_issue")
    assert (result["record"]["issue_date"], result["record"]["expiry_date"]) == ("2024-03-14", "2027-03-13")
    assert result["fields"]["/issue_date"]["confidence"] < 0.9


def brochure_page(w: PdfWriter) -> None:
    """A maker's page that names its certificate among its products and contacts."""
    p = w.page()
    p.centred(80, "Certified quality", 26, True)
    p.text(72, 130, "Our products are made under an ISO 9001:2015 quality management system,", 11)
    p.text(72, 146, "certified by TÜV SÜD. The certificate is available on request.", 11)
    p.text(72, 180, "Product range: hinges, latches, gas springs and custom brackets for the furniture", 11)
    p.text(72, 196, "and vehicle industries. Why choose Kestrel: short lead times and key benefits for you.", 11)
    p.text(72, 240, "Contact us for a catalogue or request a quote on our website.", 11)


def invoice_page(w: PdfWriter) -> None:
    p = w.page()
    p.text(72, 70, "INVOICE", 24, True)
    p.text(72, 120, "Invoice No: 2024-0815", 10).text(330, 120, "Invoice date: 14 March 2024", 10)
    p.text(72, 150, "Bill to: Kestrel Fasteners Ltd., 4 Mill Lane, Leeds", 10)
    p.text(72, 166, "Ship to: same address", 10)
    p.text(72, 200, "Item   Qty   Unit price   Amount", 10, True)
    p.text(72, 216, "RoHS compliant hinge H-20   500   0.42   210.00", 10)
    p.text(72, 250, "Subtotal 210.00   VAT 42.00   Amount due 252.00 GBP", 10)
    p.text(72, 280, "Payment terms: 30 days net", 10)


def terms_page(w: PdfWriter) -> None:
    p = w.page()
    p.text(72, 70, "General Terms and Conditions of Sale", 18, True)
    for i, line in enumerate(("1. These terms of sale apply to every order the company accepts.",
                              "2. Goods comply with the specification agreed in writing; RoHS compliance on request.",
                              "3. Terms of delivery: ex works unless agreed otherwise.",
                              "4. Our privacy policy and code of conduct are published on our website.")):
        p.text(72, 110 + 18 * i, line, 10)


@pytest.mark.parametrize("build, words", [(brochure_page, "brochure"), (invoice_page, "invoice"),
                                          (terms_page, "terms and conditions")])
def test_pages_that_only_mention_a_certificate_or_rohs_are_refused(tmp_path: Path, build, words: str) -> None:
    with pytest.raises(ExtractionError) as refused:
        _extract(tmp_path, build, build.__name__)
    assert refused.value.code == "not_a_declaration" and words in str(refused.value)


def spanish_certificate_numbered_in_its_title(w: PdfWriter) -> None:
    """"Certificado ES16/21063" heads the page; the accreditation's number stands in the footer."""
    p = w.page()
    p.text(72, 70, "Certificado ES16/21063", 9)
    p.centred(140, "KESTREL LOGÍSTICA, S.L.", 24, True)
    p.centred(230, "ha sido evaluado y certificado en cuanto al cumplimiento de los requisitos de", 8)
    p.centred(260, "ISO 9001:2015", 18, True)
    p.centred(410, "Este certificado es válido desde 16 de diciembre de 2019 hasta 16 de diciembre de 2022", 8)
    p.text(72, 574, "SGS INTERNATIONAL CERTIFICATION SERVICES IBERICA, S.A.U.", 7)
    p.text(420, 600, "ENAC 07/C-MA009", 7)


def test_a_number_after_the_certificate_word_of_another_language_is_the_number(tmp_path: Path) -> None:
    result = _extract(tmp_path, spanish_certificate_numbered_in_its_title, "certificado")
    assert result["record"]["certificate_number"] == "ES16/21063"


def bilingual_rows_with_an_initial_registration(w: PdfWriter) -> None:
    """Turkish/English label rows; the English halves are "Date of Certificate" and "Date of
    initial Reg" (a first registration, not this certificate's issue)."""
    p = w.page()
    p.centred(120, "CERTIFICATE", 26, True)
    p.centred(180, "ANKARA ELEKTRONIK SANAYI A.S.", 18, True)
    p.centred(240, "ISO 9001:2015", 24, True)
    p.centred(300, "This is to certify that the above mentioned company meets the requirements.", 8)
    rows = [("Sertifika No / Certification Number", "01.26.11105.1147096"),
            ("Ilk Kayit Tarihi / Date of initial Reg", "24.02.2023"),
            ("Basim Tarihi / Date of Certificate", "24.02.2026"),
            ("Gecerlilik Tarihi / Date of Expiry", "23.02.2027")]
    for i, (label, value) in enumerate(rows):
        p.text(120, 350 + 14 * i, label, 8).text(330, 350 + 14 * i, value, 8)


def test_the_english_half_of_a_bilingual_date_label_is_read(tmp_path: Path) -> None:
    result = _extract(tmp_path, bilingual_rows_with_an_initial_registration, "bilingual_rows")
    record = result["record"]
    assert (record["issue_date"], record["expiry_date"]) == ("2026-02-24", "2027-02-23")


KAZAKH_STATE_CERTIFICATE = [
    ("СЕРТИФИКАТ СООТВЕТСТВИЯ", 18, True),
    ("зарегистрирован в реестре данных", 11, False),
    ("от 21.10.2024", 11, False),
    ("Действителен до 11.09.2026", 11, False),
    ("Дата первичной сертификации: 11.09.2023", 11, False),
    ("ОРГАН ПО ПОДТВЕРЖДЕНИЮ СООТВЕТСТВИЯ", 11, False),
    ('БИН 180640013890, ТОО "Kestrel Group", Казахстан, город Уральск, улица Сундеткали', 10, False),
    ("НАСТОЯЩИЙ СЕРТИФИКАТ ВЫДАН", 11, False),
    ('БИН 060940007139, ТОО "Ural Steel Works", Казахстан, город Уральск, улица Абая', 10, False),
    ("СООТВЕТСТВУЕТ ТРЕБОВАНИЯМ", 11, False),
    ("СТ РК ISO 9001-2016 (ISO 9001:2015)", 11, False),
]


def test_a_first_certification_date_and_a_register_line_on_a_russian_certificate(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Дата первичной сертификации" is the first certification, its qualifier after the short
    label "Дата"; the issue is the later unlabelled "от 21.10.2024"; holder and body are the
    quoted names in their register lines (tax number, name, address)."""
    if shutil.which("tesseract") is None or not {"eng", "osd", "rus"} <= ocr.installed_languages():
        pytest.fail("Tesseract with eng, osd and rus is needed: `make system-deps` installs them.", pytrace=False)
    result, _ = _extracted(scanned_pdf([drawn_scan(KAZAKH_STATE_CERTIFICATE)], tmp_path / "kz.pdf"), monkeypatch)
    record = result["record"]
    assert (record["issue_date"], record["expiry_date"]) == ("2024-10-21", "2026-09-11")
    assert "Ural Steel Works" in record["holder"]["name"] and "БИН" not in record["holder"]["name"]
    assert "Kestrel Group" in record["issuer"]["name"] and "БИН" not in record["issuer"]["name"]
    assert result["fields"]["/issuer/name"]["confidence"] < 0.9      # on no list


def tax_registration_certificate(w: PdfWriter) -> None:
    """A government's tax registration certificate: titled a certificate, numbered and dated."""
    p = w.page()
    p.centred(100, "Government of Northland", 12)
    p.centred(116, "Form GST REG-06", 11)
    p.centred(148, "Registration Certificate", 12, True)
    p.text(72, 166, "Registration Number : 27ABCDE1234F1Z5", 11)
    rows = [("1. Legal Name", "KESTREL TRADING"), ("2. Trade Name, if any", "KESTREL EXPORT"),
            ("3. Constitution of Business", "Proprietorship"), ("4. Address of Principal Place of Business", "12 Mill Road"),
            ("5. Date of Liability", "25/08/2025"), ("6. Period of Validity", "From 25/08/2025 To Not Applicable"),
            ("7. Jurisdictional Office", "NORTH WARD"), ("Date of issue of Certificate", "25/08/2025")]
    for i, (label, value) in enumerate(rows):
        p.text(72, 200 + 18 * i, label, 10).text(330, 200 + 18 * i, value, 10)


def test_a_tax_registration_certificate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as refused:
        _extract(tmp_path, tax_registration_certificate, "tax_registration")
    assert refused.value.code == "not_a_declaration" and "company registration" in str(refused.value)


def doc_with_narrow_product_rows(w: PdfWriter) -> None:
    """An EC DoC whose two-column rows stand closer than a table's usual gap."""
    p = w.page()
    p.text(56, 83, "EC DECLARATION OF CONFORMITY", 24, True)
    p.text(56, 110, "Manufacturer", 13).text(56, 124, "KESTREL DEVICES a.s.", 13)
    p.text(56, 137, "U Jezu 525/4, 460 01 Liberec, Czech Republic", 13)
    p.text(56, 205, "This declaration of conformity is issued under the sole responsibility of the manufacturer.", 11)
    p.text(56, 235, "Product Name", 13).text(160, 235, "FALCON", 13)
    p.text(56, 248, "Product Use", 13).text(160, 248, "The configurable IoT platform", 13)
    p.text(56, 275, "The object of the declaration described above is in conformity with the relevant Union", 11)
    p.text(56, 289, "harmonisation legislation: EMC 2014/30/EU, RoHS 2011/65/EU, RED 2014/53/EU", 11)
    p.text(56, 320, "Applied harmonised standards: EN 62368-1:2014 + A11:2017", 11)
    p.text(56, 602, "In Liberec, September 30, 2022", 13)
    p.text(56, 684, "Alan Novak, CEO", 13)


def test_a_narrow_two_column_row_names_the_product(tmp_path: Path) -> None:
    result = _extract(tmp_path, doc_with_narrow_product_rows, "narrow_rows")
    assert result["document_type"] == "declaration_of_conformity"
    assert [p.get("name") for p in result["record"]["products"]][:1] == ["FALCON"]


def lab_rohs_verification(w: PdfWriter) -> None:
    """A laboratory's RoHS verification: the product given by its sample name, not a part number;
    the date labelled "Issued Date"; a cited standard's year elsewhere."""
    p = w.page()
    p.text(72, 98, "KESTREL (SHENZHEN) TESTING SERVICE CO.,LTD.", 11, True)
    p.text(200, 141, "Test Verification of Conformity", 19, True)
    p.text(72, 169, "Certificate No.: KTS2206002801", 9)
    p.text(72, 185, "Issued Date: Jun 29, 2022", 9)
    p.text(72, 223, "The sample, as described herewith, was tested pursuant to IEC 62321-3-1:2013 of 2017-02-07", 9)
    p.text(72, 279, "and all the test results comply with the requirements of :", 9)
    p.text(72, 305, "RoHS Directive 2011/65/EU, (EU) 2015/863", 9)
    p.text(72, 368, "Applicant:", 9).text(200, 368, "FALKE DEVICES a.s.", 9)
    p.text(72, 432, "Manufacturer:", 9).text(200, 432, "FALKE DEVICES a.s.", 9)
    p.text(72, 497, "Sample Name:", 9).text(200, 497, "OSPREY", 9)


def test_a_product_named_at_a_sample_name_label_and_an_issued_date(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_rohs_verification, "lab_rohs")
    record = result["record"]
    assert result["document_type"] == "rohs"
    assert record["declaration_date"] == "2022-06-29"
    assert [p["part_number"] for p in record["products"]] == ["OSPREY"]
    assert result["fields"]["/products/0/part_number"]["confidence"] < 0.9


def holder_name_over_its_legal_form(w: PdfWriter) -> None:
    """The company's name set large, its legal form on the next line in smaller type; the body
    named in the footer by a name ending in "Şirketi"."""
    p = w.page()
    p.centred(51, "CERTIFICATE", 20, True)
    p.centred(183, "KESTREL YONETIM VE ORGANIZASYON", 15, True)
    p.centred(199, "ANONIM SIRKETI", 12, True)
    p.centred(224, "OSMANAGA MAH. UCAR NO: 94 A, KADIKOY / ISTANBUL", 9)
    p.centred(390, "ENVIRONMENTAL MANAGEMENT SYSTEM", 10)
    p.centred(492, "ISO 14001:2015", 15, True)
    p.text(120, 525, "Certificate Number", 7).text(300, 525, ": A1808962", 7)
    p.text(120, 546, "Certificate Issue Date", 7).text(300, 546, ": 04.08.2024", 7)
    p.text(120, 555, "Certificate Validity Date", 7).text(300, 555, ": 04.08.2027", 7)
    p.centred(747, "KESTREL ULUSLARARASI BELGELENDIRME SIRKETI", 12, True)
    p.centred(763, "Hurriyet Bulvari, No:45, Beylikduzu / Istanbul", 8)


def test_a_legal_form_on_its_own_line_takes_the_name_above(tmp_path: Path) -> None:
    result = _extract(tmp_path, holder_name_over_its_legal_form, "legal_form_line")
    assert result["record"]["holder"]["name"] == "KESTREL YONETIM VE ORGANIZASYON ANONIM SIRKETI"
    assert result["record"]["expiry_date"] == "2027-08-04"
    # "Şirketi" (company) ends a body's name as "Ltd" does; on no list, it is not promised
    assert result["record"]["issuer"]["name"] == "KESTREL ULUSLARARASI BELGELENDIRME SIRKETI"
    assert result["fields"]["/issuer/name"]["confidence"] < 0.9


def certificate_whose_standard_is_drawn(w: PdfWriter, systems: tuple[str, ...] = ("Quality Management System of",)) -> None:
    """The text layer names the management system; "ISO 9001:2015" is part of the artwork."""
    p = w.page()
    p.centred(101, "This is to Certify that", 20)
    for i, system in enumerate(systems):
        p.centred(124 + 20 * i, system, 18)
    p.centred(180, "KESTREL EXPORT PVT. LTD.", 28, True)
    p.centred(336, "has been assessed and found to conform to the requirements of the standard", 12)
    p.text(100, 502, "Certificate No", 12).text(260, 502, ": 26MEQWH43", 12)
    p.text(100, 517, "Issuance Date", 12).text(260, 517, ": 15/06/2026", 12)
    p.text(100, 533, "Date of Expiry", 12).text(260, 533, ": 14/06/2029", 12)


def test_a_certificate_that_only_names_its_management_system_is_that_schemes(tmp_path: Path) -> None:
    result = _extract(tmp_path, certificate_whose_standard_is_drawn, "system_only")
    assert result["record"]["scheme"] == "iso_9001"
    assert result["fields"]["/scheme"]["confidence"] < 0.9


def test_two_management_systems_named_without_a_standard_stay_other(tmp_path: Path) -> None:
    def build(w: PdfWriter) -> None:
        certificate_whose_standard_is_drawn(w, ("Quality Management System and", "Environmental Management System of"))
    assert _extract(tmp_path, build, "two_systems")["record"]["scheme"] == "other"


def test_a_state_registry_number_of_six_dotted_parts_is_a_number() -> None:
    from ingestion.pdf.identifiers import looks_like_number
    assert looks_like_number("KZ.Q.09.0070.С23.02379")           # a Cyrillic С among Latin letters
    assert not looks_like_number("Floor 2 Building 5 Road 12")    # an address's words stay words


def certificate_owned_by_an_acronym(w: PdfWriter) -> None:
    """The small print names the body by its acronym with a legal form; the footer in full."""
    p = w.page()
    p.centred(90, "CERTIFICATE", 28, True)
    p.centred(150, "This is to certify that", 11)
    p.centred(180, "Harbour Networks Private Limited", 18, True)
    p.centred(240, "ISO 9001:2015", 18, True)
    p.text(100, 547, "Certificate Number: AD-200724-054Q", 12)
    p.text(100, 593, "Date of this Certificate: 24.07.2024", 11)
    p.text(100, 657, "Date of expiry certificate: 23.06.2027", 11)
    p.centred(759, "KESTREL QUALITY CERTIFICATION LLP", 11, True)
    p.centred(814, "This Certificate is the property of KQC LLP and shall be returned immediately when demanded.", 8)


def test_a_body_named_by_its_acronym_and_legal_form_is_read_in_full(tmp_path: Path) -> None:
    result = _extract(tmp_path, certificate_owned_by_an_acronym, "acronym_body")
    assert result["record"]["issuer"]["name"] == "KESTREL QUALITY CERTIFICATION LLP"
    assert result["fields"]["/issuer/name"]["confidence"] < 0.9


def reach_statement_with_a_legal_footer(w: PdfWriter) -> None:
    """A maker's REACH statement whose small print refers to its terms and conditions, its code of
    conduct and its privacy policy — the wording of a policy page, below a REACH title."""
    p = w.page()
    p.text(72, 60, "Kestrel Fasteners Ltd.", 12, True)
    p.text(72, 90, "EU REACH Statement", 18, True)
    p.text(72, 130, "Date: 17 January 2023", 10)
    p.text(72, 160, "Regulation (EC) No 1907/2006 (REACH) requires suppliers of articles to inform their", 10)
    p.text(72, 174, "customers of Substances of Very High Concern (SVHC) on the Candidate List above 0.1 % w/w.", 10)
    p.text(72, 188, "The products listed below may contain lead monoxide (CAS 1317-36-8) above 0.1 % w/w.", 10)
    p.text(72, 230, "This statement is provided under our general terms and conditions of sale and our", 8)
    p.text(72, 242, "terms and conditions of purchase; see also our code of conduct and privacy policy.", 8)
    p.text(72, 254, "General terms: the information is given in good faith and to the best of our knowledge.", 8)


def test_a_reach_statement_whose_small_print_names_terms_and_conditions_is_read(tmp_path: Path) -> None:
    result = _extract(tmp_path, reach_statement_with_a_legal_footer, "reach_terms")
    assert result["document_type"] == "reach_svhc"


def test_terms_and_conditions_that_mention_reach_in_a_clause_are_still_refused(tmp_path: Path) -> None:
    def terms_with_a_reach_clause(w: PdfWriter) -> None:
        terms_page(w)
        w.pages[-1].text(72, 200, "5. Goods comply with REACH (EC) 1907/2006 where it applies to them.", 10)
    with pytest.raises(ExtractionError) as refused:
        _extract(tmp_path, terms_with_a_reach_clause, "terms_reach")
    assert refused.value.code == "not_a_declaration" and "terms and conditions" in str(refused.value)
