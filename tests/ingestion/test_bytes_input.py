"""extract_file on a file's bytes (what the worker holds) answers exactly as on its path: the
same result, or the same refusal — the guards, the sniffing and calamine read memory alike."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Callable

import pytest

from ingestion import ExtractionError, extract_file
from ingestion.sniff import OLE_MAGIC

from .builders import minimal_xlsx_parts, rmi_workbook, zip_with
from .test_xlsx_guards import BILLION_LAUGHS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _outcome(source: Path | bytes) -> Any:
    try:
        return extract_file(source)
    except ExtractionError as exc:
        return (exc.code, exc.reason)


def _macro(tmp: Path) -> Path:
    parts = minimal_xlsx_parts()
    parts["xl/vbaProject.bin"] = b"\0" * 64
    return zip_with(tmp / "macro.xlsx", parts)


def _truncated(tmp: Path) -> Path:
    whole = rmi_workbook(tmp / "whole.xlsx").read_bytes()
    (tmp / "cut.xlsx").write_bytes(whole[: len(whole) // 2])
    return tmp / "cut.xlsx"


MAKERS: dict[str, Callable[[Path], Path]] = {
    "cmrt-fixture": lambda tmp: FIXTURES / "xlsx/cmrt-6.5-101.xlsx",
    "built-cmrt": lambda tmp: rmi_workbook(tmp / "cmrt.xlsx"),
    "built-emrt": lambda tmp: rmi_workbook(tmp / "emrt.xlsx", template="EMRT", version="1.3"),
    "pdf-certificate": lambda tmp: FIXTURES / "pdf/dev/iso_classic-1.pdf",
    "pdf-kv-table": lambda tmp: FIXTURES / "pdf/dev/kv_table-1.pdf",
    "macro-workbook": _macro,
    "entity-expansion": lambda tmp: zip_with(tmp / "lol.xlsx", minimal_xlsx_parts(shared_strings=BILLION_LAUGHS)),
    "not-a-workbook-zip": lambda tmp: zip_with(tmp / "a.zip", {"readme.txt": b"hello"}),
    "truncated-workbook": _truncated,
    "legacy-xls": lambda tmp: _write(tmp / "old.xls", OLE_MAGIC + "Workbook".encode("utf-16-le") + b"\0" * 600),
    "empty": lambda tmp: _write(tmp / "empty.xlsx", b""),
    "text": lambda tmp: _write(tmp / "notes.pdf", b"just some notes\n"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_bytes_and_path_give_the_same_answer(name: str, tmp_path: Path) -> None:
    path = MAKERS[name](tmp_path)
    from_path = _outcome(path)
    assert _outcome(path.read_bytes()) == from_path
    if name.startswith(("cmrt", "built", "pdf")):
        assert isinstance(from_path, dict) and from_path["document_type"]     # a read file, not a refusal
    else:
        assert isinstance(from_path, tuple)


def test_no_scratch_file_for_a_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile
    monkeypatch.setattr(tempfile, "TemporaryDirectory", _refuse)
    data = (FIXTURES / "xlsx/cmrt-6.5-101.xlsx").read_bytes()
    assert extract_file(data)["document_type"] == "cmrt"


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("a workbook given as bytes must not be written to disk")
