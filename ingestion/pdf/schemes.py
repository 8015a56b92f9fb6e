"""Which certification scheme a certificate belongs to, and the standard as printed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from statistics import median

from .anchors import Found, find_labels
from .labels import labels_for, load
from .layout import Folded, Line, PdfText, fold

#: Schemes are named on the first pages; annexes repeat or cite other standards.
SCHEME_PAGES = 2


#: OCR reads the O of "ISO9001" as a zero ("IS09001:2015"), and the I as a one or an l, the S as
#: a 5 ("1S09001", "1509001"): read so only before the number of a management-system standard.
OCR_ISO = re.compile(r"(?<![a-z0-9])(?:is0(?=\s*\d{4,5}(?!\d))|[1l][s5][o0](?=\s*(?:9001|14001|45001|50001|22000"
                     r"|27001|13485|16949|22716)(?!\d)))")


@dataclass
class SchemeGuess:
    scheme: str
    confidence: float
    found: Found | None             # the words naming the scheme
    standard: Found | None          # the standard with its version, e.g. "ISO 14001:2015"


@lru_cache(maxsize=1)
def _schemes() -> dict[str, tuple[list[re.Pattern[str]], re.Pattern[str]]]:
    return {
        name: ([re.compile(c) for c in entry["cues"]], re.compile(entry["standard"], re.IGNORECASE))
        for name, entry in load("schemes")["schemes"].items()
    }


def detect_scheme(doc: PdfText) -> SchemeGuess:
    """The scheme named most prominently: bigger type, a "Standard" label, earlier page."""
    lines = [line for page in doc.pages[:SCHEME_PAGES] for line in page.lines]
    if not lines:
        return SchemeGuess("other", 0.5, None, None)
    body_size = median(line.size for line in lines)
    standard_labels = labels_for("standard")
    best: dict[str, tuple[float, Line, Found]] = {}
    for line in lines:
        folded = Folded.of(line.words)
        labelled = bool(find_labels(line, standard_labels))
        text = OCR_ISO.sub("iso", folded.text)       # same length: the word spans still hold
        for name, (patterns, _) in _schemes().items():
            for pattern in patterns:
                m = pattern.search(text)
                if not m:
                    continue
                first, last = folded.span(m.start(), m.end())
                words = line.words[first:last + 1]
                score = max(w.size for w in words) / body_size + (0.5 if labelled else 0) \
                    - 0.2 * (line.page - 1)
                if name not in best or score > best[name][0]:
                    best[name] = (score, line, Found(words, 0.0))
                break
    if not best or _overridden(lines):
        return _other(lines, body_size)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    name, (score, line, found) = ranked[0]
    if len(ranked) == 1:
        confidence = 0.96
    elif score - ranked[1][1][0] >= 0.3:
        confidence = 0.85
    else:
        confidence = 0.6           # two schemes named alike: a person should look
    found.confidence = confidence
    return SchemeGuess(name, confidence, found, _standard(line, name, confidence))


def _standard(line: Line, scheme: str, confidence: float) -> Found | None:
    """The standard's name with its version, read from the line that names the scheme."""
    _, pattern = _schemes()[scheme]
    m = pattern.search(" ".join(w.text for w in line.words))
    return _words_of_match(line, m, confidence) if m else None


def _words_of_match(line: Line, m: re.Match[str], confidence: float) -> Found:
    """The words a match on the line's printed text covers, with the match as the value."""
    starts, pos = [], 0
    for w in line.words:
        starts.append(pos)
        pos += len(w.text) + 1
    covered = [w for w, st in zip(line.words, starts) if st < m.end() and m.start() < st + len(w.text)]
    return Found(covered, confidence, re.sub(r"\s+", " ", m.group(0)).strip())


GENERIC_STANDARD = re.compile(r"\b(?:(?:DIN|NF|BS|UNE)\s+)?(?:EN\s+)?(?:ISO|IATF|IEC|EN|OHSAS|SA)(?:/IEC)?\s?\d{3,5}"
                              r"(?:-\d+)*(?::\s?\d{4})?")


@lru_cache(maxsize=1)
def _other_standards() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    return [(re.compile(e["cue"]), re.compile(e["standard"], re.IGNORECASE))
            for e in load("schemes")["other_standards"]["entries"]]


def _overridden(lines: list[Line]) -> bool:
    """A document that names one of our schemes but is not its certificate (a GOTS letter of approval)."""
    cues = [re.compile(e["cue"]) for e in load("schemes")["other_standards"]["entries"] if e.get("overrides_named")]
    return any(cue.search(Folded.of(line.words).text) for line in lines for cue in cues)


def names_other_standard(folded_text: str) -> bool:
    """Does the text name a scheme we read as "other" (ISO 22000, BRCGS, kosher, …)?"""
    return any(cue.search(folded_text) for cue, _ in _other_standards())


def _other(lines: list[Line], body_size: float) -> SchemeGuess:
    """A scheme without its own code (ISO 22000, IATF 16949, BRCGS, kosher, …): "other", with the
    standard named — a listed one (data/schemes.json other_standards) at a trusted confidence,
    any ISO/EN-shaped standard at a lower one."""
    named = []
    for line in lines:
        text = " ".join(w.text for w in line.words)
        folded = Folded.of(line.words).text
        for cue, standard in _other_standards():
            m = standard.search(text) if cue.search(folded) else None
            if m:   # the fullest name ("GOTS Letter of Approval", "… Standard V7-0") before a bigger, shorter one
                fullness = (bool(re.search(r"\d", m.group(0))), len(m.group(0).split()))
                named.append(((1, *fullness), line.size / body_size, -line.top, line, m))
                break
        else:
            m = GENERIC_STANDARD.search(text)
            if m:
                named.append(((0, False, 0), line.size / body_size, -line.top, line, m))
    if not named:
        return _by_system_name(lines) or SchemeGuess("other", 0.55, None, None)
    listed, _, _, line, m = max(named, key=lambda t: (t[0], t[1], t[2]))
    confidence = 0.9 if listed[0] else 0.7
    found = _words_of_match(line, m, confidence)
    return SchemeGuess("other", confidence, found, found)


#: A scheme told only by the system it certifies ("Quality Management System of"): a guess to check.
SYSTEM_NAME_CONFIDENCE = 0.6


def _by_system_name(lines: list[Line]) -> SchemeGuess | None:
    """The one scheme whose management system the page names (data/schemes.json system_names)."""
    names = {k: v for k, v in load("schemes")["system_names"].items() if not k.startswith("_")}
    found: dict[str, Found] = {}
    for line in lines:
        folded = Folded.of(line.words)
        for scheme, wordings in names.items():
            for wording in wordings:
                m = re.search(rf"(?<![a-z0-9]){re.escape(fold(wording))}(?![a-z0-9])", folded.text)
                if m and scheme not in found:
                    first, last = folded.span(m.start(), m.end())
                    found[scheme] = Found(line.words[first:last + 1], SYSTEM_NAME_CONFIDENCE)
    if len(found) != 1:
        return None
    scheme, where = next(iter(found.items()))
    return SchemeGuess(scheme, SYSTEM_NAME_CONFIDENCE, where, None)
