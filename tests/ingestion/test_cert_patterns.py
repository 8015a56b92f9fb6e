"""Certificate patterns seen on real documents, rebuilt as generated PDFs: two-column pages whose
labels wrap around their values, a label phrase before the holder, wording and month names in
German, French, Spanish, Italian and Polish, ambiguous numeric dates, a body on no list, schemes
without a code of their own. Each test would fail if the pattern were read wrongly or promised
(confidence >= 0.9) without being checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingestion import extract_file

try:
    from .pdf_writer import PdfWriter
except ImportError:
    from pdf_writer import PdfWriter

PROMISE = 0.9


def _extract(tmp_path: Path, build: Any, name: str) -> dict[str, Any]:
    w = PdfWriter()
    build(w)
    return extract_file(w.save(tmp_path / f"{name}.pdf"))


def _conf(result: dict[str, Any], path: str) -> float:
    return result["fields"][path]["confidence"]


def two_column_with_wrapped_labels(w: PdfWriter) -> None:
    """Left: the holder under a label phrase, set large; right: labels over two lines with the
    value printed between them, level with the holder's name."""
    p = w.page()
    p.text(56, 90, "CERTIFICATE", 40, True).text(56, 135, "OF REGISTRATION", 40, True)
    p.text(38, 296, "This is to certify that the Quality Management System of:", 12)
    p.text(400, 296, "Certificate Number:", 10).text(400, 308, "KIWA-Q-771204", 10)
    p.text(38, 321, "Amber Foods UAB", 26, True)
    p.text(400, 326, "Initial", 10).text(440, 326, "Certification", 10)
    p.text(400, 338, "12 June 2015", 10).text(400, 350, "Date:", 10)
    p.text(38, 356, "Main Site: Pramones g. 4, 44300 Kaunas, Lithuania", 11)
    p.text(400, 372, "Issuing Date:", 10).text(400, 384, "20 May 2024", 10)
    p.text(38, 392, "has been registered by Kiwa as conforming to the requirements of:", 11)
    p.text(38, 413, "ISO 9001:2015", 28, True)
    p.text(400, 416, "Valid", 10).text(432, 416, "Until:", 10)
    p.text(400, 429, "19 May", 10).text(455, 429, "2027", 10)
    p.text(38, 480, "The management system is applicable to: Processing of amber-coloured sweets.", 11)
    p.text(398, 613, "Kiwa Nederland B.V., Sir Winston Churchill-laan 273,", 8)
    p.text(398, 623, "2288 EA Rijswijk, the Netherlands", 8)
    p.text(398, 641, "Kiwa Nederland B.V. is accredited by RvA under number C 021.", 8)


def test_two_column_page_reads_each_label_with_its_own_value(tmp_path: Path) -> None:
    result = _extract(tmp_path, two_column_with_wrapped_labels, "two_column")
    record = result["record"]
    assert record["holder"]["name"] == "Amber Foods UAB"         # not "the Quality Management System of"
    assert record["issuer"]["name"] == "Kiwa Nederland B.V."            # not "Kiwa as conforming", not RvA
    assert (record["issue_date"], record["expiry_date"]) == ("2024-05-20", "2027-05-19")
    assert record["certificate_number"] == "KIWA-Q-771204"
    for path in ("/holder/name", "/issuer/name", "/issue_date", "/expiry_date"):
        assert _conf(result, path) >= PROMISE, path


def centred_certificate(title: str, phrase: str, holder: str, address: str, statement: str,
                        rows: tuple[tuple[str, str], ...], footer: str = "") -> Any:
    """The common centred layout: title, the certifying phrase, the holder, its address, the
    standard, then a label/value table and the body in the footer."""
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.centred(80, title, 24, True).centred(130, phrase, 11).centred(160, holder, 18, True)
        p.centred(185, address, 10).centred(220, statement, 11)
        for i, (label, value) in enumerate(rows):
            p.text(85, 420 + 20 * i, label, 10).text(230, 420 + 20 * i, value, 10)
        if footer:
            p.text(85, 720, footer, 9)
    return build


# Polish is written folded (Helvetica's WinAnsi has no ż, ś or ł), as matching sees it anyway.
LANGUAGES = {
    "de": (centred_certificate(
        "ZERTIFIKAT", "Zertifikat für", "Schwarzwald Feinmechanik GmbH", "Talstraße 9, 79100 Freiburg, Deutschland",
        "DIN EN ISO 14001:2015", (("Zertifikat-Registrier-Nr.:", "44 104 250981"),
                                  ("Ausstellungsdatum:", "2. Oktober 2024"), ("Gültig bis:", "1. Oktober 2027")),
        "TÜV NORD CERT GmbH, Langemarckstraße 20, 45141 Essen"),
        "Schwarzwald Feinmechanik GmbH", "TÜV NORD CERT GmbH", "2024-10-02", "2027-10-01"),
    "fr": (centred_certificate(
        "CERTIFICAT", "AFNOR Certification certifie que le système de management mis en place par :",
        "Ateliers Bretons de Tôlerie SARL", "12 rue du Port, 29200 Brest, France",
        "a été évalué et jugé conforme aux exigences requises par : ISO 45001:2018",
        (("Numéro de certificat :", "AFAQ 2024/104455"), ("Date d'émission :", "1er juillet 2024"),
         ("Valable jusqu'au :", "30 juin 2027"))),
        "Ateliers Bretons de Tôlerie SARL", "AFNOR Certification", "2024-07-01", "2027-06-30"),
    "es": (centred_certificate(
        "CERTIFICADO DEL SISTEMA DE GESTIÓN", "AENOR certifica que la organización",
        "ESTRUCTURAS IBÉRICAS DEL NORTE, S.L.", "Calle Mayor 21, 48001 Bilbao, España",
        "dispone de un sistema de gestión conforme con la Norma ISO 9001:2015",
        (("Número de certificado:", "ER-0458/2024"), ("Fecha de emisión:", "12 de marzo de 2024"),
         ("Válido hasta:", "11 de marzo de 2027"))),
        "ESTRUCTURAS IBÉRICAS DEL NORTE, S.L.", "AENOR", "2024-03-12", "2027-03-11"),
    "it": (centred_certificate(
        "CERTIFICATO", "Si certifica che il sistema di gestione di", "Officine Meccaniche Lombarde S.r.l.",
        "Via Roma 10, 24100 Bergamo, Italia", "è conforme alla norma ISO 9001:2015",
        (("Certificato n.:", "IT-50212"), ("Data di emissione:", "5 giugno 2024"), ("Valido fino al:", "4 giugno 2027")),
        "RINA Services S.p.A., Via Corsica 12, 16128 Genova"),
        "Officine Meccaniche Lombarde S.r.l.", "RINA Services S.p.A.", "2024-06-05", "2027-06-04"),
    "pl": (centred_certificate(
        "CERTYFIKAT", "Niniejszym zaswiadcza sie, ze System Zarzadzania firmy:", "Zaklady Metalowe Kowalski Sp. z o.o.",
        "ul. Przemyslowa 5, 61-001 Poznan, Polska", "spelnia wymagania normy ISO 14001:2015",
        (("Numer certyfikatu:", "PL-2024/0871"), ("Data wydania:", "3 wrzesnia 2024"), ("Data waznosci:", "2 wrzesnia 2027")),
        "Jednostka certyfikujaca: PCBC S.A."),
        "Zaklady Metalowe Kowalski Sp. z o.o.", "PCBC S.A.", "2024-09-03", "2027-09-02"),
    "pt": (centred_certificate(
        "CERTIFICADO", "A APCER certifica que o sistema de gestão da", "Têxteis do Minho, Lda.",
        "Rua do Rio 4, 4700-001 Braga, Portugal", "cumpre os requisitos da norma NP EN ISO 9001:2015",
        (("Certificado n.º:", "2024/CEP.5512"), ("Data de emissão:", "1 de abril de 2024"),
         ("Válido até:", "31 de março de 2027")), "Entidade certificadora: Bureau Veritas Certification Portugal, Lda."),
        "Têxteis do Minho, Lda.", "Bureau Veritas Certification Portugal, Lda.", "2024-04-01", "2027-03-31"),
    "nl": (centred_certificate(
        "CERTIFICAAT", "Hierbij wordt verklaard dat", "Van der Berg Verpakkingen B.V.",
        "Havenweg 3, 3011 AB Rotterdam, Nederland", "voldoet aan de eisen van ISO 14001:2015",
        (("Certificaatnummer:", "NL-77120"), ("Datum van uitgifte:", "2 maart 2024"), ("Geldig tot:", "1 maart 2027")),
        "Kiwa Nederland B.V., Sir Winston Churchilllaan 273, Rijswijk"),
        "Van der Berg Verpakkingen B.V.", "Kiwa Nederland B.V.", "2024-03-02", "2027-03-01"),
}


def test_wording_and_month_names_in_other_languages(tmp_path: Path) -> None:
    for language, (build, holder, issuer, issued, expires) in LANGUAGES.items():
        result = _extract(tmp_path, build, language)
        record = result["record"]
        assert result["document_type"] == "certificate", language
        got = (record.get("holder", {}).get("name"), record.get("issuer", {}).get("name"),
               record.get("issue_date"), record.get("expiry_date"))
        assert got == (holder, issuer, issued, expires), language
        assert _conf(result, "/expiry_date") >= PROMISE, language


def _numeric_dates(issued: str, expires: str, body: str, extra: str = "") -> Any:
    def build(w: PdfWriter) -> None:
        p = w.page()
        p.text(70, 80, "ISO 9001 Certificate", 20, True)
        rows = [("Certificate number", "Q-55012"), ("Certificate holder", "Lakeside Plastics Ltd"),
                ("Certification body", body), ("Date of issue", issued), ("Valid until", expires)]
        for i, (label, value) in enumerate(rows):
            p.text(76, 140 + 20 * i, label, 10).text(240, 140 + 20 * i, value, 10)
        if extra:
            p.text(76, 300, extra, 9)
    return build


def test_an_ambiguous_numeric_date_is_flagged_never_silently_guessed(tmp_path: Path) -> None:
    result = _extract(tmp_path, _numeric_dates("03/01/2024", "02/01/2027", "Nordic Assurance Oy"), "ambiguous")
    assert result["record"]["issue_date"] == "2024-01-03"                    # day-first, but not promised
    assert _conf(result, "/issue_date") < PROMISE and _conf(result, "/expiry_date") < PROMISE
    flagged = {w["path"] for w in result["warnings"] if "can be read as" in w["message"]}
    assert flagged == {"/issue_date", "/expiry_date"}


def test_the_documents_other_dates_settle_the_order(tmp_path: Path) -> None:
    # "12/28/2023" can only be month-first: the same order applies to the certificate's own dates.
    build = _numeric_dates("03/01/2024", "02/28/2027", "Nordic Assurance Oy", "Audit completed 12/28/2023")
    result = _extract(tmp_path, build, "settled")
    assert (result["record"]["issue_date"], result["record"]["expiry_date"]) == ("2024-03-01", "2027-02-28")
    assert not [w for w in result["warnings"] if "can be read as" in w["message"]]


def test_the_issuers_country_settles_the_order_at_a_lower_confidence(tmp_path: Path) -> None:
    result = _extract(tmp_path, _numeric_dates("03/01/2024", "02/01/2027", "NSF International"), "us_body")
    assert (result["record"]["issue_date"], result["record"]["expiry_date"]) == ("2024-03-01", "2027-02-01")
    assert _conf(result, "/issue_date") < PROMISE


def test_a_body_on_no_list_is_read_at_its_label_but_not_promised(tmp_path: Path) -> None:
    result = _extract(tmp_path, _numeric_dates("2024-03-01", "2027-02-28", "Nordic Assurance Oy"), "unlisted")
    assert result["record"]["issuer"]["name"] == "Nordic Assurance Oy"
    assert _conf(result, "/issuer/name") < PROMISE
    known = _extract(tmp_path, _numeric_dates("2024-03-01", "2027-02-28", "DNV Business Assurance Italy S.r.l."),
                     "listed")
    assert _conf(known, "/issuer/name") >= PROMISE
    assert _conf(known, "/issue_date") >= PROMISE          # both dates read at labels and in order


def recycled_content_statement(w: PdfWriter) -> None:
    """No word "certificate" anywhere: a body's statement and a scheme of its own."""
    p = w.page((792, 612))
    p.text(45, 45, "SCS Global Services does hereby certify that an independent assessment has been "
                   "conducted on behalf of:", 12)
    p.text(45, 67, "Prairie Resins Inc.", 28, True)
    p.text(45, 99, "400 Industrial Way, Omaha, NE 68102, USA", 9)
    p.text(45, 230, "SCS RECYCLED CONTENT CERTIFIED", 12)
    p.text(45, 243, "Conforms to SCS Recycled Content Standard V7-0 for a Minimum 50% Post-Consumer Content.", 11)
    p.text(45, 292, "Registration # SCS-RC-09911", 14)
    p.text(45, 308, "Valid from: February 1, 2024 to January 31, 2025", 14)


brcgs_packaging = centred_certificate(
    "CERTIFICATE", "This is to certify that", "Northern Cartons Ltd", "Mill Lane 4, Leeds LS1 4AB, United Kingdom",
    "BRCGS Global Standard for Packaging Materials Issue 6",
    (("Certificate Number:", "BRC-PKG-30211"), ("Issue Date:", "14 May 2024"), ("Expiry Date:", "28 June 2025")),
    "LRQA Limited, 1 Trinity Park, Birmingham")


def test_schemes_without_a_code_are_other_with_the_standard_named(tmp_path: Path) -> None:
    recycled = _extract(tmp_path, recycled_content_statement, "recycled")
    assert recycled["document_type"] == "certificate"
    record = recycled["record"]
    assert (record["scheme"], record["standard"]) == ("other", "SCS Recycled Content Standard V7-0")
    assert record["holder"]["name"] == "Prairie Resins Inc."          # not "an independent assessment"
    assert record["certificate_number"] == "SCS-RC-09911"
    assert (record["issue_date"], record["expiry_date"]) == ("2024-02-01", "2025-01-31")
    brcgs = _extract(tmp_path, brcgs_packaging, "brcgs")["record"]
    assert brcgs["scheme"] == "other" and brcgs["standard"].startswith("BRCGS Global Standard for Packaging")
    assert brcgs["issuer"]["name"] == "LRQA Limited"


def test_issue_date_after_expiry_is_an_error_and_neither_is_promised(tmp_path: Path) -> None:
    result = _extract(tmp_path, _numeric_dates("2027-03-01", "2024-02-28", "Intertek"), "backwards")
    assert any(e["path"] == "/expiry_date" and "before the issue date" in e["message"] for e in result["errors"])
    assert _conf(result, "/issue_date") < PROMISE and _conf(result, "/expiry_date") < PROMISE


gots_letter_of_approval = centred_certificate(
    "LETTER OF APPROVAL", "Control Union Certifications B.V. hereby confirms that", "Anatolia Dyehouse A.S.",
    "Organize Sanayi Bolgesi 5, 16140 Bursa, Turkey",
    "GOTS Letter of Approval for chemical inputs under the Global Organic Textile Standard (GOTS) 7.0",
    (("Reference number:", "CU-LoA-882310"), ("Date of issue:", "10 January 2025"), ("Valid until:", "9 January 2026")))


def test_a_gots_letter_of_approval_is_other_not_a_gots_certificate(tmp_path: Path) -> None:
    result = _extract(tmp_path, gots_letter_of_approval, "loa")
    assert result["document_type"] == "certificate"
    record = result["record"]
    assert (record["scheme"], record["standard"]) == ("other", "GOTS Letter of Approval")
    assert record["issuer"]["name"] == "Control Union Certifications B.V."
    assert (record["issue_date"], record["expiry_date"]) == ("2025-01-10", "2026-01-09")


def test_a_european_body_settles_day_first_and_dots_are_never_ambiguous(tmp_path: Path) -> None:
    european = _extract(tmp_path, _numeric_dates("03/01/2024", "02/01/2027", "DQS GmbH"), "eu_body")
    assert (european["record"]["issue_date"], european["record"]["expiry_date"]) == ("2024-01-03", "2027-01-02")
    assert _conf(european, "/issue_date") < PROMISE
    assert not [w for w in european["warnings"] if "can be read as" in w["message"]]
    dotted = _extract(tmp_path, _numeric_dates("03.01.2024", "02.01.2027", "Nordic Assurance Oy"), "dotted")
    assert (dotted["record"]["issue_date"], dotted["record"]["expiry_date"]) == ("2024-01-03", "2027-01-02")
    assert not [w for w in dotted["warnings"] if "can be read as" in w["message"]]


def kosher_letter(w: PdfWriter) -> None:
    """A letter-shaped kosher certificate: the number is a code glued to "#", the body only a logo."""
    p = w.page((792, 612))
    p.text(600, 32, "OK# 4451230 - 2", 12).text(600, 62, "March 3, 2025", 10)
    p.text(284, 77, "Sunrise Bakery Supplies, Inc.", 10).text(284, 91, "18 Mill Road, Dayton, OH 45402", 10)
    p.text(30, 134, "The following products sold by Sunrise Bakery Supplies, Inc. are certified Kosher with the "
                    "listed restrictions.", 12)
    p.text(277, 220, "This certificate is VALID UNTIL March 31, 2026", 10)


def test_a_kosher_letter_is_other_with_its_hash_number(tmp_path: Path) -> None:
    result = _extract(tmp_path, kosher_letter, "kosher")
    record = result["record"]
    assert (record["scheme"], record["standard"]) == ("other", "Kosher")
    assert record["certificate_number"] == "OK#4451230-2"
    assert _conf(result, "/certificate_number") < PROMISE
    assert record["holder"]["name"] == "Sunrise Bakery Supplies, Inc."     # not the sentence naming it
    assert record["expiry_date"] == "2026-03-31"
    assert "issuer" not in record                                            # a logo only: nothing is made up


def rohs_letter_that_certifies(w: PdfWriter) -> None:
    p = w.page()
    p.text(70, 60, "Acme Components Ltd", 14, True).text(70, 80, "12 Mill Lane, Leeds LS1 4AB", 9)
    p.text(70, 140, "RoHS Compliance", 16, True)
    p.text(70, 180, "Acme Components Ltd hereby certifies that the products listed below comply with", 10)
    p.text(70, 194, "Directive 2011/65/EU (RoHS). Our plant operates an ISO 9001 quality system.", 10)
    p.text(70, 230, "Part number: AC-100, AC-200", 10).text(70, 300, "Date: 2025-03-01", 10)


def test_a_suppliers_letter_that_certifies_is_not_taken_for_a_certificate(tmp_path: Path) -> None:
    # "hereby certifies that" and an ISO 9001 mention: a certifying statement counts less than a title.
    from ingestion.pdf.preflight import preflight_pdf
    from ingestion.pipeline import DETECTION_THRESHOLD
    from ingestion.registry import EXTRACTORS
    w = PdfWriter()
    rohs_letter_that_certifies(w)
    probe = preflight_pdf(w.save(tmp_path / "letter.pdf"))
    assert EXTRACTORS["certificate"].detect(probe) < DETECTION_THRESHOLD
    recycled = PdfWriter()
    recycled_content_statement(recycled)        # a body's statement naming its scheme still is one
    assert EXTRACTORS["certificate"].detect(preflight_pdf(recycled.save(tmp_path / "rc.pdf"))) >= DETECTION_THRESHOLD
