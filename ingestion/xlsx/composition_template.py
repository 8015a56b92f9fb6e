"""The portal's own material-composition XLSX template, generated from its JSON Schema.

The schema is the one source of truth: field order, titles and help texts come from
schemas/material_composition.json, and the extractor reads back with the same layout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ..registry import load_schema, schema_id

DOCUMENT_TYPE = "material_composition"
SHEET = "Composition"
MARKER_CELL = "B2"            # holds the schema id: how the extractor recognises its own template
PRODUCT_FIRST_ROW = 4
MAX_MATERIALS = 200


@dataclass(frozen=True)
class CompositionLayout:
    product_rows: dict[str, int]          # product field -> row (label in A, value in B)
    header_row: int                       # materials table header; data below it
    material_columns: dict[str, int]      # material field -> zero-based column
    titles: dict[str, str]                # material field or "product/<field>" -> label text


def composition_layout() -> CompositionLayout:
    schema = load_schema(DOCUMENT_TYPE)
    product = schema["properties"]["product"]["properties"]
    material = schema["properties"]["materials"]["items"]["properties"]
    product_rows = {key: PRODUCT_FIRST_ROW + k for k, key in enumerate(product)}
    header_row = PRODUCT_FIRST_ROW + len(product) + 1
    titles = {f"product/{key}": spec.get("title", key) for key, spec in product.items()}
    titles.update({key: spec.get("title", key) for key, spec in material.items()})
    return CompositionLayout(product_rows, header_row, {key: k for k, key in enumerate(material)}, titles)


def build_template() -> bytes:
    """The XLSX a supplier downloads, as bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    schema = load_schema(DOCUMENT_TYPE)
    layout = composition_layout()
    product = schema["properties"]["product"]["properties"]
    material = schema["properties"]["materials"]["items"]["properties"]
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    sheet["A1"] = schema.get("title", "Material composition")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"], sheet[MARKER_CELL] = "Template", schema_id(DOCUMENT_TYPE)
    sheet["C2"] = schema.get("description", "")
    required = set(schema["properties"]["product"].get("required", []))
    for key, row in layout.product_rows.items():
        sheet.cell(row, 1, _label(layout.titles[f"product/{key}"], key in required)).font = bold
        value = sheet.cell(row, 2)
        value.fill = fill
        value.number_format = "@"           # keeps GTIN leading zeros and long digits intact
        sheet.cell(row, 3, product[key].get("description", ""))
    first_data, last_data = layout.header_row + 1, layout.header_row + MAX_MATERIALS
    item_required = set(schema["properties"]["materials"]["items"].get("required", []))
    for key, col in layout.material_columns.items():
        cell = sheet.cell(layout.header_row, col + 1, _label(layout.titles[key], key in item_required))
        cell.font = bold
        letter = get_column_letter(col + 1)
        sheet.column_dimensions[letter].width = 24
        spec = material[key]
        if "number" in _types(spec):
            check = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                   allow_blank=True, showErrorMessage=True,
                                   error=f"{layout.titles[key]}: a number from 0 to 100")
            check.add(f"{letter}{first_data}:{letter}{last_data}")
            sheet.add_data_validation(check)
        else:
            for row in range(first_data, last_data + 1):
                sheet.cell(row, col + 1).number_format = "@"
        sheet.cell(layout.header_row - 1, col + 1, spec.get("description", "")).font = Font(italic=True, size=9)
    pct = get_column_letter(layout.material_columns["percentage"] + 1)
    total_col = len(layout.material_columns) + 2
    sheet.cell(layout.header_row, total_col, "Total % (must be 100)").font = bold
    sheet.cell(first_data, total_col, f"=SUM({pct}{first_data}:{pct}{last_data})")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 24
    sheet.freeze_panes = sheet.cell(first_data, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _label(title: str, required: bool) -> str:
    return f"{title} (*)" if required else title


def _types(spec: dict[str, Any]) -> list[str]:
    kind = spec.get("type", [])
    return kind if isinstance(kind, list) else [kind]
