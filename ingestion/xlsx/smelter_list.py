"""Read an RMI "Smelter List" sheet into canonical smelter records.

Columns are fixed in CMRT 6.x, EMRT and CRT (A: ID input, B: metal, C: look-up name,
D: smelter name, E: country, F: smelter ID, G: source of ID, H..Q: details). B..G are
formulas when the supplier typed an ID into column A, and E..G when they picked a name in C;
files saved without cached results leave them empty, so we resolve them through the file's
own Smelter Look-up sheet, with a lower confidence than a value read from the cell itself.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from ..errors import N_, ExtractionError
from ..limits import DEFAULT_LIMITS, Limits
from ..result import Extraction, cell_source
from .countries import country_code
from .normalise import answer, text
from .rmi import NOT_IDENTIFIED, NOT_LISTED, LOOKUP_COLUMNS, LookupEntry, SmelterLookup
from .workbook import Sheet, a1, column_letters

FIRST_ROW = 4                 # zero-based: data starts on row 5
COLUMNS = ("id_input", "metal", "lookup_name", "name", "country", "smelter_id", "source_of_id", "street",
           "city", "state_province", "contact_name", "contact_email", "proposed_next_steps",
           "mine_names", "mine_countries", "recycled_or_scrap", "comments")
DETAIL_COLUMNS = COLUMNS[7:]
STANDARD_COLUMNS = {key: c for c, key in enumerate(COLUMNS)}
CELL, LOOKUP, GUESS = 0.95, 0.8, 0.5
_PROMPTS = {"enter smelter details"}

MetalName = Callable[[Any], "str | None"]


def read_smelters(sheet: Sheet, lookup: SmelterLookup, ext: Extraction, metal_name: MetalName,
                  confidence_scale: float = 1.0, columns: dict[str, int] | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> None:
    """Append every non-blank smelter row to ext.record["smelters"], with provenance and findings.

    `columns` maps field -> zero-based column for layouts other than 6.x (legacy CMRTs).
    A list far longer than any real one is refused before any row is read, and reading stops
    at `limits.max_sheet_seconds`: a dense workbook must not hold a worker for a whole job.
    """
    columns = columns or STANDARD_COLUMNS
    identifying = [columns[key] for key in COLUMNS[:7] if key in columns]
    # Blank rows may sit between smelters.
    filled = sheet.filled_rows(FIRST_ROW, identifying)
    template = ext.document_type.upper()
    if len(filled) > limits.max_smelter_rows:
        raise ExtractionError(N_("This file lists more than %(limit)s smelter rows — a %(template)s lists at most a few "
                                 "hundred; keep one row per smelter of your supply chain in the Smelter List and "
                                 "upload it again") % {"limit": f"{limits.max_smelter_rows:,}", "template": template},
                              code="too_large")
    deadline = time.monotonic() + limits.max_sheet_seconds
    ext.record.setdefault("smelters", [])
    # Once per sheet, not per row: where each field sits.
    where = [columns.get(key) for key in COLUMNS]
    letters = [column_letters(c) if c is not None else None for c in where]
    for r in filled:
        if time.monotonic() >= deadline:
            raise ExtractionError(N_("Reading the Smelter List took longer than %(seconds)s seconds and was stopped "
                                     "— check that it holds only the smelters of your %(template)s, one per row, "
                                     "and upload it again")
                                  % {"seconds": f"{limits.max_sheet_seconds:g}", "template": template}, code="too_large")
        raw = dict(zip(COLUMNS, sheet.row_at(r, where)))
        here = {key: cell_source(sheet.name, f"{col}{r + 1}") if col else None for key, col in zip(COLUMNS, letters)}
        _read_row(r, raw, here, lookup, ext, metal_name, confidence_scale)


def _read_row(r: int, raw: dict[str, Any], here: dict[str, Any], lookup: SmelterLookup, ext: Extraction,
              metal_name: MetalName, scale: float) -> None:
    i = len(ext.record["smelters"])
    smelter: dict[str, Any] = {}
    ext.record["smelters"].append(smelter)
    at = f"/smelters/{i}"

    def put(key: str, value: Any, confidence: float, source: dict[str, Any]) -> None:
        ext.put_in(smelter, at, key, value, confidence=confidence * scale, source=source)

    def from_entry(entry: LookupEntry, key: str) -> tuple[Any, dict[str, Any]]:
        return getattr(entry, key), cell_source(lookup.sheet_name, a1(entry.row, LOOKUP_COLUMNS[key]))

    values = {key: text(raw[key]) for key in COLUMNS}
    if (values["source_of_id"] or "").casefold() in _PROMPTS:
        values["source_of_id"] = None         # the template's own prompt, cached as a formula result
    lookup_name = (values["lookup_name"] or "").casefold()
    typed_id = values["id_input"] or values["smelter_id"]
    entry = lookup.find_id(typed_id)
    how = "id"
    if entry is None and lookup_name == NOT_LISTED:
        # The template itself matches a typed name against the look-up aliases (column V).
        entry, how = lookup.find_alias(values["metal"], values["name"]), "alias"
    elif entry is None and lookup_name != NOT_IDENTIFIED:
        entry, how = lookup.find_alias(values["metal"], values["lookup_name"]), "alias"

    metal = metal_name(values["metal"])
    if metal is None and entry is not None:
        put("metal", metal_name(entry.metal), LOOKUP, cell_source(lookup.sheet_name, a1(entry.row, 0)))
    else:
        put("metal", metal if metal else (values["metal"] or "").lower() or None,
            CELL if metal else GUESS, here["metal"])
        if metal is None:
            ext.error(f"/smelters/{i}/metal", N_("Row %(row)d: the metal '%(metal)s' is not one this template reports")
                      % {"row": r + 1, "metal": values["metal"] or ""})

    # Cached formula results (or typed values) win; the look-up fills what the file left empty.
    for key in ("name", "country", "smelter_id", "source_of_id"):
        if values[key]:
            put(key, values[key], CELL, here[key])
        elif entry is not None and getattr(entry, key):
            value, source = from_entry(entry, key)
            put(key, value, LOOKUP if how == "id" else LOOKUP - 0.05, source)
        elif key == "name" and values["lookup_name"] and lookup_name not in (NOT_LISTED, NOT_IDENTIFIED):
            put(key, values["lookup_name"], GUESS, here["lookup_name"])
        elif key == "smelter_id" and values["id_input"]:
            # an ID RMI's list does not know: what the supplier typed, for the reviewer to check
            put(key, values["id_input"], GUESS, here["id_input"])
        else:
            put(key, None, 0.0, here[key])          # nothing to read: a reviewer must look
    if values["lookup_name"]:
        put("lookup_name", values["lookup_name"], CELL, here["lookup_name"])
    for key in DETAIL_COLUMNS:
        if values[key]:
            value = answer(raw[key]) if key == "recycled_or_scrap" else values[key]
            put(key, value, CELL, here[key])
        elif entry is not None and key in LOOKUP_COLUMNS and getattr(entry, key):
            value, source = from_entry(entry, key)
            put(key, value, LOOKUP, source)

    code, code_conf = country_code(smelter.get("country"))
    country_field = ext.fields[f"{at}/country"]
    put("country_code", code, code_conf * country_field["confidence"], country_field["source"])
    _check_row(r, i, smelter, values, typed_id, entry if how == "id" else None, lookup, ext)
    listed_metal = metal_name(entry.metal) if entry is not None else None
    if metal and listed_metal and listed_metal != metal:
        ext.warn(f"/smelters/{i}/metal", N_("Row %(row)d: %(id)s is a %(listed)s smelter in the Smelter Look-up list, "
                                             "but the row says %(metal)s")
                 % {"row": r + 1, "id": entry.smelter_id, "listed": listed_metal, "metal": metal},
                 "smelter_metal_differs", listed=listed_metal)


def _check_row(r: int, i: int, smelter: dict[str, Any], values: dict[str, Any], typed_id: str | None,
               by_id: LookupEntry | None, lookup: SmelterLookup, ext: Extraction) -> None:
    """Flag what a reviewer must look at; `by_id` is the look-up entry of the row's ID, if listed."""
    base = f"/smelters/{i}"
    lookup_name = (values["lookup_name"] or "").casefold()
    if typed_id and by_id is None and lookup.available:
        ext.error(f"{base}/smelter_id", N_("Row %(row)d: smelter ID %(id)s is not in this template's Smelter Look-up "
                                            "list — check the ID") % {"row": r + 1, "id": typed_id}, "smelter_unknown_id")
    elif lookup_name == NOT_LISTED:
        ext.warn(f"{base}/name", N_("Row %(row)d: smelter not listed in the RMI database — review name and country")
                 % {"row": r + 1})
    elif lookup_name == NOT_IDENTIFIED:
        ext.warn(f"{base}/name", N_("Row %(row)d: smelter not yet identified") % {"row": r + 1})
    elif not smelter.get("smelter_id"):
        ext.warn(f"{base}/smelter_id", N_("Row %(row)d: no smelter ID — the smelter could not be matched with the "
                                           "Smelter Look-up list") % {"row": r + 1})
    if smelter.get("country") and not smelter.get("country_code"):
        ext.warn(f"{base}/country_code", N_("Row %(row)d: country '%(country)s' not recognised")
                 % {"row": r + 1, "country": smelter["country"]})
    elif by_id is not None and values["country"] and by_id.country:
        # Only a country the row itself states can differ, and only when both names are known
        # countries: "VIET NAM" and "Vietnam" are the same place, an unknown spelling is no evidence.
        listed, _ = country_code(by_id.country)
        if listed and smelter.get("country_code") and listed != smelter["country_code"]:
            ext.warn(f"{base}/country", N_("Row %(row)d: %(id)s is in %(listed)s in the Smelter Look-up list, but the "
                                        "row says %(country)s")
                     % {"row": r + 1, "id": by_id.smelter_id, "listed": by_id.country, "country": values["country"]},
                     "smelter_country_differs",
                     listed=by_id.country, listed_code=listed)
    if not smelter.get("name") and lookup_name != NOT_IDENTIFIED:
        ext.error(f"{base}/name", N_("Row %(row)d: smelter name is missing") % {"row": r + 1})
