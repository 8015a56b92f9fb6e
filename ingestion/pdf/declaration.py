"""What REACH SVHC and RoHS declarations share: supplier, date, products, signatory, statements."""

from __future__ import annotations

import re
from typing import Any

from .anchors import Found, cue_pattern, hits_for, page_of, values
from .dates import find_dates
from .identifiers import has_legal_form, legal_form_end
from .layout import Line, PdfText, Word, fold, join
from .shapes import date_shaper, is_title, phrase_date_shaper, text_shaper

PART_NUMBER = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._/#+-]{1,39}$")
NOT_A_PART = re.compile(r"^(\d+([.,]\d+)?%?|\d{4}/\d+/[A-Za-z]{2}|\d{1,2}\([a-z]\).*)$")
#: The letterhead: the top of the first page.
LETTERHEAD_SHARE = 0.3


def supplier(doc: PdfText) -> Found | None:
    found = values(doc, "supplier_name", text_shaper(max_words=12))
    for f in found:
        end = legal_form_end(f.value)
        if end is not None and f.value[end:].lstrip().startswith(","):
            f.value = f.value[:end].strip()
    if found:
        return found[0]
    return _we_declare(doc) or letterhead(doc)


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
            return Found(line.segments[0][skip:skip + len(name.split())], 0.8, name)
    return None


def letterhead(doc: PdfText) -> Found | None:
    """No label: the company in the letterhead, the most prominent non-title line at the top."""
    page = doc.pages[0]
    title = cue_pattern("title_words")
    lines = [ln for ln in page.lines if ln.top < page.height * LETTERHEAD_SHARE
             and not title.search(fold(ln.text)) and not find_dates(ln.words) and ":" not in ln.text]
    if not lines:
        return None
    line = max(lines, key=lambda ln: (has_legal_form(ln.text), ln.size, -ln.top))
    seg = line.segments[0]
    confidence = 0.8 if has_legal_form(join(seg)) else 0.55
    text = join(seg).strip(" ,;")
    end = legal_form_end(text)
    return Found(list(seg), confidence, text[:end].strip() if end and text[end:].startswith(",") else text)


def declaration_date(doc: PdfText, exclude: set[int]) -> Found | None:
    """The declaration's date; `exclude` holds ids of lines whose dates mean something else."""
    found = [f for f in values(doc, "declaration_date", date_shaper(reach=6)) if id(_line(doc, f)) not in exclude]
    if found:
        return found[0]
    dated = [Found(ln.words[h.first:h.last + 1], 0.5, h.value)
             for ln in doc.lines() if id(ln) not in exclude for h in find_dates(ln.words)]
    return dated[-1] if dated else None     # undated by label: the one by the signature, at the end


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
    """(part number, name) pairs: from a "Part numbers: A, B" list or a part-number column."""
    for hit in hits_for(doc, "products"):
        seg = hit.line.segments[hit.seg]
        rest = [w for w in seg[hit.end:]] + [w for s in hit.line.segments[hit.seg + 1:] for w in s]
        parts = [Found([w], 0.93, w.text.strip(",;.")) for w in rest if is_part_number(w.text)]
        if parts:
            parts += _wrapped(doc, hit.line)
            return [(p, None) for p in parts]
        if not any(w.key for w in seg[hit.end:]):
            column = _column(doc, hit.line, seg)
            if column:
                return column
    return []


def is_part_number(token: str) -> bool:
    token = token.strip(",;.")
    return bool(PART_NUMBER.match(token)) and not NOT_A_PART.match(token) and not find_dates(
        [Word(token, 0, 0, 0, 0, 0, 0)])


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
        if not cells or not is_part_number(cells[0][0].text):
            break
        cell = cells[0]
        part = Found([cell[0]], 0.9, cell[0].text.strip(",;."))
        right = [s for s in line.segments if min(w.x0 for w in s) > max(w.x1 for w in cell)]
        name = Found(list(right[0]), 0.8, join(right[0])) if right and not find_dates(right[0]) else None
        rows.append((part, name))
        last = line
    return rows


def signatory(doc: PdfText) -> tuple[Found | None, Found | None]:
    """(name, title): "Signed: Anna Berg, Quality Director", or a name line above a title."""
    found = values(doc, "signatory", text_shaper(stops=False, max_words=10))
    title = values(doc, "signatory_title", text_shaper(stops=False, max_words=8))
    if found:
        name, role = split_name_title(found[0])
        return name, (title[0] if title else role)
    return _signature_block(doc)


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
    for line in reversed(page.lines):
        if line.top < page.height * 0.3:
            break
        text = join(line.segments[0])
        if job.search(fold(text)) and re.match(r"^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3}\s*(,|\s[-–]\s)", text):
            return split_name_title(Found(list(line.segments[0]), 0.6, text))
    return None, None


def statement(doc: PdfText, *names: str) -> tuple[str, Found] | None:
    """The first cue list (in the order given) that a line states: (name, the line's words)."""
    for name in names:
        pattern = cue_pattern(name)
        for line in doc.lines():
            if pattern.search(fold(line.text)):
                return name, Found(line.words, 0.9)
    return None


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
