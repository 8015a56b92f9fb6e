"""The portal's own material-composition template: generated from the schema, read back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from ingestion import extract_file
from ingestion.extractors.material_composition import cas_valid, gtin_valid
from ingestion.xlsx.composition_template import build_template, composition_layout


def _filled(tmp_path: Path, product: dict[str, Any], materials: list[tuple[Any, ...]],
            insert_rows: int = 0) -> Path:
    book = load_workbook(io.BytesIO(build_template()))
    sheet = book["Composition"]
    if insert_rows:
        sheet.insert_rows(3, insert_rows)            # a supplier adds a note at the top
    layout = composition_layout()
    for key, value in product.items():
        sheet.cell(layout.product_rows[key] + insert_rows, 2, value)
    for i, row in enumerate(materials):
        for col, value in enumerate(row, start=1):
            sheet.cell(layout.header_row + insert_rows + 1 + i, col, value)
    path = tmp_path / "composition.xlsx"
    book.save(path)
    return path


def test_template_labels_come_from_the_schema() -> None:
    sheet = load_workbook(io.BytesIO(build_template()))["Composition"]
    layout = composition_layout()
    assert sheet["B2"].value == "material_composition/1"
    assert sheet.cell(layout.product_rows["part_number"], 1).value == "Part number (*)"
    assert sheet.cell(layout.header_row, 2).value == "Percentage (%) (*)"


def test_round_trip(tmp_path: Path) -> None:
    path = _filled(tmp_path, {"gtin": "04006381333931", "part_number": "PN-7", "name": "Hinge"},
                   [("Steel 1.4301", 70, 25, "Germany", "12597-68-1"), ("Polyamide 6", "30", None, "cn", None)])
    result = extract_file(path)
    assert result["document_type"] == "material_composition"
    assert result["record"] == {
        "product": {"gtin": "04006381333931", "part_number": "PN-7", "name": "Hinge"},
        "materials": [
            {"name": "Steel 1.4301", "percentage": 70, "recycled_percentage": 25, "origin_country_code": "DE",
             "cas_number": "12597-68-1"},
            {"name": "Polyamide 6", "percentage": 30, "origin_country_code": "CN"}]}
    assert result["errors"] == []
    assert result["fields"]["/materials/1/percentage"]["source"] == {"sheet": "Composition", "cell": "B10"}


def test_total_must_be_100(tmp_path: Path) -> None:
    path = _filled(tmp_path, {"part_number": "PN-7"}, [("Steel", 70), ("Rubber", 20)])
    assert {"path": "/materials", "message": "The percentages total 90 %, not 100 %"} in extract_file(path)["errors"]


def test_percent_formatted_fractions(tmp_path: Path) -> None:
    path = _filled(tmp_path, {"part_number": "PN-7"}, [("Steel", 0.7), ("Rubber", 0.3)])
    result = extract_file(path)
    assert [m["percentage"] for m in result["record"]["materials"]] == [70, 30]
    assert result["fields"]["/materials/0/percentage"]["confidence"] < 0.9
    assert result["errors"] == []


def test_check_digits_and_countries(tmp_path: Path) -> None:
    path = _filled(tmp_path, {"gtin": "4006381333932", "part_number": "PN-7"},
                   [("Copper", 100, None, "Narnia", "7440-50-9")])
    errors = {e["path"] for e in extract_file(path)["errors"]}
    assert {"/product/gtin", "/materials/0/cas_number", "/materials/0/origin_country_code"} <= errors


def test_rows_inserted_above_the_table(tmp_path: Path) -> None:
    path = _filled(tmp_path, {"part_number": "PN-7"}, [("Steel", 100)], insert_rows=2)
    record = extract_file(path)["record"]
    assert record["product"]["part_number"] == "PN-7" and record["materials"][0]["name"] == "Steel"


@pytest.mark.parametrize("gtin, ok", [("4006381333931", True), ("96385074", True), ("036000291452", True),
                                      ("4006381333932", False), ("123", False)])
def test_gtin(gtin: str, ok: bool) -> None:
    assert gtin_valid(gtin) is ok


@pytest.mark.parametrize("cas, ok", [("7732-18-5", True), ("7440-50-8", True), ("50-00-0", True),
                                     ("7440-50-9", False), ("7440508", False)])
def test_cas(cas: str, ok: bool) -> None:
    assert cas_valid(cas) is ok
