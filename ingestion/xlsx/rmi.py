"""What every RMI reporting template (CMRT, EMRT, CRT) shares: identification and the
Smelter Look-up sheet.

The Declaration labels are formulas whose cached text depends on the language in D3, and
files saved by tools other than Excel carry no cached results at all. So the template is
identified from constants: the revision text in J3 and the template's own language table
(sheet "L": sheet name and cell in columns B and C, English text in column D).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

from .normalise import normalise_label, text
from .workbook import Sheet, Workbook, a1, parse_a1

_REVISION = re.compile(r"revision\s*:?\s*(\d+(?:\.\d+)*[a-z]?)", re.IGNORECASE)
_NAMES = (("EMRT", ("(emrt)", "extended mineral")), ("CRT", ("(crt)", "cobalt reporting")),
          ("CMRT", ("(cmrt)", "conflict minerals reporting", "conflict minerals report")))
LOOKUP_SHEET = "Smelter Look-up"
NOT_LISTED = "smelter not listed"
NOT_IDENTIFIED = "smelter not yet identified"


@dataclass(frozen=True)
class TemplateId:
    name: str | None          # "CMRT" | "EMRT" | "CRT" | None
    version: str | None       # as the file states it, e.g. "6.5"
    confidence: float
    version_cell: str | None = None   # "Declaration!J3"
    name_cell: str | None = None      # where the name was read: "Declaration!D2" or the language table


def identify(book: Workbook) -> TemplateId:
    """Template name and version from the file itself; cached on the workbook."""
    cached = book.memo.get("rmi_template")
    if cached is None:
        cached = book.memo["rmi_template"] = _identify(book)
    return cached


def _identify(book: Workbook) -> TemplateId:
    declaration = book.sheet("Declaration")
    if declaration is None or book.find_sheet("Smelter List") is None:
        return TemplateId(None, None, 0.0)
    version, version_cell = None, None
    for sheet_name, cell in (("Declaration", "J3"), ("Smelter List", "Q3"), ("Mine List", "M3")):
        sheet = book.sheet(sheet_name) if book.find_sheet(sheet_name) else None
        match = _REVISION.search(str(sheet.cell(cell) or "")) if sheet else None
        if match:
            version, version_cell = match.group(1), f"{sheet_name}!{cell}"
            break
    name, name_cell = _name_from_text(declaration.cell("D2")), "Declaration!D2"
    if name is None:
        name, name_cell = _name_from_language_table(book)
    confidence = 0.95
    if name is None:
        # Structure alone: only EMRT 2.x has a Mine List; only CMRT reached revision 3+.
        name_cell = version_cell
        if book.find_sheet("Mine List"):
            name, confidence = "EMRT", 0.7
        elif version and int(version.split(".")[0]) >= 3:
            name, confidence = "CMRT", 0.7
        else:
            return TemplateId(None, version, 0.3, version_cell)
    if version is None:
        confidence = 0.6
    return TemplateId(name, version, confidence, version_cell, name_cell)


def _name_from_text(value: Any) -> str | None:
    lowered = str(value or "").lower()
    for name, cues in _NAMES:
        if any(cue in lowered for cue in cues):
            return name
    return None


def _name_from_language_table(book: Workbook) -> tuple[str | None, str | None]:
    """The English title of Declaration!D2 in sheet L (columns: key, sheet, cell, English, ...)."""
    table = language_table(book)
    if table.title is None:
        return None, None
    row, english = table.title
    return _name_from_text(english), f"{table.sheet_name}!{a1(row, 3)}"


@dataclass(frozen=True)
class LanguageTable:
    """What is read from sheet L: the English text of the cells it names, by sheet."""

    sheet_name: str
    labels: dict[str, list[tuple[int, int, str]]]   # sheet -> (row, column, English label), in L's order
    title: tuple[int, Any] | None                   # (row in L, English text) of Declaration!D2


#: Language tables kept per process (one per template version seen lately) by the SHA-256 of
#: sheet L as stored: L is the template's own sheet, the same in every file of a version, so the
#: next file of that version neither reads nor walks it again.
KEPT_TABLES = 6
_KEPT_TABLES: "OrderedDict[str, LanguageTable]" = OrderedDict()
_NO_TABLE = LanguageTable("L", {}, None)


def language_table(book: Workbook) -> LanguageTable:
    actual = book.find_sheet("L")
    if actual is None:
        return _NO_TABLE
    digest = book.package.sheet_digest(actual)
    kept = _KEPT_TABLES.get(digest) if digest else None
    if kept is not None:
        _KEPT_TABLES.move_to_end(digest)      # type: ignore[arg-type]
        return kept
    sheet = book.sheet(actual)
    assert sheet is not None
    table = _read_language_table(sheet)
    if digest:
        _KEPT_TABLES[digest] = table
        while len(_KEPT_TABLES) > KEPT_TABLES:
            _KEPT_TABLES.popitem(last=False)
    return table


def _read_language_table(sheet: Sheet) -> LanguageTable:
    labels: dict[str, list[tuple[int, int, str]]] = {}
    title = None
    for r, row in enumerate(sheet.rows):
        if len(row) <= 3:
            continue
        if title is None and ((row[1] == "Declaration" and row[2] == "D2") or row[0] == "DeclarationD2"):
            title = (r, row[3])
        if isinstance(row[1], str) and isinstance(row[2], str) and row[3]:
            try:
                cell = parse_a1(row[2])
            except ValueError:
                continue                      # keys such as "Ans" name no cell
            labels.setdefault(row[1], []).append((*cell, normalise_label(row[3])))
    return LanguageTable(sheet.name, labels, title)


@dataclass(frozen=True)
class LookupEntry:
    row: int                  # zero-based row in the look-up sheet
    metal: str | None
    alias: str | None
    name: str | None
    country: str | None
    smelter_id: str | None
    source_of_id: str | None
    street: str | None
    city: str | None
    state_province: str | None


# Look-up sheet columns (A..I): metal, look-up name (alias), standard name, country, ID, source,
# street, city, state/province. The same in CMRT 6.x, EMRT 1.x/2.x and CRT 2.x.
LOOKUP_COLUMNS = {"name": 2, "country": 3, "smelter_id": 4, "source_of_id": 5,
                  "street": 6, "city": 7, "state_province": 8}


#: Look-up indexes kept per process (one per template version seen lately), by sheet digest;
#: read-only once built, so files share them safely.
KEPT_INDEXES = 6
_KEPT_INDEXES: "OrderedDict[str, tuple[Sheet, dict[str, int], dict[tuple[str, str], int], dict[str, int | None]]]" \
    = OrderedDict()


class SmelterLookup:
    """The file's own Smelter Look-up sheet, indexed by smelter ID and by (metal, alias).

    Given a loader rather than a sheet, the sheet is read and indexed on the first question,
    so a file whose smelter rows are all blank never pays for it; the index keeps row numbers
    and a full entry is read only for the rows a smelter row actually refers to.
    """

    def __init__(self, sheet: Sheet | None | Callable[[], Sheet | None]) -> None:
        self._source = sheet
        self._sheet: Sheet | None = None
        self._indexed = False
        self._by_id: dict[str, int] = {}
        self._by_alias: dict[tuple[str, str], int] = {}
        # Alias -> row when the metal column was left empty; None marks an alias of two smelters.
        self._by_alias_any: dict[str, int | None] = {}
        self._entries: dict[int, LookupEntry] = {}
        self.sheet_name = sheet.name if isinstance(sheet, Sheet) else LOOKUP_SHEET
        self._digest: str | None = None

    @classmethod
    def of_book(cls, book: Workbook) -> "SmelterLookup":
        """The look-up of `book`, read when first asked. RMI's look-up sheet is the same in every
        file of a template version (~2,000 rows): its index is kept, by the sheet's SHA-256, for
        the next file of that version, which then neither reads nor indexes it again."""
        lookup = cls(lambda: book.sheet(LOOKUP_SHEET))
        actual = book.find_sheet(LOOKUP_SHEET)
        lookup._digest = book.package.sheet_digest(actual) if actual else None
        return lookup

    def _index(self) -> None:
        self._indexed = True
        kept = _KEPT_INDEXES.get(self._digest) if self._digest else None
        if kept is not None:
            _KEPT_INDEXES.move_to_end(self._digest)
            self._sheet, self._by_id, self._by_alias, self._by_alias_any = kept
            self.sheet_name = kept[0].name
            return
        sheet = self._sheet = self._source() if callable(self._source) else self._source
        if sheet is None:
            return
        self._build(sheet)
        if self._digest:
            _KEPT_INDEXES[self._digest] = (sheet, self._by_id, self._by_alias, self._by_alias_any)
            while len(_KEPT_INDEXES) > KEPT_INDEXES:
                _KEPT_INDEXES.popitem(last=False)

    def _build(self, sheet: Sheet) -> None:
        self.sheet_name = sheet.name
        ids: dict[int, str | None] = {}
        for r in sheet.filled_rows(4, (1, 4)):    # data starts on row 5, under the header
            metal, alias, smelter_id = text(sheet.at(r, 0)), text(sheet.at(r, 1)), text(sheet.at(r, 4))
            if not smelter_id and not alias:
                continue
            ids[r] = smelter_id
            if smelter_id:
                self._by_id.setdefault(smelter_id.upper(), r)
            if metal and alias:
                self._by_alias.setdefault((metal.casefold(), alias.casefold()), r)
            if alias:
                known = self._by_alias_any.get(alias.casefold(), r)
                same = known is not None and ids[known] == smelter_id
                self._by_alias_any[alias.casefold()] = r if same else None

    def _entry(self, row: int | None) -> LookupEntry | None:
        if row is None or self._sheet is None:
            return None
        if row not in self._entries:
            self._entries[row] = LookupEntry(row, *map(text, self._sheet.row_at(row, range(9))))
        return self._entries[row]

    def _ready(self) -> None:
        if not self._indexed:
            self._index()

    @property
    def available(self) -> bool:
        self._ready()
        return bool(self._by_id)

    def find_id(self, smelter_id: str | None) -> LookupEntry | None:
        """By smelter ID, forgiving case and spaces ("cid 000401")."""
        if not smelter_id:
            return None
        self._ready()
        return self._entry(self._by_id.get("".join(smelter_id.split()).upper()))

    def find_alias(self, metal: str | None, alias: str | None) -> LookupEntry | None:
        """By look-up name; without a metal only when the name is unambiguous."""
        if not alias:
            return None
        self._ready()
        key = " ".join(alias.split()).casefold()
        if metal:
            return self._entry(self._by_alias.get((metal.strip().casefold(), key)))
        return self._entry(self._by_alias_any.get(key))
