"""RoHS declarations of conformity (Directive 2011/65/EU and (EU) 2015/863), PDF."""

from __future__ import annotations

import re
from pathlib import Path

from ..pdf.anchors import Found, cue_pattern, hits_for, page_of
from ..pdf.declaration import put_common, rohs_statement, svhc_side_statement
from ..pdf.evidence import declaration_score, management_certificate, passed_test_report, substance_certificate
from ..pdf.fields import guess_warning, headline_kind, put, put_notes
from ..pdf.identifiers import EXEMPTION, normalise_exemption
from ..pdf.layout import Line, PdfText, Word, fold
from ..pdf.ocr_quality import cap_poorly_read
from ..pdf.preflight import pdf_text
from ..registry import Extractor, Probe, register
from ..result import Extraction

ROHS_WORDS = re.compile(r"\brohs\d?\b|2011/65/e[uug]|2015/863")
COMPLIANCE_TITLE = re.compile(r"certificate of (?:compliance|conformance|conformity)")
#: A laboratory's RoHS test certificate is read as a RoHS declaration, before a certificate.
LAB_CERTIFICATE = 0.96
#: How many lines under an "Exemptions" label may continue its list.
LIST_LINES = 20
#: How many lines without an id (a wrapped description) may sit between two exemption rows.
WRAPPED_LINES = 3


@register
class RohsExtractor(Extractor):
    document_type = "rohs"
    file_kinds = ("pdf",)

    def detect(self, probe: Probe) -> float:
        if probe.kind != "pdf" or not (declaration_score(probe.text) or passed_test_report(probe.text)):
            return 0.0       # positive evidence of a declaration, or it is not ours (see evidence.py)
        hits = len(ROHS_WORDS.findall(probe.text))
        score = 0.0 if not hits else 0.9 if hits >= 2 or "declaration" in probe.text else 0.6
        # "RoHS Certificate of Compliance" is a supplier's declaration, not a certification body's
        # certificate; nor is a laboratory's RoHS test certificate for a maker's products (above
        # the certificate reader's 0.95).
        if headline_kind(probe.text) == "certificate" and management_certificate(probe.text):
            return min(score, 0.5)     # IECQ QC 080000: a management system for RoHS, certified
        if headline_kind(probe.text) == "certificate" and not COMPLIANCE_TITLE.search(probe.text):
            return LAB_CERTIFICATE if substance_certificate(probe.text, "rohs") else min(score, 0.5)
        return score

    def extract(self, path: Path, probe: Probe) -> Extraction:
        doc = pdf_text(path, probe)
        ex = self.new_extraction()
        put_notes(ex, doc)
        put_common(ex, doc)
        said = rohs_statement(doc) or _verdict(doc)
        if said is not None:
            put(ex, ("rohs_compliant",), said[1], value=said[0])
        svhc = svhc_side_statement(doc)
        if svhc is not None:       # a combined RoHS + REACH statement
            put(ex, ("svhc_above_threshold",), svhc[1], value=svhc[0])
        exemptions, where = _exemptions(doc)
        if exemptions:
            for i, found in enumerate(exemptions):
                put(ex, ("exemptions", i), found)
        elif where is not None:
            put(ex, ("exemptions",), where, value=[])
        # a value read from a page OCR read poorly (a stamp, glare, blur) is no promise, as on a certificate
        cap_poorly_read(ex.fields, doc)
        guess_warning(ex)
        return ex


#: A laboratory's verdict on a line of its results table or conclusion.
PASS = re.compile(r"(?<![a-z])pass(?:ed)?(?![a-z])")


def _verdict(doc: PdfText) -> tuple[bool, Found] | None:
    """A laboratory's RoHS report that states no compliance sentence, only "Pass": compliant,
    read from the verdict's line, and not promised (the scope of the test is the report's)."""
    if not passed_test_report(doc.text()):
        return None
    line = next((ln for ln in doc.lines() if PASS.search(fold(ln.text))), None)
    return (True, Found(line.words, 0.7)) if line is not None else None


def _ids(words: list[Word]) -> list[Found]:
    found = []
    for w in words:
        for m in EXEMPTION.finditer(w.text):
            found.append(Found([w], 0.92, normalise_exemption(m.group(1))))
    return found


#: "per exemption 6 – lead as an alloying element": an Annex III item by its bare number (1-46).
NAMED_ITEM = re.compile(r"^(?:[1-9]|[1-3]\d|4[0-6])$")
#: "6a", "7cI", "7c-II": an id written without brackets; read only where a label says the list is
#: one of exemptions (elsewhere "4a" is a house number).
COMPACT = re.compile(r"^(\d{1,2})([a-e])(?:-?(I{1,3}|IV))?[,;.]?$")
#: "6 a, b, c, 7 a, 7 c(I)": a letter (with its Roman sub-number) under the last item number;
#: OCR reads the Roman "I" as "l" or "1".
SHORT_LETTER = re.compile(r"^([a-e])(?:\(([il1]{1,3}|iv)\))?$")
#: Words that may join the items of a shorthand list.
JOINERS = {"", "and", "&", "und", "et"}


def _compact_ids(words: list[Word]) -> list[Found]:
    found = []
    for w in words:
        m = COMPACT.match(w.text)
        if m and NAMED_ITEM.match(m.group(1)):
            roman = f"-{m.group(3)}" if m.group(3) else ""
            found.append(Found([w], 0.85, f"{m.group(1)}({m.group(2)}){roman}"))
    return found


def _shorthand(doc: PdfText) -> list[Found]:
    """"Exemptions … are 6 a, b, c, 7 a, 7 c(I)": items written as a number followed by letters,
    in a sentence about exemptions (read with the next line, where such a list often runs on)."""
    lines = list(doc.lines())
    for i, line in enumerate(lines):
        words = line.words + (lines[i + 1].words if i + 1 < len(lines) else [])
        texts = [fold(w.text).strip(",;.") for w in words]
        if not any(t.startswith("exemption") for t in texts[:len(line.words)]):
            continue
        start = next((j for j in range(len(texts) - 1) if NAMED_ITEM.match(texts[j])
                      and SHORT_LETTER.match(texts[j + 1])), None)
        if start is None:
            continue
        found: list[Found] = []
        number = None
        for w, t in zip(words[start:], texts[start:]):
            m = SHORT_LETTER.match(t)
            if NAMED_ITEM.match(t):
                number = t
            elif m and number is not None:
                roman = m.group(2).replace("l", "i").replace("1", "i").upper() if m.group(2) else ""
                found.append(Found([w], 0.6, f"{number}({m.group(1)})" + (f"-{roman}" if roman else "")))
            elif t not in JOINERS:
                break
        if len(found) >= 2:
            return found
    return []


def _named_item(words: list[Word]) -> list[Found]:
    """A bare Annex III item number right after the word "exemption" (never a plating code "-6")."""
    return [Found([w], 0.6, w.text.strip(",;.")) for prev, w in zip(words, words[1:])
            if fold(prev.text) == "exemption" and NAMED_ITEM.match(w.text.strip(",;."))]


def _exemptions(doc: PdfText) -> tuple[list[Found], Found | None]:
    """Exemption ids at an "Exemptions" label (same line and the lines under it); else anywhere."""
    none = cue_pattern("exemptions_none")
    said_none: Found | None = None
    for hit in hits_for(doc, "exemptions"):
        rest = hit.line.segments[hit.seg][hit.end:] + [w for s in hit.line.segments[hit.seg + 1:] for w in s]
        found = _ids(rest) + _compact_ids(rest) + _ids_below(doc, hit.line)
        if found:
            return _unique(found), None
        if none.search(fold(" ".join(w.text for w in rest))):
            said_none = said_none or Found(hit.line.words, 0.9)
    if said_none is not None:
        return [], said_none
    found = [f for line in doc.lines() for f in _ids(line.words) + _named_item(line.words)] or _shorthand(doc)
    for f in found:
        f.confidence = 0.6
    if found:
        return _unique(found), None
    lines = list(doc.lines())
    return [], (Found(lines[0].words, 0.55) if lines else None)


def _ids_below(doc: PdfText, line: Line) -> list[Found]:
    page = page_of(doc, line.page)
    out: list[Found] = []
    below = [ln for ln in page.lines if ln.top > line.bottom - 1][:LIST_LINES]
    misses = 0
    for ln in below:
        compact = _compact_ids(ln.words)     # only a line of ids: "Flat 4a, Storgata 12" is an address
        ids = _ids(ln.words) + (compact if len(compact) == len([w for w in ln.words
                                                                if fold(w.text).strip(",;.") not in JOINERS]) else [])
        misses = 0 if ids else misses + 1
        if misses > WRAPPED_LINES and len(line.segments) == 1:
            break       # a list ends at a gap; a table (a header of columns) runs on past wrapped rows
        out += ids
    return out


def _unique(found: list[Found]) -> list[Found]:
    seen: dict[str, Found] = {}
    for f in found:
        seen.setdefault(f.value, f)
    return list(seen.values())
