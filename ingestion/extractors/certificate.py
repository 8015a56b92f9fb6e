"""Certificates (PDF): ISO 9001/14001/45001/50001, GOTS, OEKO-TEX STANDARD 100, FSC CoC, GRS, other.

Every field is looked for the same way whatever the layout: by its labels in English, German
and French (ingestion/pdf/data/labels.json), then by the shape its value must have, and only
then by a guess from the layout, which scores low so a person checks it.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..pdf.anchors import Found, hits_for, page_of, value_at, values
from ..pdf.dates import find_dates
from ..pdf.identifiers import (country_of_address, has_legal_form, legal_form_end, number_fits_scheme,
                               scheme_numbers)
from ..pdf.labels import load
from ..pdf.layout import Line, PdfText, Word, fold
from ..pdf.preflight import pdf_text
from ..pdf.schemes import detect_scheme
from ..pdf.shapes import date_shaper, id_shaper, is_title, phrase_date_shaper, text_shaper
from ..registry import Extractor, Probe, register
from ..result import Extraction
from ..pdf.fields import below_value, best, guess_warning, headline_kind, put, put_notes

CERTIFICATE_WORDS = re.compile(r"\b(certificate|zertifikat|certificat|certification|zertifizierung|licence|license)\b")
DECLARATION_WORDS = re.compile(r"\b(declaration|erklarung|erklärung|déclaration|svhc|rohs|reach)\b")


@register
class CertificateExtractor(Extractor):
    document_type = "certificate"
    file_kinds = ("pdf",)

    def detect(self, probe: Probe) -> float:
        if probe.kind != "pdf":
            return 0.0
        text = probe.text
        score = 0.55 if CERTIFICATE_WORDS.search(text) else 0.0
        if any(re.search(c, fold(text)) for e in load("schemes")["schemes"].values() for c in e["cues"]):
            score += 0.35
        headline = headline_kind(text)
        if headline == "declaration":
            score -= 0.3
        elif headline is None and DECLARATION_WORDS.search(text):
            score -= 0.15
        return max(0.0, min(score, 0.95))

    def extract(self, path: Path, probe: Probe) -> Extraction:
        doc = pdf_text(path, probe)
        ex = self.new_extraction()
        put_notes(ex, doc)

        guess = detect_scheme(doc)
        ex.put(("scheme",), guess.scheme, confidence=guess.found.score if guess.found else guess.confidence,
               source=guess.found.source if guess.found else None)
        standard = best(values(doc, "standard", text_shaper(stops=False, max_words=8))) or guess.standard
        if standard is not None:
            put(ex, ("standard",), standard)

        number = _certificate_number(doc, guess.scheme)
        if number is not None:
            put(ex, ("certificate_number",), number)

        holder = _holder(doc)
        issuer = _issuer(doc, holder)
        if holder is not None:
            put(ex, ("holder", "name"), holder)
            address = _address(doc, holder)
            if address is not None:
                put(ex, ("holder", "address"), address)
                code = country_of_address(address.value)
                if code:
                    ex.put(("holder", "country_code"), code, confidence=address.score * 0.95,
                           source=address.source)
        if issuer is not None:
            put(ex, ("issuer", "name"), issuer)

        scope = best(values(doc, "scope", text_shaper(stops=False, max_words=60), lines_below=3))
        if scope is not None:
            put(ex, ("scope",), scope)

        issued, expires = _dates(doc)
        for key, found in (("issue_date", issued), ("expiry_date", expires)):
            if found is not None:
                put(ex, (key,), found, value=found.value.isoformat())
        _check_dates(ex, issued, expires)
        guess_warning(ex)
        return ex


def _certificate_number(doc: PdfText, scheme: str) -> Found | None:
    found = values(doc, "certificate_number", id_shaper)
    shaped_elsewhere = bool(scheme_numbers(doc.text(), scheme))
    for f in found:
        # A number of the scheme's known shape confirms the label; one of another shape is suspect.
        if number_fits_scheme(f.value, scheme):
            f.confidence = min(0.98, f.confidence + 0.03)
        elif shaped_elsewhere:
            f.confidence -= 0.25
    found.sort(key=lambda f: (-f.score, f.page, f.words[0].top))
    if found and found[0].score >= 0.6:
        return found[0]
    for line in doc.lines():       # no label: a token of the scheme's own shape anywhere
        for word in line.words:
            if scheme_numbers(word.text, scheme):
                return Found([word], 0.7, scheme_numbers(word.text, scheme)[0])
    return found[0] if found else None


def _holder(doc: PdfText) -> Found | None:
    found = values(doc, "holder_name", text_shaper(max_words=12))
    for f in found:
        _trim_at_legal_form(f)
        if has_legal_form(f.value):
            f.confidence = min(0.98, f.confidence + 0.03)
    found.sort(key=lambda f: (-f.score, f.page, f.words[0].top))
    if found:
        return found[0]
    return _prominent_company(doc, exclude="")


def _trim_at_legal_form(f: Found) -> None:
    """"Nordwerk GmbH, Industriestrasse 12, …" -> the name; the rest stays for the address."""
    end = legal_form_end(f.value)
    if end is None or end >= len(f.value.rstrip(" .,")):
        return
    rest = f.value[end:]
    if rest.lstrip().startswith(","):
        kept, length = [], 0
        for w in f.words:
            if length >= end:
                break
            kept.append(w)
            length += len(w.text) + 1
        f.words = kept
        f.value = f.value[:end].strip()


def _prominent_company(doc: PdfText, exclude: str) -> Found | None:
    """No label: the largest line on page 1 naming a company by its legal form, else the
    largest line that is no title, label or number at all (a weaker guess)."""
    def plain(ln: Line) -> bool:
        return not is_title(ln.text) and fold(ln.text) != fold(exclude) and ":" not in ln.text
    lines = [ln for ln in doc.pages[0].lines if plain(ln) and has_legal_form(ln.text)]
    confidence = 0.5
    if not lines:
        lines = [ln for ln in doc.pages[0].lines if plain(ln) and not re.search(r"\d", ln.text)
                 and not CERTIFICATE_WORDS.search(fold(ln.text))]
        confidence = 0.35
    if not lines:
        return None
    line = max(lines, key=lambda ln: (ln.size, -ln.top))
    seg = max(line.segments, key=lambda s: has_legal_form(" ".join(w.text for w in s)))
    f = Found(list(seg), confidence, " ".join(w.text for w in seg).strip(" ,;"))
    _trim_at_legal_form(f)
    return f


def _address(doc: PdfText, holder: Found) -> Found | None:
    labelled = best(values(doc, "holder_address", text_shaper(stops=False, max_words=25), lines_below=3))
    if labelled is not None:
        return labelled
    # The address of a centred certificate is the line(s) right under the holder's name.
    words = below_value(doc, holder, lines=2)
    text = ", ".join(" ".join(w.text for w in ln) for ln in _rows(words))
    if words and (re.search(r"\d", text) or "," in text) and not find_dates(words):
        return Found(words, 0.75 * holder.confidence / 0.95, text)
    return None


def _rows(words: list[Word]) -> list[list[Word]]:
    rows: list[list[Word]] = []
    for w in words:
        if rows and abs(rows[-1][-1].top - w.top) < 2:
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


def _issuer(doc: PdfText, holder: Found | None) -> Found | None:
    holder_name = fold(holder.value) if holder else ""
    found = [f for f in values(doc, "issuer_name", text_shaper(max_words=10)) if fold(f.value) != holder_name]
    if found:
        return found[0]
    pattern = _bodies()
    for page in doc.pages[:2]:
        for line in page.lines:
            for seg in line.segments:
                text = " ".join(w.text for w in seg)
                m = pattern.search(fold(text))
                if m and fold(text) != holder_name:
                    # "Control Union Certifications B.V. declares that": the name ends at its legal form.
                    end = legal_form_end(text)
                    value = text[:end] if end else text if len(seg) <= 8 else m.group(0)
                    return Found(list(seg), 0.6, value.strip(" ,;"))
    return None


@lru_cache(maxsize=1)
def _bodies() -> re.Pattern[str]:
    """Known certification bodies, for certificates that name theirs without a label."""
    names = sorted(load("schemes")["certification_bodies"], key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(n)) for n in names) + r")(?!\w)")


def _dates(doc: PdfText) -> tuple[Found | None, Found | None]:
    issued = values(doc, "issue_date", date_shaper())
    expires = values(doc, "expiry_date", date_shaper(pick="last"))
    ranges = _validity_ranges(doc)
    for found, index in ((issued, 0), (expires, -1)):
        for line in ranges:
            hits = find_dates(line.words)
            hit = hits[index]
            found.append(Found(line.words[hit.first:hit.last + 1], 0.9, hit.value))
        found.sort(key=lambda f: (-f.score, f.page, f.words[0].top))
    issue = issued[0] if issued else None
    expiry = expires[0] if expires else None
    if issue is None:     # "Issued by X on 25.01.2025": the date comes late in the sentence
        issue = best(_phrase_dates(doc))
    if issue is None or expiry is None:
        issue, expiry = _unlabelled_dates(doc, issue, expiry)
    return issue, expiry


def _phrase_dates(doc: PdfText) -> list[Found]:
    out = []
    for hit in hits_for(doc, "issue_date"):
        if hit.label.role == "phrases":
            f = value_at(hit, page_of(doc, hit.line.page), phrase_date_shaper)
            if f is not None:
                out.append(f)
    return out


def _validity_ranges(doc: PdfText) -> list[Line]:
    """Lines such as "valid from 01.04.2025 to 31.03.2026" / "gültig vom … bis …"."""
    lines = {id(hit.line): hit.line for hit in hits_for(doc, "validity_range")}
    return [line for line in lines.values() if len(find_dates(line.words)) >= 2]


def _unlabelled_dates(doc: PdfText, issue: Found | None, expiry: Found | None) -> tuple[Found | None, Found | None]:
    """No label at all: on a certificate the earliest date is the issue, the latest the expiry."""
    dated: list[Found] = []
    for line in doc.pages[0].lines:
        for hit in find_dates(line.words):
            dated.append(Found(line.words[hit.first:hit.last + 1], 0.4, hit.value))
    if len(dated) < 2:
        return issue, expiry
    dated.sort(key=lambda f: f.value)
    return issue or dated[0], expiry or dated[-1]


def _check_dates(ex: Extraction, issued: Found | None, expires: Found | None) -> None:
    if issued is not None and expires is not None and expires.value < issued.value:
        ex.error("/expiry_date", f"The expiry date {expires.value.isoformat()} is before the issue date "
                                 f"{issued.value.isoformat()}")
    if expires is not None and expires.value < date.today():
        ex.warn("/expiry_date", f"The certificate expired on {expires.value.isoformat()}")
