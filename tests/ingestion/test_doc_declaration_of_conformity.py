"""EU declarations of conformity: detected as their own type, directives and standards normalised."""

from __future__ import annotations

from pathlib import Path

from ingestion import extract_file
from ingestion.registry import validate_record

try:
    from .pdf_writer import PdfWriter
except ImportError:
    from pdf_writer import PdfWriter


def eu_doc(tmp_path: Path, *, rohs: bool = True, notified: bool = True) -> Path:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "EU DECLARATION OF CONFORMITY", 16, True)
    p.text(56, 90, "Manufacturer: Lindqvist Audio AB", 10)
    p.text(56, 104, "Address: Hamngatan 4, 111 47 Stockholm, Sweden", 10)
    p.text(56, 130, "Product: Bluetooth speaker", 10)
    p.text(56, 144, "Model: LQ-200", 10)
    p.text(56, 170, "This declaration of conformity is issued under the sole responsibility of the manufacturer.", 9)
    p.text(56, 184, "The object of the declaration is in conformity with the relevant Union harmonisation legislation:", 9)
    p.text(56, 204, "2014/53/EU (RED)", 10)
    p.text(56, 218, "2014/30/EU (EMC)", 10)
    if rohs:
        p.text(56, 232, "Directive 2011/65/EU as amended by (EU) 2015/863", 10)
    p.text(56, 258, "Harmonised standards applied:", 10)
    p.text(56, 272, "EN 62368-1:2014+A11:2017", 10).text(56, 286, "EN 301 489-1 V2.2.3", 10)
    p.text(56, 300, "EN 55032:2015", 10)
    if notified:
        p.text(56, 326, "Notified body: Nordic Test Institute (No. 0537) performed the EU-type examination.", 9)
    p.text(56, 360, "Place of issue: Stockholm", 10).text(56, 374, "Date of issue: 2025-03-14", 10)
    p.text(56, 420, "Anna Lindqvist, Managing Director", 10)
    return w.save(tmp_path / "doc.pdf")


def test_a_ce_declaration_is_its_own_type_with_directives_standards_and_notified_body(tmp_path: Path) -> None:
    result = extract_file(eu_doc(tmp_path))
    record = result["record"]
    assert result["document_type"] == "declaration_of_conformity"
    assert record["supplier"]["name"] == "Lindqvist Audio AB"
    assert record["supplier"]["country_code"] == "SE"
    assert record["products"] == [{"name": "Bluetooth speaker", "model": "LQ-200"}]
    assert record["directives"] == ["2014/53/EU", "2014/30/EU", "2011/65/EU", "(EU) 2015/863"]
    assert {"EN 62368-1:2014+A11:2017", "EN 55032:2015"} <= set(record["standards"])
    assert record["notified_body"] == {"name": "Nordic Test Institute", "number": "0537"}
    assert record["declaration_date"] == "2025-03-14"
    assert record["place"] == "Stockholm"
    assert record["signatory"] == {"name": "Anna Lindqvist", "title": "Managing Director"}
    assert record["rohs_compliant"] is True
    assert validate_record("declaration_of_conformity", record) == []
    assert result["errors"] == []


def test_without_rohs_and_notified_body(tmp_path: Path) -> None:
    record = extract_file(eu_doc(tmp_path, rohs=False, notified=False))["record"]
    assert record["rohs_compliant"] is False
    assert record["notified_body"] is None
    assert "2011/65/EU" not in record["directives"]


def test_a_rohs_declaration_of_conformity_stays_rohs(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.text(56, 60, "RoHS Declaration of Conformity", 14, True)
    p.text(56, 100, "We, Nordwerk Elektronik GmbH, declare that the products listed below comply with", 10)
    p.text(56, 114, "Directive 2011/65/EU. Part numbers: NW-1, NW-2. Date: 2025-09-01", 10)
    assert extract_file(w.save(tmp_path / "rohs.pdf"))["document_type"] == "rohs"


def test_a_german_declaration_with_french_directive_suffixes(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "EU-Konformitätserklärung", 16, True)
    p.text(56, 90, "Hersteller: Rheinwerk Antriebe GmbH", 10)
    p.text(56, 104, "Anschrift: Hafenweg 2, 50667 Köln, Deutschland", 10)
    p.text(56, 130, "Produkt: Getriebemotor", 10).text(56, 144, "Typ: RG-40", 10)
    p.text(56, 170, "Hiermit erklären wir, dass das Produkt den Richtlinien entspricht:", 10)
    p.text(56, 186, "2006/42/EG (Maschinen), 2014/30/UE, 2011/65/UE", 10)
    p.text(56, 210, "Angewandte harmonisierte Normen: EN ISO 12100:2010, EN 60204-1:2018", 10)
    p.text(56, 240, "Ort: Köln", 10).text(56, 254, "Datum: 3. Februar 2026", 10)
    result = extract_file(w.save(tmp_path / "doc-de.pdf"))
    record = result["record"]
    assert result["document_type"] == "declaration_of_conformity"
    assert record["supplier"] == {"name": "Rheinwerk Antriebe GmbH", "address": "Hafenweg 2, 50667 Köln, Deutschland",
                                  "country_code": "DE"}
    assert record["directives"] == ["2006/42/EC", "2014/30/EU", "2011/65/EU"]
    assert record["standards"] == ["EN ISO 12100:2010", "EN 60204-1:2018"]
    assert record["products"] == [{"name": "Getriebemotor", "model": "RG-40"}]
    assert record["declaration_date"] == "2026-02-03" and record["place"] == "Köln"
    assert record["rohs_compliant"] is True
