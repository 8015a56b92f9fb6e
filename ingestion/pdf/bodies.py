"""Certification bodies named on a certificate, checked against data/certification_bodies.json.

A body is found where its name is printed (a label, the footer, the signature block, the text of
a logo) and its full legal name is taken when the name runs on to a legal form ("Intertek
Certification Limited"). Accreditation bodies (UKAS, DAkkS, …) are known too, so they are never
mistaken for the issuer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .anchors import Found
from .identifiers import legal_form_end, legal_form_spans, looks_like_number
from .labels import load
from .layout import Folded, Line, Page, PdfText, fold

#: Words after a body's name within which its legal form may end its full name.
FULL_NAME_REACH = 5
#: Names this short ("UL", "BSI", "SGS") count only when printed in capitals.
SHORT_NAME = 4
WEB_ADDRESS = re.compile(r"@|www\.|\.(?:com|org|net)\b|https?:", re.IGNORECASE)
#: "certiquality.it": a site's address without its "www." (a country's domain; lower case, as printed).
SITE = re.compile(r"^[a-z0-9-]{3,}\.[a-z]{2,3}$")
#: Where certificates print their issuer: the first pages (annexes repeat it).
BODY_PAGES = 2


@dataclass(frozen=True)
class Body:
    name: str
    country: str
    accreditation: bool


@dataclass
class BodyMention:
    body: Body
    found: Found          # value: the name as printed (full legal name when it runs on to one)
    full: bool            # the printed name ends in a legal form


@lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], dict[str, Body]]:
    by_spelling: dict[str, Body] = {}
    for entry in load("certification_bodies")["bodies"]:
        body = Body(entry["name"], entry.get("country", ""), bool(entry.get("accreditation")))
        for spelling in [entry["name"], *entry.get("aliases", [])]:
            by_spelling.setdefault(_norm(spelling), body)
    names = sorted(by_spelling, key=len, reverse=True)
    pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(n) for n in names) + r")(?![a-z0-9])")
    return pattern, by_spelling


def _norm(text: str) -> str:
    return fold(text).replace("’", "'")


def month_first_countries() -> frozenset[str]:
    return frozenset(load("certification_bodies")["month_first_countries"])


def body_named(text: str) -> Body | None:
    """The known body a printed name contains ("TÜV SÜD Management Service GmbH" -> TÜV SÜD)."""
    pattern, by_spelling = _index()
    m = pattern.search(_norm(text))
    return by_spelling[m.group(0)] if m else None


def only_a_body_name(text: str) -> bool:
    """Is the text a listed body's name or alias and nothing more ("BSI", "Lloyd's Register")?"""
    return _norm(text.strip(" .,;:")) in _index()[1]


def mentions(doc: PdfText) -> list[BodyMention]:
    """Every known body named on the first pages, in reading order."""
    out: list[BodyMention] = []
    for page in doc.pages[:BODY_PAGES]:
        for line in page.lines:
            for seg in line.segments:
                out.extend(_in_segment(seg))
    return out


def _in_segment(seg: list) -> list[BodyMention]:
    pattern, by_spelling = _index()
    folded = Folded.of(seg)
    text = folded.text.replace("’", "'")
    found: list[BodyMention] = []
    for m in pattern.finditer(text):
        first, last = folded.span(m.start(), m.end())
        body = by_spelling[m.group(0)]
        printed = " ".join(w.text for w in seg[first:last + 1])
        if any(WEB_ADDRESS.search(w.text) for w in seg[first:last + 1]):
            continue         # "certificate.validation@intertek.com" is an address, not a name
        if any(SITE.match(w.text.strip(" ,;:()")) for w in seg[first:last + 1]):
            # "www. certiquality.it", split by OCR: the body's own site names it, but by its name,
            # not by the address
            found.append(BodyMention(body, Found(list(seg[first:last + 1]), 0.0, body.name), False))
            continue
        if any(c.isdigit() for c in printed):
            continue         # "JQA-QM8218": the body's letters open a certificate number
        if len(m.group(0)) <= SHORT_NAME and (not printed.strip("(),;:'").rstrip(".").isupper()
                                              or printed.rstrip(",;:").endswith(".")):
            continue         # "ul." / "UL." is a Polish street, "UL" the body
        count = _full_name_length(seg[first:], last - first + 1)
        full = count is not None
        words = seg[first:first + count] if count else seg[first:last + 1]
        value = " ".join(w.text for w in words).strip(" ,;")
        found.append(BodyMention(body, Found(list(words), 0.0, value), full))
    return found


def _full_name_length(words: list, name_words: int) -> int | None:
    """How many words make the body's full legal name ("Intertek Certification Limited,")."""
    best = None
    for k in range(1, min(len(words), name_words + FULL_NAME_REACH) + 1):
        prefix = " ".join(w.text for w in words[:k]).rstrip(" ,;")
        end = legal_form_end(prefix)
        last_word = words[k - 1].text.strip(" ,;")
        if len(last_word) <= 3 and last_word.islower():
            continue         # "Intertek as conforming": "as" is a word here, not a Norwegian AS
        if end is not None and end >= len(prefix.rstrip(".")) - 1:
            best = k
        if best and (words[k - 1].text.endswith(",") or ":" in words[k - 1].text):
            break            # the name ended at its comma; an address follows
    return best


def body_prefixed_numbers(doc: PdfText) -> list[Found]:
    """Certificate numbers that open with a listed body's short name ("JQA-QM8218", "CQC21Q0123"),
    found anywhere on the first page: the body's own numbering, read where no label is printed."""
    pattern, by_spelling = _index()
    out = []
    for line in doc.pages[0].lines if doc.pages else []:
        for w in line.words:
            token = w.text.strip(" ,;:().")
            m = pattern.match(_norm(token))
            if m and not by_spelling[m.group(0)].accreditation and m.end() < len(token) \
                    and looks_like_number(token) and token[:m.end()].isupper():
                out.append(Found([w], 0.0, token))
    return out


def line_is_sentence(line: Line) -> bool:
    """Running text ("has been registered by Intertek as …") rather than a name standing alone."""
    return len(line.words) > 12


#: A body not on the list is read from its sentence, unchecked: below a promise.
PHRASE_CONFIDENCE = 0.7
#: Words a body's name may run to after its phrase ("QRO Certification LLP").
PHRASE_NAME_WORDS = 6


def named_by_phrase(doc: PdfText, holder_name: str) -> Found | None:
    """The issuer where no listed body is named: the name after "… remains the property of" /
    "assessed by", or opening "<Name>, certifica que …" (data/certification_bodies.json).
    A name with its legal form wins over a bare one ("QRO Certification LLP" over "QRO")."""
    phrases = load("certification_bodies")["issuer_phrases"]
    before = re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(p) for p in phrases["before_name"]) + r")\s+")
    after = re.compile(r"[\s,]*(?:" + "|".join(re.escape(p) for p in phrases["after_name"]) + r")(?![a-z])")
    found: list[Found] = []
    for page in doc.pages[:BODY_PAGES]:
        for i, line in enumerate(page.lines):
            for seg in line.segments:
                folded = Folded.of(seg)
                for m in before.finditer(folded.text + " "):
                    if m.end() < len(folded.text):
                        first, _ = folded.span(m.end(), m.end() + 1)
                        found.extend(_name_from(seg[first:]))
                    elif seg is line.segments[-1] and i + 1 < len(page.lines) \
                            and _just_above(line, page.lines[i + 1]):    # the sentence wraps before the name
                        found.extend(_name_from(page.lines[i + 1].segments[0]))
                m = after.search(folded.text)
                if m and m.start() > 0:
                    last, _ = folded.span(m.start() - 1, m.start())
                    if last + 1 <= PHRASE_NAME_WORDS:
                        found.extend(_name_from(seg[:last + 1], whole=True))
                elif m and seg is line.segments[0] and i > 0 and _just_above(page.lines[i - 1], line):
                    # "EQA Certificación México, S.A. de C.V." / "Certifies that …": the sentence
                    # opens with the body's name set on the line above it
                    found.extend(f for f in _name_from(page.lines[i - 1].segments[0], whole=True)
                                 if legal_form_end(f.value))
    found = [f for f in found if fold(f.value) != holder_name and not accreditation_body(f.value)]
    if not found:
        return None
    full = [f for f in found if legal_form_end(f.value)]
    # "the property of QCCI LLP": an acronym with its legal form is still short for the name printed in full
    pick = expanded_name(doc, full[0] if full else found[0], holder_name)
    pick.confidence = PHRASE_CONFIDENCE
    return pick


#: "www.axe-register.com", "info@qro-cert.co.uk": the organisation's own name in its web address.
DOMAIN = re.compile(r"(?:www\.|@)([a-z0-9-]{3,})\.", re.IGNORECASE)
#: A name found only because it spells the web address printed on the page: a guess to check.
DOMAIN_CONFIDENCE = 0.6
#: A line longer than this is no name set on its own.
NAME_WORDS = 6


def named_by_domain(doc: PdfText, holder_name: str) -> Found | None:
    """The issuer where no list or sentence names it: a name set on a line of its own that
    spells the web or e-mail address the page prints ("AXE REGISTER" over "www.axe-register.com")
    — a body's footer or letterhead. Not the holder's."""
    page = doc.pages[0]
    domains = {re.sub(r"[^a-z0-9]", "", m.group(1).lower())
               for ln in page.lines for m in DOMAIN.finditer(ln.text)}
    for line in page.lines:
        for seg in line.segments:
            name = " ".join(w.text for w in seg).strip(" ,;.")
            key = re.sub(r"[^a-z0-9]", "", fold(name))
            if len(seg) > NAME_WORDS or WEB_ADDRESS.search(name) or key == re.sub(r"[^a-z0-9]", "", holder_name):
                continue
            if key in domains and len(key) >= 4 and not accreditation_body(name):
                return Found(list(seg), DOMAIN_CONFIDENCE, name)
    return _named_by_domain_stem(page, domains, holder_name)


#: What a body's web address adds to its name ("Eurotech LLC" at www.eurotechcertification.com).
DOMAIN_SUFFIXES = ("certification", "certifications", "cert", "certs", "registrar", "register", "registration",
                   "quality", "assessment", "assurance", "audit", "inspection", "global", "international", "group")


def _named_by_domain_stem(page: Page, domains: set[str], holder_name: str) -> Found | None:
    """A line of its own that is a company by its legal form, whose name is the stem of the web
    address the page prints with a body's word after it ("Eurotech LLC" over
    "www.eurotechcertification.com"): the body's footer. Not the holder's; not promised."""
    holder_key = re.sub(r"[^a-z0-9]", "", fold(holder_name))
    for line in page.lines:
        if len(line.segments) != 1:
            continue
        name = " ".join(w.text for w in line.words).strip(" ,;.")
        end = legal_form_end(name)
        if end is None or end < len(name) - 1 or len(line.words) > NAME_WORDS or WEB_ADDRESS.search(name):
            continue
        stem = re.sub(r"[^a-z0-9]", "", fold(name[:legal_form_spans(name)[-1][0]]))
        if len(stem) < 4 or stem in holder_key or accreditation_body(name):
            continue
        if any(d.startswith(stem) and d[len(stem):] in DOMAIN_SUFFIXES for d in domains):
            return Found(list(line.words), DOMAIN_CONFIDENCE, name)
    return None


def expanded_name(doc: PdfText, short: Found, holder_name: str = "") -> Found:
    """A body the sentence names short ("issued by QFS", "the property of SMSPL") by the full
    legal name the page prints on a line of its own: one that starts with the short name
    ("QFS Management Systems LLP") or whose initials spell it ("Saara Management System
    Private Limited"). Never the holder's name (folded, as `holder_name`), whatever its initials."""
    key = fold(_without_legal_form(short.value))      # "QCCI LLP" -> "qcci"
    for page in doc.pages[:BODY_PAGES]:
        for line in page.lines:
            for seg in line.segments:
                name = " ".join(w.text for w in seg).strip(" ,;.")
                end = legal_form_end(name)
                if end is None or end < len(name) - 1 or len(seg) < 2 or WEB_ADDRESS.search(name) \
                        or holder_name and fold(name) == holder_name:
                    continue
                words = fold(name).split()
                bare = fold(_without_legal_form(name)).split() or [""]
                # "NCQSPL" spells the legal form too; "QCCI LLP" prints it after the initials
                initials = {"".join(w[0] for w in ws if w[:1].isalnum()) for ws in (words, bare)}
                if words[0] == key or key.isalpha() and len(key) >= 3 and key in initials:
                    return Found(list(seg), short.confidence, name)
    spelled = _spelled_out(doc, short, key)
    return spelled if spelled is not None and fold(spelled.value) != holder_name else short


def _spelled_out(doc: PdfText, short: Found, key: str) -> Found | None:
    """ "Quality Control Certification (QCC) accredited by …": the page defines the short name in
    brackets after the words whose initials spell it; those words are the body's name."""
    if not key.isalpha() or len(key) < 3:
        return None
    for page in doc.pages[:BODY_PAGES]:
        for line in page.lines:
            for seg in line.segments:
                texts = [w.text.strip(QUOTES) for w in seg]
                for i, text in enumerate(texts):
                    if fold(text.strip(" ,;.")) != f"({key})" or i < len(key):
                        continue
                    run = seg[i - len(key):i]
                    if "".join(fold(w.text.strip(QUOTES))[:1] for w in run) == key \
                            and all(w.text.strip(QUOTES)[:1].isupper() for w in run):
                        return Found(list(run), short.confidence, " ".join(w.text.strip(QUOTES) for w in run))
    return None


def cut_at_full_stop(f: Found) -> None:
    """ "… continuation letter issued by PDCA. It is issued subject to …": a name read after a
    phrase ends at its sentence's full stop, unless a legal form follows ("Cert. Ltd.")."""
    for i, w in enumerate(f.words[:-1]):
        if _ends_sentence(w.text) and not _legal_form_words(f.words[:i + 1], f.words[i + 1:]):
            f.words = f.words[:i + 1]
            f.value = " ".join(x.text for x in f.words).rstrip(".")
            return


def _without_legal_form(name: str) -> str:
    """The name before the legal form that ends it ("Quality Compliance Certification India LLP")."""
    spans = legal_form_spans(name)
    if spans and spans[-1][1] >= len(name.rstrip(" .")) - 1:
        return name[:spans[-1][0]].strip(" ,;.")
    return name


def accreditation_body(name: str) -> bool:
    """A listed accreditation body, or a name that says it accredits ("… Accreditation Centre")."""
    body = body_named(name)
    return body is not None and body.accreditation or bool(_words_pattern("accreditation_words").search(fold(name)))


@lru_cache(maxsize=None)
def _words_pattern(name: str) -> re.Pattern[str]:
    words = sorted(load("certification_bodies")[name]["words"], key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(fold(w)) for w in words) + r")(?![a-z0-9])")


#: A certification body on no list, found only by the shape of its name: a guess to check.
LAYOUT_CONFIDENCE = 0.6


def named_by_layout(doc: PdfText, holder_name: str) -> Found | None:
    """The issuer where no list, label or sentence names it: a company printed with its legal form
    whose name says it certifies ("Pennine Certification Services Ltd", "Certificazioni Marche
    S.r.l.", data/certification_bodies.json issuer_name_words), that is not the holder and not an
    accreditation body. The small print names it as often as the letterhead; the first one wins."""
    says_certifies = _words_pattern("issuer_name_words")
    for page in doc.pages[:BODY_PAGES]:
        for line in page.lines:
            for seg in line.segments:
                for found in _names_ending_in_legal_form(seg):
                    folded = fold(found.value)
                    if folded == holder_name or holder_name and (folded in holder_name or holder_name in folded):
                        continue
                    if says_certifies.search(folded) and not accreditation_body(found.value):
                        found.confidence = LAYOUT_CONFIDENCE
                        return found
    return None


def _names_ending_in_legal_form(seg: list) -> list[Found]:
    """Each capitalised run of words that ends in a legal form ("… of Certificazioni Marche S.r.l. -")."""
    out = []
    for end in range(1, len(seg) + 1):
        prefix = " ".join(w.text for w in seg[:end]).rstrip(" ,;-–")
        form_end = legal_form_end(prefix)
        if form_end is None or form_end < len(prefix.rstrip(".")) - 1:
            continue
        start = end - 1
        while start > 0 and end - start < PHRASE_NAME_WORDS:
            text = seg[start - 1].text.strip(" ,;:.")
            comma = seg[start - 1].text.endswith((",", ";", ":")) and start < end - 1   # "Lusitana Certificação, Lda."
            if not text or not (text[:1].isupper() or text == "&") or comma:
                break
            start -= 1
        words = list(seg[start:end])
        value = " ".join(w.text for w in words).strip(" ,;-–")
        if len(words) >= 2 and not any(c.isdigit() for c in value) and not WEB_ADDRESS.search(value):
            out.append(Found(words, 0.0, value))
    return out


def _legal_form_words(run: list, rest: list, *, extending: bool = False) -> int:
    """How many of `rest` complete the name in `run` with a legal form ("S.A. de C.V."), 0 if none.
    After a full stop only a form printed as one ("S.A.", "LTD") continues: "… by QFS. Se emite"
    opens a sentence; nor does a word in lower case start one ("Intertek as conforming")."""
    if not rest:
        return 0
    first = rest[0].text.strip(" ,;")
    if not extending and not _abbreviated(first) and (_ends_sentence(run[-1].text) or not first[:1].isupper()):
        return 0
    value = " ".join(w.text for w in run).rstrip(" ,;")
    best = 0
    for k in range(1, min(len(rest), 4) + 1):
        candidate = f"{value} " + " ".join(w.text for w in rest[:k]).rstrip(" ,;")
        # the form opens the words that follow (or, extending, runs on into them) and ends them
        if any(end > len(value) + 1 and end >= len(candidate.rstrip(".")) - 1
               and (extending or start == len(value) + 1) for start, end in legal_form_spans(candidate)):
            best = k
    return best


#: "Cert.", "Int.", "Mfg.": a word shortened inside a name, not the end of a sentence.
SHORTENED = re.compile(r"[A-Z][a-z]{1,4}\.")


def _ends_sentence(word: str) -> bool:
    """ "QFS." ends a sentence; "Cert." and "S.A." are shortened words of a name."""
    return word.endswith(".") and not SHORTENED.fullmatch(word) and not re.search(r"\.\w", word)


def _abbreviated(word: str) -> bool:
    """A legal form printed as one ("S.A.", "LTD"), not a word that opens the next sentence."""
    text = word.strip(" ,;")
    return "." in text.rstrip(".") or text.rstrip(".").isupper() and len(text.rstrip(".")) >= 2


def _just_above(prev: Line, line: Line) -> bool:
    return line.top - prev.bottom < 1.5 * max(line.size, prev.size)


#: Quotation marks around a name ("“QCC”"); OCR often loses the opening one.
QUOTES = "\"“”„«»"


#: "Certificaci6n": OCR reads an accented letter as a digit inside a word; a digit between letters
#: is no house number.
_INNER_DIGIT = re.compile(r"(?<=[^\W\d_])\d(?=[^\W\d_])")


def _name_from(words: list, whole: bool = False) -> list[Found]:
    """The capitalised run of words that makes a name, cut at its legal form, its comma or its
    full stop — unless a legal form follows ("EQA Certificación México, S.A. de C.V.")."""
    run: list = []
    i = 0
    while i < len(words) and len(run) < PHRASE_NAME_WORDS:
        if run:
            k = _legal_form_words(run, words[i:])
            if k:
                run += words[i:i + k]
                break
            if run[-1].text.endswith((",", ";")) or _ends_sentence(run[-1].text):
                break
        w = words[i]
        text = w.text.strip(" ,;:." + QUOTES)      # "the property of “QCC” to whom": the name inside its quotes
        if not text or not (text[:1].isupper() or text[:1].isdigit() or text == "&"):
            if whole:
                return []      # "<Name>, certifica que": every word before the phrase is the name
            break
        run.append(w)
        i += 1
        value = " ".join(x.text for x in run).strip(" ,;")
        end = legal_form_end(value)
        if end is not None and end >= len(value.rstrip(".")) - 1:
            run += words[i:i + _legal_form_words(run, words[i:], extending=True)]
            break          # the name ends at its legal form ("S.A.", or "S.A. de C.V." in full)
    value = " ".join(x.text for x in run).strip(" ,;" + QUOTES)
    if not re.search(r"\.\w", run[-1].text if run else ""):
        value = value.rstrip(".")      # a sentence's full stop; "C.V." keeps its own
    if not run or len(value) < 3 or any(c.isdigit() for c in _INNER_DIGIT.sub("", value)) \
            or WEB_ADDRESS.search(value):
        return []
    return [Found(run, 0.0, value)]
