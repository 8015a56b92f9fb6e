"""Cell values -> canonical record values."""

from __future__ import annotations

import datetime as dt

import pytest

from ingestion.xlsx import answer, country_code, iso_date, number, text
from ingestion.xlsx.workbook import Sheet, a1, parse_a1


@pytest.mark.parametrize("raw, expected", [
    ("Yes", "yes"), ("  YES ", "yes"), ("no", "no"), ("Unknown  ", "unknown"),
    ("Yes,  with the SEC", "yes, with the sec"), ("100%", "100%"), ("100 %", "100%"),
    (1, "100%"), (1.0, "100%"), (0.9, "90%"), (True, "yes"), (None, None), ("   ", None),
])
def test_answers_are_canonical(raw: object, expected: str | None) -> None:
    assert answer(raw) == expected


@pytest.mark.parametrize("raw, iso", [
    (dt.date(2026, 5, 31), "2026-05-31"), (dt.datetime(2026, 5, 31, 14, 0), "2026-05-31"),
    (46173, "2026-05-31"), (46173.0, "2026-05-31"), ("46173", "2026-05-31"),
    ("2026-05-31", "2026-05-31"), ("2026/05/31", "2026-05-31"), ("31.05.2026", "2026-05-31"),
    ("31/05/2026", "2026-05-31"), ("05/31/2026", "2026-05-31"), ("31 May 2026", "2026-05-31"),
    ("May 31, 2026", "2026-05-31"), ("31-May-2026", "2026-05-31"), ("31. Mai 2026", "2026-05-31"),
    ("1er juin 2026", None), ("May 31st, 2026", "2026-05-31"), ("2026-05-31 00:00:00", "2026-05-31"),
])
def test_dates_from_cells_serials_and_text(raw: object, iso: str | None) -> None:
    assert iso_date(raw)[0] == iso


def test_ambiguous_day_month_is_flagged_by_confidence() -> None:
    value, confidence = iso_date("03/04/2026")
    assert value == "2026-04-03" and confidence < 0.8
    assert iso_date("13/04/2026")[1] >= 0.9


def test_bad_dates() -> None:
    assert iso_date("soon") == (None, 0.0)
    assert iso_date("31/02/2026") == (None, 0.0)
    assert iso_date(-5) == (None, 0.0)


@pytest.mark.parametrize("name, code", [
    ("KOREA, REPUBLIC OF", "KR"), ("VIET NAM", "VN"), ("RUSSIAN FEDERATION", "RU"),
    ("BOLIVIA (PLURINATIONAL STATE OF)", "BO"), ("TAIWAN, PROVINCE OF CHINA", "TW"),
    ("CONGO, DEMOCRATIC REPUBLIC OF THE", "CD"), ("Germany", "DE"), ("germany ", "DE"), ("DE", "DE"),
    ("DEU", "DE"), ("United States of America", "US"), ("WESTERN SAHARA *", "EH"), ("Türkiye", "TR"),
    ("Unknown", None), ("", None), (None, None), ("Atlantis", None),
])
def test_countries(name: str | None, code: str | None) -> None:
    assert country_code(name)[0] == code


def test_numbers_and_text() -> None:
    assert number("12,5") == 12.5 and number("40 %") == 40 and number(3) == 3.0 and number("x") is None
    assert text("  Acme\n  GmbH ") == "Acme GmbH" and text(12.0) == "12" and text("") is None


def test_a1_round_trip() -> None:
    assert parse_a1("D8") == (7, 3) and parse_a1("$AH$2504") == (2503, 33)
    assert a1(7, 3) == "D8" and a1(2503, 33) == "AH2504"


def test_filled_rows_agree_with_blank_cell_by_cell() -> None:
    rows = [["", "", "", ""],              # all empty
            ["x", "", "", ""],             # filled outside the columns asked
            ["", 0, "", ""],               # 0 is a value, not a blank
            ["", "#N/A", " ", ""],         # an Excel error reads as no value, a space is text
            ["", "", "#REF!", ""],         # only an error: blank
            ["", ""],                      # a short row
            ["", "", "", "y", "z"]]
    sheet = Sheet("S", rows)
    cols = (1, 2, 3)
    assert sheet.filled_rows(0, cols) == [r for r in range(len(rows)) if not sheet.blank(r, cols)] == [2, 3, 6]
    assert sheet.filled_rows(3, (1, 3)) == [6]
    assert sheet.filled_rows(0, ()) == []


@pytest.mark.parametrize("parts, expected", [
    (("company", "name"), "/company/name"), (("smelters", 12, "name"), "/smelters/12/name"),
    (("a/b", "c"), "/a~1b/c"), (("x~y",), "/x~0y"), (("a", ""), "/a/"), ((), "")])
def test_json_pointers_escape_only_what_rfc_6901_asks(parts: tuple, expected: str) -> None:
    from ingestion.result import pointer
    assert pointer(*parts) == expected
