"""Badges for list rows (a CMRT's smelters): the extraction's coded findings — an ID RMI does not
list, a country or metal other than RMI's — that still hold for the record as it is now.

Only the upload's extraction could check a row against the file's own Smelter Look-up list, so
its findings are kept in the document's result; a row the supplier or a reviewer has since changed
in the flagged field (or whose smelter ID changed) no longer carries the badge — the rule
`findings.holds_at` keeps for every finding a declaration carries.
"""

from __future__ import annotations

from typing import Any

from . import labels
from .findings import holds_at, split_row


def row_badges(document_type: str, result: dict[str, Any] | None, record: dict[str, Any] | None
               ) -> dict[str, list[dict[str, str]]]:
    """"/smelters/3" -> [{"path": "/smelters/3/country", "code": ..., "words": "Country differs …",
    "tone": "error"|"warn"}] for every current row a coded finding of `result` still holds for."""
    if not result or not record:
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    extracted = result.get("record") or {}
    for tone, findings in (("error", result.get("errors")), ("warn", result.get("warnings"))):
        for finding in findings or []:
            where = split_row(finding.get("path", "")) if finding.get("code") else None
            words = labels.finding_badge(document_type, finding) if where else None
            if not where or not words:
                continue
            for path in holds_at(finding, extracted, record):
                out.setdefault(path.rsplit("/", 1)[0], []).append(
                    {"path": path, "code": finding["code"], "words": words, "tone": tone})
    return out
