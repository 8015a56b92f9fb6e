"""Dates as certificates print them in eight languages, and what an ambiguous one is allowed to become."""

from __future__ import annotations

from datetime import date

import pytest

from ingestion.pdf.dates import find_dates, numeric_order, parse_date, settle
from ingestion.pdf.layout import Page, PdfText, Word, build_lines
from ingestion.pdf.stacking import unstacked


def _words(text: str) -> list[Word]:
    return [Word(t, 0, 0, 0, 0, 1, 10) for t in text.split()]


@pytest.mark.parametrize(("printed", "expected"), [
    ("31 March 2027", date(2027, 3, 31)),
    ("31. März 2027", date(2027, 3, 31)),
    ("1er janvier 2027", date(2027, 1, 1)),
    ("31 de marzo de 2027", date(2027, 3, 31)),
    ("4 giugno 2027", date(2027, 6, 4)),
    ("3 września 2024", date(2024, 9, 3)),           # Polish genitive
    ("01 Czerwiec 2024", date(2024, 6, 1)),          # Polish nominative, as some bodies print it
    ("1º de maio de 2026", date(2026, 5, 1)),
    ("2 maart 2025", date(2025, 3, 2)),
    ("March 31, 2027", date(2027, 3, 31)),
    ("2027-03-31", date(2027, 3, 31)),
])
def test_month_names_and_shapes_in_every_language(printed: str, expected: date) -> None:
    assert parse_date(printed) == expected


def test_a_numeric_date_that_reads_both_ways_is_marked_ambiguous() -> None:
    [hit] = find_dates(_words("03/01/2022"))
    assert hit.ambiguous and (hit.value, hit.month_first) == (date(2022, 1, 3), date(2022, 3, 1))
    [same] = find_dates(_words("05/05/2022"))
    assert not same.ambiguous                          # both readings are the same day


def test_impossible_values_settle_the_order() -> None:
    [day_first] = find_dates(_words("13/01/2022"))
    [month_first] = find_dates(_words("01/13/2022"))
    assert (day_first.value, day_first.order, day_first.ambiguous) == (date(2022, 1, 13), "dmy", False)
    assert (month_first.value, month_first.order) == (date(2022, 1, 13), "mdy")


def test_the_documents_dates_give_one_order_or_none() -> None:
    [ambiguous] = find_dates(_words("03/01/2022"))
    us = find_dates(_words("12/28/2021 03/01/2022"))
    assert numeric_order(us) == "mdy" and settle(ambiguous, "mdy") == date(2022, 3, 1)
    assert numeric_order(find_dates(_words("28/12/2021 12/28/2021"))) is None     # contradictory: no order
    assert settle(ambiguous, None) == date(2022, 1, 3)


def _word(text: str, x0: float, top: float, size: float) -> Word:
    return Word(text, x0, top, x0 + len(text) * size * 0.5, top + size, 1, size)


def test_a_two_line_label_is_split_from_the_value_printed_between_its_lines() -> None:
    words = [_word("ISO", 38, 413, 30), _word("9001:2015", 95, 413, 30),
             _word("Valid", 400, 417, 10), _word("Until:", 430, 417, 10),
             _word("10", 400, 429, 10), _word("December", 412, 429, 10), _word("2023", 458, 429, 10)]
    doc = PdfText([Page(1, 595, 842, build_lines(words))], 1)
    assert [ln.text for ln in doc.pages[0].lines] == ["ISO 9001:2015   Valid 10 December Until: 2023"]
    texts = [ln.text for ln in unstacked(doc).pages[0].lines]
    assert texts == ["ISO 9001:2015", "Valid Until:", "10 December 2023"]


def test_a_small_label_beside_a_large_value_stays_on_its_line() -> None:
    words = [_word("Holder:", 60, 402, 8), _word("Nordwerk", 100, 396, 16), _word("GmbH", 180, 396, 16)]
    doc = PdfText([Page(1, 595, 842, build_lines(words))], 1)
    assert [ln.text for ln in unstacked(doc).pages[0].lines] == ["Holder: Nordwerk GmbH"]


def test_a_label_wrapped_in_a_narrow_cell_is_joined_in_front_of_its_value() -> None:
    words = [_word("Certificate", 216, 58, 6.5), _word("Identity", 254, 58, 6.5),
             _word("Number:", 216, 65, 6.5), _word("10303115", 309, 65, 6.5),
             _word("Scope", 216, 90, 6.5)]      # a line that is no label's first half stays alone
    doc = PdfText([Page(1, 595, 842, build_lines(words))], 1)
    texts = [ln.text for ln in unstacked(doc).pages[0].lines]
    assert texts == ["Certificate Identity Number:   10303115", "Scope"]
