"""Badges for list rows (a CMRT's smelters): the extraction's coded findings — an ID RMI does not
list, a country or metal other than RMI's — that still hold for the record as it is now.

Only the upload's extraction could check a row against the file's own Smelter Look-up list, so
its findings are kept in the document's result; a row the supplier or a reviewer has since changed
in the flagged field (or whose smelter ID changed) no longer carries the badge.
"""

from __future__ import annotations

from typing import Any

from . import labels

IDENTITY = "smelter_id"   # a list row is "the same row" when this key still says what it said


def _split(path: str) -> tuple[str, int, str] | None:
    """"/smelters/3/country" -> ("smelters", 3, "country"); None for a path not in a list row."""
    parts = path.strip("/").split("/")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def row_badges(document_type: str, result: dict[str, Any] | None, record: dict[str, Any] | None
               ) -> dict[str, list[dict[str, str]]]:
    """"/smelters/3" -> [{"path": "/smelters/3/country", "code": ..., "words": "Country differs …",
    "tone": "error"|"warn"}] for every current row a coded finding of `result` still holds for."""
    if not result or not record:
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    for tone, findings in (("error", result.get("errors")), ("warn", result.get("warnings"))):
        for finding in findings or []:
            where = _split(finding.get("path", "")) if finding.get("code") else None
            words = labels.finding_badge(document_type, finding) if where else None
            if not where or not words:
                continue
            name, index, key = where
            extracted = (result.get("record") or {}).get(name) or []
            if index >= len(extracted) or not isinstance(extracted[index], dict):
                continue
            was = extracted[index]
            for j, row in enumerate(record.get(name) or []):
                if (isinstance(row, dict) and row.get(key) == was.get(key)
                        and row.get(IDENTITY) == was.get(IDENTITY) and (j == index or was.get(IDENTITY))):
                    out.setdefault(f"/{name}/{j}", []).append(
                        {"path": f"/{name}/{j}/{key}", "code": finding["code"], "words": words, "tone": tone})
    return out
