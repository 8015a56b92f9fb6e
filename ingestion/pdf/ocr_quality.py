"""How well OCR read a page, and the rule that a value read from a poorly read page is no promise.

Tesseract gives each word a certainty; a page whose words are mostly uncertain or are not words at
all (a photo's glare, a stamp over the text, a skewed or blurred scan) yields values that look
right and are not. A value from such a page keeps its reading but never reaches the confidence that
promises it (SPEC §4), and the user is told to check it against the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import Page, PdfText

#: A word Tesseract is less certain of than this is a doubtful reading.
DOUBTFUL_WORD = 0.6
#: A page whose letters are on average read with less certainty than this is poorly read.
POOR_MEAN = 0.72
#: ... or where more than this share of its words are doubtful or not words at all.
POOR_SHARE = 0.3
#: Pages with fewer words than this are judged on what they have, but never called poor alone.
FEW_WORDS = 8
#: The most a value read from a poorly read page may score: below a promise.
POOR_PAGE_CAP = 0.85
#: A token that reads as a word, a number or a code ("ISO", "9001:2015", "QSC-01763", "B.V.").
WORDLIKE = re.compile(r"^[(\"'“‘]?[\w][\w.,:;/&'’\-+@%#]*[)\"'”’.,:;]?$")


@dataclass(frozen=True)
class PageReading:
    number: int
    mean: float           # letters' mean certainty (1.0 for a text layer)
    doubtful: float       # share of words doubtful or not word-shaped
    words: int

    @property
    def poor(self) -> bool:
        return self.words >= FEW_WORDS and (self.mean < POOR_MEAN or self.doubtful > POOR_SHARE)


def page_reading(page: Page) -> PageReading:
    words = [w for line in page.lines for w in line.words]
    if not page.ocr or not words:
        return PageReading(page.number, 1.0, 0.0, len(words))
    letters = sum(len(w.text) for w in words) or 1
    mean = sum(w.conf * len(w.text) for w in words) / letters
    bad = sum(1 for w in words if w.conf < DOUBTFUL_WORD or not WORDLIKE.match(w.text) or _junk(w.text))
    return PageReading(page.number, mean, bad / len(words), len(words))


def _junk(text: str) -> bool:
    """"wHIHl", "|||": letters with no vowel run long, or one character repeated — not a word."""
    letters = re.sub(r"[^A-Za-z]", "", text)
    if len(letters) >= 5 and not re.search(r"[aeiouyAEIOUY]", letters):
        return True
    return len(text) >= 3 and len(set(text)) == 1


def poorly_read_pages(doc: PdfText) -> set[int]:
    return {p.number for p in doc.pages if page_reading(p).poor}


def cap_poorly_read(fields: dict[str, dict], doc: PdfText) -> list[str]:
    """Lower every value read from a poorly read page below a promise; the pointers lowered."""
    poor = poorly_read_pages(doc)
    lowered = []
    for at, field in fields.items():
        page = (field.get("source") or {}).get("page")
        if page in poor and field.get("confidence", 0) > POOR_PAGE_CAP:
            field["confidence"] = POOR_PAGE_CAP
            lowered.append(at)
    return lowered
