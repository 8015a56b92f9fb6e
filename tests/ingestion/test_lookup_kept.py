"""The Smelter Look-up index and the language table's labels are kept per process for the next
file with the same sheet (RMI's own sheets are identical in every file of a template version),
and never lent to a file whose sheet differs by a single cell."""

from __future__ import annotations

from pathlib import Path

from ingestion import extract_file
from ingestion.xlsx import Workbook, rmi

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


LABELS = {"B9": "Company Name (*):", "B23": "Effective Date (*):"}


def _company_cells(path: Path) -> dict[str, str]:
    fields = extract_file(path)["fields"]
    return {key: fields[f"/company/{key}"]["source"]["cell"] for key in ("name", "effective_date")}


def test_a_second_file_of_the_same_language_table_reuses_its_labels(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(rmi, "_KEPT_TABLES", type(rmi._KEPT_TABLES)())
    shifted = {"D9": "Acme Magnetics GmbH", "D23": "2026-03-31"}
    # no cached title: the template's name, too, comes from L
    first = rmi_workbook(tmp_path / "a.xlsx", version="6.6", declaration=shifted, labels=LABELS, smelters=[])
    second = rmi_workbook(tmp_path / "b.xlsx", version="6.6", declaration={"D9": "Another Ltd", "D23": "2026-01-31"},
                          labels=LABELS, smelters=[])
    assert _company_cells(first) == {"name": "D9", "effective_date": "D23"}
    assert len(rmi._KEPT_TABLES) == 1
    read = []
    original = Workbook.sheet
    monkeypatch.setattr(Workbook, "sheet", lambda self, name: read.append(name) or original(self, name))
    assert _company_cells(second) == {"name": "D9", "effective_date": "D23"}    # from the kept labels
    assert "L" not in read
    source = extract_file(second)["fields"]["/template/name"]["source"]     # where L gives the English title
    assert (source["sheet"], source["cell"]) == ("L", "D2")


def test_a_file_whose_language_table_differs_gets_its_own_labels(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(rmi, "_KEPT_TABLES", type(rmi._KEPT_TABLES)())
    shifted = {"D9": "Acme Magnetics GmbH", "D23": "2026-03-31"}
    moved = rmi_workbook(tmp_path / "a.xlsx", version="6.6", declaration=shifted, labels=LABELS, smelters=[])
    # the same template, one label in L pointing one row lower: that file's own table must decide
    lower = {"D10": "Acme Magnetics GmbH", "D23": "2026-03-31"}
    other = rmi_workbook(tmp_path / "b.xlsx", version="6.6", declaration=lower,
                         labels={**LABELS, "B9": "Something else", "B10": "Company Name (*):"}, smelters=[])
    assert _company_cells(moved)["name"] == "D9"
    assert _company_cells(other)["name"] == "D10"
    assert _company_cells(moved)["name"] == "D9"
    assert len(rmi._KEPT_TABLES) == 2
