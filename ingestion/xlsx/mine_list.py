"""Read the EMRT "Mine List" sheet (EMRT 2.x): one row per mine facility, data from row 5."""

from __future__ import annotations

from typing import Any, Callable

from ..result import Extraction, cell_source
from ..errors import N_
from .countries import country_code
from .normalise import text
from .workbook import Sheet, a1

COLUMNS = ("metal", "smelter_names", "name", "mine_id", "source_of_id", "country", "street", "city",
           "state_province", "contact_name", "contact_email", "proposed_next_steps", "comments")
CELL = 0.95


def read_mines(sheet: Sheet | None, ext: Extraction, metal_name: Callable[[Any], str | None],
               scale: float = 1.0) -> None:
    ext.record.setdefault("mines", [])
    if sheet is None:
        return
    for r in range(4, sheet.height):
        values = {key: text(sheet.at(r, c)) for c, key in enumerate(COLUMNS)}
        if not any(values[k] for k in ("metal", "smelter_names", "name", "mine_id", "country")):
            continue
        i = len(ext.record["mines"])
        ext.record["mines"].append({})
        for c, key in enumerate(COLUMNS):
            value = metal_name(values[key]) or values[key] if key == "metal" else values[key]
            if value is not None or key == "metal":
                ext.put(("mines", i, key), value, confidence=CELL * scale,
                        source=cell_source(sheet.name, a1(r, c)))
        code, confidence = country_code(values["country"])
        ext.put(("mines", i, "country_code"), code, confidence=confidence * CELL * scale,
                source=cell_source(sheet.name, a1(r, COLUMNS.index("country"))))
        if values["country"] and code is None:
            ext.warn(f"/mines/{i}/country_code", N_("Mine List row %(row)d: country '%(country)s' not recognised")
                     % {"row": r + 1, "country": values["country"]})
