"""`python -m ingestion extract PATH` prints JSON and exits 0; bad input exits 2 with one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "xlsx" / "cmrt-6.5-101.xlsx"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ingestion", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_extract_prints_the_spec_object() -> None:
    done = _run("extract", str(FIXTURE))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"document_type", "schema", "record", "fields", "errors", "warnings"}
    assert result["document_type"] == "cmrt"


def test_forced_type() -> None:
    done = _run("extract", str(FIXTURE), "--type", "cmrt")
    assert done.returncode == 0 and json.loads(done.stdout)["schema"] == "cmrt/1"


def test_unreadable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "lies.xlsx"
    path.write_text("not a spreadsheet", encoding="utf-8")
    done = _run("extract", str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == ("This file is plain text, not a PDF or Excel workbook — "
                                   "upload the PDF or XLSX file")


def test_template_command_writes_a_readable_template(tmp_path: Path) -> None:
    out = tmp_path / "composition.xlsx"
    assert _run("template", str(out)).returncode == 0
    done = _run("extract", str(out))
    assert json.loads(done.stdout)["document_type"] == "material_composition"
