"""What REACH SVHC and RoHS declarations share: supplier, date, products, signatory, statements."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from itertools import dropwhile, takewhile
from typing import Any

from .anchors import Found, cue_pattern, hits_for, page_of, values
from .dates import find_dates, numeric_order
from .company import supplier
from .labels import cues, load
from .identifiers import has_legal_form
from .layout import Line, PdfText, Word, fold, join
from .shapes import date_shaper, is_title, phrase_date_shaper, text_shaper
from ..errors import N_

PART_NUMBER = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._/#+-]{1,39}$")
NOT_A_PART = re.compile(r"^(\d+([.,]\d+)?%?|\d{4}/\d+/[A-Za-z]{2}|\d{1,2}\([a-z]\).*)$")
def declaration_date(doc: PdfText, exclude: set[int]) -> Found | None:
    """The declaration's date; `exclude` holds ids of lines whose dates mean something else.

    Unlabelled, it is a date standing on its own (a letter's date, the one by the signature);
    dates inside citations ("Directive 2015/863 of 4 June 2015", "effective July 22, 2019") are not.
    """
    found = [f for f in values(doc, "declaration_date", date_shaper(reach=6)) if id(_line(doc, f)) not in exclude]
    if found:
        return resolved_date(doc, found[0])
    alone: list[Found] = []
    dated: list[Found] = []
    for ln in doc.lines():
        if id(ln) in exclude:
            continue
        for seg in ln.segments:
            for h in find_dates(seg):
                if cited(seg, h.first) or _print_time(doc, ln, seg, h.last):
                    continue
                words = seg[h.first:h.last + 1]
                (alone if len(words) >= len(seg) - 1 else dated).append(Found(words, 0.5, h.value))
    if alone:
        alone[0].confidence = 0.7
        return resolved_date(doc, alone[0])
    month = _month_only(doc)
    if month is not None:
        return month
    return resolved_date(doc, dated[-1]) if dated else None


#: A time of day right after a date makes it a timestamp (printed, scanned, generated).
CLOCK = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:[ap]m)?[,;]?$", re.IGNORECASE)


#: The page's top and bottom margins, where a browser prints its header and footer.
PRINT_MARGIN = 0.05


def _print_time(doc: PdfText, line: Line, seg: list[Word], last: int) -> bool:
    """"2022-08-16, 23:45" in the top or bottom margin: the time a browser printed the page. (A
    date with a time in the body — "DocuSigned … 07 April 2021 10:44 BST" — is the signing.)"""
    if last + 1 >= len(seg) or not CLOCK.match(seg[last + 1].text):
        return False
    height = page_of(doc, line.page).height
    return line.top < PRINT_MARGIN * height or line.top > (1 - PRINT_MARGIN) * height


def cited(words: list[Word], first: int) -> bool:
    """Is the date at words[first] part of a citation (a regulation's date, a list's update)?"""
    before = " ".join(fold(w.text) for w in words[max(0, first - 4):first])
    if re.search(r"\d{2,4}/\d{1,4}", before):
        return True
    return any(re.search(rf"(?<![a-z]){re.escape(c)}(?![a-z])", before) for c in load("conformity")["citation_words"])


#: Time zones and clocks: a date this much after the file's creation date still counts as possible.
CLOCK_SLACK = timedelta(days=1)
#: Slashes or dashes: "05.04.2023" is a European habit, read day-first like find_dates does.
US_DATE = re.compile(r"^(\d{1,2})([/-])(\d{1,2})[/-](\d{4})$")


@lru_cache(maxsize=1)
def _us_signs() -> re.Pattern[str]:
    """The country, a US company form, or a state's code before a ZIP ("OH 45402", never "EN 55015:2013")."""
    signs = load("conformity")["us_signs"]
    words = "|".join(re.escape(w).rstrip(r"\.") for w in sorted(signs["words"], key=len, reverse=True))
    states = "|".join(signs["states"])
    return re.compile(rf"(?i:(?<![a-z])(?:{words})(?![a-z]))|\b(?:{states})\s+\d{{5}}(?:-\d{{4}})?(?![\d:])")


def resolved_date(doc: PdfText, found: Found, printed: str | None = None) -> Found:
    """A numeric date that reads both ways (07/11/2022) is month-first where the document is
    American; otherwise it stays day-first, and either way it is not a confident value.
    `printed` is the date as printed when the found words hold more than the date."""
    m = US_DATE.match((printed if printed is not None else "".join(w.text for w in found.words)).strip(" ,.;"))
    if not m or int(m.group(1)) > 12 or int(m.group(3)) > 12 or m.group(1) == m.group(3):
        return found
    first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    possible = [d for d in (date(year, second, first), date(year, first, second))
                if doc.created is None or d <= doc.created + CLOCK_SLACK]
    if len(possible) == 1:      # the other reading is after the file was made: impossible
        found.value = possible[0]
        found.confidence = min(found.confidence, 0.85)
        return found
    order = numeric_order([h for line in doc.lines() for h in find_dates(line.words)])
    if order is not None:     # "12/28/2023" elsewhere proves the document writes month first
        found.value = date(year, first, second) if order == "mdy" else date(year, second, first)
        found.confidence = min(found.confidence, 0.85)
        return found
    american = _us_signs().search(doc.text()) is not None
    value = date(year, first, second) if american else date(year, second, first)
    found.value = value
    found.confidence = min(found.confidence, 0.7 if american else 0.6)
    found.note = (N_("The date %(date)s can be read as day/month or month/day; read as month/day (a US document) "
                     "— please check it") if american else
                  N_("The date %(date)s can be read as day/month or month/day; read as day/month — please check it")
                  ) % {"date": m.group(0)}
    return found


MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")


def _month_only(doc: PdfText) -> Found | None:
    """A letter dated only by month ("July 2022"): the first day of that month, to be checked."""
    months = {n: int(k) for k, v in load("months").items() if not k.startswith("_") for n in v}
    for ln in doc.lines():
        seg = ln.segments[0]
        m = MONTH_YEAR.match(fold(join(seg)))
        if m and m.group(1) in months and not cited(seg, 0):
            found = Found(list(seg), 0.5, date(int(m.group(2)), months[m.group(1)], 1))
            found.note = N_("Only the month is printed; the first day of that month was taken — please check it")
            return found
    return None


def _line(doc: PdfText, f: Found) -> Line | None:
    for line in page_of(doc, f.page).lines:
        if any(w is f.words[0] for w in line.words):
            return line
    return None


def candidate_list_date(doc: PdfText) -> tuple[Found | None, set[int]]:
    """The Candidate List edition and the lines that name it (their dates are not the declaration's)."""
    found: list[Found] = []
    lines: set[int] = set()
    for hit in hits_for(doc, "candidate_list_date"):
        rest = hit.line.segments[hit.seg][hit.end:]
        shaped = phrase_date_shaper(list(rest), True) if rest else None
        if shaped:
            found.append(Found(shaped[0], 0.9, shaped[1]))
            lines.add(id(hit.line))
    return (found[0] if found else None), lines


def products(doc: PdfText) -> list[tuple[Found, Found | None]]:
    """(part number, name) pairs: from a "Part numbers: A, B" list, a part-number column or a
    "Mfr. Part #: X" line; a label inside running text ("the products manufactured by us") is none."""
    labelled = _labelled_parts(doc)
    if labelled:     # "Internal Number: 1-2176340-9" beside a "Requested Part" column header over "CRGCQ0603J1K0"
        seen = {p.value for p, _ in labelled}
        return labelled + [(p, None) for p, _ in _header_columns(doc) if p.value not in seen]
    fallback: list[tuple[Found, Found | None]] = []
    for hit in hits_for(doc, "products"):
        seg = hit.line.segments[hit.seg]
        after = seg[hit.end:]
        rest = list(after) + [w for s in hit.line.segments[hit.seg + 1:] for w in s]
        # "Model No.    : DEBIX Model Infinity": the colon may open the next cell
        colon = ":" in hit.words[-1].text or bool(rest and rest[0].text.startswith(":"))
        parts = [Found([w], 0.93, w.text.strip(",;.:")) for w in rest if is_part_number(w.text)] \
            if colon or not after else []
        if parts and _generic_name_label(hit) and len(parts) < sum(1 for w in rest if w.text.strip(":")):
            # "Product: Grove - 125KHz RFID Reader": a code inside the product's description is
            # a guess, kept only if no model or part-number label follows
            for p in parts:
                p.confidence = min(p.confidence, NAMED_PRODUCT)
            fallback = fallback or [(p, None) for p in parts]
            continue
        if parts:
            parts += _wrapped(doc, hit.line)
            return [(p, None) for p in parts]
        named = _named_products(hit, rest) if colon else []
        if named and _generic_name_label(hit):
            # "Product: Smart Watch" above "Model(s): F18, F19": the models identify the products
            fallback = fallback or [(found, None) for found in named]
            continue
        if named:
            return [(found, None) for found in named]
        if not any(w.key for w in after):
            column = _column(doc, hit.line, seg)
            if column:
                return column
    if fallback:
        return fallback
    titled = _title_product(doc)
    return [(titled, None)] if titled is not None else []


#: The title is the first page's largest lines (at least this share of its largest font size).
TITLE_SIZE = 0.9
#: "… (RoHS III) - BALENAFIN": the product a title names after a dash, one to this many words.
TITLE_PRODUCT = re.compile(r"\s[-–—]\s+(\S+(?:\s+\S+){0,2})\s*$")
#: Read from the title's layout, not at a label: a guess to check.
TITLED_PRODUCT = 0.6


def _title_product(doc: PdfText) -> Found | None:
    """"Declaration of Conformity to EU Directive 2015/863 (RoHS III) - BALENAFIN": a statement
    titled for one product names it after a dash at the end of its title (the first page's
    largest lines); a regulation, a date or a document word there ("- Rev. 2", "- 2024") is none."""
    lines = [ln for ln in doc.lines() if ln.page == 1]
    if not lines:
        return None
    biggest = max(ln.size for ln in lines)
    title = [ln for ln in lines[:6] if ln.size >= TITLE_SIZE * biggest]
    if not title:
        return None
    words = [w for ln in title for w in ln.words]
    m = TITLE_PRODUCT.search(join(words))
    if m is None:
        return None
    value = m.group(1).strip(" .,;:")
    count = len(value.split())
    found = words[-count:]
    if not any(c.isalpha() for c in value) or find_dates(found) or has_legal_form(value) \
            or re.search(r"\d+/\d+", value) or _not_in_title().search(fold(value)):
        return None
    return Found(found, TITLED_PRODUCT, value)


@lru_cache(maxsize=1)
def _not_in_title() -> re.Pattern[str]:
    words = load("conformity")["named_product_labels"]["not_in_title"]
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in words) + r")(?![a-z0-9])")


def _generic_name_label(hit: Any) -> bool:
    """"Product:", "Product name:": a label that names what the product is, which a model or part
    number label further down identifies better (data: named_product_labels.generic)."""
    label = fold(" ".join(w.text for w in hit.words)).strip(" :.")
    return label in load("conformity")["named_product_labels"]["generic"]


#: A product read by its name at a "Sample Name:" label, not by a part number's shape: a guess to check.
NAMED_PRODUCT = 0.6


def _named_products(hit: Any, rest: list[Word]) -> list[Found]:
    """"Sample Name: CHESTER", "Model No.: DEBIX Model Infinity", "Product: STEMlab, SDRlab,
    SIGNALlab": the short values of a label that names the product (data/conformity.json), one
    per comma; a value after the comma that is another label ("…, Sample model: X") ends them."""
    wordings = load("conformity")["named_product_labels"]
    label = fold(" ".join(w.text for w in hit.words)).strip(" :.")
    if label not in wordings["labels"]:
        return []
    chunks: list[list[Word]] = [[]]
    for w in (w for w in rest if w.text.strip(":")):
        if w.text.endswith(":"):         # the next label: its first words are no product
            chunks[-1] = []
            break
        chunks[-1].append(w)
        if w.text.endswith((",", ";")):
            chunks.append([])
    chunks = [c for c in chunks if c]
    values = [" ".join(w.text for w in c).strip(" ,;.:") for c in chunks]
    if not chunks or any(len(c) > wordings["max_words"] or not any(ch.isalpha() for ch in v)
                         for c, v in zip(chunks, values)):
        return []
    return [Found(c, NAMED_PRODUCT, v) for c, v in zip(chunks, values)]


def _header_columns(doc: PdfText) -> list[tuple[Found, Found | None]]:
    """Part numbers under a column header that stands alone in its cell ("Requested Part")."""
    for hit in hits_for(doc, "products"):
        seg = hit.line.segments[hit.seg]
        if hit.start == 0 and hit.end == len(seg):
            column = _column(doc, hit.line, seg)
            if column:
                return column
    return []


def _labelled_parts(doc: PdfText) -> list[tuple[Found, Found | None]]:
    """'Mfr. Part #: GS-630A', 'Internal Number: 1-2176340-9': the maker's number before a reseller's."""
    wordings = load("conformity")["part_labels"]
    found: list[tuple[bool, Found]] = []
    for line in doc.lines():
        for i, seg in enumerate(line.segments):
            text = join(seg)
            label, colon, _ = text.partition(":")
            folded = fold(label)
            if not colon or len(folded) > 40 or not any(w in folded for w in wordings["labels"]):
                continue
            value = seg[len(label.split()):] + (line.segments[i + 1] if i + 1 < len(line.segments) else [])
            value = list(dropwhile(lambda w: not w.text.strip(":："), value))     # "Item No. : X": a spaced colon
            maker = any(w in folded for w in wordings["maker"])
            listed = list(takewhile(lambda w: is_part_number(w.text, labelled=True), value))
            found += [(maker, Found([token], 0.85, token.text.strip(",;.:"))) for token in listed]
            if listed and len(listed) == len(value):     # the list may wrap onto the next lines
                found += [(maker, f) for f in _wrapped(doc, line)]
    if any(maker for maker, _ in found):
        found = [(m, f) for m, f in found if m]
    unique: dict[str, Found] = {}
    for _, f in found:
        unique.setdefault(f.value, f)
    return [(f, None) for f in unique.values()]


def is_part_number(token: str, digits_ok: bool = False, labelled: bool = False) -> bool:
    """Shaped like a part number; all digits only where a part-number column says so; shaped
    like a telephone number ("1-2176340-9") only where a part-number label says so."""
    token = token.strip(",;.:")
    if digits_ok and token.isdigit() and len(token) >= 5:
        return True
    return bool(PART_NUMBER.match(token)) and not NOT_A_PART.match(token) and not find_dates(
        [Word(token, 0, 0, 0, 0, 0, 0)]) and not any(p.search(fold(token)) for p in _not_parts(labelled))


@lru_cache(maxsize=2)
def _not_parts(labelled: bool) -> tuple[re.Pattern[str], ...]:
    """Standards (JESD46, IEC 62321), regulations and document ids shaped like part numbers."""
    data = load("conformity")["not_part_numbers"]
    return tuple(re.compile(p) for p in data["patterns"] + ([] if labelled else data["unlabelled_patterns"]))


def _wrapped(doc: PdfText, line: Line) -> list[Found]:
    """A list of part numbers that wraps onto the next lines (under the list or its label)."""
    page = page_of(doc, line.page)
    x0 = min(w.x0 for w in line.words)
    out: list[Found] = []
    last = line
    for nxt in page.lines:
        if nxt.top <= last.bottom - 1:
            continue
        words = nxt.words
        if nxt.top - last.bottom > 0.8 * last.size or words[0].x0 < x0 - 2 \
                or not all(is_part_number(w.text) for w in words):
            break
        out += [Found([w], 0.9, w.text.strip(",;.")) for w in words]
        last = nxt
    return out


def _column(doc: PdfText, header: Line, seg: list[Word]) -> list[tuple[Found, Found | None]]:
    """A table column under a "Part number" header; a text cell to its right is the name."""
    page = page_of(doc, header.page)
    x0, x1 = min(w.x0 for w in seg), max(w.x1 for w in seg)
    rows: list[tuple[Found, Found | None]] = []
    last = header
    for line in page.lines:
        if line.top <= last.bottom - 1:
            continue
        if line.top - last.bottom > 2.5 * last.size:
            break
        cells = [s for s in line.segments if min(w.x0 for w in s) < x1 and max(w.x1 for w in s) > x0 - 5]
        if not cells or not is_part_number(cells[0][0].text, digits_ok=True):
            break
        cell = cells[0]
        part = Found([cell[0]], 0.9, cell[0].text.strip(",;."))
        right = [s for s in line.segments if min(w.x0 for w in s) > max(w.x1 for w in cell)]
        name = Found(list(right[0]), 0.8, join(right[0])) if right and not find_dates(right[0]) \
            and join(right[0]) != part.value else None     # "Our part No. | Our product No.": the same code twice
        rows.append((part, name))
        last = line
    return rows


def signatory(doc: PdfText) -> tuple[Found | None, Found | None]:
    """(name, title): "Signed: Anna Berg, Quality Director", or a name line above a title."""
    found = [f for f in values(doc, "signatory", text_shaper(stops=False, max_words=10)) if _a_person(f.value)]
    # "(mainly in para position) 210555-94-5": a label word inside a table's text reads a number
    title = [t for t in values(doc, "signatory_title", text_shaper(stops=False, max_words=8))
             if sum(c.isalpha() for c in t.value) >= 2]
    if found:
        name, role = split_name_title(found[0])
        title = [t for t in title if t.page == name.page] or title    # the title beside the name
        return name, (title[0] if title else role)
    return _signature_block(doc)


def _a_person(text: str) -> bool:
    """A signatory's name, not a form's caption ("Name/Title", "Signature: ____")."""
    first = re.split(r"\s*(?:,|\s[-–]\s)\s*", text, maxsplit=1)[0]
    return (any(c.isalpha() for c in first) and not re.search(r"[/:_@]|\d", first)
            and fold(first).strip(" .") not in ("name", "title", "signature", "date", "position"))


def split_name_title(found: Found) -> tuple[Found, Found | None]:
    parts = re.split(r"\s*(?:,|\s[-–]\s)\s*", found.value, maxsplit=1)
    if len(parts) < 2:
        return found, None
    count = len(parts[0].split())
    name = Found(found.words[:count], found.confidence, parts[0])
    role = Found(found.words[count:], found.confidence, parts[1].strip()) if found.words[count:] else None
    return name, role


def _signature_block(doc: PdfText) -> tuple[Found | None, Found | None]:
    """Unlabelled: on the last page, "Marco Rossi, Quality Director" or a name over a job title."""
    page = doc.pages[-1]
    job = cue_pattern("job_titles")
    below: Line | None = None
    for line in reversed(page.lines):
        if line.top < page.height * 0.3:
            break
        text = join(line.segments[0])
        if job.search(fold(text)) and re.match(r"^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3}\s*(,|\s[-–]\s)", text):
            return split_name_title(Found(list(line.segments[0]), 0.6, text))
        if below is not None and PERSON.match(text) and _a_person(text) \
                and below.top - line.bottom < 1.5 * line.size and job.search(fold(join(below.segments[0]))):
            role = list(below.segments[0])
            return Found(list(line.segments[0]), 0.6, text), Found(role, 0.6, join(role))
        below = line
    return None, None


#: "Joseph Miller" on its own line, over "Director of Manufacturing".
PERSON = re.compile(r"^[A-Z][a-z.'-]+(?: [A-Z][\w.'-]*){1,3}$")


def statement(doc: PdfText, *names: str) -> tuple[str, Found] | None:
    """The first cue list (in the order given) that a line states: (name, the line's words)."""
    negated = _negation_pattern()
    for name in names:
        pattern = cue_pattern(name)
        for line in doc.lines():
            m = pattern.search(fold(line.text))
            if m and not negated.match(fold(line.text)[m.end():]):
                return name, Found(line.words, 0.9)
    return None


@lru_cache(maxsize=1)
def _negation_pattern() -> re.Pattern[str]:
    """ "The following substances are not used …": a cue the next words deny states nothing."""
    words = load("conformity")["svhc_statements"]["negated_after"]
    return re.compile(r"\W*(?:" + "|".join(re.escape(fold(w)) for w in words) + r")(?![a-z0-9])")


def not_title(found: Found | None) -> Found | None:
    return None if found is None or is_title(found.value) else found


def put_common(ex: Any, doc: PdfText) -> set[int]:
    """Supplier, date, products, signatory into the extraction; returns the Candidate List lines."""
    from .fields import put

    company = not_title(supplier(doc))
    if company is not None:
        put(ex, ("supplier", "name"), company)
    cl_date, cl_lines = candidate_list_date(doc)
    when = declaration_date(doc, cl_lines)
    if when is not None:
        put(ex, ("declaration_date",), when, value=when.value.isoformat())
        if getattr(when, "note", None):
            ex.warn("/declaration_date", when.note)
    for i, (part, name) in enumerate(products(doc)):
        put(ex, ("products", i, "part_number"), part)
        if name is not None:
            put(ex, ("products", i, "name"), name)
    name, role = signatory(doc)
    if name is not None:
        put(ex, ("signatory", "name"), name)
    if role is not None:
        put(ex, ("signatory", "title"), role)
    if cl_date is not None and ex.document_type == "reach_svhc":
        put(ex, ("candidate_list_date",), cl_date, value=cl_date.value.isoformat())
    return cl_lines


def rohs_statement(doc: PdfText) -> tuple[bool, Found] | None:
    """Compliant or not, from the statement itself. Running text is read across line breaks
    ("are compliant / with Directive 2011/65/EU"); a statement naming RoHS is surer. Where the
    document says both (a definition of "RoHS = No" after the statement), the first one said wins,
    but not confidently; a denial alone is often conditional ("parts that are not compliant …")."""
    wordings = load("conformity")["rohs_statements"]
    first: dict[bool, tuple[int, Found]] = {}
    lines = list(doc.lines())
    for value, cues_ in ((False, wordings["negative"] + list(cues("rohs_noncompliant"))),
                         (True, wordings["positive"] + list(cues("rohs_compliant")))):
        said = _stated(lines, cues_)
        if said is not None:
            i, window, m = said
            sure = bool(re.search(r"rohs|2011/65|2015/863", window[max(0, m.start() - 120):m.end() + 120]))
            first[value] = (i, Found(lines[i].words, 0.9 if sure and value else 0.75))
    if not first:
        return None
    if len(first) == 2:
        value = first[True][0] < first[False][0]    # on one line, "not compliant" contains "compliant"
        found = first[value][1]
        found.confidence = min(found.confidence, 0.6)
        return value, found
    value = next(iter(first))
    return value, first[value][1]


def svhc_absent_statement(doc: PdfText) -> Found | None:
    """Wordings of "no SVHC above 0.1 %" that cues.json lacks ("does not intentionally use or add
    any of the 242 SVHC"), read across line breaks."""
    lines = list(doc.lines())
    said = _stated(lines, load("conformity")["svhc_statements"]["absent"])
    return Found(lines[said[0]].words, 0.8) if said is not None else None


def svhc_present_statement(doc: PdfText) -> Found | None:
    """"We identified 2 components that have more than 0.1 % (w/w) concentration of …": a
    substance above the threshold, said in a sentence rather than a table; not when the sentence
    denies it earlier ("there are no components that have more than 0.1 %")."""
    wordings = load("conformity")["svhc_statements"]
    lines = list(doc.lines())
    said = _stated(lines, wordings["present"])
    if said is None:
        return None
    i, window, m = said
    sentence = re.split(r"[.;:!?](?:\s|$)", window[:m.start()])[-1]
    denied = re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, wordings["present_negated_before"])) + r")(?![a-z])")
    return None if denied.search(sentence) else Found(lines[i].words, 0.8)


#: Where a RoHS statement also speaks of REACH: "SVHC", "Substances of Very High Concern".
SVHC_NAMED = re.compile(r"svhc|very high concern|candidate list")


def svhc_side_statement(doc: PdfText) -> tuple[bool, Found] | None:
    """A RoHS statement's word on REACH SVHC: a line that names SVHC after saying the products do
    not contain them ("Does not contain REACH SVHC", "do not contain the Substances of Very High
    Concern"), or that they do ("contains the following SVHC"). The words must come before the
    SVHC they deny, on one line: RoHS statements say "does not contain lead" too."""
    absent, present = cue_pattern("svhc_absent"), cue_pattern("svhc_present")
    negated = _negation_pattern()
    for line in doc.lines():
        text = fold(line.text)
        named = SVHC_NAMED.search(text)
        if named is None:
            continue
        for value, pattern in ((False, absent), (True, present)):
            m = pattern.search(text[:named.start() + 1]) if not value else pattern.search(text)
            if m and not (value and negated.match(text[m.end():])):
                return value, Found(line.words, 0.85 if not value else 0.8)
    return None


def _stated(lines: list[Line], wordings: list[str]) -> tuple[int, str, re.Match[str]] | None:
    """The first line where one of the wordings starts, read with the next line so that a
    statement broken over two lines is found: (line index, the text searched, the match)."""
    body = "|".join(re.escape(fold(c)) for c in sorted(set(wordings), key=len, reverse=True))
    pattern = re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
    for i, line in enumerate(lines):
        here = " ".join(fold(w.text) for w in line.words)
        window = " ".join([here] + [" ".join(fold(w.text) for w in ln.words) for ln in lines[i + 1:i + 2]])
        m = pattern.search(window)
        if m is not None and m.start() < len(here):
            return i, window, m
    return None
