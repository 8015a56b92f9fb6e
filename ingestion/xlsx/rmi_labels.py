"""Best-effort reading of CMRT revisions older than 6.x, by their English labels.

Legacy CMRTs (2.x-5.x) put the same information in other rows. Their labels are known in
English from the template's language table (sheet L: sheet, cell, English text) or from the
cached label text. Every value found this way gets a lower confidence than a fixed cell of a
known layout, and the record is flagged for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..result import Extraction, cell_source
from .normalise import answer, email, iso_date, normalise_label, text
from .rmi import SmelterLookup, TemplateId, language_table
from .smelter_list import read_smelters
from .workbook import Sheet, Workbook, parse_a1

LABELLED = 0.7
METAL_ORDER = ("tantalum", "tin", "gold", "tungsten")     # the row order of every CMRT question block

COMPANY_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("company name",),
    "declaration_scope": ("declaration scope", "declaration scope or class"),
    "scope_description": ("description of scope",),
    "unique_id": ("company unique id", "company unique identifier"),
    "unique_id_authority": ("company unique id authority", "company unique identifier authority"),
    "address": ("address",),
    "contact/name": ("contact name",),
    "contact/email": ("email - contact", "contact email"),
    "contact/phone": ("phone - contact", "contact phone"),
    "authorizer/name": ("authorizer", "authorized company representative name", "authorizer name"),
    "authorizer/title": ("title - authorizer", "representative title", "authorizer title"),
    "authorizer/email": ("email - authorizer", "representative email", "authorizer email"),
    "authorizer/phone": ("phone - authorizer", "representative phone", "authorizer phone"),
    "effective_date": ("effective date", "date of completion", "authorization date"),
}
SMELTER_HEADERS: tuple[tuple[str, str], ...] = (      # (key, cue in the English header), first match wins
    ("metal", "metal"), ("lookup_name", "smelter reference list"), ("lookup_name", "smelter look-up"),
    ("mine_names", "name of mine"), ("mine_countries", "location (country) of mine"),
    ("source_of_id", "source of smelter"), ("smelter_id", "smelter id"), ("name", "smelter name"),
    ("name", "standard smelter name"), ("country", "country"), ("street", "street"), ("city", "city"),
    ("state_province", "state / province"), ("contact_name", "contact name"), ("contact_email", "contact email"),
    ("proposed_next_steps", "proposed next steps"), ("recycled_or_scrap", "recycled or scrap sources"),
    ("comments", "comments"),
)
_QUESTION = re.compile(r"^(\d{1,2})\)")
_COMPANY_QUESTION = re.compile(r"^([a-j])\.\s")


def english_labels(book: Workbook, sheet: Sheet, *, column: int | None = None,
                   row: int | None = None) -> dict[int, str]:
    """English labels of one column (keyed by row) or one row (keyed by column), zero-based.

    The language table wins over cached text: it is English whatever language D3 selects.
    """
    if column is not None:
        cells = (sheet.at(r, column) for r in range(sheet.height))
        labels = {r: normalise_label(value) for r, value in enumerate(cells) if value}
    else:
        cells = sheet.rows[row] if row is not None and row < sheet.height else []
        labels = {c: normalise_label(v) for c, v in enumerate(cells) if v}
    for r, c, label in language_table(book).labels.get(sheet.name, ()):
        if column is not None and c == column:
            labels[r] = label
        elif row is not None and r == row:
            labels[c] = label
    return labels


@dataclass(frozen=True)
class LabelRows:
    """1-based rows of the Declaration labels we know, from the template's own English labels."""

    company: dict[str, int]              # "contact/email" -> row
    questions: dict[int, int]            # question number -> row of its heading
    company_questions: dict[str, int]    # "a" -> row


def label_rows(book: Workbook, declaration: Sheet) -> LabelRows:
    labels = english_labels(book, declaration, column=1)
    first = {label: r for r, label in sorted(labels.items(), reverse=True)}   # first occurrence wins
    company = {}
    for key, cues in COMPANY_LABELS.items():
        row = next((first[c] for c in cues if c in first), None)
        if row is not None:
            company[key] = row + 1
    questions: dict[int, int] = {}
    lettered: dict[str, int] = {}
    for r, label in sorted(labels.items()):
        if (match := _QUESTION.match(label)) and int(match.group(1)) not in questions:
            questions[int(match.group(1))] = r + 1
        elif (match := _COMPANY_QUESTION.match(label)) and match.group(1) not in lettered:
            lettered[match.group(1)] = r + 1
    return LabelRows(company, questions, lettered)


def read_by_labels(book: Workbook, template: TemplateId, ext: Extraction) -> bool:
    """Fill ext from a legacy CMRT; False when not even the company name label can be found."""
    declaration = book.sheet("Declaration")
    if declaration is None:
        return False
    labels = english_labels(book, declaration, column=1)
    rows = {label: r for r, label in sorted(labels.items(), reverse=True)}   # first occurrence wins
    if "company name" not in rows:
        return False
    name_sheet, _, name_cell = (template.name_cell or "Declaration!D2").partition("!")
    ext.put(("template", "name"), "CMRT", confidence=template.confidence, source=cell_source(name_sheet, name_cell))
    ext.put(("template", "version"), template.version, confidence=0.95,
            source=cell_source(*(template.version_cell or "Declaration!J3").split("!", 1)))
    for key, cues in COMPANY_LABELS.items():
        row = next((rows[c] for c in cues if c in rows), None)
        if row is not None:
            _put_company(declaration, row, tuple(key.split("/")), ext)
    _read_questions(declaration, labels, ext)
    ext.record.setdefault("answers", {})
    ext.record.setdefault("products", [])
    smelters = book.sheet("Smelter List")
    if smelters is not None:
        columns = smelter_columns(book, smelters)
        if "metal" in columns:
            read_smelters(smelters, SmelterLookup(None), ext, _metal, LABELLED / 0.95, columns=columns)
    ext.record.setdefault("smelters", [])
    return True


def _put_company(sheet: Sheet, row: int, path: tuple[str, ...], ext: Extraction) -> None:
    raw = sheet.at(row, 3)                    # answers sit in column D in every revision
    if raw is None:
        return
    field = path[-1]
    confidence = LABELLED
    if field == "effective_date":
        value, sure = iso_date(raw)
        confidence *= sure
    elif field == "declaration_scope":
        value = _legacy_scope(text(raw) or "")
    elif field == "email":
        value, sure = email(raw)
        confidence *= sure
    else:
        value = text(raw)
    if value is not None:
        ext.put(("company", *path), value, confidence=confidence, source=cell_source(sheet.name, f"D{row + 1}"))


def _legacy_scope(value: str) -> str | None:
    lowered = value.lower()
    for cue, canonical in (("product level", "product"), ("product (or", "product"), ("company", "company"),
                           ("division", "user_defined"), ("category", "user_defined"), ("user", "user_defined")):
        if cue in lowered:
            return canonical
    return None


def _read_questions(sheet: Sheet, labels: dict[int, str], ext: Extraction) -> None:
    for r, label in sorted(labels.items()):
        question = _QUESTION.match(label)
        if question:
            for k, metal in enumerate(METAL_ORDER, start=1):
                value = answer(sheet.at(r + k, 3))
                if value is not None:
                    ext.put(("answers", f"q{int(question.group(1))}", metal), value, confidence=LABELLED,
                            source=cell_source(sheet.name, f"D{r + k + 1}"))
            continue
        company = _COMPANY_QUESTION.match(label)
        if company:
            for key, col in (("answer", "D"), ("comment", "G")):
                raw = sheet.cell(f"{col}{r + 1}")
                value = answer(raw) if key == "answer" else text(raw)
                if value is not None:
                    ext.put(("company_questions", company.group(1), key), value, confidence=LABELLED,
                            source=cell_source(sheet.name, f"{col}{r + 1}"))


def smelter_columns(book: Workbook, sheet: Sheet) -> dict[str, int]:
    """Column of each smelter field, from the header row's English text."""
    for header_row in range(2, 6):
        headers = english_labels(book, sheet, row=header_row)
        columns: dict[str, int] = {}
        for col, header in sorted(headers.items()):
            key = next((k for k, cue in SMELTER_HEADERS if cue in header and k not in columns), None)
            if key:
                columns[key] = col
        if "metal" in columns and "name" in columns:
            return columns
    return {}


def _metal(value: Any) -> str | None:
    raw = normalise_label(value)
    return raw if raw in METAL_ORDER else None

