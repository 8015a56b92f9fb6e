"""Undo lines that the line builder merged across a two-line label and its value.

On two-column certificates a small label set over two lines ("Valid" / "Until:") often has its
value printed between them, level with a large name in the other column. Grouping by vertical
overlap then puts "Valid 10 December Until: 2023" on one line. Here each column segment is
split again by its words' own baselines, so the label and the value become lines of their own.
"""

from __future__ import annotations

from dataclasses import replace

from .label_index import label_index
from .labels import all_labels
from .layout import Line, Page, PdfText, Word, match_key

#: Words of one segment sit on one row when they overlap vertically by this share of the smaller
#: word's height (a small label beside a large value still does; "Valid" over "10 December" not).
ROW_OVERLAP = 0.5


def unstacked(doc: PdfText) -> PdfText:
    """The document with every stacked segment split into its own rows (a new object)."""
    return replace(doc, pages=[_page(page) for page in doc.pages])


def _page(page: Page) -> Page:
    if page.ocr:
        return page          # OCR rows come from Tesseract's own line grouping; a skewed scan is not stacked
    lines: list[Line] = []
    for line in page.lines:
        lines.extend(_split(line))
    lines.sort(key=lambda ln: (ln.top, min(w.x0 for w in ln.words)))
    return replace(page, lines=_join_wrapped_labels(lines))


#: A label wrapped in a narrow cell ("Numer Identyfikacyjny" / "Certyfikatu: 10302957") has at most
#: this many words on its first line, set at the same left edge (points) as its second.
WRAPPED_LABEL_WORDS = 3
SAME_EDGE = 2.0


def _join_wrapped_labels(lines: list[Line]) -> list[Line]:
    """Put the first line of a wrapped label in front of its second, where the value is."""
    keys = label_index(all_labels()).positions     # by key, built once
    out = list(lines)
    for i in range(len(out) - 1):
        upper, lower = out[i], out[i + 1]
        if len(upper.segments) != 1 or not lower.words or not upper.words:
            continue
        head, tail = upper.segments[0], lower.segments[0]
        if len(head) > WRAPPED_LABEL_WORDS or abs(head[0].x0 - tail[0].x0) > SAME_EDGE \
                or not tail[-1].text.endswith(":") or any(":" in w.text or any(c.isdigit() for c in w.text) for w in head):
            continue
        if lower.top - upper.bottom > max(w.size for w in head):
            continue
        if match_key(" ".join(w.text for w in head + tail)) in keys:
            out[i + 1] = Line(page=lower.page, segments=[head + tail] + lower.segments[1:])
            out[i] = Line(page=upper.page, segments=[])
    return [ln for ln in out if ln.segments]


def _split(line: Line) -> list[Line]:
    kept: list[list[Word]] = []
    extra: list[Line] = []
    for seg in line.segments:
        rows = _rows(seg)
        if len(rows) == 1:
            kept.append(seg)
        else:
            extra.extend(Line(page=line.page, segments=[row]) for row in rows)
    if not extra:
        return [line]
    return ([Line(page=line.page, segments=kept)] if kept else []) + extra


def _rows(seg: list[Word]) -> list[list[Word]]:
    rows: list[list[Word]] = []
    for word in sorted(seg, key=lambda w: (w.top, w.x0)):
        if rows and _same_row(rows[-1][0], word):
            rows[-1].append(word)
        else:
            rows.append([word])
    for row in rows:
        row.sort(key=lambda w: w.x0)
    return rows


def _same_row(a: Word, b: Word) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= ROW_OVERLAP * min(a.bottom - a.top, b.bottom - b.top)
