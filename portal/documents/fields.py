"""Flattens a record into rows (path, value, source, confidence, findings) for the pages."""

from __future__ import annotations

from typing import Any


def field_rows(record: dict, fields: dict, errors: list[dict] | None) -> list[dict[str, Any]]:
    """One row per leaf value; fields with findings first, then uncertain ones, then record order."""
    errors_by_path: dict[str, list[str]] = {}
    for err in errors or []:
        errors_by_path.setdefault(err["path"], []).append(err["message"])
    rows: list[dict[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict) and node:
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list) and node and any(isinstance(v, (dict, list)) for v in node):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")
        else:
            meta = fields.get(path)
            rows.append({"path": path, "value": node, "order": len(rows),
                         "confidence": meta.get("confidence") if meta else None,
                         "source": meta.get("source") if meta else None,
                         "errors": errors_by_path.get(path, [])})

    walk(record, "")
    rows.sort(key=lambda r: (not r["errors"], r["confidence"] is None or r["confidence"] >= 0.8, r["order"]))
    return rows


def unplaced_errors(rows: list[dict[str, Any]], errors: list[dict] | None) -> list[dict]:
    """Findings about paths that have no row (a missing required field, a whole-record rule)."""
    placed = {r["path"] for r in rows}
    return [e for e in errors or [] if e["path"] not in placed]
