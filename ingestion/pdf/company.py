"""The declaring company: at a label, in "We, X, declare" / "X declares", on its own line in the
letterhead or under the signature, or named in the text — never a fragment where a name is printed."""

from __future__ import annotations

import re
from itertools import dropwhile
from functools import lru_cache

from .anchors import Found, cue_pattern, values
from .bodies import body_named
from .conformity import key_values
from .dates import find_dates
from .identifiers import has_legal_form, legal_form_end, legal_form_ends, legal_form_spans
from .labels import cues, load
from .layout import PdfText, Word, fold, join
from .shapes import is_title, text_shaper

#: The letterhead: the top of the first page.
LETTERHEAD_SHARE = 0.3


def supplier(doc: PdfText) -> Found | None:
    """The declaring company: at a label, in "We, X, declare" / "X declares", on its own line in the
    letterhead or under the signature, or named in the text; never a fragment without a legal form
    where a name with one is printed."""
    return legal_name(_without_role(_supplier(doc)))


def legal_name(found: Found | None) -> Found | None:
    """"Invent-abling LLC dba Teknikio": the trading name after the legal form is not the legal
    name the declaration is made by; the name ends at its legal form."""
    if found is None:
        return None
    end = legal_form_end(found.value)
    if end is not None and _trading_as().match(fold(found.value[end:])):
        found.value = found.value[:end].strip()
    return found


@lru_cache(maxsize=1)
def _trading_as() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(cues("trading_as"), key=len, reverse=True))
    return re.compile(rf"\s*,?\s*(?:{words})(?![\w])")


def _without_role(found: Found | None) -> Found | None:
    """"Managing Director Lobaro GmbH": a signature's job title printed on the company's line is
    the signatory's, not part of the name; what follows it, with a legal form, is the company."""
    if found is None:
        return None
    words = found.value.split()
    job = cue_pattern("job_titles")
    lead = next((i for i in range(len(words)) if not job.fullmatch(fold(words[i]).strip(",;:"))), len(words))
    rest = " ".join(words[lead:])
    # a job title's head word ("Director", "Manager"), not just a word that may name a company ("Head", "Lead")
    titled = any(fold(w).strip(",;:") in load("conformity")["signature_roles"] for w in words[:lead])
    if 0 < lead < len(words) and titled and has_legal_form(rest):
        found.value = rest
        found.words = found.words[lead:] if len(found.words) == len(words) else found.words
    return found


def _supplier(doc: PdfText) -> Found | None:
    found = [f for f in values(doc, "supplier_name", text_shaper(max_words=12)) if not laboratory(f.value)]
    for f in found:
        end = legal_form_end(f.value)
        if end is not None and f.value[end:].lstrip().startswith(","):
            f.value = f.value[:end].strip()
        elif end is None and "," in f.value and _plausible_name(f.value.split(",")[0]):
            f.value = f.value.split(",")[0].strip()    # "Producer : X, Polyolefin Business Unit": the unit follows
    # a laboratory's customer ("Applicant: X") stands in for the maker only where none is named
    applicant = [f for f in values(doc, "supplier_applicant", text_shaper(max_words=12)) if not laboratory(f.value)]
    for f in applicant:      # who ordered the test: often the maker, sometimes a trader — not promised
        f.confidence = min(f.confidence, 0.85)
    labelled = next((f for f in found if has_legal_form(f.value)), None) or _key_value_company(doc) \
        or next((f for f in applicant if has_legal_form(f.value)), None)
    if labelled is not None:
        return labelled
    found = found or applicant
    for find in (_we_declare, _declares, _company_line, _named_in_text, _subject, _states):
        named = find(doc)
        if named is not None and not laboratory(named.value):
            return named
    if found and _plausible_name(found[0].value):
        found[0].confidence = min(found[0].confidence, 0.85)
        return found[0]
    named = _signed_for(doc) or letterhead(doc)
    return None if named is None or laboratory(named.value) else named


def laboratory(name: str) -> bool:
    """A testing laboratory or certification body ("SGS-CSTC Standards Technical Services Co.,
    Ltd.", "Shenzhen BOWT Testing Technology Co., Ltd."): it signs a test certificate or report,
    but the products and the declaration are the maker's, so it is never the supplier."""
    folded = fold(name)
    return body_named(name) is not None or any(
        re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", folded) for w in load("conformity")["laboratories"]["words"])


def _key_value_company(doc: PdfText) -> Found | None:
    """"Manufacturer name : X Co., Ltd.", "Client Name: X" (a lab report's customer) with a legal form."""
    named = [p for p in key_values(doc) if p.field == "supplier_name" and has_legal_form(p.value.value)
             and _plausible_name(p.value.value) and not laboratory(p.value.value)]
    if not named:
        return None
    best = min(named, key=lambda p: p.rank)     # "Manufacturer" before "Applicant"
    customer = {fold(w) for ws in load("labels")["supplier_applicant"]["labels"].values() for w in ws}
    if any(w in best.label for w in customer | {"client", "customer"}):
        best.value.confidence = min(best.value.confidence, 0.85)   # who ordered the test: not promised
    return best.value


#: "Nexperia B.V. declares that", "Rubadue Wire Co., Inc. does not intentionally use".
DECLARES = re.compile(r"^(?P<name>(?:[A-Z0-9][\w&.,'()-]*\s+){0,6}?[\w&.,'()-]*?)\s+(?:hereby\s+)?"
                      r"(?:declares?|certif(?:y|ies)|confirms?|does not|do not|is a|erklart|declare|certifie)\b")


def _declares(doc: PdfText) -> Found | None:
    for line in doc.lines():
        for seg in line.segments:
            text = join(seg)
            m = DECLARES.match(text)
            if m and laboratory(m.group("name")):
                continue
            if m and has_legal_form(m.group("name")):
                name = m.group("name")[:legal_form_end(m.group("name"))].strip(" ,")
                if _plausible_name(name):
                    return Found(seg[:len(name.split())], 0.88, name)
            elif m and len(m.group("name").split()) >= 2:
                full = _with_legal_form(doc, m.group("name").strip(" ,"))
                if full is not None and _plausible_name(full):
                    return Found(seg[:len(m.group("name").split())], 0.85, full)
    return None


def _with_legal_form(doc: PdfText, name: str) -> str | None:
    """"FAE TECHNOLOGY declares …" under a letterhead "FAE TECHNOLOGY s.p.a. Via …": the
    name as the page prints it with its legal form, else None (a bare name is not checked)."""
    for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", doc.text()):
        after = doc.text()[m.start():m.start() + len(name) + 20]
        end = legal_form_end(after)
        if end is not None and end > len(name) and not after[len(name):end].strip(" ,").count(" ") > 2:
            return after[:end].strip(" ,")
    return None


#: "© Panasonic Industry Co., Ltd.", "Copyright 2024 X Ltd": the footer's notice before the name.
COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright|\d{4}(?:[-–]\d{2,4})?,?)$", re.IGNORECASE)


def _company_line(doc: PdfText) -> Found | None:
    """A line that is only a company name with its legal form: letterhead or signature block."""
    first, last = doc.pages[0], doc.pages[-1]
    for page, region in ((last, lambda ln, p: ln.top > p.height * 0.45), (first, lambda ln, p: ln.top < p.height * 0.3)):
        for line in (reversed(page.lines) if page is last else page.lines):
            if not region(line, page):
                continue
            seg = list(dropwhile(lambda w: COPYRIGHT.match(w.text), line.segments[0]))
            text = join(seg).strip(" ,;")
            end = legal_form_end(text)
            if seg and end is not None and len(text) - end <= 2 and len(seg) <= 8 and _plausible_name(text) \
                    and not laboratory(text):
                return Found(list(seg), 0.86, text)
    return None


def _named_in_text(doc: PdfText) -> Found | None:
    """The company named most often in the text with its legal form ("… by Rubadue Wire Co., Inc.")."""
    counts: dict[str, tuple[int, Found]] = {}
    for line in doc.lines():
        for seg in line.segments:
            text = join(seg)
            for end in legal_form_ends(text):
                words = text[:end].split()
                start = len(words)
                while start > 0 and (words[start - 1][:1].isupper() or words[start - 1][:1].isdigit()
                                     or _camel_case(words[start - 1])
                                     or words[start - 1].lower().strip(",.") in ("co", "ltd", "inc", "&")):
                    start -= 1
                name = " ".join(words[start:]).strip(" ,")
                if len(words) - start >= 2 and _plausible_name(name) and legal_form_end(words[start]) is None \
                        and not laboratory(name):
                    n, f = counts.get(name, (0, Found(seg[start:len(words)], 0.7, name)))
                    counts[name] = (n + 1, f)
                    break
    if not counts:
        return None
    return max(counts.values(), key=lambda c: c[0])[1]


def _camel_case(word: str) -> bool:
    """"eiSos", "iMotion": a brand written with an inner capital is part of a company's name."""
    return word[:1].islower() and any(c.isupper() for c in word[1:])


@lru_cache(maxsize=1)
def _not_names() -> tuple[str, ...]:
    return tuple(load("conformity")["not_names"]["words"])


SUBJECT = re.compile(r"^([A-Z][A-Za-z0-9&-]{2,})(?:’s|'s)?\s+(?:is|are|has|declares|certifies|confirms|hereby)\b")
#: A brand named this often, and never as an ordinary lower-case word, is the declaring company.
SUBJECT_REPEATS = 3
SUBJECT_SHARE = 0.4


def _subject(doc: PdfText) -> Found | None:
    """"Molex is committed to …": a proper name that opens the text and recurs, without a legal form."""
    tokens = [w.text.strip(",.;:()’'s") for ln in doc.lines() for w in ln.words]
    first = doc.pages[0]
    for line in first.lines:
        if line.top > first.height * SUBJECT_SHARE:
            break       # the opening of the letter, not the small print of its later pages
        m = SUBJECT.match(join(line.words))
        if not m:
            continue
        name = m.group(1)
        if sum(t == name for t in tokens) >= SUBJECT_REPEATS and name.lower() not in tokens \
                and not any(re.search(rf"\b{re.escape(n)}\b", name.lower()) for n in _not_names()):
            return Found(line.words[:1], 0.55, name)
    return None


#: "RAF Electronic Hardware would like to state that …": a capitalised name without a legal form
#: opening a statement sentence.
STATES = re.compile(r"^((?:[A-Z][\w&-]*\s+){1,3}[A-Z][\w&-]*)\s+(?:would like to (?:state|confirm|inform)"
                    r"|hereby (?:states?|confirms?|certif(?:y|ies)|declares?)|states? that|confirms? that)\b")


def _states(doc: PdfText) -> Found | None:
    """A name (two to four capitalised words) that opens a statement and is printed again elsewhere.
    Without a legal form it is not checked, so it stays well below a promise."""
    text = doc.text()
    for line in doc.lines():
        words = line.segments[0]
        m = STATES.match(join(words).strip())
        if m and text.count(m.group(1)) >= 2 and _plausible_name(m.group(1)):
            return Found(list(words[:len(m.group(1).split())]), 0.6, m.group(1))
    return None


#: How far under a signatory's job title the company's line may stand, in line heights.
SIGNED_FOR_GAP = 1.8


def _signed_for(doc: PdfText) -> Found | None:
    """"Ariana Castillo / Quality Management System Administrator / Sullins Connector Solutions":
    the line under the signatory's job title names the company signed for. Without a legal form
    it is checked only by the text naming it again ("… manufactured by Sullins Connector
    Solutions"), and stays a guess to check."""
    page = doc.pages[-1]
    job = cue_pattern("job_titles")
    text = doc.text()
    for above, line in zip(page.lines, page.lines[1:]):
        if line.top < page.height * 0.3 or not job.search(fold(join(above.segments[0]))):
            continue
        name = join(line.segments[0]).strip(" ,;")
        if line.top - above.bottom < SIGNED_FOR_GAP * above.size and _plausible_name(name) \
                and not job.search(fold(name)) and not re.search(r"\d", name) and text.count(name) >= 2:
            return Found(list(line.segments[0]), 0.6, name)
    return None


def _plausible_name(text: str) -> bool:
    """A company's name: letters, not an address, a phone number, a date or a lone first word."""
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    words = text.split()
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or w[:1] in "(&")
    folded = fold(text)
    return (letters >= 3 and len(words) <= 10 and capitalised >= 0.6 * len(words)
            and not any(re.search(rf"\b{re.escape(n)}\b", folded) for n in _not_names())
            and digits <= letters / 4 and "@" not in text and "www" not in folded
            and not find_dates([Word(t, 0, 0, 0, 0, 0, 0) for t in words])
            and not is_title(text) and (len(words) >= 2 or has_legal_form(text)) and _names_more_than_a_form(text))


def _names_more_than_a_form(text: str) -> bool:
    """"LIMITED", "Co., Ltd.": the tail of a name wrapped onto its own line (a certification
    body's "QSA INTERNATIONAL / LIMITED" under its seal) has a legal form and no name."""
    spans = legal_form_spans(text)
    if not spans or len(fold(text)) != len(text):
        return True
    between, last = [], 0
    for start, end in spans:          # the text around the legal forms
        between.append(text[last:start])
        last = end
    rest = "".join(between) + text[last:]
    return sum(c.isalpha() for c in rest) >= 2


WE = re.compile(r"^(?:we|wir|nous)\s*,\s*(?:the undersigned\s*,\s*|die unterzeichnende\s*,\s*)?", re.IGNORECASE)


def _we_declare(doc: PdfText) -> Found | None:
    """"We, Nordwerk Elektronik GmbH, declare …": the name between the commas."""
    for line in doc.lines():
        text = join(line.segments[0])
        m = WE.match(text)
        if not m:
            continue
        rest = text[m.end():]
        end = legal_form_end(rest) or (rest.find(",") if "," in rest else None)
        if end:
            name = rest[:end].strip(" ,")
            skip = len(text[:m.end()].split())
            confidence = 0.88 if has_legal_form(name) else 0.7
            return Found(line.segments[0][skip:skip + len(name.split())], confidence, name)
    return None


def letterhead(doc: PdfText) -> Found | None:
    """No label: the company in the letterhead, the most prominent non-title line at the top."""
    page = doc.pages[0]
    title = cue_pattern("title_words")
    lines = [ln for ln in page.lines if ln.top < page.height * LETTERHEAD_SHARE
             and not title.search(fold(join(ln.segments[0]))) and not find_dates(ln.segments[0])
             and ":" not in join(ln.segments[0])]
    if not lines:
        return None
    lines = [ln for ln in lines if _plausible_name(join(ln.segments[0]))]
    if not lines:
        return None
    line = max(lines, key=lambda ln: (has_legal_form(ln.text), ln.size, -ln.top))
    seg = line.segments[0]
    confidence = 0.8 if has_legal_form(join(seg)) else 0.5
    text = join(seg).strip(" ,;")
    end = legal_form_end(text)
    return Found(list(seg), confidence, text[:end].strip() if end and text[end:].startswith(",") else text)
