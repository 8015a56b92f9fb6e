"""The company's own RMI template (CMRT, EMRT, CRT), filled from its conflict-minerals roll-up.

An admin uploads RMI's blank template once; each download fills a copy with openpyxl: the
Declaration's company block, declaration scope "A. Company", effective date, the answers to
questions 1 and 2 per metal, and one Smelter List row per smelter. Cell positions come from the
extractor's own layouts (one home): what we write is exactly where our reader looks.

Only input cells are written, never the template's label formulas or validations. A smelter whose
RMI id is in the template's own Smelter Look-up is entered by id in column A (the template's
formulas fill metal, name and country, as when a person types an id); any other smelter is
entered the way the template asks for one it does not list: metal, "Smelter not listed", name,
country (and its id, if the supplier gave one the look-up does not know yet).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ingestion.errors import ExtractionError
from ingestion.extractors.cmrt import CMRT_6
from ingestion.extractors.crt import CRT_2
from ingestion.extractors.emrt import EMRT_2
from ingestion.pipeline import extract_file
from ingestion.xlsx.countries import country_code
from ingestion.xlsx.rmi_reader import METALS, RmiLayout
from ingestion.xlsx.smelter_list import COLUMNS, FIRST_ROW

from .minerals import SmelterRow

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
        raise TemplateError("Choose CMRT, EMRT or CRT")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"The file is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB; RMI's blank "
                            "templates are about 1.5 MB")
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
        raise TemplateError(f"This is not RMI's {layout.name} {layout.major}.x template (it says "
                            f"{template.get('name') or 'no template name'} {version or 'without a version'}); "
                            f"download the current blank {layout.name} from responsiblemineralsinitiative.org")
    if (result.get("record") or {}).get("smelters"):
        raise TemplateError("This template is already filled in (its Smelter List has rows); upload RMI's blank one")
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


def fill(template: bytes, kind: str, company: CompanyDetails, smelters: list[SmelterRow],
         answers: dict[str, dict[str, str]]) -> bytes:
    """A filled copy of the blank template (bytes of an .xlsx)."""
    layout = LAYOUTS[kind]
    book = load_workbook(io.BytesIO(template))
    declaration = book["Declaration"]
    declaration["D3"] = ENGLISH
    _fill_company(declaration, layout, company)
    metals = _block_metals(declaration, layout, smelters)
    for q, first in enumerate(layout.question_rows[:2], start=1):
        for k, metal in enumerate(metals):
            if metal and answers.get(f"q{q}", {}).get(metal):
                declaration[f"D{first + k}"] = answers[f"q{q}"][metal]
    _fill_smelters(book, [row for row in smelters if row.metal in metals])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_company(sheet: Worksheet, layout: RmiLayout, company: CompanyDetails) -> None:
    values = {"name": company.name, "declaration_scope": COMPANY_SCOPE,
              "contact/name": company.contact_name, "contact/email": company.contact_email,
              "contact/phone": company.contact_phone, "authorizer/name": company.authorizer_name,
              "authorizer/title": company.authorizer_title}
    for path, cell in layout.company_cells:
        key = "/".join(path[1:])
        if key == "effective_date":
            sheet[cell] = company.effective_date or dt.date.today()
            sheet[cell].number_format = "yyyy-mm-dd"
        elif values.get(key):
            put_text(sheet, cell, values[key])


def _block_metals(sheet: Worksheet, layout: RmiLayout, smelters: list[SmelterRow]) -> list[str]:
    """The metals of each question block: fixed in CMRT and CRT; in EMRT 2 the company chooses them
    (scope cells), and the template lists them alphabetically."""
    if not layout.scope_cells:
        return list(layout.metals)
    chosen = sorted({row.metal for row in smelters if row.metal in METALS and row.metal not in CMRT_6.metals})
    chosen = chosen[:len(layout.scope_cells)]
    for cell, metal in zip(layout.scope_cells, chosen):
        sheet[cell] = metal.capitalize()
    return chosen


def _fill_smelters(book: Any, smelters: list[SmelterRow]) -> None:
    sheet = book["Smelter List"]
    known_ids = _lookup_ids(book)
    countries = _country_names(book)
    for i, row in enumerate(smelters):
        r = FIRST_ROW + 1 + i                     # 1-based: the first data row is 5
        if row.smelter_id and row.smelter_id in known_ids:
            put_text(sheet, f"{_COLUMN['id_input']}{r}", row.smelter_id)
            continue
        sheet[f"{_COLUMN['metal']}{r}"] = row.metal.capitalize()
        sheet[f"{_COLUMN['lookup_name']}{r}"] = NOT_LISTED
        put_text(sheet, f"{_COLUMN['name']}{r}", row.name)
        put_text(sheet, f"{_COLUMN['country']}{r}", countries.get(row.country.upper(), row.country))
        if row.smelter_id:
            put_text(sheet, f"{_COLUMN['smelter_id']}{r}", row.smelter_id)


def put_text(sheet: Worksheet, ref: str, value: str) -> None:
    """Text from people and suppliers stays text: openpyxl would store "=..." as a formula."""
    cell = sheet[ref]
    cell.value = value
    cell.data_type = "s"


def _lookup_ids(book: Any) -> set[str]:
    if "Smelter Look-up" not in book.sheetnames:
        return set()
    sheet = book["Smelter Look-up"]
    return {str(v).strip().upper() for (v,) in sheet.iter_rows(min_row=5, min_col=5, max_col=5, values_only=True) if v}


def _country_names(book: Any) -> dict[str, str]:
    """ISO code -> the template's own spelling in its country list (sheet C, column B)."""
    if "C" not in book.sheetnames:
        return {}
    names: dict[str, str] = {}
    for (name,) in book["C"].iter_rows(min_row=2, min_col=2, max_col=2, values_only=True):
        code, confidence = country_code(name) if isinstance(name, str) else (None, 0.0)
        if code and confidence >= 0.9:
            names.setdefault(code, name)
    return names
