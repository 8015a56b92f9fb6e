"""The company's own RMI template (CMRT, EMRT, CRT), filled from its conflict-minerals roll-up.

An admin uploads RMI's blank template once; each download fills a copy with openpyxl: the
Declaration's company block, declaration scope "A. Company", effective date, the answers to
questions 1 and 2 per metal, and one Smelter List row per smelter. Cell positions come from the
extractor's own layouts (one home): what we write is exactly where our reader looks.

Only input cells are written, never the template's label formulas or validations, and without
loading the template into openpyxl (xlsx_patch: ~0.5 s instead of ~22 s per file). A smelter whose
RMI id is in the template's own Smelter Look-up is entered by id in column A (the template's
formulas fill metal, name and country, as when a person types an id); any other smelter is
entered the way the template asks for one it does not list: metal, "Smelter not listed", name,
country (and its id, if the supplier gave one the look-up does not know yet).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from ingestion.errors import ExtractionError
from ingestion.extractors.cmrt import CMRT_6
from ingestion.extractors.crt import CRT_2
from ingestion.extractors.emrt import EMRT_2
from ingestion.pipeline import extract_file
from ingestion.xlsx.countries import country_code
from ingestion.xlsx.rmi_reader import METALS, RmiLayout
from ingestion.xlsx.smelter_list import COLUMNS, FIRST_ROW
from ingestion.xlsx.workbook import Workbook
from portal.i18n import N_, gettext

from .minerals import SmelterRow
from .xlsx_patch import PatchError, Value, write_cells

LAYOUTS: dict[str, RmiLayout] = {"cmrt": CMRT_6, "emrt": EMRT_2, "crt": CRT_2}
KINDS = tuple(LAYOUTS)
COMPANY_SCOPE = "A. Company"        # the English choice of Declaration!D9; read as "company"
NOT_LISTED = "Smelter not listed"
ENGLISH = "English"
MAX_TEMPLATE_BYTES = 8 * 1024 * 1024
_COLUMN = {key: chr(ord("A") + c) for c, key in enumerate(COLUMNS[:7])}


class TemplateError(ValueError):
    """The uploaded file is not a blank RMI template of the expected kind (message for people)."""


@dataclass
class CompanyDetails:
    name: str
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    authorizer_name: str = ""
    authorizer_title: str = ""
    effective_date: Optional[dt.date] = None


def check_template(content: bytes, kind: str) -> str | None:
    """Read the upload with our own extractor: it must be RMI's template of this kind, in the major
    version whose layout we fill. Returns the version as the file states it."""
    if kind not in LAYOUTS:
        raise TemplateError(gettext("Choose CMRT, EMRT or CRT"))
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateError(gettext("The file is larger than %(mb)d MB; RMI's blank templates are about 1.5 MB",
                                    mb=MAX_TEMPLATE_BYTES // (1024 * 1024)))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "template.xlsx"
        path.write_bytes(content)
        try:
            result = extract_file(path, kind)
        except ExtractionError as exc:
            raise TemplateError(str(exc)) from exc
    template = (result.get("record") or {}).get("template") or {}
    version = template.get("version")
    layout = LAYOUTS[kind]
    if template.get("name") != layout.name or not version or version.split(".")[0] != str(layout.major):
        says = " ".join([template.get("name") or gettext("no template name"), version or gettext("without a version")])
        raise TemplateError(gettext("This is not RMI's %(template)s %(major)d.x template (it says %(says)s); download "
                                    "the current blank %(template)s from responsiblemineralsinitiative.org",
                                    template=layout.name, major=layout.major, says=says))
    if (result.get("record") or {}).get("smelters"):
        raise TemplateError(gettext("This template is already filled in (its Smelter List has rows); upload RMI's blank one"))
    return version


def metal_answers(records: Iterable[dict[str, Any]], smelters: list[SmelterRow], metals: Iterable[str],
                  everyone_answered: bool) -> dict[str, dict[str, str]]:
    """Questions 1 (metal used) and 2 (metal remains in the product) for the company, per metal:
    "Yes" when a supplier says yes or reports smelters of it; "No" only when every supplier asked
    has answered and all said no; otherwise left blank for a person (no confident guess)."""
    with_smelters = {row.metal for row in smelters}
    answers: dict[str, dict[str, str]] = {"q1": {}, "q2": {}}
    records = list(records)
    for q in answers:
        for metal in metals:
            said = [str(((r.get("answers") or {}).get(q) or {}).get(metal) or "").strip().lower() for r in records]
            if "yes" in said or (q == "q1" and metal in with_smelters):
                answers[q][metal] = "Yes"
            elif everyone_answered and said and all(s == "no" for s in said):
                answers[q][metal] = "No"
    return answers


Progress = Callable[[str], None]


def fill(template: bytes, kind: str, company: CompanyDetails, smelters: list[SmelterRow],
         answers: dict[str, dict[str, str]], progress: Optional[Progress] = None) -> bytes:
    """A filled copy of the blank template (bytes of an .xlsx). Only the Declaration and Smelter
    List sheets are rewritten (xlsx_patch); everything else is RMI's file byte for byte."""
    layout = LAYOUTS[kind]
    note = progress or (lambda _step: None)
    note(N_("Reading the template's smelter look-up"))
    try:
        with Workbook(template) as book:
            known_ids, countries = _lookup_ids(book), _country_names(book)
    except ExtractionError as exc:
        raise TemplateError(str(exc)) from exc
    declaration: dict[str, Value] = {"D3": ENGLISH}
    _fill_company(declaration, layout, company)
    metals = _block_metals(declaration, layout, smelters)
    for q, first in enumerate(layout.question_rows[:2], start=1):
        for k, metal in enumerate(metals):
            if metal and answers.get(f"q{q}", {}).get(metal):
                declaration[f"D{first + k}"] = answers[f"q{q}"][metal]
    rows = [row for row in smelters if row.metal in metals]
    note(N_("Writing the Smelter List"))
    smelter_list = _fill_smelters(rows, known_ids, countries)
    try:
        return write_cells(template, {"Declaration": declaration, "Smelter List": smelter_list})
    except PatchError as exc:
        raise TemplateError(str(exc)) from exc


def _fill_company(sheet: dict[str, Value], layout: RmiLayout, company: CompanyDetails) -> None:
    values = {"name": company.name, "declaration_scope": COMPANY_SCOPE,
              "contact/name": company.contact_name, "contact/email": company.contact_email,
              "contact/phone": company.contact_phone, "authorizer/name": company.authorizer_name,
              "authorizer/title": company.authorizer_title}
    for path, cell in layout.company_cells:
        key = "/".join(path[1:])
        if key == "effective_date":
            sheet[cell] = company.effective_date or dt.date.today()
        elif values.get(key):
            sheet[cell] = values[key]     # written as text: "=..." from a person never becomes a formula


def _block_metals(sheet: dict[str, Value], layout: RmiLayout, smelters: list[SmelterRow]) -> list[str]:
    """The metals of each question block: fixed in CMRT and CRT; in EMRT 2 the company chooses them
    (scope cells), and the template lists them alphabetically."""
    if not layout.scope_cells:
        return list(layout.metals)
    chosen = sorted({row.metal for row in smelters if row.metal in METALS and row.metal not in CMRT_6.metals})
    chosen = chosen[:len(layout.scope_cells)]
    for cell, metal in zip(layout.scope_cells, chosen):
        sheet[cell] = metal.capitalize()
    return chosen


def _fill_smelters(smelters: list[SmelterRow], known_ids: set[str], countries: dict[str, str]) -> dict[str, Value]:
    cells: dict[str, Value] = {}
    for i, row in enumerate(smelters):
        r = FIRST_ROW + 1 + i                     # 1-based: the first data row is 5
        if row.smelter_id and row.smelter_id in known_ids:
            cells[f"{_COLUMN['id_input']}{r}"] = row.smelter_id
            continue
        cells[f"{_COLUMN['metal']}{r}"] = row.metal.capitalize()
        cells[f"{_COLUMN['lookup_name']}{r}"] = NOT_LISTED
        cells[f"{_COLUMN['name']}{r}"] = row.name
        cells[f"{_COLUMN['country']}{r}"] = countries.get(row.country.upper(), row.country)
        if row.smelter_id:
            cells[f"{_COLUMN['smelter_id']}{r}"] = row.smelter_id
    return cells


def _lookup_ids(book: Workbook) -> set[str]:
    sheet = book.sheet("Smelter Look-up")
    if sheet is None:
        return set()
    return {str(sheet.at(r, 4)).strip().upper() for r in range(4, sheet.height) if sheet.at(r, 4)}


def _country_names(book: Workbook) -> dict[str, str]:
    """ISO code -> the template's own spelling in its country list (sheet C, column B)."""
    sheet = book.sheet("C")
    names: dict[str, str] = {}
    for r in range(1, sheet.height if sheet is not None else 0):
        name = sheet.at(r, 1)
        code, confidence = country_code(name) if isinstance(name, str) else (None, 0.0)
        if code and confidence >= 0.9:
            names.setdefault(code, name)
    return names
