"""Words with positions, grouped into lines and column segments.

Everything downstream (label matching, value finding) works on this model, so a text layer
read by pdfplumber and words recognised by OCR are handled by the same code.
Coordinates are PDF points with the origin at the top left of the page, as pdfplumber gives them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Iterable, Iterator

#: A horizontal gap wider than this many font sizes separates two cells or columns; a
#: normal word space is ~0.28 em, so key-value tables (gaps of 3-6 em) split cleanly.
COLUMN_GAP_EM = 1.2

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


#: Letters with a stroke or without a dot that Unicode does not decompose into letter + accent:
#: folded like accents, so "Ważny", "WAZNY" and a Turkish "ADI"/"adı" all match one wording.
_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "l", "ı": "i", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ħ": "h",
                               # Word processors type dates and part numbers with typographic hyphens
                               # ("2021‐7‐30", "A‑2663"): folded to "-" so they read like typed ones.
                               "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents (Gültig -> gultig, émission -> emission, ß -> ss, Łódź -> lodz)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """What label matching compares: folded, letters and digits only ("No.:" -> "no")."""
    return _NON_ALNUM.sub("", fold(text))


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int                    # 1-based
    size: float                  # font size (OCR: the word's height)
    bold: bool = False
    conf: float = 1.0            # OCR confidence 0-1; a text layer is certain

    @cached_property
    def key(self) -> str:
        return match_key(self.text)


def bbox(words: Iterable[Word]) -> tuple[float, float, float, float]:
    ws = list(words)
    return (min(w.x0 for w in ws), min(w.top for w in ws), max(w.x1 for w in ws), max(w.bottom for w in ws))


def join(words: Iterable[Word]) -> str:
    return " ".join(w.text for w in words)


@dataclass
class Line:
    """Words sharing a baseline, split into segments at column gaps (cells, columns)."""

    page: int
    segments: list[list[Word]]
    #: Every field's labels each segment spells: label_index.spelled_in fills it when a field first
    #: asks, for the fields after (a line is not changed once built; stacking makes new lines).
    spelled: list | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def words(self) -> list[Word]:
        return [w for seg in self.segments for w in seg]

    @property
    def text(self) -> str:
        return "   ".join(join(seg) for seg in self.segments)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    ocr: bool = False
    turned: int = 0              # degrees OCR turned the page clockwise to read it upright
    skew: float = 0.0            # degrees OCR rotated it counter-clockwise (before turning) to level its lines
    #: The Tesseract language the page called for whose pack is not installed ("chi_sim"): read without it.
    missing_language: str = ""

@dataclass
class PdfText:
    """The readable content of a PDF: pages (only those extracted) of lines of words."""

    pages: list[Page]
    page_count: int
    ocr: bool = False
    notes: list[str] = field(default_factory=list)   # for the extraction's warnings
    #: When the file was made (its metadata): nothing printed in it can be dated later.
    created: date | None = None

    def lines(self) -> Iterator[Line]:
        for page in self.pages:
            yield from page.lines

    def text(self, max_pages: int | None = None) -> str:
        pages = self.pages[:max_pages] if max_pages else self.pages
        return "\n".join(line.text for page in pages for line in page.lines)


def page_ranges(numbers: list[int]) -> str:
    """Page numbers as a note gives them: [1, 2, 3, 7] -> "1-3, 7"."""
    parts: list[str] = []
    for n in numbers:
        if parts and parts[-1].split("-")[-1] == str(n - 1):
            parts[-1] = parts[-1].split("-")[0] + f"-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)


@dataclass
class Folded:
    """Words folded and joined by single spaces, so a regex match maps back to its words."""

    words: list[Word]
    text: str
    starts: list[int]

    @classmethod
    def of(cls, words: Iterable[Word]) -> "Folded":
        ws = list(words)
        starts, pos, parts = [], 0, []
        for w in ws:
            part = fold(w.text)
            starts.append(pos)
            parts.append(part)
            pos += len(part) + 1
        return cls(ws, " ".join(parts), starts)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """First and last word index (inclusive) covering characters [start, end)."""
        covered = [i for i, st in enumerate(self.starts)
                   if st < end and start < st + len(fold(self.words[i].text))]
        return covered[0], covered[-1]


def _stacked(a: Word, b: Word) -> bool:
    """One word printed above the other: they share columns but not a baseline."""
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    centres = abs((a.top + a.bottom) - (b.top + b.bottom)) / 2
    return across > 0.3 * min(a.x1 - a.x0, b.x1 - b.x0) and centres > 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def _unstacked_rows(row: list[Word]) -> list[list[Word]]:
    """A row that grew over two lines of small type (a sidebar's label and its date, bridged by
    a taller word of the next column; OCR boxes make this common on scans) is split again: two
    words one above the other never belong to one line."""
    if len(row) < 2 or not any(_stacked(a, b) for i, a in enumerate(row) for b in row[i + 1:]):
        return [row]
    def centre(words: list[Word]) -> float:
        return sum(w.top + w.bottom for w in words) / (2 * len(words))

    def fits(word: Word, sub: list[Word]) -> bool:
        top, bottom = min(w.top for w in sub), max(w.bottom for w in sub)
        overlap = min(bottom, word.bottom) - max(top, word.top)
        return overlap >= 0.5 * min(bottom - top, word.bottom - word.top) \
            and not any(_stacked(word, w) for w in sub if w is not word)

    subs: list[list[Word]] = []
    for word in sorted(row, key=lambda w: (w.top + w.bottom) / 2):
        near = [sub for sub in subs if fits(word, sub)]
        if near:      # the line whose middle is nearest: a date joins its own line, not the label's
            min(near, key=lambda sub: abs(centre(sub) - centre([word]))).append(word)
        else:
            subs.append([word])
    # A word placed before its own line existed ("de" read a little high) moves to the nearer line.
    for sub in subs:
        for word in list(sub):
            others = [o for o in subs if o is not sub and fits(word, o)]
            if others and len(sub) > 1:
                nearest = min(others, key=lambda o: abs(centre(o) - centre([word])))
                if abs(centre(nearest) - centre([word])) < abs(centre([w for w in sub if w is not word]) - centre([word])):
                    sub.remove(word)
                    nearest.append(word)
    return sorted((sub for sub in subs if sub), key=lambda sub: min(w.top for w in sub))


def build_lines(words: list[Word], *, scanned: bool = False) -> list[Line]:
    """Group words into lines by vertical overlap, then split each line at wide gaps. On a scan,
    a row that grew over two lines of a narrower column is split again (see _unstacked_rows);
    a text layer keeps its rows, whose stacked table headers the extractors read as one cell."""
    words, standing = _standing_apart(words)
    rows: list[list[Word]] = []
    top = bottom = 0.0                    # the extent of the last row, kept as words join it
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if rows:
            overlap = min(bottom, word.bottom) - max(top, word.top)
            # Half the smaller height: neighbouring lines of small type never overlap that much.
            if overlap >= 0.5 * min(bottom - top, word.bottom - word.top):
                rows[-1].append(word)
                top, bottom = min(top, word.top), max(bottom, word.bottom)
                continue
        rows.append([word])
        top, bottom = word.top, word.bottom
    lines = []
    for row in (sub for row in rows for sub in (_unstacked_rows(row) if scanned else [row])):
        row.sort(key=lambda w: w.x0)
        segments: list[list[Word]] = [[row[0]]]
        for prev, word in zip(row, row[1:]):
            if word.x0 - prev.x1 > COLUMN_GAP_EM * max(prev.size, word.size):
                segments.append([word])
            else:
                segments[-1].append(word)
        lines.append(Line(page=row[0].page, segments=segments))
    if standing:
        lines = sorted(lines + [Line(page=w.page, segments=[[w]]) for w in standing], key=lambda ln: ln.top)
    return lines


#: A word this many times taller than the page's usual word, and taller than wide, is set on its side.
STANDING_HEIGHT = 4


def _standing_apart(words: list[Word]) -> tuple[list[Word], list[Word]]:
    """Words printed vertically (a scan's sidebar "ISO 9001 CERTIFICADO" read as tall boxes) are
    lines of their own: grouped by vertical overlap, one would join every line beside it."""
    heights = sorted(w.bottom - w.top for w in words)
    if len(heights) < 5:
        return words, []
    usual = heights[len(heights) // 2]
    # OCR'd words of three letters or more: a text layer's large initial is a glyph, not a sidebar
    standing = [w for w in words if w.conf < 1 and len(w.text) >= 3
                and w.bottom - w.top > STANDING_HEIGHT * usual and w.bottom - w.top > 2 * (w.x1 - w.x0)]
    if not standing:
        return words, []
    apart = set(map(id, standing))
    return [w for w in words if id(w) not in apart], standing
