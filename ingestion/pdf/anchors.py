"""Label-anchored value finding: where a field's label is, and where its value sits.

A value is read right of its label (after a colon, or in the next cell of a key-value table),
below it (a label standing alone above its value, or a sentence ending in "...the management
system of"), or above it (a caption such as "Accredited certification body").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from ..result import pdf_source
from .label_index import after_slash, label_index, spelled_in
from .labels import Label, all_labels, cues, labels_for, negations_for
from .layout import Line, Page, PdfText, Word, bbox, fold, join

#: Labels shorter than this ("No.", "Date", "Nr") are only trusted at the start of a cell.
SHORT_LABEL = 6
#: A gap this wide (in font sizes) after a label separates it from its value like a colon would.
CELL_GAP_EM = 0.6
#: How far below a label its value may be, in line heights.
BELOW_LINES = 2.6

#: Base confidence by how a value was found; kinds that validate themselves (dates, ids) keep it.
CONFIDENCE = {"labels": 0.95, "phrases": 0.88, "captions": 0.82}


@dataclass
class Found:
    """A value candidate: the words it was read from and how sure we are."""

    words: list[Word]
    confidence: float
    value: Any = None           # the parsed value when not the words' text (a date, a split name)

    @property
    def text(self) -> str:
        return join(self.words)

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def source(self) -> dict[str, Any]:
        return pdf_source(self.page, bbox(self.words))

    @property
    def score(self) -> float:
        """Confidence, lowered for OCR'd words by Tesseract's own certainty."""
        worst = min(w.conf for w in self.words)
        return self.confidence if worst >= 1 else self.confidence * (0.55 + 0.4 * worst)


@dataclass
class Hit:
    label: Label
    line: Line
    seg: int            # segment index in the line
    start: int          # first word of the label in the segment
    end: int            # one past its last word

    @property
    def words(self) -> list[Word]:
        return self.line.segments[self.seg][self.start:self.end]


def match_at(seg: Sequence[Word], i: int, key: str, acc: str = "") -> int | None:
    """End index if the words from i spell `key` (spaces and punctuation ignored), after `acc`
    (what a word before i already spelled of it)."""
    j = i
    while j < len(seg) and len(acc) < len(key):
        acc += seg[j].key
        j += 1
        if not key.startswith(acc):
            return None
    return j if acc == key else None


def find_labels(line: Line, labels: Sequence[Label]) -> list[Hit]:
    """Non-overlapping label hits in a line; the longest wording wins where two overlap
    (`labels` are tried in their order, longest first, each from left to right)."""
    hits: list[Hit] = []
    for s, spelled in spelled_in(line, label_index(labels)):
        seg = line.segments[s]
        first = next((i for i, w in enumerate(seg) if w.key), 0)
        taken: set[int] = set()
        for position, i, end in spelled:
            label = labels[position]
            if i in taken:
                continue
            if label.role != "phrases" and len(label.key) < SHORT_LABEL and i != first:
                continue
            if label.role != "labels" and after_slash(seg[i].text) is not None \
                    and match_at(seg, i, label.key) != end:
                continue   # only a field label is read after a bilingual label's slash
            if taken & set(range(i, end)):
                continue
            if label.role == "captions" and (len(line.segments) > 1 or i != first
                                             or any(w.key for w in seg[end:])):
                continue   # a caption stands alone on its line, under its value
            hits.append(Hit(label, line, s, i, end))
            taken.update(range(i, end))
    return hits


def hits_for(doc: PdfText, field: str) -> Iterator[Hit]:
    labels = labels_for(field)
    negations = set(negations_for(field))
    for line in doc.lines():
        for hit in find_labels(line, labels):
            seg = line.segments[hit.seg]
            before = [w.key for w in seg[:hit.start] if w.key]
            after = next((w.key for w in seg[hit.end:] if w.key), "")
            # "Initial certification date" is another date; so is "Дата первичной сертификации",
            # where the qualifier follows a short label
            if not (before and before[-1] in negations) and after not in negations:
                yield hit


def page_of(doc: PdfText, number: int) -> Page:
    return next(p for p in doc.pages if p.number == number)


def _overlaps(seg: Sequence[Word], x0: float, x1: float) -> bool:
    return min(w.x0 for w in seg) < x1 and max(w.x1 for w in seg) > x0


def below(page: Page, line: Line, x0: float, x1: float, lines: int = 1, *, reach: float = BELOW_LINES) -> list[Word]:
    """The words under [x0, x1] in the next line(s) of the same column, the first at most
    `reach` line heights under `line`."""
    height = max(line.bottom - line.top, line.size)
    limit = reach * height
    result: list[Word] = []
    last, taken = line, 0
    for nxt in page.lines:
        if nxt.top <= last.top + 0.5 * height:
            continue
        if nxt.top - last.bottom > limit:
            break
        seg = next((s for s in nxt.segments if _overlaps(s, x0, x1)), None)
        if seg is None:
            continue
        result.extend(seg)
        last, taken = nxt, taken + 1
        if taken >= lines:
            break
        height = max(nxt.bottom - nxt.top, nxt.size)
        limit = 0.9 * height      # further lines continue a paragraph: set tight, not a new field
    return result


def above(page: Page, line: Line, x0: float, x1: float) -> list[Word]:
    height = max(line.bottom - line.top, line.size)
    for prev in reversed(page.lines):
        if prev.top >= line.top - 0.5 * height:
            continue
        # a caption is small print under its value: the gap is measured in the value's line height
        if line.top - prev.bottom > BELOW_LINES * max(height, prev.bottom - prev.top, prev.size):
            break
        seg = next((s for s in prev.segments if _overlaps(s, x0, x1)), None)
        if seg is not None:
            return list(seg)
    return []


# A shaper turns candidate words into the value's words (and parsed value), or None if they don't fit.
Shaper = Callable[[list[Word], bool], "tuple[list[Word], Any] | None"]


def values(doc: PdfText, field: str, shaper: Shaper, *, lines_below: int = 1) -> list[Found]:
    """Every candidate value of a field, best first (then earlier pages first)."""
    found: list[Found] = []
    for hit in hits_for(doc, field):
        page = page_of(doc, hit.line.page)
        f = value_at(hit, page, shaper, lines_below=lines_below)
        if f is not None:
            found.append(f)
    return sorted(found, key=lambda f: (-f.score, f.page, f.words[0].top))


def value_at(hit: Hit, page: Page, shaper: Shaper, *, lines_below: int = 1) -> Found | None:
    seg = hit.line.segments[hit.seg]
    rest = list(seg[hit.end:])
    colon = any(":" in w.text for w in seg[hit.start:hit.end])
    while rest and not rest[0].key:            # ":" or "–" standing on its own
        colon = colon or ":" in rest[0].text
        rest.pop(0)
    role = hit.label.role
    base = CONFIDENCE[role] - (0.06 if len(hit.label.key) < SHORT_LABEL else 0)
    span = (min(w.x0 for w in seg), max(w.x1 for w in seg))
    if role == "captions":
        return _shaped(above(page, hit.line, *span), base, shaper, inline=False)
    candidates: list[tuple[list[Word], float, bool]] = []
    if rest and not colon and rest[0].x0 - seg[hit.end - 1].x1 > CELL_GAP_EM * rest[0].size:
        colon, base = True, base - 0.05   # a table cell set close: wider than a space, narrower than a column
    if rest:
        # "Scope Certificate" is a title, not a label and its value: text after a plain space
        # counts only after a phrase or a colon; self-validating kinds (dates, ids) may follow directly.
        candidates.append((rest, base if (colon or role == "phrases") else base - 0.1, role == "labels" and not colon))
    else:
        after = hit.seg + 1
        if after + 1 < len(hit.line.segments) and not any(w.key for w in hit.line.segments[after]):
            after += 1       # "Issue Date   :   20.05.2026": the colon set in a column of its own
        if after < len(hit.line.segments):
            nxt = list(hit.line.segments[after])
            # "Label:   Other label: value" is the next column of a two-column page, not our value.
            if not _colon_label_at(nxt, 0):
                far = nxt[0].x0 - span[1] > 0.25 * page.width
                candidates.append((nxt, base - (0.1 if far else 0), False))
        if hit.start == next((i for i, w in enumerate(seg) if w.key), 0):
            # A label heading its column, or a sentence ending in "...of": the value is under it.
            candidates.append((below(page, hit.line, *span, lines=lines_below), base - 0.05, False))
            candidates.sort(key=lambda c: -c[1])
    for words, conf, bare in candidates:
        found = _shaped(words, conf, shaper, inline=bare)
        if found is not None:
            return found
    return None


def _shaped(words: list[Word], conf: float, shaper: Shaper, *, inline: bool) -> Found | None:
    if not words:
        return None
    shaped = shaper(words, inline)
    if shaped is None or not shaped[0]:
        return None
    return Found(shaped[0], conf, shaped[1])


def cut_text(words: list[Word], *, stops: bool) -> list[Word]:
    """A text value's words: cut where the next label (or, in running text, a stop word) begins."""
    stop_words = [s.split() for s in cues("value_stops")] if stops else []
    for i in range(1, len(words)):
        if _colon_label_at(words, i):
            return words[:i]
        folded = [fold(w.text).strip(",.;") for w in words[i:i + 3]]
        if any(folded[:len(s)] == s for s in stop_words):
            return words[:i]
    return words


def _colon_label_at(words: list[Word], i: int) -> bool:
    """Does a "Label:" of any field start at words[i]?"""
    index = label_index(all_labels())
    if words[i].key not in index.prefixes:     # no label starts with this word (or it has no key)
        return False
    for _, end in index.ends(words, i):
        if ":" in words[end - 1].text or (end < len(words) and words[end].text == ":"):
            return True
    return False


_CUE_CACHE: dict[str, re.Pattern[str]] = {}


def cue_pattern(name: str) -> re.Pattern[str]:
    """One regex for a cue list, matching whole words in folded text."""
    if name not in _CUE_CACHE:
        body = "|".join(re.escape(c) for c in cues(name))
        _CUE_CACHE[name] = re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
    return _CUE_CACHE[name]
