"""Dates as certificates print them, found inside a run of words so their position is known.

ISO (2027-03-31), 2027/03/31, European day-first (31.03.2027, 31/03/2027), "31 March 2027",
"31. März 2027", "1er janvier 2027", "March 31, 2027". Month names are data (data/months.json).
Numeric dates are read day-first, as in the EU, unless only month-first makes a valid date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .layout import Folded, Word

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class DateHit:
    value: date
    first: int          # index of the first word of the date
    last: int           # index of the last word (inclusive)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    months = json.loads((DATA / "months.json").read_text(encoding="utf-8"))
    names = sorted((n for k, v in months.items() if not k.startswith("_") for n in v), key=len, reverse=True)
    m = "(" + "|".join(names) + r")\.?"
    return [
        (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), "ymd"),
        (re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)"), "dmy"),
        (re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er)?\.?[\s-]*" + m + r",?[\s-]*(\d{4})(?!\d)"), "d_name_y"),
        (re.compile(r"\b" + m + r"\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})(?!\d)"), "name_d_y"),
    ]


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    months = json.loads((DATA / "months.json").read_text(encoding="utf-8"))
    return {n: int(k) for k, v in months.items() if not k.startswith("_") for n in v}


def _make(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2200:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_match(groups: Sequence[str], shape: str) -> date | None:
    if shape == "ymd":
        return _make(int(groups[0]), int(groups[1]), int(groups[2]))
    if shape == "dmy":
        day, month, year = int(groups[0]), int(groups[1]), int(groups[2])
        return _make(year, month, day) or _make(year, day, month)   # 03/31/2027 from a US template
    if shape == "d_name_y":
        return _make(int(groups[2]), _month_numbers()[groups[1]], int(groups[0]))
    return _make(int(groups[2]), _month_numbers()[groups[0]], int(groups[1]))


def find_dates(words: Sequence[Word]) -> list[DateHit]:
    """Every date in the words, in reading order."""
    folded = Folded.of(words)
    spans: list[tuple[int, int, date]] = []
    for pattern, shape in _patterns():
        for m in pattern.finditer(folded.text):
            if any(s < m.end() and m.start() < e for s, e, _ in spans):
                continue   # an earlier, more specific pattern already read these characters
            value = _from_match(m.groups(), shape)
            if value:
                spans.append((m.start(), m.end(), value))
    return [DateHit(value, *folded.span(s, e)) for s, e, value in sorted(spans)]


def parse_date(text: str) -> date | None:
    """The first date in a piece of text."""
    words = [Word(t, 0, 0, 0, 0, 0, 0) for t in text.split()]
    hits = find_dates(words)
    return hits[0].value if hits else None
