"""Turn raw cell values into canonical record values.

Real files carry dropdown answers in any letter case with stray spaces, percentages stored as
fractions (100% is the number 1), and dates as date cells, Excel serial numbers or text.
Each parser returns (value, confidence) so extractors can say how sure they are.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_SPACES = re.compile(r"\s+")
_EXCEL_EPOCH = dt.date(1899, 12, 30)       # serial 1 = 1900-01-01 with Excel's leap-year bug
_MONTHS = {name: i for i, names in enumerate((
    ("jan", "january", "janvier", "januar", "enero"), ("feb", "february", "février", "fevrier", "februar", "febrero"),
    ("mar", "march", "mars", "märz", "marz", "marzo"), ("apr", "april", "avril", "abril"),
    ("may", "mai", "mayo"), ("jun", "june", "juin", "juni", "junio"), ("jul", "july", "juillet", "juli", "julio"),
    ("aug", "august", "août", "aout", "agosto"), ("sep", "sept", "september", "septembre", "septiembre"),
    ("oct", "october", "octobre", "oktober", "octubre"), ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "décembre", "decembre", "dezember", "diciembre")), start=1) for name in names}


def text(value: Any) -> str | None:
    """Cell value as trimmed single-spaced text; None for empty cells."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    out = " ".join(str(value).split())     # the same whitespace as \s+, without a regex per cell
    return out or None


def normalise_label(value: Any) -> str:
    """A template label as compared with known labels: "Email – Contact (*):" -> "email - contact"."""
    label = (text(value) or "").lower().replace("–", "-").replace("(*)", "")
    return " ".join(label.replace(":", " ").split())


def answer(value: Any) -> str | None:
    """Dropdown answer in canonical form: lower case, single spaces; fractions become percentages."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return percent_text(float(value))
    raw = text(value)
    if raw is None:
        return None
    raw = raw.lower()
    raw = re.sub(r"\s*%", "%", raw)           # "100 %" -> "100%"
    raw = re.sub(r"\s*,\s*", ", ", raw)       # "yes,with the sec" -> "yes, with the sec"
    return raw


def percent_text(fraction: float) -> str:
    """Excel keeps "100%" as 1.0; the dropdowns' canonical text is "100%"."""
    pct = fraction * 100 if fraction <= 1 else fraction
    return f"{pct:g}%"


def number(value: Any) -> float | None:
    """A number from a numeric cell or text such as "12,5" / "12.5 %"; None if not numeric."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


def iso_date(value: Any) -> tuple[str | None, float]:
    """(YYYY-MM-DD, confidence) from a date cell, an Excel serial number or date text."""
    if value is None or value == "":
        return None, 0.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), 1.0
    if isinstance(value, dt.date):
        return value.isoformat(), 1.0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:              # Excel's valid range: 1900-01-01 .. 9999-12-31
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat(), 0.9
        return None, 0.0
    return _parse_date_text(str(value))


def _parse_date_text(raw: str) -> tuple[str | None, float]:
    s = raw.strip().lower().replace(",", " ")
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)
    s = _SPACES.sub(" ", s)
    # Year first: 2026-05-31, 2026/05/31, 2026.05.31 (optionally with a time part).
    m = re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?$", s)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), 0.95)
    if re.fullmatch(r"\d{5}(\.\d+)?", s):     # a serial number typed as text
        return iso_date(float(s))
    # Numeric day/month order: unambiguous when one part exceeds 12; otherwise day first
    # (the templates are used worldwide), flagged by a lower confidence.
    m = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$", s)
    if m:
        a, b, year = int(m[1]), int(m[2]), _year(m[3])
        if a > 12 >= b:
            return _make(year, b, a, 0.9)
        if b > 12 >= a:
            return _make(year, a, b, 0.9)
        return _make(year, b, a, 0.6 if a != b else 0.9)
    words = s.replace("-", " ").replace("/", " ").replace(".", " ").split()
    day = year = month = None
    for word in words:
        if word in _MONTHS:
            month = _MONTHS[word]
        elif word.isdigit() and len(word) == 4:
            year = int(word)
        elif word.isdigit() and len(word) <= 2 and day is None:
            day = int(word)
    if day and month and year:
        return _make(year, month, day, 0.9)
    return None, 0.0


def _year(token: str) -> int:
    year = int(token)
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int, confidence: float) -> tuple[str | None, float]:
    try:
        return dt.date(year, month, day).isoformat(), confidence
    except ValueError:
        return None, 0.0


def email(value: Any) -> tuple[str | None, float]:
    """Trimmed e-mail address; confidence drops when it does not look like one."""
    raw = text(value)
    if raw is None:
        return None, 0.0
    raw = raw.removeprefix("mailto:").strip()
    ok = re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", raw) is not None
    return raw, (1.0 if ok else 0.5)
