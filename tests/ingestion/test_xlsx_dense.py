"""A dense workbook (issue 9): thousands of filled Smelter List rows are refused quickly, with a
message the supplier can act on, instead of holding a worker for the whole job timeout."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingestion import ExtractionError, extract_file
from ingestion.limits import Limits

from .builders import rmi_workbook

TIN = {"B": "Tin", "C": "China Tin Group Co., Ltd.", "D": "China Tin Group Co., Ltd.", "E": "CHINA",
       "F": "CID001070", "G": "RMI"}


def _smelters(n: int) -> list[dict[str, str]]:
    return [{**TIN, "H": f"Street {i}"} for i in range(n)]


def test_ten_thousand_smelter_rows_are_refused_quickly(tmp_path: Path) -> None:
    path = rmi_workbook(tmp_path / "dense.xlsx", smelters=_smelters(10_000))
    assert path.stat().st_size > 200_000
    started = time.monotonic()
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    assert time.monotonic() - started < 10
    assert info.value.code == "too_large"
    assert info.value.reason.startswith("This file lists more than 1,000 smelter rows — a CMRT lists at most "
                                        "a few hundred;")


def test_a_long_but_plausible_list_is_read(tmp_path: Path) -> None:
    path = rmi_workbook(tmp_path / "long.xlsx", smelters=_smelters(400))
    assert len(extract_file(path)["record"]["smelters"]) == 400


def test_reading_stops_at_the_time_bound(tmp_path: Path) -> None:
    path = rmi_workbook(tmp_path / "slow.xlsx", smelters=_smelters(300))
    with pytest.raises(ExtractionError) as info:
        extract_file(path, limits=Limits(max_sheet_seconds=0.0))
    assert info.value.code == "too_large"
    assert info.value.reason.startswith("Reading the Smelter List took longer than 0 seconds and was stopped")
