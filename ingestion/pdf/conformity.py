"""EU declarations of conformity: directives, standards, notified body and 'Label: value' lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .anchors import Found
from .labels import load
from .layout import Folded, Line, PdfText, Word, fold

NOTIFIED_NUMBER = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    return load("conformity")


def _directive_pattern() -> re.Pattern[str]:
    """"2014/30/EU", "(EC) No 1907/2006", "93/42/ETY": the suffixes are each EU language's
    abbreviation of EU / EC / EEC (data: directive_suffixes), longest first."""
    suffixes = "|".join(sorted((k for k in data()["directive_suffixes"] if not k.startswith("_")), key=len, reverse=True))
    return re.compile(
        r"(?<![\w/])(?:\((?P<pre>eu|ec|eg|ue|ce)\)\s*(?:no\.?\s*)?|(?P<bare>eu|ec|eg|ue|ce)\s+(?:no\.?\s*)?)?"
        rf"(?P<a>\d{{2,4}})\s*/\s*(?P<b>\d{{1,4}})(?:\s*/\s*(?P<suf>{suffixes}))?(?![\w/])")


DIRECTIVE = _directive_pattern()


#: Since 2015 Union acts are numbered "(EU) 2015/863": year first, no suffix.
NEW_NUMBERING = 2015
#: "the amended Directive 2015/863": a bare number right after the word that names an act.
ACT_WORD = re.compile(r"(?:directive|regulation|richtlinie|verordnung|reglement|directiva|direttiva|reglamento)\s*$")


def _norm_directive(m: re.Match[str], before: str = "") -> str | None:
    suffixes = data()["directive_suffixes"]
    a, b = m.group("a"), m.group("b")
    if len(a) == 4 and int(a) >= NEW_NUMBERING and len(b) <= 4 and (
            m.group("suf") in ("eu", "ue") or (not m.group("suf") and not m.group("pre") and not m.group("bare")
                                               and ACT_WORD.search(before))):
        return f"(EU) {a}/{b}"      # "2015/863/EU", "Directive 2015/863": written the pre-2015 way or bare
    if m.group("suf"):
        return f"{a}/{b}/{suffixes[m.group('suf')]}"
    prefix = m.group("pre") or m.group("bare")
    if prefix and len(a) == 4 and 1 <= len(b) <= 4:
        return f"({suffixes[prefix]}) {a}/{b}"
    if prefix and len(b) == 4 and len(a) <= 4:      # Regulation (EC) No 1907/2006: number/year
        return f"({suffixes[prefix]}) No {a}/{b}"
    return data()["known_acts"].get(f"{a}/{b}") if not (prefix or m.group("suf")) else None


def directives(doc: PdfText) -> list[Found]:
    """Union legislation named anywhere, normalised ("2014/30/EU", "(EU) 2015/863"), in order."""
    seen: dict[str, Found] = {}
    for line in doc.lines():
        folded = Folded.of(line.words)
        for m in DIRECTIVE.finditer(folded.text):
            value = _norm_directive(m, folded.text[max(0, m.start() - 20):m.start()])
            if value and value not in seen:
                first, last = folded.span(m.start("a"), m.end())
                seen[value] = Found(line.words[first:last + 1], 0.92, value)
    return list(seen.values())


#: A hyphen as typed or as a word processor sets it (U+2010 to U+2013, the minus sign).
HYPHENS = "[-\u2010-\u2013\u2212]"


@lru_cache(maxsize=1)
def _standard() -> re.Pattern[str]:
    prefixes = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in data()["standard_prefixes"])
    # a part's hyphen may be typographic ("IEC 62321‐5:2013" from a word processor): see HYPHENS
    return re.compile(rf"(?<![\w/])(?:{prefixes})\s*(?:\d{{3}}\s\d{{3}}(?:{HYPHENS}\d+)*|\d{{2,5}}(?:{HYPHENS}\d+)*)"
                      r"(?:\s*:\s*\d{4})?(?:\s*\+\s*A\d{1,2}(?:\s*:\s*\d{4})?)*"
                      r"(?:\s+V\d{1,2}(?:\.\d{1,2}){1,3})?(?![\w])")     # an ETSI standard's version: "EN 300 328 V2.2.2"


def standards(doc: PdfText) -> list[Found]:
    """Harmonised standards and specifications ("EN 62368-1:2014+A11:2017"), spacing normalised."""
    seen: dict[str, Found] = {}
    for line in doc.lines():
        text = " ".join(w.text for w in line.words)
        for m in _standard().finditer(text):
            value = re.sub(r"\s*([:+])\s*", r"\1", re.sub(r"\s+", " ", m.group(0))).strip()
            value = re.sub(HYPHENS, "-", value)
            if value not in seen:
                seen[value] = Found(_words_of(line, m.start(), m.end(), text), 0.9, value)
    return list(seen.values())


def _words_of(line: Line, start: int, end: int, text: str) -> list[Word]:
    out, pos = [], 0
    for w in line.words:
        at = text.index(w.text, pos)
        pos = at + len(w.text)
        if at < end and start < pos:
            out.append(w)
    return out or line.words


@dataclass
class KeyValue:
    field: str
    label: str
    value: Found
    rank: int = 0       # which of the field's wordings the label holds: the one listed first wins


#: "1. Manufacturer", "a) Hersteller": a section heading's numbering.
NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[a-z]|[ivx]{1,4})\s*[.)]\s*")
#: How many lines under a section heading ("1. Manufacturer") its "Name:" line may be.
SECTION_LINES = 4


def key_values(doc: PdfText) -> list[KeyValue]:
    """'Label: value' lines (also 'Label:' with the value on the next line), classified by label.

    A bare "Name:" under a section heading that is itself a label ("1. Manufacturer" / "Name:
    …") belongs to the heading's field; read one step from its label, it is not promised."""
    classes = {k: v for k, v in data()["key_value_labels"].items() if not k.startswith("_")}
    skip = data()["skip_labels"]
    sub_labels = data()["section_sub_labels"]["wordings"]
    out: list[KeyValue] = []
    lines = list(doc.lines())
    section: tuple[str, int, int] | None = None       # (field, page, line index of the heading)
    for i, line in enumerate(lines):
        words = line.words
        colon = next((j for j, w in enumerate(words[:8]) if re.search(r"[:：]", w.text)), None)
        row = (_table_row(words) or _segment_row(line)) if colon is None else None
        if row is not None:
            label, value_words = row
            field = _classify(label, classes)
            if field is not None and not any(s in label for s in skip):
                value_words, value = _without_qualifier(value_words, " ".join(w.text for w in value_words).strip(" ,;"))
                if value:
                    out.append(KeyValue(field[0], label, Found(value_words, 0.9, value), field[1]))
                continue
        if colon is None:
            heading = NUMBERING.sub("", fold(line.text)).strip(" .")
            field = next((k for k, wordings in classes.items() if heading in wordings), None)
            if field is not None:
                section = (field, line.page, i)
            continue
        head, tail = re.split(r"[:：]", words[colon].text, maxsplit=1)
        label = fold(" ".join([w.text for w in words[:colon]] + [head])).strip()
        if not label or any(s in label for s in skip) or len(label) > 40:
            continue
        field, rank = _classify(label, classes) or (None, 0)
        confidence = 0.9
        if field is None and section is not None and label in sub_labels \
                and section[1] == line.page and i - section[2] <= SECTION_LINES:
            field, confidence = section[0], 0.85
        if field is None:
            continue
        value_words = words[colon + 1:]
        value = " ".join(([tail] if tail else []) + [w.text for w in value_words]).strip(" ,;")
        if not value and i + 1 < len(lines) and lines[i + 1].page == line.page:
            value_words = lines[i + 1].words
            value = " ".join(w.text for w in value_words).strip(" ,;")
        value_words, value = _without_qualifier(value_words, value)
        if value:
            out.append(KeyValue(field, label, Found(value_words or [words[colon]], confidence, value), rank))
    return out


def _classify(label: str, classes: dict[str, list[str]]) -> tuple[str, int] | None:
    """(field, rank of the wording) of a label that contains one of the fields' wordings."""
    for field, wordings in classes.items():
        rank = next((r for r, wording in enumerate(wordings) if wording in label), None)
        if rank is not None:
            return field, rank
    return None


#: A table's label cell has at most this many words, and its value starts this many font sizes
#: to the right of it ("Model No.        A2663"): a gap no word space makes.
ROW_LABEL_WORDS = 5
ROW_GAP = 2.5


def _table_row(words: list[Word]) -> tuple[str, list[Word]] | None:
    """(folded label, value words) of a two-cell table row printed without a colon
    ("Name of the Manufacturer      Anker Innovations Limited"); None when the line is no such row."""
    for j in range(1, min(ROW_LABEL_WORDS, len(words) - 1) + 1):
        gap = words[j].x0 - words[j - 1].x1
        if words[j].page == words[j - 1].page and gap >= ROW_GAP * max(words[j - 1].size, 1.0):
            label = fold(" ".join(w.text for w in words[:j])).strip(" .")
            return (label, words[j:]) if label and not any(c.isdigit() for c in label) and len(label) <= 40 else None
    return None


def _segment_row(line: Line) -> tuple[str, list[Word]] | None:
    """(folded label, value words) of a two-column row whose gap is narrower than ROW_GAP but that
    the layout still split into two cells ("Product Name   CHESTER")."""
    if len(line.segments) != 2 or len(line.segments[0]) > ROW_LABEL_WORDS:
        return None
    label = fold(" ".join(w.text for w in line.segments[0])).strip(" .")
    return (label, list(line.segments[1])) if label and not any(c.isdigit() for c in label) and len(label) <= 40 else None


def _without_qualifier(words: list[Word], value: str) -> tuple[list[Word], str]:
    """Drop a bracketed qualifier of the label ("(Or His authorized [representative)]") that
    the layout put before the value, even when its closing words went to another line."""
    if not value.startswith("("):
        return words, value
    close = value.find(")")
    if close >= 0:
        rest = value[close + 1:].strip(" ,;")
    else:
        opened = fold(value[1:]).split()
        wordings = [fold(w).split() for w in data()["label_qualifiers"]["wordings"]]
        count = max((n for q in wordings for n in range(2, len(q) + 1) if opened[:n] == q[:n]), default=0)
        if not count:
            return words, value
        rest = " ".join(value.split()[count:])
    kept = [w for w in words if w.text in rest.split()] if rest else []
    return (kept or words), rest


def notified_body(doc: PdfText) -> Found | None:
    """'Notified body: Name (0123)' or 'Notified body No. 0123': name and four-digit number."""
    lines = list(doc.lines())
    for i, line in enumerate(lines):
        text = " ".join(w.text for w in line.words)
        at = fold(text).find("notified body")
        if at < 0:
            continue
        rest = text[at + len("notified body"):]
        if not re.sub(r"[\W_]", "", rest) and i + 1 < len(lines):
            rest = " ".join(w.text for w in lines[i + 1].words)
        number = NOTIFIED_NUMBER.search(rest)
        name = re.sub(r"\((?:no\.?\s*)?\d{4}\)|\b(?:no\.?|number|nr\.?)\s*\d{4}|\d{4}", "", rest, flags=re.I)
        name = re.sub(r"^[\s:,.-]*(?:\(nb\)\s*)?(?:name\s*[:]?)?", "", name, flags=re.I).strip(" :,;.-()")
        name = re.split(r"\s+(?:performed|carried|has|issued|certificate)\b", name)[0].strip(" :,;.-")
        if number or name:
            value = {"name": name or None, "number": number.group(1) if number else None}
            return Found(line.words, 0.85 if number else 0.7, value)
    return None
