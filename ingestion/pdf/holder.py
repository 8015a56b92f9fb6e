"""The certified organisation on a certificate: after a certifying phrase ("This is to certify
that", "Zertifikat für", "certifie que", "certifica que", "niniejszym …"), at a label, or as a
last guess the largest company name on the first page.

A phrase that names the system rather than the company ("…the Food Safety Management System
of:") is a label: the name is read under it, across a wrapped phrase or a logo's text, and joined
when it is set large over two lines ("Flex Films Europa" / "Sp. z o.o."). Only a name read at a
phrase or label that ends in a company's legal form is promised (>= 0.9).
"""

from __future__ import annotations

import re
from typing import Callable

from .anchors import CONFIDENCE, Found, Hit, below, cue_pattern, hits_for, match_at, page_of, value_at
from .bodies import body_named
from .fields import below_value, line_of
from .identifiers import has_legal_form, legal_form_end, legal_form_spans
from .labels import cues, labels_for
from .layout import Line, PdfText, Word, fold
from .schemes import GENERIC_STANDARD
from .shapes import is_title, text_shaper

#: A value read at a label or phrase and validated (a company's legal form, a known body).
NAMED_AND_CHECKED = 0.92
#: What an unchecked name scores at most.
UNCHECKED_NAME = 0.85
#: How many lines under a phrase its holder's name may start (the phrase may wrap, a logo may stand between).
BELOW_STEPS = 3
#: A name is often set apart from the phrase above it: this many of the phrase's line heights may part them.
NAME_GAP_LINES = 4.0
#: A line longer than this is running text, not a name standing alone.
SENTENCE_WORDS = 10
#: A line saying "certificate" is a title, not a name.
CERTIFICATE_WORDS = re.compile(r"\b(certificate|zertifikat|certificat|certification|zertifizierung|licence|license)\b")


def find_holder(doc: PdfText) -> Found | None:
    holder = _find_holder(doc)
    if holder is not None and only_legal_form(holder.value):
        _with_line_above(doc, holder)
    if holder is not None:
        _drop_unread_edges(holder)
    return holder


#: OCR's confidence in a word it could not read at all (a logo's small print run into the line).
UNREAD = 0.1


def _drop_unread_edges(f: Found) -> None:
    """"sajcracronve ssa? fA CTION FABRICATORS, INC.": OCR ran a logo's small print, which it could
    not read (confidence near 0), into the name's line; those words at either end are not the name."""
    words = list(f.words)
    while len(words) > 1 and words[0].conf < UNREAD:
        words.pop(0)
    while len(words) > 1 and words[-1].conf < UNREAD:
        words.pop()
    if len(words) == len(f.words):
        return
    text = " ".join(w.text for w in words)
    at = f.value.find(text)
    if at >= 0:          # the value as printed; only the unread words go
        f.words, f.value = words, f.value[at:at + len(text)].strip(" ,;")


def _find_holder(doc: PdfText) -> Found | None:
    found = []
    for hit in hits_for(doc, "holder_name"):
        if hit.label.role == "labels" and hit.start > 0 and not _colon_after(hit):
            continue     # "Guanhua MLCC Branch Company - Subsidiary of …": a name's own word, not a label
        page = page_of(doc, hit.line.page)
        f = value_at(hit, page, text_shaper(max_words=12), lines_below=1)
        rest = " ".join(w.text for w in hit.line.segments[hit.seg][hit.end:])
        if _speck(rest):
            # "…the management system of i": a speck OCR read as a letter, not a name after the phrase
            rest = ""
            f = None if f is not None and _speck(f.value) else f
        if f is not None and (_is_label_phrase(f.value) or rest.strip() and _is_label_phrase(rest)):
            # "…certify that the Food Safety Management System of:" — the name is under the phrase.
            f = _shaped_below(doc, f, hit.label.role)
        elif hit.label.role == "phrases" and not rest.strip() and (f is None or not has_legal_form(f.value)):
            under = _shaped_below(doc, Found(hit.words, 0.0), hit.label.role)
            # "This is to certify that:   Hanwha Solutions" with the address under the name: a name
            # in the phrase's next cell stands unless the line under it names a company by its legal form
            beside = f is not None and abs(f.words[0].top - hit.words[0].top) < 0.5 * hit.words[0].size \
                and not re.search(r"\d", f.value)
            if under is not None and (not beside or has_legal_form(under.value)):
                f = under
        if f is not None and not _is_label_phrase(f.value) and not _running_text(f.value) and not _no_name(f.words):
            found.append(f)
    for f in found:
        _drop_run_in(f)
        _join_continuation(doc, f)
        _trim_at_legal_form(f)
        quoted_in_a_register_line(f)
        if has_legal_form(f.value):
            # read at a label or a certifying phrase, and shaped like a company name: promised
            f.confidence = min(0.98, max(f.confidence + 0.03, NAMED_AND_CHECKED))
        else:
            f.confidence = min(f.confidence, UNCHECKED_NAME)   # a name without a legal form is not checked
    first_page = min((f.page for f in found), default=0)
    for f in found:
        if f.page != first_page:     # an appendix's site list names other companies: not promised
            f.confidence = min(f.confidence, UNCHECKED_NAME)
    found.sort(key=lambda f: (-f.score, f.page, f.words[0].top))
    if found and not has_legal_form(found[0].value):
        # "… is granted to the organization" printed under the name, with the scope after it: a
        # company named by its legal form in larger type than what the phrase gave is the holder.
        company = _prominent_company(doc, exclude="", legal_form_only=True)
        if company is not None and _size(company) > _size(found[0]) + 1:
            company.confidence = max(company.confidence, OVER_PHRASE)
            return company
    if found:
        return found[0]
    return _prominent_company(doc, exclude="")


def only_legal_form(value: str) -> bool:
    """"ANONİM ŞİRKETİ", "Sp. z o.o.": a line that is only a legal form, its name on the line above."""
    spans = legal_form_spans(value)
    rest, at = [], 0
    for start, end in spans:
        rest.append(value[at:start])
        at = end
    rest.append(value[at:])
    return bool(spans) and not any(c.isalnum() for c in "".join(rest))


def _with_line_above(doc: PdfText, f: Found) -> None:
    """Prepend the line just above the value's, when it stands close over it (a name set in
    larger type than its legal form: "ALO YÖNETİM VE ORGANİZASYON" / "ANONİM ŞİRKETİ")."""
    first = f.words[0]
    page = page_of(doc, first.page)
    above = [ln for ln in page.lines if ln.top < first.top - 0.5 * first.size
             and first.top - ln.bottom < 1.5 * max(ln.size, first.size)
             and ln.words[0].x0 < f.words[-1].x1 and ln.words[-1].x1 > first.x0]
    if not above:
        return
    line = max(above, key=lambda ln: ln.bottom)
    if _is_label_phrase(line.text) or has_legal_form(line.text):
        return
    f.words = list(line.words) + f.words
    f.value = f"{line.text} {f.value}"


#: A large company name preferred over a phrase's value that names no company: a layout guess.
OVER_PHRASE = 0.7
#: Sizes within this share of each other are one type (OCR measures each word's height).
SAME_TYPE = 0.2
#: How many lines above its legal form a large name may start ("ALKİL KİMYA PETROL ÜRÜNLERİ" /
#: "SANAYİ VE TİCARET LİMİTED ŞİRKETİ").
NAME_LINES_ABOVE = 3


def _size(f: Found) -> float:
    return max(w.size for w in f.words)


#: "ISO", "IATF": the family word of a standard's artwork printed on its own beside the name.
STANDARD_FAMILY = re.compile(r"^(?:iso|iatf|iec|ohsas|din|en)$")
#: Artwork is set in another size than the name it stands beside (points).
ARTWORK_SIZE_GAP = 2


def _drop_run_in(f: Found) -> None:
    """Text set beside the name on the same line is not the name: a standard's artwork ("ISO
    9001" printed large next to it) or the certificate's number ("Cert. No. 204411"). A line
    reader (or OCR on a scan) runs them into one; cut them off at either end."""
    words = list(f.words)
    while words and not _no_name(words):
        m = GENERIC_STANDARD.match(" ".join(w.text for w in words))
        if m and m.end() < len(" ".join(w.text for w in words)):
            words = words[len(m.group(0).split()):]
        elif len(words) > 1 and STANDARD_FAMILY.match(fold(words[0].text).strip(" .:")) \
                and abs(words[0].size - words[1].size) > ARTWORK_SIZE_GAP:
            words = words[1:]      # "ISO" set large beside the name; "ISO Group Ltd" keeps its word
        else:
            break
    for i in range(1, len(words)):
        rest = " ".join(w.text for w in words[i:])
        if GENERIC_STANDARD.match(rest) or _number_label_at(words, i):
            words = words[:i]
            break
    if words and len(words) < len(f.words):
        f.words = words
        f.value = " ".join(w.text for w in words).strip(" ,;-–")


def _no_name(words: list[Word]) -> bool:
    """A standard's artwork ("ISO 9001"), a number ("No. Q-2231-77") or a bare code: no word of
    it is a plain word of letters that is not a standard's family name, so it names no one."""
    if _number_label_at(words, 0):
        return True
    plain = [w for w in words if sum(c.isalpha() for c in w.text) >= 2 and not any(c.isdigit() for c in w.text)
             and not STANDARD_FAMILY.match(fold(w.text).strip(" .,:"))]
    return not plain


def _number_label_at(words: list[Word], i: int) -> bool:
    """A certificate-number label ("Cert. No.", "Registro n.") at words[i] with a number after it."""
    for label in labels_for("certificate_number"):
        if label.role != "labels":
            continue
        end = match_at(words, i, label.key)
        if end is not None and any(c.isdigit() for w in words[end:end + 2] for c in w.text):
            return True
    return False


def _speck(value: str) -> bool:
    """Fewer than two letters or digits: no organisation's name."""
    return sum(c.isalnum() for c in value) < 2


def _is_label_phrase(value: str) -> bool:
    """"Quality Management System of:", "System Zarządzania firmy:", "la organización" introduce
    the name; they are not it (data/cues.json holder_label_words, holder_lead_words)."""
    text = fold(value).strip(" .,;")
    if not text or text.endswith(":"):
        return True
    if has_legal_form(value):
        return False
    if text.split()[-1] in cues("holder_lead_words") or cue_pattern("holder_system_words").search(text):
        return True              # "… of", "… von", "… firmy"; "System Zarządzania Bezpieczeństwem"
    return not cue_pattern("holder_label_words").sub(" ", text).strip(" .,;")


def _colon_after(hit: Hit) -> bool:
    seg = hit.line.segments[hit.seg]
    return ":" in seg[hit.end - 1].text or (hit.end < len(seg) and seg[hit.end].text.startswith(":"))


def _running_text(value: str) -> bool:
    """"Organización mencionada ha sido auditado …", "the food safety": a sentence read at a phrase."""
    text = fold(value).strip(" .,;")
    if cue_pattern("holder_sentence_words").search(text):
        return True          # even when a word of it reads like a legal form ("se" / SE)
    return not has_legal_form(value) and text.split()[0] in {"the", "this", "its"}


def _shaped_below(doc: PdfText, above: Found, role: str) -> Found | None:
    """The largest line right under a phrase that ends its line: the holder's name."""
    line = line_of(doc, above.words[-1])
    if line is None:
        return None
    page = page_of(doc, above.page)
    # the phrase's own column: a sidebar printed level with it ("Certificado n.º") is not under it
    seg = next((sg for sg in line.segments if any(w is above.words[-1] for w in sg)), line.words)
    x0 = min(w.x0 for w in seg)
    x1 = max(w.x1 for seg in line.segments for w in seg if w.x0 < page.width * 0.6) if line.words else x0
    shaped: list[tuple[list[Word], str]] = []
    for _ in range(BELOW_STEPS):
        words = below(page, line, x0, max(x1, page.width * 0.55), lines=1, reach=NAME_GAP_LINES)
        if not words:
            break
        next_line = line_of(doc, words[-1])
        if next_line is None:
            break
        line = next_line
        found = text_shaper(max_words=12)(words, False)
        if found is None or _is_label_phrase(found[1]) or _no_name(found[0]):
            if shaped:
                break
            continue          # the phrase runs on ("… Bezpieczeństwem" / "Żywności firmy:"), artwork stands between
        shaped.append(found)
        if len(shaped) == 2:
            break
    if not shaped:
        return None
    first = shaped[0]
    continued = len(shaped) > 1 and has_legal_form(f"{first[1]} {shaped[1][1]}") \
        and abs(max(w.size for w in first[0]) - max(w.size for w in shaped[1][0])) <= 1
    pick = first if continued else next((s for s in shaped if has_legal_form(s[1])), first)
    return Found(pick[0], CONFIDENCE[role], pick[1])


#: How many lines a name set large may run over ("Guanhua MLCC Branch Company -" / "Subsidiary of …" /
#: "Advanced Technology Holding" / "Co., Ltd.").
NAME_LINES = 4


def _join_continuation(doc: PdfText, f: Found) -> None:
    """A name set large over two or three lines ("Flex Films Europa" / "Sp. z o.o.") is one name;
    so is a company and its unit under it in the same type ("UFLEX LTD" / "FILMS DIVISION")."""
    if has_legal_form(f.value) and not _runs_on(doc, f.words):
        nxt = _same_type_below(doc, f)
        if nxt and cue_pattern("holder_unit_words").search(fold(" ".join(w.text for w in nxt))) \
                and not re.search(r"\d", " ".join(w.text for w in nxt)):
            f.words = f.words + nxt
            f.value = f.value + " " + " ".join(w.text for w in nxt)
        return
    words, value = list(f.words), f.value
    for _ in range(NAME_LINES - 1):
        nxt = _same_type_below(doc, Found(words, f.confidence, value))
        if not nxt or len(nxt) > 4:
            return
        words, value = words + nxt, value + " " + " ".join(w.text for w in nxt)
        end = legal_form_end(value)
        if end is not None and end >= len(value.rstrip(" .,")) - 1 and not _runs_on(doc, words):
            f.words, f.value = words, value
            return


def _runs_on(doc: PdfText, words: list[Word]) -> bool:
    """"Guanhua MLCC Branch Company -" / "Subsidiary of …": a line ending in a dash or "of" goes on."""
    line = line_of(doc, words[-1])
    text = " ".join(w.text for w in (line.words if line is not None else words)).rstrip()
    return text.endswith(("-", "–", "—")) or fold(text).endswith(" of")


def _same_type_below(doc: PdfText, f: Found) -> list[Word]:
    nxt = below_value(doc, f, lines=1)
    if not nxt or abs(max(w.size for w in nxt) - max(w.size for w in f.words)) > 1:
        return []
    return list(nxt)


def _trim_at_legal_form(f: Found) -> None:
    """"Nordwerk GmbH, Industriestrasse 12, …" -> the name; the rest stays for the address.
    "Jinan Casting Co., Ltd. ( Jinan Malleable Iron Corp, …)": a name in brackets after the legal
    form is a former or other name, not part of this one."""
    end = legal_form_end(f.value)
    if end is None or end >= len(f.value.rstrip(" .,")):
        return
    rest = f.value[end:]
    if rest.lstrip().startswith((",", "(")):
        kept, length = [], 0
        for w in f.words:
            if length >= end:
                break
            kept.append(w)
            length += len(w.text) + 1
        f.words = kept
        f.value = f.value[:end].strip()


#: 'ТОО "Real Construction CO"', 'ООО «Север»': a name in quotes, with the short legal form before
#: it; OCR may lose the opening quote ('TOO Ural Steel Works"').
_QUOTED_NAME = re.compile(r"(?:\b[^\W\d_]{2,4}\s+)?[\"«“„][^\"»”“]{2,80}[\"»”“]"
                          r"|\b[^\W\d_]{2,4}\s+[^\W\d_][^\"»”“„«,]{1,79}[\"»”“]")
_QUOTES = "\"«»“”„"


def quoted_in_a_register_line(f: Found) -> None:
    """"БИН 060940007139, ТОО "Real Construction CO", Казахстан, …, улица": a register line (tax
    number, name, address) read as the value: the quoted name is the holder, and as it is not
    checked, it is not promised."""
    if f.value.count(",") < 2:
        return
    m = _QUOTED_NAME.search(f.value)
    if m is None or m.start() == 0 and m.end() >= len(f.value.rstrip(" .,")):
        return
    kept, at = [], 0
    for w in f.words:
        start = f.value.find(w.text, at)
        at = start + len(w.text) if start >= 0 else at
        if start >= 0 and start < m.end() and at > m.start():
            kept.append(w)
    if kept:
        value = m.group(0).strip()
        if not any(q in value[:-1] for q in _QUOTES):      # the opening quote lost: drop the closing one
            value = value.rstrip(_QUOTES).strip()
        f.words, f.value = kept, value
        f.confidence = min(f.confidence, UNCHECKED_NAME)


def _prominent_company(doc: PdfText, exclude: str, *, legal_form_only: bool = False) -> Found | None:
    """No label: the largest line on page 1 naming a company by its legal form (with the lines
    of the same name above it), else the largest line that is no title, label or number at all
    (a weaker guess)."""
    def plain(ln: Line) -> bool:
        return not is_title(ln.text) and fold(ln.text) != fold(exclude) and ":" not in ln.text \
            and len(ln.words) <= SENTENCE_WORDS and not _a_body(ln.text)
    lines = [ln for ln in doc.pages[0].lines if plain(ln) and has_legal_form(ln.text)]
    confidence = 0.5
    if not lines and legal_form_only:
        return None
    if not lines:
        lines = [ln for ln in doc.pages[0].lines if plain(ln) and not re.search(r"\d", ln.text)
                 and not _certificate_title(ln.text)]   # "СЕРТИФИКАТ", "SERTİFİKA"
        confidence = 0.35
    if not lines:
        return None
    line = max(lines, key=lambda ln: (ln.size, -ln.top))
    seg = max(line.segments, key=lambda s: has_legal_form(" ".join(w.text for w in s)))
    words = _name_lines_above(doc, line, list(seg), plain) + list(seg) if confidence == 0.5 else list(seg)
    value = " ".join(w.text for w in words).strip(" ,;")
    if value.startswith("(") and value.endswith(")"):     # "Alkil Kimya" / "(ALKİL … LİMİTED ŞİRKETİ)"
        value = value[1:-1].strip()
    f = Found(words, confidence, value)
    _drop_run_in(f)
    _trim_at_legal_form(f)
    return f


def _a_body(text: str) -> bool:
    """"CERTIFICACIONES DEL PERÚ S.A." set large over "Ha registrado que …": a listed certification
    body's name is the issuer, however large the page prints it (an accreditation body's logo
    text is left to the other checks)."""
    body = body_named(text)
    return body is not None and not body.accreditation


def _certificate_title(text: str) -> bool:
    """"QUALITY MANAGEMENT SYSTEM CERTIFICATE", "SERTİFİKASI": a title, never part of a name."""
    folded = fold(text)
    return bool(CERTIFICATE_WORDS.search(folded) or cue_pattern("certificate_titles").search(folded))


#: Two lines whose middles lie within this many font sizes are centred on one another.
CENTRED_SLACK = 2
#: Lines in capitals over a name in capitals are one type within this share (OCR heights).
OCR_CAPITALS_TYPE = 0.45
#: Words a company name's line cannot end on: the name goes on to the next line.
NAME_CONNECTIVES = frozenset({"&", "and", "e", "y", "et", "und", "ve", "i", "en", "of", "de", "di", "do", "da", "der"})


def _name_lines_above(doc: PdfText, line: Line, seg: list[Word], plain: Callable[[Line], bool]) -> list[Word]:
    """The lines right above a large company name's legal form that continue it: the same type,
    the same column, no legal form of their own; a line opening with "(" starts the name."""
    lines = doc.pages[0].lines
    x0, x1, size = min(w.x0 for w in seg), max(w.x1 for w in seg), max(w.size for w in seg)
    out: list[Word] = []
    at = lines.index(line)
    for above_line in reversed(lines[max(0, at - NAME_LINES_ABOVE):at]):
        words = [w for w in above_line.words if w.x1 > x0 and w.x0 < x1]
        if words and abs((above_line.words[0].x0 + above_line.words[-1].x1) - (x0 + x1)) / 2 < CENTRED_SLACK * size:
            words = list(above_line.words)   # centred over the name and wider than it: the whole line is the name's
        text = " ".join(w.text for w in words)
        # "El sistema de gestión de" over the name ends in "de" but is the phrase before it, not its start
        # OCR gives each word its own height ("ÜRÜNLERİ" with its dots is taller): a fifth either way;
        # a line ending in "E" / "and" / "&" goes on, whatever height OCR gave it ("… CONSULTORIA E" /
        # "SERVIÇOS EM TECNOLOGIA LTDA", the cedilla making the second line taller)
        runs_on = bool(words) and fold(words[-1].text) in NAME_CONNECTIVES
        # capitals over capitals: OCR's line height swings with accents and descenders ("MÜHENDİSLİK
        # İNŞAAT TAAHHÜT" reads half again as tall as the lines around it)
        capitals = text.isupper() and " ".join(w.text for w in seg).isupper() and not _is_label_phrase(text)
        tolerance = max(1.0, (OCR_CAPITALS_TYPE if capitals else SAME_TYPE) * size)
        if not words or (not runs_on and abs(max(w.size for w in words) - size) > tolerance) \
                or not plain(above_line) \
                or has_legal_form(text) or re.search(r"\d", text) or _certificate_title(text) \
                or cue_pattern("holder_system_words").search(fold(text)) \
                or above_line.bottom < (out[0].top if out else seg[0].top) - 1.5 * size:
            break
        out = words + out
        if text.startswith("("):
            break
    return out
