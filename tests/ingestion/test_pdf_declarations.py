"""REACH SVHC and RoHS declarations in German and French, with tables, read through the pipeline."""

from __future__ import annotations

from pathlib import Path

from ingestion import extract_file

try:
    from .pdf_writer import PdfWriter
    from .test_pdf_certificates import subset_mismatches
except ImportError:
    from pdf_writer import PdfWriter
    from test_pdf_certificates import subset_mismatches


def german_reach_with_tables(tmp_path: Path, cas: str = "84-69-5") -> Path:
    w = PdfWriter()
    p = w.page()
    p.text(56, 50, "Kabelwerk Süd AG", 14, True).text(56, 70, "Werkstraße 1, 70173 Stuttgart", 8)
    p.text(56, 115, "REACH-Erklärung zu besonders besorgniserregenden Stoffen (SVHC)", 13, True)
    p.text(56, 150, "Datum: 3. Februar 2026", 10)
    p.text(56, 175, "Artikelnummer", 9, True).text(200, 175, "Bezeichnung", 9, True)
    p.text(56, 190, "KS-1001", 9).text(200, 190, "Steckverbinder 4-polig", 9)
    p.text(56, 204, "KS-1002", 9).text(200, 204, "Steckverbinder 8-polig", 9)
    p.text(56, 240, "Unter Bezug auf die Kandidatenliste vom 14.01.2026 erklären wir, dass die Erzeugnisse", 10)
    p.text(56, 254, "folgende SVHC in einer Konzentration über 0,1 % (w/w) enthalten:", 10)
    for x, head in ((56, "Stoff"), (283, "CAS-Nr."), (383, "EG-Nr."), (467, "Konzentration %")):
        p.text(x, 280, head, 9, True)
    for top, row in ((296, ("Blei", "7439-92-1", "231-100-4", "0,25")),
                     (310, ("Diisobutylphthalat", cas, "201-553-2", "0,12"))):
        for x, cell in zip((56, 283, 383, 467), row):
            p.text(x, top, cell, 9)
    p.text(56, 690, "Unterschrift: Dr. Eva Maier, Leiterin Qualitätsmanagement", 9)
    return w.save(tmp_path / "reach-de.pdf")


def test_german_reach_declaration_with_product_and_substance_tables(tmp_path: Path) -> None:
    result = extract_file(german_reach_with_tables(tmp_path))
    assert result["document_type"] == "reach_svhc"
    assert subset_mismatches({
        "supplier": {"name": "Kabelwerk Süd AG"}, "declaration_date": "2026-02-03",
        "candidate_list_date": "2026-01-14", "svhc_above_threshold": True,
        "products": [{"part_number": "KS-1001", "name": "Steckverbinder 4-polig"},
                     {"part_number": "KS-1002", "name": "Steckverbinder 8-polig"}],
        "signatory": {"name": "Dr. Eva Maier", "title": "Leiterin Qualitätsmanagement"},
        "substances": [{"name": "Blei", "cas_number": "7439-92-1", "ec_number": "231-100-4",
                        "concentration_percent": 0.25},
                       {"name": "Diisobutylphthalat", "cas_number": "84-69-5", "concentration_percent": 0.12}],
    }, result["record"]) == []
    assert result["errors"] == []
    assert result["fields"]["/substances/0/cas_number"]["source"]["page"] == 1


def test_invalid_cas_check_digit_is_an_error(tmp_path: Path) -> None:
    result = extract_file(german_reach_with_tables(tmp_path, cas="84-69-4"))
    assert {"path": "/substances/1/cas_number",
            "message": "CAS number 84-69-4 has an invalid check digit"} in result["errors"]


def test_english_reach_declaring_no_svhc(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.text(56, 50, "Supplier: Atlas Precision Parts Inc.", 10)
    p.text(56, 80, "SVHC Declaration according to REACH Article 33", 13, True)
    p.text(56, 110, "Date of declaration: March 31, 2026", 10)
    p.text(56, 130, "Part numbers: AP-100, AP-200;", 10)
    p.text(56, 144, "AP-300", 10)
    p.text(56, 170, "Based on the Candidate List published on 25 June 2025, the articles above do not contain", 10)
    p.text(56, 184, "any substance of very high concern above 0.1 % weight by weight.", 10)
    p.text(56, 230, "Name: John Smith", 10).text(56, 245, "Title: Head of Compliance", 10)
    result = extract_file(w.save(tmp_path / "reach-en.pdf"))
    assert result["document_type"] == "reach_svhc"
    assert subset_mismatches({
        "supplier": {"name": "Atlas Precision Parts Inc."}, "declaration_date": "2026-03-31",
        "candidate_list_date": "2025-06-25", "svhc_above_threshold": False, "substances": [],
        "products": [{"part_number": "AP-100"}, {"part_number": "AP-200"}, {"part_number": "AP-300"}],
        "signatory": {"name": "John Smith", "title": "Head of Compliance"},
    }, result["record"]) == []
    assert result["errors"] == []


def french_rohs(tmp_path: Path, exemptions: str, statement: str) -> Path:
    w = PdfWriter()
    p = w.page()
    p.text(56, 50, "Électronique Lyonnaise SARL", 14, True)
    p.text(56, 70, "5 avenue Jean Jaurès, 69007 Lyon, France", 8)
    p.text(56, 115, "Déclaration de conformité RoHS", 13, True)
    p.text(56, 145, "Nous déclarons sous notre seule responsabilité que les produits", 10)
    p.text(56, 160, "Références : EL-2201 ; EL-2202 ; EL-2203", 10)
    p.text(56, 175, statement, 10)
    p.text(56, 190, f"Exemptions appliquées (annexe III) : {exemptions}", 10)
    p.text(56, 220, "Fait à Lyon, le 2 avril 2025", 10)
    p.text(56, 260, "Claire Dubois, Responsable Qualité", 10)
    return w.save(tmp_path / "rohs-fr.pdf")


def test_french_rohs_declaration_with_exemptions(tmp_path: Path) -> None:
    path = french_rohs(tmp_path, "6(a)-I, 7(c)-I", "sont conformes à la directive 2011/65/UE et (UE) 2015/863.")
    result = extract_file(path)
    assert result["document_type"] == "rohs"
    assert subset_mismatches({
        "supplier": {"name": "Électronique Lyonnaise SARL"}, "declaration_date": "2025-04-02",
        "rohs_compliant": True, "exemptions": ["6(a)-I", "7(c)-I"],
        "products": [{"part_number": "EL-2201"}, {"part_number": "EL-2202"}, {"part_number": "EL-2203"}],
        "signatory": {"name": "Claire Dubois", "title": "Responsable Qualité"},
    }, result["record"]) == []
    assert result["errors"] == []


def test_rohs_without_exemptions_and_not_compliant(tmp_path: Path) -> None:
    path = french_rohs(tmp_path, "aucune", "ne sont pas conformes à la directive 2011/65/UE.")
    record = extract_file(path)["record"]
    assert record["exemptions"] == []
    assert record["rohs_compliant"] is False


def test_supplier_named_in_a_we_declare_sentence(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.text(56, 60, "RoHS Declaration of Conformity", 14, True)
    p.text(56, 100, "We, Nordwerk Elektronik GmbH, declare that the products listed below comply with", 10)
    p.text(56, 114, "Directive 2011/65/EU. Part numbers: NW-1, NW-2. Date: 2025-09-01", 10)
    record = extract_file(w.save(tmp_path / "we.pdf"))["record"]
    assert record["supplier"]["name"] == "Nordwerk Elektronik GmbH"
    assert record["rohs_compliant"] is True
