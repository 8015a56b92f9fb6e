"""Certificates in layouts and languages the dev corpus doesn't have, read through the pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingestion import extract_file

try:
    from .pdf_writer import A4_LANDSCAPE, PdfWriter
except ImportError:
    from pdf_writer import A4_LANDSCAPE, PdfWriter

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "dev"


def german_centred_iso(w: PdfWriter) -> None:
    p = w.page()
    p.centred(90, "ZERTIFIKAT", 28, True)
    p.centred(150, "Hiermit wird bescheinigt, dass das Managementsystem von", 11)
    p.centred(180, "Müller Präzisionstechnik GmbH & Co. KG", 16, True)
    p.centred(205, "Hauptstraße 5, 80331 München, Deutschland", 10)
    p.centred(250, "die Anforderungen der folgenden Norm erfüllt:", 11)
    p.centred(280, "DIN EN ISO 9001:2015", 18, True)
    p.centred(325, "Geltungsbereich:", 11)
    p.centred(348, "Entwicklung und Fertigung von Kabelbäumen", 11)
    for top, label, value in ((470, "Zertifikat-Nr.:", "12 100 4711 TMS"), (490, "Ausstellungsdatum:", "15. März 2025"),
                              (510, "Gültig bis:", "14.03.2028")):
        p.text(85, top, label, 10).text(212, top, value, 10)
    p.text(85, 720, "TÜV SÜD Management Service GmbH", 10).text(85, 737, "Zertifizierungsstelle", 10)


def french_kv_table(w: PdfWriter) -> None:
    p = w.page()
    p.text(70, 80, "Certificat de conformité", 20, True)
    p.text(70, 110, "délivré selon le Global Organic Textile Standard (GOTS) Version 7.0", 10)
    rows = [("Numéro de certificat", "CB-ECO-123456"), ("Titulaire du certificat", "Textiles du Nord SAS"),
            ("Adresse", "12 rue de la Gare, 59000 Lille, France"),
            ("Organisme de certification", "Ecocert Greenlife SAS"),
            ("Domaine d'application", "Filature, tissage et teinture de coton biologique"),
            ("Période de validité", "du 01/02/2025 au 31/01/2026")]
    top = 160
    for label, value in rows:
        p.rule(70, top - 6, 525, top - 6).text(76, top, label, 10).text(240, top, value, 10)
        top += 26


def english_landscape_two_columns_with_annex(w: PdfWriter) -> None:
    p = w.page(A4_LANDSCAPE)
    p.centred(50, "CHAIN OF CUSTODY CERTIFICATE", 24, True)
    p.centred(85, "FSC Chain of Custody - FSC-STD-40-004 V3-1", 12)
    p.text(60, 140, "Certificate holder:", 10, True).text(60, 156, "Nordic Paper Solutions AB", 14, True)
    p.text(60, 176, "Industrivägen 3, 652 21 Karlstad, Sweden", 10)
    p.text(60, 220, "Scope:", 10, True).text(60, 236, "Manufacture of corrugated packaging", 10)
    p.text(460, 140, "Certificate code: SCS-COC-004321", 10).text(460, 160, "License code: FSC-C012345", 10)
    p.text(460, 180, "Issue date: March 3, 2024", 10).text(460, 200, "Expiration date: March 2, 2029", 10)
    p.text(460, 480, "SCS Global Services", 11, True).text(460, 496, "Certification body", 9)
    annex = w.page(A4_LANDSCAPE)
    annex.text(60, 50, "Annex to certificate SCS-COC-004321", 14, True)
    for i in range(40):
        annex.text(60, 80 + 12 * i, f"P1.{i} Corrugated boxes, printed, issued 2024-03-0{i % 9 + 1}   FSC Mix", 8)


def oeko_tex_centred_range(w: PdfWriter) -> None:
    p = w.page()
    p.centred(80, "CERTIFICATE", 26, True)
    p.centred(120, "STANDARD 100 by OEKO-TEX", 16, True)
    p.centred(150, "Certificate number: 21.HUS.82712", 11)
    p.centred(200, "Issued to", 10)
    p.centred(220, "Shanghai Bright Textiles Co., Ltd.", 14, True)
    p.centred(240, "88 Nanjing Road, Shanghai 200001, China", 9)
    p.centred(300, "The certificate is valid from 12 January 2025 to 31 January 2026", 10)
    p.centred(330, "Hohenstein Textile Testing Institute GmbH & Co. KG", 10)


def german_colon_table_with_range(w: PdfWriter) -> None:
    p = w.page()
    p.text(70, 70, "Zertifikat", 24, True)
    p.text(70, 100, "Energiemanagementsystem nach DIN EN ISO 50001:2018", 11)
    top = 150
    for label, value in (("Zertifikatsinhaber:", "Stahlbau Nord GmbH"), ("Anschrift:", "Hafenstraße 7, 20457 Hamburg"),
                         ("Registriernummer:", "DE-EN-50001-3321"), ("Erstzertifizierung:", "01.07.2015"),
                         ("Gültigkeit:", "01.07.2024 - 30.06.2027"), ("Zertifizierungsstelle:", "DQS GmbH")):
        p.text(76, top, label, 10).text(220, top, value, 10)
        top += 22


def grs_details_on_page_two(w: PdfWriter) -> None:
    p = w.page()
    p.centred(70, "SCOPE CERTIFICATE", 22, True)
    p.centred(100, "Global Recycled Standard (GRS) 4.0", 12)
    p.centred(130, "Certificate Number: CU-GRS-1088877", 11)
    p.centred(170, "Control Union Certifications B.V. declares that", 10)
    p.centred(195, "Green Fibers Vietnam Co., Ltd.", 15, True)
    p.centred(215, "Lot 5, Tan Thuan EPZ, Ho Chi Minh City, Vietnam", 9)
    p.centred(245, "has been inspected and assessed according to the Global Recycled Standard (GRS) 4.0", 10)
    details = w.page()
    details.text(60, 60, "Certificate details", 14, True)
    details.text(60, 90, "Date of issue: 2025/02/10", 10).text(60, 106, "Expiry date: 2026/02/09", 10)


LAYOUTS = {
    "german_centred_iso": (german_centred_iso, {
        "scheme": "iso_9001", "standard": "DIN EN ISO 9001:2015", "certificate_number": "12 100 4711 TMS",
        "holder": {"name": "Müller Präzisionstechnik GmbH & Co. KG", "country_code": "DE"},
        "issuer": {"name": "TÜV SÜD Management Service GmbH"},
        "scope": "Entwicklung und Fertigung von Kabelbäumen",
        "issue_date": "2025-03-15", "expiry_date": "2028-03-14"}),
    "french_kv_table": (french_kv_table, {
        "scheme": "gots", "certificate_number": "CB-ECO-123456",
        "holder": {"name": "Textiles du Nord SAS", "address": "12 rue de la Gare, 59000 Lille, France",
                   "country_code": "FR"},
        "issuer": {"name": "Ecocert Greenlife SAS"}, "issue_date": "2025-02-01", "expiry_date": "2026-01-31"}),
    "english_landscape_two_columns_with_annex": (english_landscape_two_columns_with_annex, {
        "scheme": "fsc_coc", "certificate_number": "SCS-COC-004321",
        "holder": {"name": "Nordic Paper Solutions AB", "country_code": "SE"},
        "issuer": {"name": "SCS Global Services"}, "scope": "Manufacture of corrugated packaging",
        "issue_date": "2024-03-03", "expiry_date": "2029-03-02"}),
    "oeko_tex_centred_range": (oeko_tex_centred_range, {
        "scheme": "oeko_tex_100", "certificate_number": "21.HUS.82712",
        "holder": {"name": "Shanghai Bright Textiles Co., Ltd.", "country_code": "CN"},
        "issuer": {"name": "Hohenstein Textile Testing Institute GmbH & Co. KG"},
        "issue_date": "2025-01-12", "expiry_date": "2026-01-31"}),
    "german_colon_table_with_range": (german_colon_table_with_range, {
        "scheme": "iso_50001", "certificate_number": "DE-EN-50001-3321",
        "holder": {"name": "Stahlbau Nord GmbH", "address": "Hafenstraße 7, 20457 Hamburg"},
        "issuer": {"name": "DQS GmbH"}, "issue_date": "2024-07-01", "expiry_date": "2027-06-30"}),
    "grs_details_on_page_two": (grs_details_on_page_two, {
        "scheme": "grs", "certificate_number": "CU-GRS-1088877",
        "holder": {"name": "Green Fibers Vietnam Co., Ltd.", "country_code": "VN"},
        "issuer": {"name": "Control Union Certifications B.V."},
        "issue_date": "2025-02-10", "expiry_date": "2026-02-09"}),
}


def subset_mismatches(expected: dict[str, Any], record: dict[str, Any], prefix: str = "") -> list[str]:
    """Paths where the record differs from what is expected; lists are compared as sets."""
    bad = []
    for key, want in expected.items():
        got = record.get(key) if isinstance(record, dict) else None
        if isinstance(want, dict):
            bad += subset_mismatches(want, got or {}, f"{prefix}/{key}")
        elif isinstance(want, list):
            rows = got or []
            for item in want:
                if not any(all(r.get(k) == v for k, v in item.items()) if isinstance(item, dict) else r == item
                           for r in rows):
                    bad.append(f"{prefix}/{key}: {item} missing")
            if not want and rows:
                bad.append(f"{prefix}/{key}: expected none, got {rows}")
        elif got != want:
            bad.append(f"{prefix}/{key}: {got!r} != {want!r}")
    return bad


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_unseen_layouts_and_languages(layout: str, tmp_path: Path) -> None:
    build, expected = LAYOUTS[layout]
    w = PdfWriter()
    build(w)
    result = extract_file(w.save(tmp_path / f"{layout}.pdf"))
    assert result["document_type"] == "certificate"
    assert subset_mismatches(expected, result["record"]) == []
    assert [e for e in result["errors"] if e["path"] != "/expiry_date"] == []


@pytest.mark.parametrize("name", sorted(p.name for p in DEV.glob("*.pdf")))
def test_dev_corpus_documents_match_their_expected_records(name: str) -> None:
    expected = json.loads((DEV / f"{name}.expected.json").read_text(encoding="utf-8"))
    result = extract_file(DEV / name)
    assert result["document_type"] == expected["document_type"]
    assert subset_mismatches(expected["record"], result["record"]) == []
    assert result["errors"] == []


def test_every_value_says_where_it_was_read_and_how_sure_we_are() -> None:
    result = extract_file(DEV / "kv_table-1.pdf")
    number = result["fields"]["/certificate_number"]
    assert number["value"] == "CU-GOTS-834908"
    assert number["source"]["page"] == 1
    x0, top, x1, bottom = number["source"]["bbox"]
    assert 215 < x0 < 220 and 300 < x1 < 303 and top < 167 < bottom      # the number's own words
    assert number["confidence"] >= 0.9
    for path, field in result["fields"].items():
        assert 0 < field["confidence"] <= 1, path


def test_a_guess_scores_low_and_asks_for_review(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(80, "ISO 45001 CERTIFICATE", 22, True)
    p.centred(130, "Baltic Steelworks UAB", 16, True)   # no label, no "certify that": a guess
    p.centred(170, "Certificate No.: BS-45-2231", 11)
    p.centred(190, "Valid until: 2027-06-30", 11)
    p.centred(210, "Date of issue: 2024-07-01", 11)
    result = extract_file(w.save(tmp_path / "guess.pdf"))
    holder = result["fields"]["/holder/name"]
    assert result["record"]["holder"]["name"] == "Baltic Steelworks UAB"
    assert holder["confidence"] < 0.6 <= result["fields"]["/certificate_number"]["confidence"]
    assert {"path": "/holder/name",
            "message": "Guessed from the layout, not read at a label — please check this value"} in result["warnings"]
    assert any(e["path"] == "/issuer" for e in result["errors"])       # the schema wants one; none printed


def test_expiry_before_issue_is_a_business_rule_error(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.text(70, 80, "ISO 14001 Certificate", 20, True)
    for top, label, value in ((140, "Certificate number", "EMS-88812"), (160, "Certificate holder", "Alpha Ltd"),
                              (180, "Certification body", "BSI Group"), (200, "Date of issue", "2026-05-01"),
                              (220, "Valid until", "2025-05-01")):
        p.text(76, top, label, 10).text(240, top, value, 10)
    result = extract_file(w.save(tmp_path / "backwards.pdf"))
    assert {"path": "/expiry_date",
            "message": "The expiry date 2025-05-01 is before the issue date 2026-05-01",
            "related": ["/issue_date"]} in result["errors"]


def test_a_scheme_without_data_is_other_with_its_standard(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(80, "CERTIFICATE", 26, True)
    p.centred(130, "IATF 16949:2016", 18, True)
    p.text(76, 200, "Certificate holder", 10, True)
    p.text(76, 216, "Name: Baltic Castings UAB", 10)
    p.text(76, 260, "Certificate No.: 0412345", 10).text(76, 280, "Valid until: 2027-06-30", 10)
    record = extract_file(w.save(tmp_path / "iatf.pdf"))["record"]
    assert (record["scheme"], record["standard"]) == ("other", "IATF 16949:2016")
    assert record["holder"]["name"] == "Baltic Castings UAB"
