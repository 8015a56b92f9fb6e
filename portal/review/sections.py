"""The review screen's groups: what needs the reviewer first, then each top-level section in record
order. A list of records (a CMRT's smelters) is a table with one row per item — its `x-columns`
as columns, every field with its source and correction under the row's details — items with
findings first."""

from __future__ import annotations

import re
from typing import Any

from portal.i18n import gettext as _
from portal.requests import labels

SECTION_OPEN_MAX = 40  # a longer section starts folded
_ITEM = re.compile(r"^/([^/]+)/(\d+)/(.+)$")


def needs_attention(row: dict) -> bool:
    return bool(row["errors"] or row.get("differs") or (row["confidence"] is not None and row["confidence"] < 0.8))


def _list_key(row: dict) -> tuple[str, int, str] | None:
    """("smelters", 3, "country") for a field of a list item; None elsewhere (nested lists stay rows)."""
    match = _ITEM.match(row["path"])
    if not match or "/" in match.group(3):
        return None
    return match.group(1), int(match.group(2)), match.group(3)


def build(rows: list[dict], document_type: str, selected: str | None,
          badges: dict[str, list[dict]], asked: str | None = None) -> list[dict]:
    """Sections for the template: {"key", "title", "open", "findings", "rows"} and, for a list of
    records, "entries" and "columns" as well. `asked` is a field the reviewer picked (its list
    row opens), `selected` the one whose source shows (perhaps only the first with a source)."""
    lists: dict[str, dict[int, list[dict]]] = {}
    plain: list[dict] = []
    for row in sorted(rows, key=lambda r: r["order"]):
        where = _list_key(row)
        if where:
            lists.setdefault(where[0], {}).setdefault(where[1], []).append(row)
        else:
            plain.append(row)
    attention = [r for r in plain if needs_attention(r)]
    sections: dict[str, dict] = {}
    for row in plain:
        if needs_attention(row):
            continue
        parts = row["path"].strip("/").split("/")
        # one-value fields (a certificate's number, dates, scope) share one section named after the
        # document, rather than each being a section whose title repeats its only row's label
        key = parts[0] if len(parts) > 1 else "record"
        title = labels.type_title(document_type) if key == "record" else labels.field_title(document_type, "/" + key)
        section = sections.setdefault(key, {"key": key, "rows": [], "findings": 0, "title": title})
        section["rows"].append(row)
    for section in sections.values():
        section["open"] = len(section["rows"]) <= SECTION_OPEN_MAX or any(r["path"] == selected for r in section["rows"])
    for key, items in lists.items():
        sections[key] = _table(key, items, document_type, asked, badges)
    # a list with flagged rows comes right after what needs attention; the rest in record order
    ordered = sorted(sections.values(), key=lambda s: (not ("entries" in s and s["findings"]), _first_order(s)))
    first = [{"key": "attention", "title": _("Needs your attention"), "rows": attention, "open": True,
              "findings": sum(1 for r in attention if r["errors"])}] if attention else []
    return first + ordered


def _first_order(section: dict) -> int:
    if "entries" in section:
        return min(r["order"] for item in section["entries"] for r in item["rows"])
    return min(r["order"] for r in section["rows"])


def _table(key: str, items: dict[int, list[dict]], document_type: str, selected: str | None,
           badges: dict[str, list[dict]]) -> dict:
    node = labels.schema_node(document_type, "/" + key) or {}
    present = list(dict.fromkeys(_list_key(r)[2] for rows in items.values() for r in rows))  # type: ignore[index]
    names = [c for c in node.get("x-columns", present) if c in present]
    out = []
    for index, rows in items.items():
        path = f"/{key}/{index}"
        cells = {_list_key(r)[2]: r for r in rows}  # type: ignore[index]
        flags = badges.get(path, [])
        errors = [e for r in rows for e in r["errors"]]
        out.append({"index": index, "path": path, "rows": rows, "cells": cells, "badges": flags, "errors": errors,
                    "findings": bool(errors or flags), "attention": any(needs_attention(r) for r in rows),
                    "selected": any(r["path"] == selected for r in rows),
                    "confidence": min((r["confidence"] for r in rows if r["confidence"] is not None), default=None)})
    out.sort(key=lambda item: (not item["findings"], not item["attention"], item["index"]))
    flagged = sum(1 for item in out if item["findings"])
    return {"key": key, "title": labels.field_title(document_type, "/" + key), "entries": out,
            "columns": [(name, labels.field_title(document_type, f"/{key}/0/{name}")) for name in names],
            "findings": flagged, "open": bool(flagged) or any(item["selected"] for item in out),
            "rows": [r for item in out for r in item["rows"]]}
