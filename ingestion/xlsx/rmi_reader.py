"""Read an RMI template (CMRT, EMRT, CRT) by cell position, driven by a per-version layout.

The layouts live with their extractors (ingestion/extractors/cmrt.py, emrt.py, crt.py); this
module knows how to turn a layout plus a workbook into a canonical record with provenance.

Confidence, so that a reviewer knows where to look:
  0.95  typed into a fixed cell of a known layout (or its cached formula result)
  0.8   resolved through the file's own Smelter Look-up, or computed like the template does
  ~0.75 a known layout applied to an unknown major version (x0.8), legacy read by label (0.7)
  <=0.6 guesses: ambiguous dates, fuzzy country names, a look-up name used as smelter name
  0.0   nothing to read where a value is expected
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from ..errors import N_, ExtractionError
from ..registry import Extractor, Probe
from ..result import Extraction, cell_source
from .normalise import answer, email, iso_date, text
from .probe import workbook_for
from .rmi import LOOKUP_SHEET, SmelterLookup, TemplateId, identify
from .mine_list import read_mines
from .rmi_labels import LabelRows, label_rows, read_by_labels
from .smelter_list import read_smelters
from .workbook import Sheet, Workbook, a1

CELL = 0.95          # a value typed into a fixed template cell
RECONSTRUCTED = 0.8  # e.g. answer rows mapped to minerals computed the way the template's formulas do

METALS = ("tantalum", "tin", "gold", "tungsten", "cobalt", "copper", "graphite", "lithium", "mica", "nickel")
_METAL_ALIASES = {"natural mica": "mica", "3tg": None, "ta": "tantalum", "sn": "tin", "au": "gold",
                  "w": "tungsten", "co": "cobalt", "cu": "copper", "li": "lithium", "ni": "nickel"}


def company_block(first: int, *, gap_after_scope: int = 0) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The company section (name .. effective date) starting on row `first` (D8 in most templates)."""
    head = ((("company", "name"), first), (("company", "declaration_scope"), first + 1),
            (("company", "scope_description"), first + 2))
    rest = (("company", "unique_id"), ("company", "unique_id_authority"), ("company", "address"),
            ("company", "contact", "name"), ("company", "contact", "email"), ("company", "contact", "phone"),
            ("company", "authorizer", "name"), ("company", "authorizer", "title"),
            ("company", "authorizer", "email"), ("company", "authorizer", "phone"), ("company", "effective_date"))
    start = first + 4 + gap_after_scope
    return tuple((path, f"D{row}") for path, row in head) + tuple(
        (path, f"D{start + k}") for k, path in enumerate(rest))


@dataclass(frozen=True)
class RmiLayout:
    name: str                                          # "CMRT"
    major: int                                         # layouts apply per major version
    company_cells: tuple[tuple[tuple[str, ...], str], ...]
    question_rows: tuple[int, ...]                     # first row of each question's metal block (q1..)
    company_question_rows: tuple[tuple[str, int], ...]  # ("a", 75): answer in D, comment in G
    metals: tuple[str, ...] = ()                       # fixed metal order of every block
    scope_cells: tuple[str, ...] = ()                  # EMRT 2: minerals chosen; blocks follow them sorted
    block_size: int = 10                               # rows reserved per block when metals are dynamic
    per_metal_company_questions: tuple[tuple[str, int], ...] = ()
    product_columns: tuple[str, ...] = ("number", "name", "comments")   # from column B
    has_mine_list: bool = False


def metal_name(value: Any) -> str | None:
    raw = (text(value) or "").lower().replace("(*)", "").replace("*", "").strip()
    if raw in METALS:
        return raw
    return _METAL_ALIASES.get(raw)


def read_template(book: Workbook, layout: RmiLayout, template: TemplateId, ext: Extraction) -> None:
    declaration = book.sheet("Declaration")
    assert declaration is not None
    # A layout borrowed from another minor version is probably right, but say so in the score.
    exact = template.version is not None and template.version.split(".")[0] == str(layout.major)
    scale = 1.0 if exact else 0.8
    version_sheet, _, version_cell = (template.version_cell or "Declaration!J3").partition("!")
    name_sheet, _, name_cell = (template.name_cell or "Declaration!D2").partition("!")
    ext.put(("template", "name"), layout.name, confidence=template.confidence,
            source=cell_source(name_sheet, name_cell))
    ext.put(("template", "version"), template.version, confidence=CELL if template.version else 0.0,
            source=cell_source(version_sheet, version_cell))
    layout, moved = adapt_layout(layout, label_rows(book, declaration))
    if moved:
        scale *= 0.9
        ext.warn("/", N_("Rows of this %(template)s %(version)s differ from the known layout (%(moved)s); they were "
                         "located by the template's own labels — please review")
                 % {"template": layout.name, "version": template.version, "moved": ", ".join(moved)})
    _read_company(declaration, layout, ext, scale)
    metals, metals_conf = _block_metals(declaration, layout)
    if layout.scope_cells:
        ext.put(("minerals_in_scope",), _scope_minerals(declaration, layout), confidence=CELL * scale,
                source=cell_source("Declaration", layout.scope_cells[0]))
    _read_answers(declaration, layout, metals, metals_conf * scale, ext)
    _read_company_questions(declaration, layout, metals, metals_conf * scale, ext)
    smelters = book.sheet("Smelter List")
    lookup = SmelterLookup.of_book(book)
    if smelters is not None:
        read_smelters(smelters, lookup, ext, metal_name, scale, limits=book.package.limits)
    _read_products(book.sheet("Product List"), layout, ext, scale)
    if layout.has_mine_list:
        read_mines(book.sheet("Mine List"), ext, metal_name, scale)
    check_declaration(ext)


def adapt_layout(layout: RmiLayout, labels: LabelRows) -> tuple[RmiLayout, list[str]]:
    """Move rows to where the template's own English labels say they are.

    Known minor versions match exactly; an unseen one that inserted a row still reads right.
    """
    moved: list[str] = []
    company = []
    for path, cell in layout.company_cells:
        row = labels.company.get("/".join(path[1:]))
        if row is not None and f"D{row}" != cell:
            moved.append("/".join(path))
            cell = f"D{row}"
        company.append((path, cell))
    questions = list(layout.question_rows)
    for q, heading in labels.questions.items():
        if q <= len(questions) and heading + 1 != questions[q - 1]:
            moved.append(f"question {q}")
            questions[q - 1] = heading + 1
    lettered = dict(layout.company_question_rows)
    for letter, row in labels.company_questions.items():
        if letter in lettered and row != lettered[letter]:
            moved.append(f"question {letter.upper()}")
            lettered[letter] = row
    per_metal = tuple((letter, lettered[letter] + 1 if letter in labels.company_questions else first)
                      for letter, first in layout.per_metal_company_questions)
    return replace(layout, company_cells=tuple(company), question_rows=tuple(questions),
                   company_question_rows=tuple(lettered.items()), per_metal_company_questions=per_metal), moved


def _read_company(sheet: Sheet, layout: RmiLayout, ext: Extraction, scale: float) -> None:
    for path, cell in layout.company_cells:
        raw = sheet.cell(cell)
        if raw is None:
            continue
        source = cell_source(sheet.name, cell)
        field = path[-1]
        if field == "effective_date":
            value, confidence = iso_date(raw)
            confidence = min(confidence, CELL)
            if value is None:
                ext.error("/company/effective_date", N_("Effective date '%(value)s' (%(cell)s) is not a date")
                          % {"value": text(raw), "cell": cell})
                continue
        elif field == "declaration_scope":
            value, confidence = _scope(raw)
            if value is None:
                ext.error("/company/declaration_scope", N_("Declaration scope '%(value)s' (%(cell)s) is not one of the "
                                                          "template's choices") % {"value": text(raw), "cell": cell})
        elif field == "email":
            value, confidence = email(raw)
            confidence = min(confidence, CELL)
            if confidence < CELL:
                ext.warn("/" + "/".join(path), N_("'%(value)s' (%(cell)s) does not look like an e-mail address")
                         % {"value": value, "cell": cell})
        else:
            value, confidence = text(raw), CELL
        if value is not None:
            ext.put(path, value, confidence=confidence * scale, source=source)


def _scope(raw: Any) -> tuple[str | None, float]:
    """"A. Company" / "B. Product (or List of Products)" / "C. User defined [...]" -> canonical."""
    value = (text(raw) or "").lower()
    for prefix, canonical in (("a.", "company"), ("b.", "product"), ("c.", "user_defined")):
        if value.startswith(prefix):
            return canonical, CELL
    for cue, canonical in (("user", "user_defined"), ("product", "product"), ("company", "company")):
        if cue in value:
            return canonical, 0.7
    return None, 0.0


def _scope_minerals(sheet: Sheet, layout: RmiLayout) -> list[str]:
    chosen = {metal_name(sheet.cell(cell)) for cell in layout.scope_cells}
    return sorted(m for m in chosen if m)


def _block_metals(sheet: Sheet, layout: RmiLayout) -> tuple[list[str | None], float]:
    """Metal of each row in an answer block.

    EMRT 2 lists the chosen minerals alphabetically (formulas in column B); cached labels are
    used when present, otherwise the same order is computed from the scope cells.
    """
    if not layout.scope_cells:
        return list(layout.metals), CELL
    first = layout.question_rows[0]
    labels = [metal_name(sheet.cell(f"B{first + k}")) for k in range(layout.block_size)]
    if any(labels):
        return labels, CELL
    chosen: list[str | None] = list(_scope_minerals(sheet, layout))
    return chosen + [None] * (layout.block_size - len(chosen)), RECONSTRUCTED


def _read_answers(sheet: Sheet, layout: RmiLayout, metals: list[str | None], conf: float,
                  ext: Extraction) -> None:
    ext.record.setdefault("answers", {})
    for q, first in enumerate(layout.question_rows, start=1):
        for k, metal in enumerate(metals):
            cell = f"D{first + k}"
            value = answer(sheet.cell(cell))
            if metal and value is not None:
                ext.put(("answers", f"q{q}", metal), value, confidence=conf, source=cell_source(sheet.name, cell))


def _read_company_questions(sheet: Sheet, layout: RmiLayout, metals: list[str | None], conf: float,
                            ext: Extraction) -> None:
    for letter, row in layout.company_question_rows:
        for key, col in (("answer", "D"), ("comment", "G")):
            raw = sheet.cell(f"{col}{row}")
            value = answer(raw) if key == "answer" else text(raw)
            if value is not None:
                ext.put(("company_questions", letter, key), value, confidence=conf,
                        source=cell_source(sheet.name, f"{col}{row}"))
    for letter, first in layout.per_metal_company_questions:
        for k, metal in enumerate(metals):
            value = answer(sheet.cell(f"D{first + k}"))
            if metal and value is not None:
                ext.put(("company_questions", letter, "per_metal", metal), value, confidence=conf,
                        source=cell_source(sheet.name, f"D{first + k}"))


def _read_products(sheet: Sheet | None, layout: RmiLayout, ext: Extraction, scale: float) -> None:
    ext.record.setdefault("products", [])
    if sheet is None:
        return
    columns = range(1, 1 + len(layout.product_columns))
    for r in sheet.filled_rows(5, columns):    # header on row 5, data from row 6
        values = [text(sheet.at(r, c)) for c in columns]
        if not any(values) or (values[0] or "").startswith("©"):   # the template's copyright footer
            continue
        i = len(ext.record["products"])
        ext.record["products"].append({})
        for k, (key, value) in enumerate(zip(layout.product_columns, values)):
            if value is not None or key == "number":
                ext.put(("products", i, key), value, confidence=CELL * scale,
                        source=cell_source(sheet.name, a1(r, 1 + k)))
        if values[0] is None:
            ext.error(f"/products/{i}/number", N_("Product List row %(row)d: the product number is missing") % {"row": r + 1})


def check_declaration(ext: Extraction, today: dt.date | None = None) -> None:
    """Business rules on a whole declaration, beyond what the JSON Schema can say."""
    record = ext.record
    today = today or dt.date.today()
    effective = record.get("company", {}).get("effective_date")
    if effective:
        date = dt.date.fromisoformat(effective)
        if date > today:
            ext.error("/company/effective_date", N_("The effective date %(date)s is in the future") % {"date": effective})
        elif (today - date).days > 366:
            ext.warn("/company/effective_date", N_("The effective date %(date)s is more than a year old") % {"date": effective})
    if record.get("company", {}).get("declaration_scope") == "product" and not record.get("products"):
        ext.error("/products", N_("The declaration scope is 'product' but the Product List is empty"),
                  related=("/company/declaration_scope",))
    # Smelters reported for a metal the supplier says is not in the product.
    q1 = record.get("answers", {}).get("q1", {})
    for i, smelter in enumerate(record.get("smelters", [])):
        if q1.get(smelter.get("metal")) == "no":
            ext.warn(f"/smelters/{i}/metal", N_("A %(metal)s smelter is listed but question 1 says %(metal)s is not used")
                     % {"metal": smelter["metal"]}, related=(f"/answers/q1/{smelter['metal']}",))



class RmiExtractor(Extractor):
    """Shared detect/extract for the RMI family; subclasses name the template and its layouts."""

    file_kinds = ("xlsx",)
    # Not the template's own look-up sheets (Smelter Look-up, the language table L): each is read
    # only for the first file of a template version and kept (rmi.py, rmi_labels.py).
    sheets_read = ("Declaration", "Smelter List", "Product List", "Mine List")
    template_name: ClassVar[str]
    layouts: ClassVar[dict[int, RmiLayout]]
    #: oldest major version with a known layout; older files are read by label or refused
    oldest_major: ClassVar[int]
    reads_legacy_by_label: ClassVar[bool] = False

    def detect(self, probe: Probe) -> float:
        book = getattr(probe, "workbook", None)
        if book is not None:
            found = identify(book)
            return found.confidence if found.name == self.template_name else 0.0
        # A bare probe (cells only): the cached title, or the sheet structure.
        if "Declaration" not in probe.sheet_names or "Smelter List" not in probe.sheet_names:
            return 0.0
        title = str(probe.cells.get("Declaration!D2") or "").upper()
        return 0.9 if f"({self.template_name})" in title else 0.0

    def extract(self, path: Path, probe: Probe) -> Extraction:
        ext = self.new_extraction()
        with workbook_for(probe, path) as book:
            found = identify(book)
            if book.find_sheet("Declaration") is None or book.find_sheet("Smelter List") is None:
                raise ExtractionError(N_("This workbook is not an RMI %(template)s template (no Declaration and Smelter "
                                         "List sheets) — upload the template file") % {"template": self.template_name},
                                      code="unsupported_type")
            if found.name not in (None, self.template_name):
                raise ExtractionError(N_("This workbook is a %(found)s, not a %(template)s — choose the matching "
                                         "declaration type") % {"found": found.name, "template": self.template_name},
                                      code="unsupported_type")
            template = TemplateId(self.template_name, found.version, found.confidence or 0.5,
                                  found.version_cell, found.name_cell)
            if self._is_legacy(found):
                self._read_legacy(book, template, ext)
            else:
                read_template(book, self._layout(found, ext), template, ext)
        return ext

    def _is_legacy(self, found: TemplateId) -> bool:
        return found.version is not None and int(found.version.split(".")[0]) < self.oldest_major

    def _read_legacy(self, book: Workbook, template: TemplateId, ext: Extraction) -> None:
        """Older revisions: read by label where we know how, else a clear refusal."""
        values = {"template": self.template_name, "version": template.version, "oldest": self.oldest_major}
        unsupported = N_("%(template)s version %(version)s is not supported; please use %(oldest)s.x") % values
        if not (self.reads_legacy_by_label and read_by_labels(book, template, ext)):
            raise ExtractionError(unsupported, code="unsupported_version")
        ext.error("/template/version", N_("%(template)s version %(version)s is not supported; please use %(oldest)s.x "
                                           "— this outdated revision was read by its labels; check every value or "
                                           "ask the supplier for a current template") % values)
        check_declaration(ext)

    def _layout(self, found: TemplateId, ext: Extraction) -> RmiLayout:
        newest = max(self.layouts)
        if found.version is None:
            ext.warn("/template/version", N_("The template revision (Declaration!J3) is missing; read as %(template)s "
                                             "%(newest)s.x") % {"template": self.template_name, "newest": newest})
            return self.layouts[newest]
        major = int(found.version.split(".")[0])
        if major not in self.layouts:
            ext.warn("/template/version", N_("%(template)s %(version)s is newer than the versions this portal knows; "
                                             "read with the %(newest)s.x layout — please review")
                     % {"template": self.template_name, "version": found.version, "newest": newest})
            return self.layouts[newest]
        return self.layouts[major]
