"""Material composition: the portal's own XLSX template (ingestion/xlsx/composition_template.py).

Rules beyond the schema: percentages total 100 (±0.01), GTIN and CAS check digits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import N_, ExtractionError
from ..registry import Extractor, Probe, register, schema_id
from ..result import Extraction, cell_source
from ..xlsx import country_code, number, text
from ..xlsx.composition_template import DOCUMENT_TYPE, MARKER_CELL, SHEET, CompositionLayout, composition_layout
from ..xlsx.probe import workbook_for
from ..xlsx.workbook import Sheet, a1

CELL, SCALED, GUESS = 0.95, 0.7, 0.5
TOTAL_TOLERANCE = 0.01


def gtin_valid(gtin: str) -> bool:
    """GS1 mod-10 check digit (GTIN-8/12/13/14)."""
    if not re.fullmatch(r"[0-9]{8}|[0-9]{12,14}", gtin):
        return False
    digits = [int(d) for d in gtin]
    body = digits[:-1][::-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return (10 - total % 10) % 10 == digits[-1]


def cas_valid(cas: str) -> bool:
    """CAS registry number check digit: weighted sum of the other digits, mod 10."""
    match = re.fullmatch(r"([0-9]{2,7})-([0-9]{2})-([0-9])", cas)
    if not match:
        return False
    body = (match[1] + match[2])[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(body)) % 10 == int(match[3])


@register
class MaterialCompositionExtractor(Extractor):
    document_type = DOCUMENT_TYPE
    file_kinds = ("xlsx",)
    sheets_read = (SHEET,)

    def detect(self, probe: Probe) -> float:
        if SHEET not in probe.sheet_names:
            return 0.0
        marker = str(probe.cells.get(f"{SHEET}!{MARKER_CELL}") or "")
        return 0.95 if marker.startswith(f"{DOCUMENT_TYPE}/") else 0.55

    def extract(self, path: Path, probe: Probe) -> Extraction:
        ext = self.new_extraction()
        with workbook_for(probe, path) as book:
            sheet = book.sheet(SHEET)
            if sheet is None:
                raise ExtractionError(N_("This workbook is not the portal's material composition template — "
                                         "download the template, fill it in and upload it"), code="unsupported_type")
            marker = text(sheet.cell(MARKER_CELL))
            if marker and marker != schema_id(DOCUMENT_TYPE):
                ext.warn("/", N_("Template %(marker)s is not the current %(schema)s — please review")
                         % {"marker": marker, "schema": schema_id(DOCUMENT_TYPE)})
            layout = composition_layout()
            header_row = _find_header(sheet, layout)
            _read_product(sheet, layout, header_row - layout.header_row, ext)
            _read_materials(sheet, layout, header_row, ext)
        _check(ext)
        return ext


def _find_header(sheet: Sheet, layout: CompositionLayout) -> int:
    """Row (1-based) of the materials header: where the template put it, or where a supplier moved it."""
    first_title = layout.titles[next(iter(layout.material_columns))].casefold()

    def is_header(row: int) -> bool:
        return (text(sheet.at(row - 1, 0)) or "").casefold().startswith(first_title)

    if is_header(layout.header_row):
        return layout.header_row
    return next((row for row in range(1, min(sheet.height, 60) + 1) if is_header(row)), layout.header_row)


def _read_product(sheet: Sheet, layout: CompositionLayout, shift: int, ext: Extraction) -> None:
    for key, row in layout.product_rows.items():
        raw = sheet.at(row - 1 + shift, 1)
        value = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else text(raw)
        if value is None and key != "part_number":
            continue
        if key == "gtin" and value:
            value = re.sub(r"[\s-]", "", value)
        ext.put(("product", key), value, confidence=CELL if value else 0.0,
                source=cell_source(sheet.name, f"B{row + shift}"))


def _read_materials(sheet: Sheet, layout: CompositionLayout, header_row: int, ext: Extraction) -> None:
    ext.record.setdefault("materials", [])
    cols = layout.material_columns
    rows: list[tuple[int, dict[str, Any]]] = []
    for r in range(header_row, sheet.height):
        raw = {key: sheet.at(r, col) for key, col in cols.items()}
        if all(v is None for v in raw.values()):
            continue
        rows.append((r, raw))
    # A "45%" typed into a general cell is stored as 0.45: if every share is a fraction and
    # they add up to 1, the supplier meant percentages.
    shares = [number(raw["percentage"]) for _, raw in rows]
    fractions = bool(shares) and all(s is not None and 0 < s <= 1 for s in shares) \
        and abs(sum(s for s in shares if s) - 1) <= TOTAL_TOLERANCE / 100
    for i, (r, raw) in enumerate(rows):
        ext.record["materials"].append({})

        def put(key: str, value: Any, confidence: float) -> None:
            ext.put(("materials", i, key), value, confidence=confidence,
                    source=cell_source(sheet.name, a1(r, cols[key])))

        name = text(raw["name"])
        put("name", name, CELL if name else 0.0)
        for key in ("percentage", "recycled_percentage"):
            value = number(raw[key])
            if value is None and raw[key] is not None:
                ext.error(f"/materials/{i}/{key}", N_("Row %(row)d: '%(value)s' is not a number")
                          % {"row": r + 1, "value": text(raw[key])})
            if value is not None and fractions and not isinstance(raw[key], str):
                value = round(value * 100, 6)
            if value is not None or key == "percentage":
                put(key, value, 0.0 if value is None else SCALED if fractions else CELL)
        code, confidence = country_code(text(raw["origin_country_code"]))
        if raw["origin_country_code"] is not None:
            put("origin_country_code", code, confidence * CELL)
            if code is None:
                ext.error(f"/materials/{i}/origin_country_code",
                          N_("Row %(row)d: country '%(country)s' not recognised")
                          % {"row": r + 1, "country": text(raw["origin_country_code"])})
        cas = text(raw["cas_number"])
        if cas:
            put("cas_number", cas, CELL)


def _check(ext: Extraction) -> None:
    materials = ext.record.get("materials", [])
    shares = [m.get("percentage") for m in materials]
    if materials and all(isinstance(s, (int, float)) for s in shares):
        total = sum(shares)
        if abs(total - 100) > TOTAL_TOLERANCE:
            ext.error("/materials", N_("The percentages total %(total)s %%, not 100 %%") % {"total": f"{total:g}"})
    gtin = ext.record.get("product", {}).get("gtin")
    if gtin and not gtin_valid(gtin):
        ext.error("/product/gtin", N_("GTIN %(gtin)s is not valid (wrong length or check digit)") % {"gtin": gtin})
    for i, material in enumerate(materials):
        cas = material.get("cas_number")
        if cas and not cas_valid(cas):
            ext.error(f"/materials/{i}/cas_number", N_("CAS number %(cas)s is not valid (check digit)") % {"cas": cas})
