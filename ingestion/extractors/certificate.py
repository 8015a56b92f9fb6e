"""Certificates (PDF): ISO 9001/14001/45001/50001, GOTS, OEKO-TEX STANDARD 100, FSC CoC, GRS, other.

Every field is looked for the same way whatever the layout: by its labels and phrases in English,
German, French, Spanish, Italian, Polish, Portuguese and Dutch (ingestion/pdf/data/labels.json),
then by the shape its value must have, and only then by a guess from the layout, which scores low
so a person checks it. A value is promised (confidence >= 0.9) only when it was read at a label or
a known name AND checked: a company's legal form, a listed certification body
(data/certification_bodies.json), a number's shape, an issue date before its expiry date.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..pdf.anchors import Found, cue_pattern, hits_for, page_of, value_at, values
from ..pdf.bodies import (accreditation_body, body_named, body_prefixed_numbers, cut_at_full_stop, expanded_name,
                          mentions, month_first_countries, named_by_domain, named_by_layout, named_by_phrase,
                          only_a_body_name)
from ..pdf.certificate_dates import MAX_VALIDITY_DAYS, certificate_dates
from ..pdf.dates import find_dates
from ..pdf.declaration import cited
from ..pdf.evidence import management_certificate, type_score
from ..pdf.fields import below_value, best, guess_warning, headline_kind, put, put_notes
from ..pdf.holder import CERTIFICATE_WORDS, find_holder, only_legal_form, quoted_in_a_register_line
from ..pdf.identifiers import country_of_address, legal_form_end, number_fits_scheme, scheme_numbers
from ..pdf.labels import load
from ..pdf.layout import Line, PdfText, Word, fold
from ..pdf.preflight import pdf_text
from ..pdf.ocr_quality import cap_poorly_read
from ..pdf.schemes import GENERIC_STANDARD, detect_scheme, names_other_standard
from ..pdf.shapes import date_shaper, id_shaper, phrase_date_shaper, text_shaper
from ..pdf.stacking import unstacked
from ..registry import Extractor, Probe, register
from ..result import Extraction
from ..errors import N_

#: A value is promised (>= 0.9) only when read at a label or a known name AND validated; else at most this.
UNVALIDATED = 0.85
#: "No.4858", "#27256": the number without the word for "number" glued to it.
NUMBER_PREFIX = re.compile(r"^(?:no|nr|n°|n|#)\.?\s*(?=\d)", re.IGNORECASE)
#: "Dayton, OH 45402", "USA": an address in the United States (a legal form alone says too little).
US_ADDRESS = re.compile(r"\b(?!EN\b|BS\b|NF\b|SA\b|AS\b)[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
                        r"|\b(?:USA|U\.S\.A\.|United States)\b")
#: Below the 0.5 at which the RoHS and REACH readers claim a page titled "certificate".
SUBJECT_CERTIFICATE = 0.45
#: How much RoHS or REACH wording (data/document_kinds.json types) makes it the page's subject.
SUBJECT_SCORE = 4
DECLARATION_WORDS = re.compile(r"\b(declaration|erklarung|erklärung|déclaration|svhc|rohs|reach)\b")


@register
class CertificateExtractor(Extractor):
    document_type = "certificate"
    file_kinds = ("pdf",)

    def detect(self, probe: Probe) -> float:
        if probe.kind != "pdf":
            return 0.0
        text = probe.text
        folded = fold(text)
        titled = CERTIFICATE_WORDS.search(text) or cue_pattern("certificate_titles").search(folded)
        stated = cue_pattern("certificate_statements").search(folded)
        score = 0.55 if titled else 0.25 if stated else 0.0
        other = names_other_standard(folded)
        named = any(re.search(c, folded) for e in load("schemes")["schemes"].values() for c in e["cues"])
        if named or other:
            score += 0.35
        if not titled and not stated and other and body_named(text):
            score += 0.2     # "inspected by AIB International … Consolidated Standards": no "certificate" printed
        elif not titled and not stated and named and body_named(text) and _scheme_titles_page(probe):
            score += 0.2     # "ISO 9001" as the title, a listed body named: a certificate in a script we cannot read
        if (not named and not other and not management_certificate(text)
                and any(type_score(text, kind) >= SUBJECT_SCORE for kind in ("rohs", "reach_svhc"))):
            # "CERTIFICATE … the submitted sample complies with RoHS (EU) 2015/863": a laboratory's
            # RoHS or REACH certificate about a product is that declaration type, not a scheme's certificate;
            # an IECQ QC 080000 (hazardous-substance management) certificate stays a certificate
            score = min(score, SUBJECT_CERTIFICATE)
        headline = headline_kind(text)
        if headline == "declaration":
            score -= 0.3
        elif headline is None and DECLARATION_WORDS.search(text):
            score -= 0.15
        return max(0.0, min(score, 0.95))

    def extract(self, path: Path, probe: Probe) -> Extraction:
        doc = unstacked(pdf_text(path, probe))
        ex = self.new_extraction()
        put_notes(ex, doc)

        guess = detect_scheme(doc)
        ex.put(("scheme",), guess.scheme, confidence=guess.found.score if guess.found else guess.confidence,
               source=guess.found.source if guess.found else None)
        standard = best(values(doc, "standard", text_shaper(stops=False, max_words=8)))
        if standard is not None and not GENERIC_STANDARD.search(standard.value):
            standard.confidence = min(standard.confidence, UNVALIDATED)   # a label's text, not a standard's shape
        standard = standard or guess.standard
        if standard is not None:
            put(ex, ("standard",), standard)

        number = _certificate_number(doc, guess.scheme)
        if number is not None:
            put(ex, ("certificate_number",), number)

        holder = find_holder(doc)
        issuer = _issuer(doc, holder)
        if holder is not None:
            put(ex, ("holder", "name"), holder)
            address = _address(doc, holder)
            if address is not None:
                code = country_of_address(address.value)
                if not code:      # an address is checked by the country it ends in
                    address.confidence = min(address.confidence, UNVALIDATED)
                put(ex, ("holder", "address"), address)
                if code:
                    ex.put(("holder", "country_code"), code, confidence=address.score * 0.95,
                           source=address.source)
        if issuer is not None:
            put(ex, ("issuer", "name"), issuer)

        scope = best(values(doc, "scope", text_shaper(stops=False, max_words=60), lines_below=3))
        if scope is not None:     # free text: nothing to check it against
            scope.confidence = min(scope.confidence, UNVALIDATED)
            put(ex, ("scope",), scope)

        body = body_named(issuer.value) if issuer is not None else None
        issuer_order = None if body is None or not body.country else \
            "mdy" if body.country in month_first_countries() else "dmy"
        issued, expires = _dates(doc)
        # an issuer on no list: a US address on the page (state and ZIP, "USA") leans month first
        page_order = "mdy" if body is None and US_ADDRESS.search(doc.text()) else None
        dated = certificate_dates(doc, issued, expires, issuer_order=issuer_order, page_order=page_order)
        for key, found in (("issue_date", dated.issue), ("expiry_date", dated.expiry)):
            if found is not None:
                put(ex, (key,), found, value=found.value.isoformat())
        for path, message in dated.warnings:
            ex.warn(path, message)
        _check_dates(ex, dated.issue, dated.expiry)
        # a value read from a page OCR read poorly (glare, a stamp, blur) is no promise, however it was found;
        # the page's "Read by OCR … check every value" note already asks the user to check it
        cap_poorly_read(ex.fields, doc)
        guess_warning(ex)
        return ex


def _scheme_titles_page(probe: Probe) -> bool:
    """Is a scheme of ours ("ISO 9001") the largest type on the first page, as a certificate's title is?"""
    document = getattr(probe, "document", None)
    if document is None or not document.pages or not document.pages[0].lines:
        return False
    title = max(document.pages[0].lines, key=lambda ln: ln.size)
    folded = fold(title.text)
    return any(re.search(c, folded) for e in load("schemes")["schemes"].values() for c in e["cues"])


def _certificate_number(doc: PdfText, scheme: str) -> Found | None:
    standards = _standard_numbers(doc)
    # "ISO 9001" artwork under a "CERTIFICATE" title reads as a value of it: a standard is no number
    found = [f for f in values(doc, "certificate_number", id_shaper) if f.value.strip(" .,;") not in standards
             and not GENERIC_STANDARD.fullmatch(f.value.strip(" .,;"))]      # "ISO 9001" is no number
    shaped_elsewhere = bool(scheme_numbers(doc.text(), scheme))
    for f in found:
        # A number of the scheme's known shape confirms the label; one of another shape is suspect.
        if number_fits_scheme(f.value, scheme):
            f.confidence = min(0.98, f.confidence + 0.03)
        elif shaped_elsewhere:
            f.confidence -= 0.25
    for f in found:
        f.value = NUMBER_PREFIX.sub("", f.value)
    found.sort(key=lambda f: (-f.score, f.page, f.words[0].top))
    if found and found[0].score >= 0.6:
        rivals = [f for f in found[1:] if f.page == found[0].page and f.score >= RIVAL_NUMBER
                  and re.sub(r"\W", "", f.value) != re.sub(r"\W", "", found[0].value)]
        if rivals:   # "IATF Certificate N°: 0584315" over "… Certification Certificate No: BR044939": a choice
            found[0].confidence = min(found[0].confidence, UNVALIDATED)
        return found[0]
    for line in doc.lines():       # no label: a token of the scheme's own shape anywhere
        for word in line.words:
            if scheme_numbers(word.text, scheme):
                return Found([word], 0.7, scheme_numbers(word.text, scheme)[0])
    if found:
        return found[0]
    prefixed = body_prefixed_numbers(doc)
    if prefixed:        # no label: a number opening with a listed body's name, a guess to check
        prefixed[0].confidence = BODY_PREFIXED_CONFIDENCE
        return prefixed[0]
    return _hash_numbered(doc)


def _standard_numbers(doc: PdfText) -> set[str]:
    """The numbers of the standards printed on the first pages ("9001", "9001:2015")."""
    out: set[str] = set()
    for page in doc.pages[:2]:
        for line in page.lines:
            for m in GENERIC_STANDARD.finditer(line.text):
                number = re.search(r"\d[\d\s:-]*$", m.group(0))
                if number:
                    out |= {number.group(0).replace(" ", ""), number.group(0).split(":")[0].strip()}
    return out


#: Another number read at a certificate-number label this surely, on the same page: which one is
#: "the" certificate's number is a reader's choice, not a promise.
RIVAL_NUMBER = 0.8
#: A number found only by the body's name opening it ("JQA-QM8218"): no label says it is this certificate's.
BODY_PREFIXED_CONFIDENCE = 0.6
#: "KC# 7806774 - 1", "Cert# 2231": a short code glued to "#" is a number's own label.
HASH_NUMBER = re.compile(r"^([A-Z][A-Za-z]{0,4}#)\s*(\d[\d\s-]*\d|\d)$")


def _hash_numbered(doc: PdfText) -> Found | None:
    for page in doc.pages[:1]:
        for line in page.lines:
            for seg in line.segments:
                m = HASH_NUMBER.match(" ".join(w.text for w in seg).strip())
                if m:
                    return Found(list(seg), 0.6, f"{m.group(1)}{re.sub(r'[^0-9-]', '', m.group(2))}")
    return None


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
    """The certification body: read at a label, else the known body the page names most fully.

    Only a known body (data/certification_bodies.json) is promised; a name read at a label that
    is on no list is kept, lower. Accreditation bodies (UKAS, DAkkS, …) are never the issuer.
    """
    holder_name = fold(holder.value) if holder else ""
    for f in values(doc, "issuer_name", text_shaper(max_words=10)):
        quoted_in_a_register_line(f)     # 'БИН 180640013890, ТОО "Ekspert Group", Казахстан, …'
        lead = LINKING_WORD.match(f.value)
        if lead and len(f.words) > 1 and fold(f.words[0].text) == lead.group(1):
            # "Certification Body / at TÜV INDIA PVT. LTD.": the label's sentence runs on into the name
            f.words, f.value = f.words[1:], f.value[lead.end():]
        cut_at_full_stop(f)
        end = legal_form_end(f.value)
        if end and not only_legal_form(f.value[:end]):
            # "Bureau Veritas Certification Holding SAS, 5th Floor, …": the name ends at its legal
            # form (one printed before the name, 'ТОО "Ekspert Group"', ends nothing)
            f.value = f.value[:end].strip(" ,;")
        if fold(f.value) == holder_name or _not_a_name(f.value) or not any(c.isupper() for c in f.value):
            continue     # "de geaccrediteerde certificatie(-)": the rest of a wrapped label, no name has no capital
        body = body_named(f.value)
        if accreditation_body(f.value):
            continue
        if body is None and legal_form_end(f.value) is None and _listed_body_in_full(doc, holder_name):
            continue     # "For the Certification Body: Sabrina Bianchini" — a signatory; the page names the body
        f.confidence = min(f.confidence, 0.95 if body is not None else UNVALIDATED)
        if body is None and legal_form_end(f.value) is None:
            # "issued by PDCA" with "PDCA CERTIFICATION PRIVATE LIMITED" in the footer: its legal name
            f = expanded_name(doc, f, holder_name)
        if body is not None and only_a_body_name(f.value):
            # the label gives just the body's short name ("BSI"), no entity of it ("PT. Lloyd's
            # Register Indonesia" stays): the legal name the page prints for it says more
            _printed_in_full(doc, body.name, holder_name, f)
        return f
    named = [m for m in mentions(doc) if not m.body.accreditation and fold(m.found.value) != holder_name]
    if not named:
        return named_by_phrase(doc, holder_name) or named_by_layout(doc, holder_name) or named_by_domain(doc, holder_name)
    counts: dict[str, int] = {}
    for m in named:
        counts[m.body.name] = counts.get(m.body.name, 0) + 1
    for generic in list(counts):    # "TÜV" in the trademark small print, "TÜV Rheinland Cert GmbH" signing
        if any(other != generic and fold(other).startswith(fold(generic) + " ") for other in counts):
            del counts[generic]
    named = [m for m in named if m.body.name in counts]
    main_body = max(counts, key=lambda name: counts[name])      # the body the page keeps naming
    full = [m for m in named if m.body.name == main_body and m.full]
    if full:
        pick = max(full, key=lambda m: sum(fold(o.found.value) == fold(m.found.value) for o in full))
        # one full name throughout is checked; two ("… Holding SAS", "… Polska Sp. z o.o.") is a choice
        pick.found.confidence = 0.9 if len({fold(m.found.value) for m in full}) == 1 else 0.8
    else:     # the page's fullest spelling ("RS Cert - Romanian Certification Systems" over "RS Cert")
        pick = max((m for m in named if m.body.name == main_body), key=lambda m: len(m.found.value))
        pick.found.confidence = 0.8
    return pick.found


def _listed_body_in_full(doc: PdfText, holder_name: str) -> bool:
    """Does the page print a listed certification body's full legal name (not the holder's)?"""
    return any(m.full and not m.body.accreditation and fold(m.found.value) != holder_name for m in mentions(doc))


def _printed_in_full(doc: PdfText, body_name: str, holder_name: str, short: Found) -> None:
    """ "For and on behalf of BSI:" with "BSI Assurance UK Limited, registered in England …" in the
    footer: a label gives the body's short name or logo acronym, the page its legal name — take
    the legal name the page prints for that same body (the one it prints most, if several)."""
    full = [m.found for m in mentions(doc) if m.full and m.body.name == body_name
            and fold(m.found.value) != holder_name and fold(m.found.value) != fold(short.value)]
    if not full:
        return
    spellings: dict[str, list[Found]] = {}
    for f in full:
        spellings.setdefault(fold(f.value), []).append(f)
    pick = max(spellings.values(), key=len)[0]
    short.words, short.value = pick.words, pick.value


#: "at TÜV INDIA PVT. LTD.", "by Kiwa": a lower-case linking word before the name is the label's, not the name's.
LINKING_WORD = re.compile(r"^(at|by|from|bei|durch|par|por|door)\s+(?=[A-ZÀ-Ý])")
#: "the Company" ("issued by the Company subject to its General Conditions"), "this certificate":
#: a noun phrase that refers to a name is not one.
REFERRING_PHRASE = re.compile(r"^(the|this|that|its|our|a|an|der|die|das|le|la|les|el|los)\s")
#: "ACREDITADO 21/11", "Folio 29687": a number printed beside a logo or a label, not a body's name.
NUMBERED = re.compile(r"\b\d+\s*/\s*\d+\b")


#: "119012A" ("Accredited Registrar - 119012A"): a code, with no word of a name in it.
CODE = re.compile(r"^[\W\d_]*(?:[^\W\d_]{0,2}[\W_]*\d[\w./-]*)$")


def _not_a_name(value: str) -> bool:
    """An address, a number or a piece of a sentence read where a name should be."""
    folded = fold(value)
    if re.search(r"[a-z]-$", value.strip()):
        return True      # "namens de geaccrediteerde certificatie-": a label wrapped at a hyphen, its name below
    return bool(re.search(r"\d", value)) and "," in value or len(folded.split()) > 8 \
        or bool(CODE.match(value.strip())) \
        or bool(re.search(r"\b(has been|is|are|was|were|by|as|according)\b", folded)) \
        or bool(REFERRING_PHRASE.match(folded)) or bool(NUMBERED.search(value))


def _dates(doc: PdfText) -> tuple[Found | None, Found | None]:
    issued = values(doc, "issue_date", date_shaper())
    # "valid from" is also an issue-date label (a page printing only it was issued then); where the
    # page prints its date of issue or certification too, that date is the issue date.
    starts = {_at(f) for f in values(doc, "validity_start", date_shaper())}
    if any(_at(f) not in starts for f in issued):
        for f in issued:     # "Date of certification 2024-11-15" beside "Valid from 2023-09-21"
            if _at(f) in starts:
                f.confidence -= 0.15   # below any other issue wording, a short phrase ("Ort, den") too
    expires = values(doc, "expiry_date", date_shaper(pick="last"))
    issued += _date_on_next_line(doc, "issue_date")
    expires += _date_on_next_line(doc, "expiry_date")
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
    if issue is None:     # only "Date of first issue" / "Original cert. date": read, never promised
        issue = best(values(doc, "first_issue_date", date_shaper()))
        if issue is not None:
            issue.confidence = min(issue.confidence, FIRST_ISSUE)
            # a date between the first issue and the expiry, under no label ("от 21.10.2024"), is
            # this certificate's issue: the first one is as old as the holder's certification
            later = _unlabelled_dates(doc, None, expiry)[0] if expiry is not None else None
            if later is not None and later.value > issue.value:
                issue = later
    if issue is None or expiry is None:
        issue, expiry = _unlabelled_dates(doc, issue, expiry)
    return issue, expiry


#: The first issue of a certificate renewed since is not its issue: read where nothing else is, not promised.
FIRST_ISSUE = 0.8
#: A date no label names, placed by its order among the page's dates: a guess to review.
UNLABELLED_DATE = 0.4
#: A sentence ending in its label ("… this certificate is valid until:") is a label as much as a cell.
SENTENCE_LABEL_CONFIDENCE = 0.9


def _date_on_next_line(doc: PdfText, field: str) -> list[Found]:
    """ "Subject to …, this certificate is valid until:" with the date opening the next line: a
    label that ends a sentence, wherever the line under it starts (a cell's value is looked for
    under the label only)."""
    out = []
    for hit in hits_for(doc, field):
        line, seg = hit.line, hit.line.segments[hit.seg]
        if hit.start == 0 or any(w.key for w in seg[hit.end:]) or hit.seg != len(line.segments) - 1:
            continue        # a label opening its cell is read by `values`; one with words after it too
        lines = page_of(doc, line.page).lines
        after = [ln for ln in lines if ln.top > line.top + 0.5 * line.size]
        if not after or after[0].top - line.bottom > 1.5 * max(line.size, after[0].size):
            continue
        hits = find_dates(after[0].words)
        if hits and hits[0].first == 0:
            words = after[0].words[hits[0].first:hits[0].last + 1]
            out.append(Found(words, SENTENCE_LABEL_CONFIDENCE, hits[0].value))
    return out


def _at(found: Found) -> tuple[int, float, float]:
    return found.page, round(found.words[0].x0, 1), round(found.words[0].top, 1)


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
    """No label for one of them: on a certificate the latest date is the expiry, and the issue is
    the latest date before the expiry (an earlier one is a first certification, an audit or a
    previous cycle's); a date inside a citation ("Regulation … of 8 June 2011") is neither."""
    dated: list[Found] = []
    for line in doc.pages[0].lines:
        for hit in find_dates(line.words):
            if not cited(line.words, hit.first):
                dated.append(Found(line.words[hit.first:hit.last + 1], UNLABELLED_DATE, hit.value))
    if len(dated) < 2:
        return issue, expiry
    dated.sort(key=lambda f: f.value)
    expiry = expiry or dated[-1]
    if issue is None:
        before = [f for f in dated if f.value < expiry.value and (expiry.value - f.value).days <= MAX_VALIDITY_DAYS]
        # a date on the expiry's own line opens its validity ("October 1, 2019 through September 30,
        # 2022"): the issue date only where the page prints no other ("Recertified September 30, 2019")
        elsewhere = [f for f in before if not _same_line(f, expiry)]
        issue = (elsewhere or before or [None])[-1]
    return issue, expiry


def _same_line(a: Found, b: Found) -> bool:
    return a.page == b.page and abs(a.words[0].top - b.words[0].top) < 0.5 * max(a.words[0].size, 1.0)


def _check_dates(ex: Extraction, issued: Found | None, expires: Found | None) -> None:
    if issued is not None and expires is not None and expires.value < issued.value:
        ex.error("/expiry_date", N_("The expiry date %(expiry)s is before the issue date %(issue)s")
                 % {"expiry": expires.value.isoformat(), "issue": issued.value.isoformat()}, related=("/issue_date",))
    if expires is not None and expires.value < date.today():
        ex.warn("/expiry_date", N_("The certificate expired on %(date)s") % {"date": expires.value.isoformat()})
