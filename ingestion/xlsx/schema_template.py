"""The XLSX template a supplier downloads to fill a declaration offline, generated from the
document type's JSON Schema alone (no per-type code), and the layout its reader shares.

Layout (every position is derived from the schema, so generator and reader cannot drift):
  Instructions  how to fill the file in
  Declaration   one row per scalar field: the field's JSON Pointer in hidden column A, its
                `title` in B (" *" when required), the value in C, its `description` in D and
                as a note; section rows name the nested objects. A1 holds the marker
                "schema-template:<x-schema-id>", by which the reader recognises the file.
  one sheet per array (smelters, products, substances, exemptions, ...): hidden row 1 names
                each column's property, row 2 is the header of titles, data from row 3.
  Lists         (hidden) dropdown values too long to write into a validation rule.
Maps with enum keys (CMRT `answers.q1`: metal -> answer) become one row per key; `const`
fields are left out (they are implied by the type and filled in when the file is read).

Material composition keeps its own, richer template (composition_template.py);
`build_schema_template` hands that one out for it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..registry import load_schema, schema_id
from ..result import pointer
from .composition_template import DOCUMENT_TYPE as COMPOSITION
from .composition_template import build_template as build_composition_template

MARKER_PREFIX = "schema-template:"
DECLARATION, INSTRUCTIONS, LISTS = "Declaration", "Instructions", "Lists"
MARKER_CELL = "A1"
POINTER_COL, LABEL_COL, VALUE_COL, HELP_COL = 1, 2, 3, 4      # 1-based, as openpyxl counts
HEADER_ROW, FIRST_FIELD_ROW = 4, 5
NAMES_ROW, TITLES_ROW, FIRST_DATA_ROW = 1, 2, 3
TABLE_ROWS = 2000                       # rows that carry the column's dropdown / format checks
#: Document types whose template is written by hand rather than by this module.
DEDICATED_TEMPLATES: dict[str, Callable[[], bytes]] = {COMPOSITION: build_composition_template}
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_INLINE_LIST_MAX = 250                  # Excel refuses list rules longer than 255 characters
_STEPS = (
    (f'On the "{DECLARATION}" sheet, fill in the yellow cells. Fields marked * are required; hover over a '
     "field name for help."),
    ("On each list sheet, enter one row per entry below the header (blank rows are skipped); columns marked * "
     "are required in every row."),
    "Pick answers from the dropdowns (Yes/No for yes-or-no questions); enter dates as Excel dates or as YYYY-MM-DD.",
    ("Save as .xlsx without renaming, moving or removing sheets, and upload the file to the portal. Its values "
     "are read back and checked; you can correct them in the portal before you submit."),
)


@dataclass(frozen=True)
class Leaf:
    """One scalar value: a Declaration row, or a column of a table (path relative to the row)."""

    path: tuple[str, ...]
    label: str
    help: str
    spec: dict[str, Any]                # the resolved schema node
    required: bool                      # required all the way from the record (or table row) root
    nullable: bool

    @property
    def pointer(self) -> str:
        return pointer(*self.path)

    @property
    def kind(self) -> str:
        """"enum" | "boolean" | "date" | "integer" | "number" | "string": how the cell is typed and read."""
        if "enum" in self.spec:
            return "enum"
        kind = self.spec.get("type")
        if kind in ("boolean", "integer", "number"):
            return kind
        return "date" if kind == "string" and self.spec.get("format") == "date" else "string"


@dataclass(frozen=True)
class Section:
    title: str


@dataclass(frozen=True)
class Table:
    """An array: one sheet, one row per item (a single column when the items are scalars)."""

    path: tuple[str, ...]
    sheet: str
    title: str
    help: str
    columns: tuple[Leaf, ...]
    consts: tuple[tuple[tuple[str, ...], Any], ...]
    scalar: bool
    required: bool


@dataclass(frozen=True)
class SchemaLayout:
    document_type: str
    schema_id: str
    title: str
    description: str
    rows: tuple[Leaf | Section, ...]
    tables: tuple[Table, ...]
    #: (path, value, whether every parent object is required): filled in when the file is read
    consts: tuple[tuple[tuple[str, ...], Any, bool], ...]

    @property
    def marker(self) -> str:
        return MARKER_PREFIX + self.schema_id

    @property
    def fields(self) -> dict[str, Leaf]:
        return {row.pointer: row for row in self.rows if isinstance(row, Leaf)}


def humanize(name: str) -> str:
    return re.sub(r"_+", " ", name).strip().capitalize()


def resolve(node: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(node with local $refs inlined and "null" dropped from its type, whether null is allowed)."""
    while "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}   # sibling title wins
    kind, nullable = node.get("type"), False
    if isinstance(kind, list):
        nullable = "null" in kind
        rest = [k for k in kind if k != "null"]
        node = {**node, "type": rest[0] if len(rest) == 1 else "string"}
    return node, nullable


def _properties(node: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """An object's properties and required names; a map whose keys are an enum gets one per key."""
    props, required = dict(node.get("properties", {})), set(node.get("required", []))
    keys, _ = resolve(node.get("propertyNames", {}), root)
    extra = node.get("additionalProperties")
    if not props and "enum" in keys and isinstance(extra, dict):
        props = {str(key): {**extra, "title": humanize(str(key))} for key in keys["enum"]}
    return props, required


def _is_object(node: dict[str, Any]) -> bool:
    return node.get("type") == "object" or "properties" in node or "propertyNames" in node


class _Walker:
    """Walks the schema once, in its own property order, collecting rows, tables and consts."""

    def __init__(self, root: dict[str, Any], title: str) -> None:
        self.root, self.title = root, title
        self.rows: list[Leaf | Section] = []
        self.tables: list[Table] = []
        self.consts: list[tuple[tuple[str, ...], Any, bool]] = []
        self.sheet_names = {DECLARATION.casefold(), INSTRUCTIONS.casefold(), LISTS.casefold()}
        self._section: str | None = None    # heading to write before the next field

    def object(self, node: dict[str, Any], path: tuple[str, ...], titles: tuple[str, ...], required: bool) -> None:
        heading = " › ".join(titles) or self.title
        self._section = heading
        props, names_required = _properties(node, self.root)
        for name, raw in props.items():
            sub, nullable = resolve(raw, self.root)
            child, child_required = path + (name,), required and name in names_required
            label = sub.get("title") or humanize(name)
            if "const" in sub:
                self.consts.append((child, sub["const"], required))
            elif sub.get("type") == "array":
                self.table(sub, child, label, child_required)
            elif _is_object(sub):
                self.object(sub, child, titles + (label,), child_required)
                self._section = heading     # later fields of this object get their heading again
            else:
                if self._section:
                    self.rows.append(Section(self._section))
                    self._section = None
                self.rows.append(Leaf(child, label, sub.get("description", ""), sub, child_required, nullable))

    def table(self, node: dict[str, Any], path: tuple[str, ...], title: str, required: bool) -> None:
        items, nullable = resolve(node.get("items", {}), self.root)
        if items.get("type") == "array":
            return                          # arrays of arrays have no sensible sheet; the form covers them
        columns: list[Leaf] = []
        consts: list[tuple[tuple[str, ...], Any]] = []
        if _is_object(items):
            self._columns(items, (), (), True, columns, consts)
        else:
            # not "required": an empty list is a valid answer, and a blank row is simply skipped
            columns.append(Leaf((), title, items.get("description", ""), items, False, nullable))
        if not columns:
            return                          # nothing a supplier could type in
        self.tables.append(Table(path, self._sheet_name(title), title, node.get("description", ""),
                                 tuple(columns), tuple(consts), not _is_object(items), required))

    def _columns(self, node: dict[str, Any], path: tuple[str, ...], titles: tuple[str, ...], required: bool,
                 columns: list[Leaf], consts: list[tuple[tuple[str, ...], Any]]) -> None:
        props, names_required = _properties(node, self.root)
        for name, raw in props.items():
            sub, nullable = resolve(raw, self.root)
            child, child_required = path + (name,), required and name in names_required
            own = sub.get("title") or humanize(name)
            label = " › ".join(titles + (own,))      # "Holder › Country": columns are flat
            if "const" in sub:
                consts.append((child, sub["const"]))
            elif _is_object(sub):
                self._columns(sub, child, titles + (own,), child_required, columns, consts)
            elif sub.get("type") != "array":    # a list inside a list item: left to the form
                columns.append(Leaf(child, label, sub.get("description", ""), sub, child_required, nullable))

    def _sheet_name(self, title: str) -> str:
        """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
        name = " ".join(_SHEET_NAME_BAD.sub(" ", title).split())
        if len(name) > 31:
            name = re.sub(r"\s*\(.*?\)", "", name).strip()       # "Exemptions applied (Annex ...)"
        name = name[:31].strip() or "List"
        unique, n = name, 2
        while unique.casefold() in self.sheet_names:
            unique, n = f"{name[:27]} ({n})", n + 1
        self.sheet_names.add(unique.casefold())
        return unique


@cache
def schema_layout(document_type: str) -> SchemaLayout:
    """Where every field of the type's template lives; shared by the generator and the reader."""
    schema = load_schema(document_type)
    title = schema.get("title") or humanize(document_type)
    walker = _Walker(schema, title)
    walker.object(schema, (), (), True)
    return SchemaLayout(document_type, schema_id(document_type), title, schema.get("description", ""),
                        tuple(walker.rows), tuple(walker.tables), tuple(walker.consts))


def build_schema_template(document_type: str) -> bytes:
    """The XLSX template of `document_type`, as bytes; KeyError for an unknown type."""
    if document_type in DEDICATED_TEMPLATES:
        return DEDICATED_TEMPLATES[document_type]()
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    layout = schema_layout(document_type)
    book = Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS
    declaration = book.create_sheet(DECLARATION)
    tables = [(book.create_sheet(table.sheet), table) for table in layout.tables]
    rules = _Rules(book)                    # after the visible sheets: its hidden Lists sheet goes last
    _write_declaration(declaration, layout, rules)
    for sheet, table in tables:
        _write_table(sheet, table, rules)
    _write_instructions(instructions, layout)
    # Locked structure: the reader finds the sheets by name, so they cannot be renamed or removed.
    book.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _Rules:
    """Data validations, one per distinct rule and sheet, so the file stays small."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.lists: Any = None
        self.rules: dict[tuple[Any, ...], Any] = {}

    def add(self, sheet: Any, leaf: Leaf, cells: str) -> None:
        key = (sheet.title, leaf.kind, tuple(leaf.spec.get("enum", ())), _bounds(leaf.spec))
        if key not in self.rules:
            rule = self._rule(leaf)
            if rule is None:
                return
            sheet.add_data_validation(rule)
            self.rules[key] = rule
        self.rules[key].add(cells)

    def _rule(self, leaf: Leaf) -> Any:
        """The cell check for a kind of value; its message names no field, as fields share it."""
        from openpyxl.worksheet.datavalidation import DataValidation

        kind = leaf.kind
        if kind in ("enum", "boolean"):
            values = ["Yes", "No"] if kind == "boolean" else [str(v) for v in leaf.spec["enum"]]
            return DataValidation(type="list", formula1=self._list(values), allow_blank=True, showErrorMessage=True,
                                  errorTitle="Not in the list", error="Choose one of the values in the list.")
        if kind == "date":
            # A warning, not a stop: a date typed as text is still read (ISO, or day first).
            return DataValidation(type="date", operator="greaterThan", formula1="DATE(1900,1,1)", allow_blank=True,
                                  showErrorMessage=True, errorStyle="warning", error="Enter a date, e.g. 2026-05-31.")
        if kind in ("number", "integer"):
            low, high = _bounds(leaf.spec)
            whole = "a whole number" if kind == "integer" else "a number"
            words = f"{whole} from {low:g} to {high:g}" if max(abs(low), abs(high)) < 1e300 else whole
            return DataValidation(type="whole" if kind == "integer" else "decimal", operator="between",
                                  formula1=repr(low), formula2=repr(high), allow_blank=True, showErrorMessage=True,
                                  error=f"Enter {words}.")
        return None

    def _list(self, values: list[str]) -> str:
        inline = ",".join(values)
        if len(inline) <= _INLINE_LIST_MAX and not any("," in v or '"' in v for v in values):
            return f'"{inline}"'
        from openpyxl.utils import get_column_letter, quote_sheetname

        if self.lists is None:
            self.lists = self.book.create_sheet(LISTS)
            self.lists.sheet_state = "hidden"
        col = (self.lists.max_column + 1) if self.lists["A1"].value is not None else 1
        for row, value in enumerate(values, start=1):
            self.lists.cell(row, col, value)
        letter = get_column_letter(col)
        return f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${len(values)}"


def _bounds(spec: dict[str, Any]) -> tuple[float, float]:
    low = spec.get("minimum", spec.get("exclusiveMinimum", -1e307))
    high = spec.get("maximum", spec.get("exclusiveMaximum", 1e307))
    return float(low), float(high)


def _number_format(leaf: Leaf) -> str:
    # Text format keeps leading zeros and long digit strings (part numbers, GTINs) as typed.
    return {"date": "yyyy-mm-dd", "string": "@", "enum": "@"}.get(leaf.kind, "General")


def _label(leaf: Leaf) -> str:
    return f"{leaf.label} *" if leaf.required else leaf.label


def _note(text: str) -> Any:
    from openpyxl.comments import Comment

    note = Comment(text, "Supplier portal")
    note.width, note.height = 300, 120
    return note


def _write_declaration(sheet: Any, layout: SchemaLayout, rules: _Rules) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    bold, value_fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    section_fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.cell(1, POINTER_COL, layout.marker)
    sheet.cell(1, LABEL_COL, layout.title).font = Font(bold=True, size=14)
    sheet.cell(2, LABEL_COL, layout.description).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=LABEL_COL, end_row=2, end_column=HELP_COL)
    sheet.row_dimensions[2].height = 45
    sheet.cell(3, LABEL_COL, "Fill in the yellow cells; fields marked * are required.").font = Font(italic=True)
    for col, text in ((LABEL_COL, "Field"), (VALUE_COL, "Value"), (HELP_COL, "Help")):
        sheet.cell(HEADER_ROW, col, text).font = bold
    for row, item in enumerate(layout.rows, start=FIRST_FIELD_ROW):
        if isinstance(item, Section):
            for col in (LABEL_COL, VALUE_COL, HELP_COL):
                sheet.cell(row, col).fill = section_fill
            sheet.cell(row, LABEL_COL, item.title).font = bold
            continue
        sheet.cell(row, POINTER_COL, item.pointer)
        label = sheet.cell(row, LABEL_COL, _label(item))
        value = sheet.cell(row, VALUE_COL)
        value.fill, value.number_format = value_fill, _number_format(item)
        value.protection = Protection(locked=False)
        rules.add(sheet, item, value.coordinate)
        if item.help:
            label.comment = _note(item.help)
            sheet.cell(row, HELP_COL, item.help).font = Font(italic=True, size=9, color="595959")
    sheet.column_dimensions["A"].hidden = True
    for col, width in ((LABEL_COL, 42), (VALUE_COL, 36), (HELP_COL, 70)):
        sheet.column_dimensions[chr(64 + col)].width = width
    sheet.freeze_panes = sheet.cell(FIRST_FIELD_ROW, VALUE_COL)
    # Light protection: labels and pointers stay put; columns and rows may still be resized.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False


def _write_table(sheet: Any, table: Table, rules: _Rules) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, leaf in enumerate(table.columns, start=1):
        letter = get_column_letter(col)
        sheet.cell(NAMES_ROW, col, "/".join(pointer(*leaf.path).split("/")[1:]) or None)
        header = sheet.cell(TITLES_ROW, col, _label(leaf))
        header.font, header.fill = Font(bold=True), header_fill
        if leaf.help:
            header.comment = _note(leaf.help)
        # Column styles reach every row the supplier fills or pastes, however many.
        dimension = sheet.column_dimensions[letter]
        dimension.width, dimension.number_format = max(16, min(40, len(leaf.label) + 4)), _number_format(leaf)
        rules.add(sheet, leaf, f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + TABLE_ROWS - 1}")
    sheet.row_dimensions[NAMES_ROW].hidden = True
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 1)


def _write_instructions(sheet: Any, layout: SchemaLayout) -> None:
    from openpyxl.styles import Alignment, Font

    steps = _STEPS if layout.tables else _STEPS[:1] + _STEPS[2:]
    lines = [f"{layout.title} — template to fill in offline", layout.description, None, "How to fill it in",
             *(f"{n}. {step}" for n, step in enumerate(steps, start=1)), None,
             *(f'Sheet "{t.sheet}": {t.title}' + (f" — {t.help}" if t.help else "") for t in layout.tables),
             None, f"Template {layout.marker}"]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font, sheet["A4"].font = Font(bold=True, size=14), Font(bold=True)
    sheet.cell(len(lines), 1).font = Font(size=8, color="808080")
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True
