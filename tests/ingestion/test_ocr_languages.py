"""Scans in languages beyond English (issue 15): the second OCR pass reads the page in the
language its words (Turkish, Polish) or its script (Chinese) call for, so names keep their letters
and dates their month names; a missing language pack is a warning, not a failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion import extract_file
from ingestion.pdf import ocr
from ingestion.pdf.layout import fold

from .scans import CHINESE, POLISH, TURKISH, drawn_scan, scanned_pdf


def _needs(languages: set[str]) -> None:
    if shutil.which("tesseract") is None or not languages <= ocr.installed_languages():
        pytest.fail(f"Tesseract with {', '.join(sorted(languages))} is needed: `make system-deps` installs them.",
                    pytrace=False)


def _extracted(pdf: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, list[str]]:
    """The extraction and the languages of the Tesseract passes it made ("osd" for OSD)."""
    passes: list[str] = []
    real = ocr._tesseract

    def recording(pgm: bytes, args: list[str], deadline: float) -> str:
        passes.append(args[args.index("-l") + 1])
        return real(pgm, args, deadline)

    monkeypatch.setattr(ocr, "_tesseract", recording)
    return extract_file(pdf), passes


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("languages")
    return {name: scanned_pdf([drawn_scan(lines, script)], tmp / f"{name}.pdf")
            for name, lines, script in [("tr", TURKISH, "latin"), ("pl", POLISH, "latin"), ("zh", CHINESE, "han")]}


def test_a_turkish_scan_is_read_again_in_turkish(scans: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _needs({"eng", "tur"})
    result, passes = _extracted(scans["tr"], monkeypatch)
    assert passes == ["eng", "tur"]          # the page's words said Turkish: no OSD, one more pass
    record = result["record"]
    assert record["holder"]["name"] == "Anadolu Döküm Sanayi ve Ticaret A.Ş."     # the English pass: "Dokum", "A.S."
    assert (record["issue_date"], record["expiry_date"]) == ("2024-02-14", "2027-02-13")   # "Şubat"
    assert record["scheme"] == "iso_9001"


def test_a_polish_scan_is_read_again_in_polish(scans: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _needs({"eng", "pol"})
    result, passes = _extracted(scans["pl"], monkeypatch)
    assert passes == ["eng", "pol"]
    record = result["record"]
    assert record["holder"]["name"] == "Zakłady Mechaniczne Łódź Sp. z o.o."      # the English pass: "Zaktady … todz"
    assert (record["issue_date"], record["expiry_date"]) == ("2024-04-03", "2027-04-02")   # "kwietnia"
    assert record["certificate_number"] == "PL-2024/0815"


def test_a_chinese_scan_is_read_in_chinese_after_osd_names_its_script(scans: dict[str, Path],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _needs({"eng", "osd", "chi_sim"})
    result, passes = _extracted(scans["zh"], monkeypatch)
    assert passes == ["eng", "osd", "chi_sim"]     # English reads junk ("MEA HA: 2024573148"), OSD says Han
    record = result["record"]
    assert (record["issue_date"], record["expiry_date"]) == ("2024-03-14", "2027-03-13")   # 2024年3月14日
    assert record["scheme"] == "iso_9001" and "19001" in record["standard"]
    assert record["holder"]["name"] == "苏州精密机械制造有限公司"   # one word, not one per character


def test_a_missing_language_pack_reads_the_page_in_english_with_a_warning(
        scans: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _needs({"eng"})
    monkeypatch.setattr(ocr, "installed_languages", lambda: frozenset({"eng", "osd"}))
    result, passes = _extracted(scans["pl"], monkeypatch)
    assert passes == ["eng"]
    assert result["record"]["expiry_date"] == "2027-04-02"
    assert any("Polish" in w["message"] and "tesseract-ocr-pol" in w["message"] for w in result["warnings"])


def test_han_characters_tesseract_splits_are_joined_into_words_and_latin_words_are_not() -> None:
    def row(text: str, left: int, width: int, line: str = "1") -> dict:
        return {"level": "5", "block_num": "1", "par_num": "1", "line_num": line, "left": str(left), "top": "10",
                "width": str(width), "height": "20", "conf": "90", "text": text}

    rows = [row("有", 0, 20), row("效期至:", 22, 70), row("2027", 110, 50), row("年", 162, 20), row("3", 184, 12),
            row("ISO", 300, 40), row("9001", 350, 50), row("证书", 420, 40, line="2")]
    assert [r["text"] for r in ocr._unspaced_joined(rows)] == ["有效期至:", "2027年3", "ISO", "9001", "证书"]


def test_letters_with_strokes_and_the_dotless_i_fold_like_accents() -> None:
    assert fold("Łódź") == "lodz" and fold("WAŻNY") == fold("ważny") == "wazny"
    assert fold("ADI") == fold("adı") == "adi"
