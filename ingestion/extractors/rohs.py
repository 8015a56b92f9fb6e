"""RoHS declarations of conformity (Directive 2011/65/EU and (EU) 2015/863), PDF."""

from __future__ import annotations

import re
from pathlib import Path

from ..pdf.anchors import Found, cue_pattern, hits_for, page_of
from ..pdf.declaration import put_common, rohs_statement, svhc_side_statement
from ..pdf.evidence import declaration_score, substance_certificate
from ..pdf.fields import guess_warning, headline_kind, put, put_notes
from ..pdf.identifiers import EXEMPTION, normalise_exemption
from ..pdf.layout import Line, PdfText, Word, fold
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
        if probe.kind != "pdf" or not declaration_score(probe.text):
            return 0.0       # positive evidence of a declaration, or it is not ours (see evidence.py)
        hits = len(ROHS_WORDS.findall(probe.text))
        score = 0.0 if not hits else 0.9 if hits >= 2 or "declaration" in probe.text else 0.6
        # "RoHS Certificate of Compliance" is a supplier's declaration, not a certification body's
        # certificate; nor is a laboratory's RoHS test certificate for a maker's products (above
        # the certificate reader's 0.95).
        if headline_kind(probe.text) == "certificate" and not COMPLIANCE_TITLE.search(probe.text):
            return LAB_CERTIFICATE if substance_certificate(probe.text, "rohs") else min(score, 0.5)
        return score

    def extract(self, path: Path, probe: Probe) -> Extraction:
        doc = pdf_text(path, probe)
        ex = self.new_extraction()
        put_notes(ex, doc)
        put_common(ex, doc)
        said = rohs_statement(doc)
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
        guess_warning(ex)
        return ex


def _ids(words: list[Word]) -> list[Found]:
    found = []
    for w in words:
        for m in EXEMPTION.finditer(w.text):
            found.append(Found([w], 0.92, normalise_exemption(m.group(1))))
    return found


#: "per exemption 6 – lead as an alloying element": an Annex III item by its bare number (1-46).
NAMED_ITEM = re.compile(r"^(?:[1-9]|[1-3]\d|4[0-6])$")


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
        found = _ids(rest) + _ids_below(doc, hit.line)
        if found:
            return _unique(found), None
        if none.search(fold(" ".join(w.text for w in rest))):
            said_none = said_none or Found(hit.line.words, 0.9)
    if said_none is not None:
        return [], said_none
    found = [f for line in doc.lines() for f in _ids(line.words) + _named_item(line.words)]
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
        ids = _ids(ln.words)
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
