"""Dates as certificates print them, found inside a run of words so their position is known.

ISO (2027-03-31), 2027/03/31, 2027年3月31日, European day-first (31.03.2027, 31/03/2027), "31 March 2027",
"31. März 2027", "1er janvier 2027", "31 de marzo de 2027", "31 maja 2027", "March 31, 2027",
2027년 3월 31일, "2027. március 31.".
Month names are data (data/months.json).

Numeric dates are read day-first, as in the EU, unless only month-first makes a valid date. A
date both ways could be read (03/01/2022) is marked ambiguous and carries its month-first
reading, so the caller can settle it from the document's other dates or the issuer's country
(see `numeric_order` and `settle`) — or say it could not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .layout import Folded, Word, fold

DATA = Path(__file__).resolve().parent / "data"
#: What OCR makes of a superscript ordinal ("19th" set small and high): degree signs, quote marks, "%", "*".
OCR_SUPERSCRIPT = r"[°º%*\"'“”‘’]{1,3}"


@dataclass(frozen=True)
class DateHit:
    value: date
    first: int          # index of the first word of the date
    last: int           # index of the last word (inclusive)
    month_first: date | None = None   # the other reading of an ambiguous numeric date
    order: str | None = None          # "dmy" / "mdy" when the numbers alone prove the order

    @property
    def ambiguous(self) -> bool:
        return self.month_first is not None and self.month_first != self.value


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    months = json.loads((DATA / "months.json").read_text(encoding="utf-8"))
    # folded like the text they are matched on ("май" -> "маи")
    names = sorted({fold(n) for k, v in months.items() if not k.startswith("_") for n in v}, key=len, reverse=True)
    m = "(" + "|".join(names) + r")\.?"
    return [
        (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), "ymd"),
        # 2025年3月31日 (Chinese, Japanese), 2025년 3월 31일 (Korean; folding splits a Hangul syllable into its letters)
        (re.compile(rf"(?<!\d)(\d{{4}})\s*(?:年|{fold('년')})\s*(\d{{1,2}})\s*(?:月|{fold('월')})\s*(\d{{1,2}})\s*"
                    rf"(?:日|{fold('일')})?"), "ymd"),
        (re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)"), "dmy"),
        # "31 de marzo de 2027", "1er janvier 2027", "1º de maio de 2027"
        # "27 th Apr. 2022": a superscript ordinal becomes a word of its own; OCR reads "12 de" as "12/de",
        # and a superscript "th" as a quote or a degree sign ("16" October 2020")
        (re.compile(r"(?<!\d)(\d{1,2})(?:\s?(?:st|nd|rd|th)|er|o|" + OCR_SUPERSCRIPT + r")?\.?[\s/-]*(?:de\s+)?" + m
                    + r",?[\s-]*(?:de\s+|del\s+)?(\d{4})(?!\d)"), "d_name_y"),
        # "September 1st, 2025"; OCR reads a superscript "st" as "°", "%", "*" or quote marks ("19\"",
        # "18°\""), and "1st" as "ist"/"lst"
        (re.compile(r"\b" + m + r"\s*(\d{1,2}|[il](?=st\b))(?:st|nd|rd|th|" + OCR_SUPERSCRIPT + r")?,?\s*(\d{4})(?!\d)"),
         "name_d_y"),
        # Hungarian, year first with its dot: "2027. március 31." (last: any other reading wins)
        (re.compile(r"(?<!\d)(\d{4})\.\s*" + m + r"\s*(\d{1,2})\.?(?!\d)"), "y_name_d"),
    ]


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    months = json.loads((DATA / "months.json").read_text(encoding="utf-8"))
    return {fold(n): int(k) for k, v in months.items() if not k.startswith("_") for n in v}


def _make(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2200:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_match(groups: Sequence[str], shape: str) -> tuple[date | None, date | None, str | None]:
    """(day-first reading, month-first reading if different, order the numbers prove)."""
    if shape == "ymd":
        return _make(int(groups[0]), int(groups[1]), int(groups[2])), None, None
    if shape == "dmy":
        first, second, year = int(groups[0]), int(groups[1]), int(groups[2])
        day_first, month_first = _make(year, second, first), _make(year, first, second)
        if day_first and month_first:
            return day_first, (month_first if first != second else None), None
        if day_first:
            return day_first, None, "dmy"
        return month_first, None, ("mdy" if month_first else None)   # 03/31/2027 from a US template
    if shape == "d_name_y":
        return _make(int(groups[2]), _month_numbers()[groups[1]], int(groups[0])), None, None
    if shape == "y_name_d":
        return _make(int(groups[0]), _month_numbers()[groups[1]], int(groups[2])), None, None
    day = 1 if groups[1] in ("i", "l") else int(groups[1])      # OCR's "ist" is "1st"
    return _make(int(groups[2]), _month_numbers()[groups[0]], day), None, None


def find_dates(words: Sequence[Word]) -> list[DateHit]:
    """Every date in the words, in reading order."""
    folded = Folded.of(words)
    spans: list[tuple[int, int, date, date | None, str | None]] = []
    for pattern, shape in _patterns():
        for m in pattern.finditer(folded.text):
            if any(s < m.end() and m.start() < e for s, e, *_ in spans):
                continue   # an earlier, more specific pattern already read these characters
            value, month_first, order = _from_match(m.groups(), shape)
            if shape == "dmy" and "." in m.group(0):
                month_first = None      # 03.01.2024: dots are a day-first habit; US dates use slashes
            if value:
                spans.append((m.start(), m.end(), value, month_first, order))
    return [DateHit(value, *folded.span(s, e), month_first=alt, order=order)
            for s, e, value, alt, order in sorted(spans, key=lambda t: t[0])]


def parse_date(text: str) -> date | None:
    """The first date in a piece of text."""
    words = [Word(t, 0, 0, 0, 0, 0, 0) for t in text.split()]
    hits = find_dates(words)
    return hits[0].value if hits else None


def numeric_order(hits: Sequence[DateHit]) -> str | None:
    """"dmy" or "mdy" when the document's unambiguous numeric dates all agree on one order."""
    orders = {h.order for h in hits if h.order}
    return orders.pop() if len(orders) == 1 else None


def settle(hit: DateHit, order: str | None) -> date:
    """The reading of a (possibly ambiguous) date under a known order; day-first otherwise."""
    if hit.ambiguous and order == "mdy":
        return hit.month_first      # type: ignore[return-value]
    return hit.value
