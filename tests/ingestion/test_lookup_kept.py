"""The Smelter Look-up index is kept per process for the next file with the same look-up sheet
(RMI's list is identical in every file of a template version), and never lent to a file whose
look-up sheet differs by a single cell."""

from __future__ import annotations

from pathlib import Path

from ingestion import extract_file
from ingestion.xlsx import rmi

from .builders import LOOKUP, rmi_workbook

SMELTERS = [{"A": "CID000401"}, {"A": "CID001070"}]          # IDs only: names come from the Look-up


def _names(path: Path) -> dict[str, str]:
    return {s["smelter_id"]: s["name"] for s in extract_file(path)["record"]["smelters"]}


def test_a_second_file_of_the_same_look_up_reuses_its_index(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(rmi, "_KEPT_INDEXES", type(rmi._KEPT_INDEXES)())
    first = rmi_workbook(tmp_path / "a.xlsx", smelters=SMELTERS)
    second = rmi_workbook(tmp_path / "b.xlsx", smelters=SMELTERS[:1],
                          declaration={"D8": "Another Supplier Ltd", "D22": "2026-01-31"})
    assert _names(first)["CID000401"] == "Dowa"
    assert len(rmi._KEPT_INDEXES) == 1
    built = []
    monkeypatch.setattr(rmi.SmelterLookup, "_build", lambda self, sheet: built.append(sheet))
    assert _names(second) == {"CID000401": "Dowa"}      # answered from the kept index
    assert built == []


def test_a_file_whose_look_up_differs_gets_its_own_index(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(rmi, "_KEPT_INDEXES", type(rmi._KEPT_INDEXES)())
    edited = [(m, a, "Edited Name Ltd" if i == 0 else n, *rest) for i, (m, a, n, *rest) in enumerate(LOOKUP)]
    original = rmi_workbook(tmp_path / "a.xlsx", smelters=SMELTERS)
    changed = rmi_workbook(tmp_path / "b.xlsx", smelters=SMELTERS, lookup=edited)
    assert _names(original)["CID000401"] == "Dowa"
    assert _names(changed)["CID000401"] == "Edited Name Ltd"
    assert _names(original)["CID000401"] == "Dowa"
    assert len(rmi._KEPT_INDEXES) == 2
