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
from .identifiers import legal_form_end
from .labels import load
from .layout import Folded, Line, PdfText, fold

#: Words after a body's name within which its legal form may end its full name.
FULL_NAME_REACH = 5
#: Names this short ("UL", "BSI", "SGS") count only when printed in capitals.
SHORT_NAME = 4
WEB_ADDRESS = re.compile(r"@|www\.|\.(?:com|org|net)\b|https?:", re.IGNORECASE)
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
        for line in page.lines:
            for seg in line.segments:
                folded = Folded.of(seg)
                for m in before.finditer(folded.text):
                    if m.end() < len(folded.text):
                        first, _ = folded.span(m.end(), m.end() + 1)
                        found.extend(_name_from(seg[first:]))
                m = after.search(folded.text)
                if m and m.start() > 0:
                    last, _ = folded.span(m.start() - 1, m.start())
                    if last + 1 <= PHRASE_NAME_WORDS:
                        found.extend(_name_from(seg[:last + 1], whole=True))
    found = [f for f in found if fold(f.value) != holder_name and not accreditation_body(f.value)]
    if not found:
        return None
    full = [f for f in found if legal_form_end(f.value)]
    pick = full[0] if full else found[0]
    pick.confidence = PHRASE_CONFIDENCE
    return pick


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


def _name_from(words: list, whole: bool = False) -> list[Found]:
    """The capitalised run of words that makes a name, cut at its legal form or its comma."""
    run = []
    for w in words[:PHRASE_NAME_WORDS]:
        text = w.text.strip(" ,;:.")
        if not text or not (text[:1].isupper() or text[:1].isdigit() or text == "&"):
            if whole:
                return []      # "<Name>, certifica que": every word before the phrase is the name
            break
        run.append(w)
        value = " ".join(x.text for x in run).strip(" ,;")
        end = legal_form_end(value)
        if end is not None and end >= len(value.rstrip(".")) - 1:
            break
        if w.text.endswith((",", ";")):
            break
    value = " ".join(x.text for x in run).strip(" ,;.")
    if not run or len(value) < 3 or any(c.isdigit() for c in value) or WEB_ADDRESS.search(value):
        return []
    return [Found(run, 0.0, value)]
