"""What every RMI reporting template (CMRT, EMRT, CRT) shares: identification and the
Smelter Look-up sheet.

The Declaration labels are formulas whose cached text depends on the language in D3, and
files saved by tools other than Excel carry no cached results at all. So the template is
identified from constants: the revision text in J3 and the template's own language table
(sheet "L": sheet name and cell in columns B and C, English text in column D).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from .normalise import text
from .workbook import Sheet, Workbook, a1

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
    table = book.sheet("L") if book.find_sheet("L") else None
    if table is None:
        return None, None
    for r, row in enumerate(table.rows):
        if len(row) > 3 and ((row[1] == "Declaration" and row[2] == "D2") or row[0] == "DeclarationD2"):
            return _name_from_text(row[3]), f"{table.name}!{a1(r, 3)}"
    return None, None


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


class SmelterLookup:
    """The file's own Smelter Look-up sheet, indexed by smelter ID and by (metal, alias).

    Given a loader rather than a sheet, the sheet is read and indexed on the first question:
    a file whose smelter rows are all blank never pays for it.
    """

    def __init__(self, sheet: Sheet | None | Callable[[], Sheet | None]) -> None:
        self._source = sheet
        self._by_id: dict[str, LookupEntry] = {}
        self._by_alias: dict[tuple[str, str], LookupEntry] = {}
        # Alias -> entry when the metal column was left empty; None marks an alias of two smelters.
        self._by_alias_any: dict[str, LookupEntry | None] = {}
        self._indexed = False
        self.sheet_name = sheet.name if isinstance(sheet, Sheet) else LOOKUP_SHEET

    def _index(self) -> None:
        self._indexed = True
        sheet = self._source() if callable(self._source) else self._source
        if sheet is None:
            return
        self.sheet_name = sheet.name
        for r in range(4, sheet.height):          # data starts on row 5, under the header
            if sheet.blank(r, (1, 4)):
                continue
            entry = LookupEntry(r, *(text(sheet.at(r, c)) for c in range(9)))
            if not entry.smelter_id and not entry.alias:
                continue
            if entry.smelter_id:
                self._by_id.setdefault(entry.smelter_id.upper(), entry)
            if entry.metal and entry.alias:
                self._by_alias.setdefault((entry.metal.casefold(), entry.alias.casefold()), entry)
            if entry.alias:
                known = self._by_alias_any.get(entry.alias.casefold(), entry)
                same = known is not None and known.smelter_id == entry.smelter_id
                self._by_alias_any[entry.alias.casefold()] = entry if same else None

    @property
    def by_id(self) -> dict[str, LookupEntry]:
        if not self._indexed:
            self._index()
        return self._by_id

    @property
    def by_alias(self) -> dict[tuple[str, str], LookupEntry]:
        if not self._indexed:
            self._index()
        return self._by_alias

    @property
    def by_alias_any(self) -> dict[str, LookupEntry | None]:
        if not self._indexed:
            self._index()
        return self._by_alias_any

    @property
    def available(self) -> bool:
        return bool(self.by_id)

    def find_id(self, smelter_id: str | None) -> LookupEntry | None:
        """By smelter ID, forgiving case and spaces ("cid 000401")."""
        return self.by_id.get("".join(smelter_id.split()).upper()) if smelter_id else None

    def find_alias(self, metal: str | None, alias: str | None) -> LookupEntry | None:
        """By look-up name; without a metal only when the name is unambiguous."""
        if not alias:
            return None
        key = " ".join(alias.split()).casefold()
        if metal:
            return self.by_alias.get((metal.strip().casefold(), key))
        return self.by_alias_any.get(key)
