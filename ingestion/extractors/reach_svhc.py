"""REACH Article 33 declarations on Substances of Very High Concern (PDF)."""

from __future__ import annotations

import re
from pathlib import Path

from ..pdf.anchors import Found
from ..pdf.declaration import put_common, statement, svhc_absent_statement, svhc_present_statement
from ..pdf.evidence import declaration_score, passed_test_report, reach_titled, substance_certificate, type_score
from ..pdf.fields import guess_warning, headline_kind, put, put_notes
from ..pdf.identifiers import CAS_SHAPE, EC_SHAPE, cas_is_valid, ec_is_valid
from ..pdf.dates import find_dates
from ..pdf.labels import load
from ..pdf.layout import Line, PdfText, Word, fold
from ..pdf.ocr_quality import cap_poorly_read
from ..pdf.preflight import pdf_text
from ..registry import Extractor, Probe, register
from ..result import Extraction
from ..errors import N_

REACH_WORDS = re.compile(r"\breach\b|1907/2006")
#: Article 33 is REACH's duty to tell about Candidate List substances above 0.1 % w/w: an SVHC subject.
SVHC_WORDS = re.compile(r"svhc|very high concern|candidate list|kandidatenliste|besonders besorgniserregend"
                        r"|extr[eê]mement pr[eé]occupant|substances candidates|article 33\b|artikel 33\b")
#: Titled about REACH and not RoHS: the REACH statement, above a RoHS reading (0.9).
TITLED = 0.93
#: RoHS named this strongly (see data/document_kinds.json) makes a REACH statement a combined one.
ROHS_TOO = 4
#: A laboratory's REACH SVHC test certificate is read as a REACH declaration, before a certificate.
LAB_CERTIFICATE = 0.96
NUMBER = re.compile(r"^[<>≤≥~]?\s*(\d{1,3}(?:[.,]\d+)?)\s*%?$")
#: Column headers and prefixes around a substance's name that are not part of it.
NAME_NOISE = {"cas", "casno", "casnr", "casnumber", "ec", "ecno", "ecnr", "ecnumber", "einecs", "no", "nr"}


@register
class ReachSvhcExtractor(Extractor):
    document_type = "reach_svhc"
    file_kinds = ("pdf",)

    def detect(self, probe: Probe) -> float:
        if probe.kind != "pdf" or not (declaration_score(probe.text) or passed_test_report(probe.text)):
            return 0.0       # positive evidence of a declaration, or it is not ours (see evidence.py)
        reach, svhc = bool(REACH_WORDS.search(probe.text)), bool(SVHC_WORDS.search(probe.text))
        score = 0.92 if reach and svhc else 0.7 if svhc else 0.3 if reach else 0.0
        if reach and not svhc and headline_kind(probe.text) == "declaration":
            score = 0.6      # "Declaration of conformity to 1907/2006 (REACH)": no SVHC wording, still REACH
        rohs_too = type_score(probe.text, "rohs") >= ROHS_TOO
        if rohs_too:
            score = min(score, 0.85)   # a combined RoHS + REACH statement is read as the RoHS one
        if reach and reach_titled(probe.text):
            score = TITLED             # ... unless its title is REACH and not RoHS
        if headline_kind(probe.text) != "certificate":
            return score
        # a laboratory's SVHC test certificate for a maker's products, before a certificate (0.95)
        return LAB_CERTIFICATE if not rohs_too and substance_certificate(probe.text, "reach_svhc") else min(score, 0.5)

    def extract(self, path: Path, probe: Probe) -> Extraction:
        doc = pdf_text(path, probe)
        ex = self.new_extraction()
        put_notes(ex, doc)
        cl_lines = put_common(ex, doc)
        _put_candidate_list_edition(ex, doc)
        substances = _substances(doc, cl_lines)
        for i, row in enumerate(substances):
            for key, found in row.items():
                put(ex, ("substances", i, key), found)
            _check_numbers(ex, i, row)
        said = statement(doc, "svhc_absent", "svhc_present")
        if said is None:
            present, absent = svhc_present_statement(doc), svhc_absent_statement(doc)
            said = ("svhc_present", present) if present is not None \
                else ("svhc_absent", absent) if absent is not None else None
        if said is not None and said[0] == "svhc_absent" and _reference_list(doc, substances):
            substances = []      # the Candidate List printed for reference: "none of the substances in Appendix B"
        above = [r for r in substances if "concentration_percent" not in r
                 or r["concentration_percent"].value >= 0.1]
        if substances and above:
            put(ex, ("svhc_above_threshold",), Found(above[0]["cas_number"].words, 0.9), value=True)
        elif said is not None:
            put(ex, ("svhc_above_threshold",), said[1], value=said[0] == "svhc_present")
        if not substances and said is not None:
            put(ex, ("substances",), said[1], value=[])
        # a value read from a page OCR read poorly (a stamp, glare, blur) is no promise, as on a certificate
        cap_poorly_read(ex.fields, doc)
        guess_warning(ex)
        return ex


def _reference_list(doc: PdfText, substances: list[dict[str, Found]]) -> bool:
    """The rows are the Candidate List itself, reprinted beside a statement that none of it is
    present: no row gives a concentration and the page says the list is an appendix or prints
    its "date of inclusion" column (data/conformity.json)."""
    if not substances or any("concentration_percent" in r for r in substances):
        return False
    wordings = load("conformity")["svhc_statements"]["reference_list"]["wordings"]
    text = " ".join(fold(line.text) for line in doc.lines())
    return any(fold(w) in text for w in wordings)


def _substances(doc: PdfText, skip: set[int]) -> list[dict[str, Found]]:
    """One row per line holding a CAS number: name to its left, EC number and concentration after."""
    rows = []
    for line in doc.lines():
        if id(line) in skip:
            continue
        words = line.words
        cas_at = next((i for i, w in enumerate(words) if CAS_SHAPE.fullmatch(w.text.strip("(),;"))), None)
        if cas_at is None:
            continue
        row = {"cas_number": Found([words[cas_at]], 0.93, words[cas_at].text.strip("(),;"))}
        name = _name(line, words[cas_at])
        if name:
            row["name"] = Found(name, 0.88, " ".join(w.text for w in name).strip(" ,;(:"))
        after = words[cas_at + 1:]
        ec = next((w for w in after if EC_SHAPE.fullmatch(w.text.strip("(),;"))), None)
        if ec is not None:
            row["ec_number"] = Found([ec], 0.93, ec.text.strip("(),;"))
            after = after[after.index(ec) + 1:]
        for j, w in enumerate(after):
            text = w.text if j + 1 >= len(after) or after[j + 1].text != "%" else w.text + "%"
            m = NUMBER.match(text.strip("()"))
            if m:
                row["concentration_percent"] = Found([w], 0.85, float(m.group(1).replace(",", ".")))
                break
        rows.append(row)
    return rows


def _name(line: Line, cas: Word) -> list[Word]:
    """The words before the CAS number in its row: its own cell if the row is a table row."""
    before = [w for w in line.words if w.x1 <= cas.x0]
    for seg in line.segments:
        if cas in seg and seg.index(cas) > 0:
            before = seg[:seg.index(cas)]
            break
    else:
        segs = [s for s in line.segments if s[-1].x1 <= cas.x0]
        before = segs[0] if segs else before
    while before and (not before[-1].key or before[-1].key in NAME_NOISE or fold(before[-1].text) in ("(", ":")):
        before = before[:-1]
    # running text: "the identified substance (Lead, CAS 7439-92-1)": the name opens the parenthesis
    opened = [i for i, w in enumerate(before) if w.text.startswith("(") and ")" not in w.text]
    if opened and not any(")" in w.text for w in before[opened[-1]:]):
        before = before[opened[-1]:]
    return before


def _check_numbers(ex: Extraction, i: int, row: dict[str, Found]) -> None:
    cas = row.get("cas_number")
    if cas is not None and not cas_is_valid(cas.value):
        ex.error(f"/substances/{i}/cas_number", N_("CAS number %(cas)s has an invalid check digit") % {"cas": cas.value})
    ec = row.get("ec_number")
    if ec is not None and not ec_is_valid(ec.value):
        ex.error(f"/substances/{i}/ec_number", N_("EC number %(ec)s has an invalid check digit") % {"ec": ec.value})


#: "the 242 (SVHC)", "Candidate List: JUNE 2022 (224)", "all 235 substances of very high concern".
LIST_SIZE = re.compile(r"(?<![\d.,/])(\d{3})\s*(?:\(svhcs?\)|svhcs?\b|substances (?:of|with) very high concern|\)"
                       r"|(?:substances|entries|items|stoffe|substances candidates)\b)")
ADDED = re.compile(r"\b(?:added|adding|included|updated|published)\b")


def _put_candidate_list_edition(ex: Extraction, doc: PdfText) -> None:
    """Where no "Candidate List of <date>" is printed: the list's size ("242 SVHC") as its version,
    and the date its latest substances were added ("… added on November 7, 2024") as its date."""
    lines = list(doc.lines())
    for i, line in enumerate(lines):
        words = line.words + (lines[i + 1].words if i + 1 < len(lines) else [])   # sentences wrap
        text = fold(" ".join(w.text for w in words))
        if not SVHC_WORDS.search(text) and "candidate" not in text:
            continue
        size = LIST_SIZE.search(fold(line.text))
        if size and "candidate_list_version" not in ex.record:
            put(ex, ("candidate_list_version",), Found(line.words, 0.8), value=f"{size.group(1)} substances")
        added = next((j for j, w in enumerate(words) if ADDED.search(fold(w.text))), None)
        if "candidate_list_date" not in ex.record and added is not None and added < len(line.words):
            hits = [h for h in find_dates(words) if h.first > added]
            if hits:
                put(ex, ("candidate_list_date",), Found(words[hits[0].first:hits[0].last + 1], 0.7),
                    value=hits[0].value.isoformat())
