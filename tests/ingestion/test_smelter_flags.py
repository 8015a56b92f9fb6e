"""Smelter rows checked against the template's own Smelter Look-up list: an ID RMI does not list,
a country or metal other than RMI's for that ID. Each finding carries a code (its badge's words
are in portal/requests/data/labels.json) and the listed value its words quote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingestion import extract_file

from .builders import rmi_workbook


def _flags(tmp_path: Path, smelters: list[dict[str, Any]], **kwargs: Any) -> tuple[dict, list[dict]]:
    result = extract_file(rmi_workbook(tmp_path / "cmrt.xlsx", smelters=smelters, **kwargs))
    coded = [f for f in result["errors"] + result["warnings"] if f.get("code")]
    return result, coded


def test_country_other_than_rmis_is_flagged_with_rmis_country(tmp_path: Path) -> None:
    result, coded = _flags(tmp_path, [
        {"B": "Gold", "D": "Dowa", "E": "Peru", "F": "CID000401", "G": "RMI"},        # RMI: Japan
        {"A": "CID001070", "B": "Tin", "E": "China"},                                  # same country
        {"A": "CID002573", "B": "Tin", "E": "Vietnam"},                                # RMI's "VIET NAM"
        {"A": "CID000004"},                                                            # country from the list
    ])
    assert [(f["path"], f["code"], f.get("params")) for f in coded] == [
        ("/smelters/0/country", "smelter_country_differs", {"listed": "JAPAN", "listed_code": "JP"})]
    assert coded[0] in result["warnings"] and "CID000401 is in JAPAN" in coded[0]["message"]
    assert result["record"]["smelters"][0]["country"] == "Peru"      # the row's own value is kept


def test_unrecognised_country_is_not_called_a_mismatch(tmp_path: Path) -> None:
    result, coded = _flags(tmp_path, [{"A": "CID000401", "B": "Gold", "E": "Atlantis"}])
    assert not coded
    assert any(w["path"] == "/smelters/0/country_code" for w in result["warnings"])


def test_unknown_id_is_flagged_even_when_the_name_was_found(tmp_path: Path) -> None:
    result, coded = _flags(tmp_path, [
        {"A": "CID999999"},
        {"A": "CID123456", "B": "Tin", "C": "China Tin Group Co., Ltd."},   # the name is listed, the ID is not
        {"A": "cid 000401", "B": "Gold"},                                    # forgiving case and spaces
    ])
    assert [(f["path"], f["code"]) for f in coded] == [("/smelters/0/smelter_id", "smelter_unknown_id"),
                                                       ("/smelters/1/smelter_id", "smelter_unknown_id")]
    assert all(f in result["errors"] for f in coded)
    unknown = result["record"]["smelters"][0]["smelter_id"]        # kept as typed, for the reviewer
    assert unknown == "CID999999" and result["fields"]["/smelters/0/smelter_id"]["confidence"] < 0.8
    assert result["fields"]["/smelters/0/smelter_id"]["source"]["cell"] == "A5"


def test_metal_other_than_rmis_is_flagged(tmp_path: Path) -> None:
    _, coded = _flags(tmp_path, [{"A": "CID000401", "B": "Tin"}, {"A": "CID000004", "B": "Tungsten"}])
    assert [(f["path"], f["code"], f["params"]) for f in coded] == [
        ("/smelters/0/metal", "smelter_metal_differs", {"listed": "gold"})]


def test_no_lookup_sheet_no_id_flags(tmp_path: Path) -> None:
    """Without RMI's list in the file nothing can be checked, so nothing is claimed."""
    _, coded = _flags(tmp_path, [{"A": "CID999999", "B": "Gold", "D": "Someone", "E": "Peru"}], lookup=[])
    assert not coded
