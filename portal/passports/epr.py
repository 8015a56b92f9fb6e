"""The EPR (extended producer responsibility) report: per product category and country, how many
units, their weight, the weight of each material and of its recycled content, from the passports'
own data (product.weight_kg × material percentages).

A unit is one passport. The country is the product's country of production, or the manufacturer's
country when that is not given: passports do not record where a product is placed on the market."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

UNKNOWN = "(not given)"
HEADER = ["Product category", "Country", "Material", "Units", "Units with weight", "Weight (kg)",
          "Recycled content (kg)", "Recycled content (%)"]


@dataclass
class Tally:
    units: int = 0
    weighed: int = 0
    weight: float = 0.0
    recycled: float = 0.0
    materials: dict[str, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0.0, 0.0]))


def _group(data: dict[str, Any]) -> tuple[str, str]:
    product = data.get("product") or {}
    category = (product.get("category") or "").strip() or UNKNOWN
    country = product.get("country_of_production") or (data.get("manufacturer") or {}).get("country_code") or UNKNOWN
    return category, country


def tally(datas: Iterable[dict[str, Any]]) -> dict[tuple[str, str], Tally]:
    groups: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for data in datas:
        t = groups[_group(data)]
        t.units += 1
        weight = (data.get("product") or {}).get("weight_kg")
        if not isinstance(weight, (int, float)) or isinstance(weight, bool):
            continue   # counted as a unit; without a weight it adds no kilograms
        t.weighed += 1
        t.weight += weight
        for material in data.get("materials") or []:
            kg = weight * material.get("percentage", 0) / 100
            recycled = kg * material.get("recycled_percentage", 0) / 100
            name = " ".join(str(material.get("name", "")).split()).lower() or UNKNOWN
            t.materials[name][0] += kg
            t.materials[name][1] += recycled
            t.recycled += recycled
    return groups


def report_rows(datas: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """A row per category and country ("All materials"), followed by a row per material in it."""
    rows: list[list[Any]] = []
    for (category, country), t in sorted(tally(datas).items()):
        rows.append([category, country, "All materials", t.units, t.weighed, round(t.weight, 3),
                     round(t.recycled, 3), _share(t.recycled, t.weight)])
        for name, (kg, recycled) in sorted(t.materials.items()):
            rows.append([category, country, name, "", "", round(kg, 3), round(recycled, 3), _share(recycled, kg)])
    return rows


def _share(part: float, whole: float) -> Any:
    return round(100 * part / whole, 2) if whole else ""
