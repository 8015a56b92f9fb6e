"""Detection and the failure paths of extract_file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion import ExtractionError, document_types, extract_file, load_schema, validate_record
from ingestion.registry import EXTRACTORS, Extractor, Probe
from ingestion.result import Extraction

from .builders import rmi_workbook


class Exploding(Extractor):
    """A deliberately failing extractor: a bug must reach the supplier as one clear line."""

    document_type = "exploding"
    file_kinds = ("xlsx",)

    def detect(self, probe: Probe) -> float:
        return 0.0

    def extract(self, path: Path, probe: Probe) -> Extraction:
        raise RuntimeError("bug")


def test_unexpected_errors_become_a_supplier_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EXTRACTORS, "exploding", Exploding())
    path = rmi_workbook(tmp_path / "c.xlsx")
    with pytest.raises(ExtractionError) as info:
        extract_file(path, document_type="exploding")
    assert info.value.code == "unreadable" and "form instead" in info.value.reason
    assert isinstance(info.value.__cause__, RuntimeError)


def test_unknown_forced_type(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_file(rmi_workbook(tmp_path / "c.xlsx"), document_type="nonsense")
    assert info.value.code == "unsupported_type"


def test_detection_picks_the_template_from_the_file(tmp_path: Path) -> None:
    for template, version, expected in (("CMRT", "6.31", "cmrt"), ("EMRT", "2.1", "emrt"), ("CRT", "2.21", "crt"),
                                        ("EMRT", "1.3", "emrt")):
        path = rmi_workbook(tmp_path / f"{expected}-{version}.xlsx", template=template, version=version)
        assert extract_file(path)["document_type"] == expected


def test_public_registry_helpers() -> None:
    assert {"cmrt", "emrt", "crt", "material_composition"} <= set(document_types())
    assert load_schema("cmrt")["x-schema-id"] == "cmrt/1"
    assert validate_record("cmrt", {})[0]["path"] == "/"
