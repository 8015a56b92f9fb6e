"""The findings a declaration carries (`Declaration.errors`): the JSON Schema's on the record as it
is now, plus the extraction's own — an ID missing from the template's Smelter Look-up list, an
expiry before the issue date, percentages that do not total 100 % — for as long as the values
they are about are unchanged.

Only the upload's extraction could make its own checks (it had the file: its look-up sheet, its
cells), so a save cannot re-run them; instead each of its findings is kept while the field it
names (and the fields it says it also depends on, `related`) still hold what the file said, and
dropped once the supplier or a reviewer has changed them. List rows are followed by their identity
(a smelter ID), so a finding moves with its row when rows above it are removed.

Only the schema's findings block submission and approval: the extraction's are the file's own
business rules, shown to be checked, as they were before this module kept them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ingestion import schema_findings, validate_record
from portal.documents.models import Document

from .models import Declaration

IDENTITY = "smelter_id"   # a list row is "the same row" when this key still says what it said


@dataclass
class Findings:
    schema: list[dict]    # the JSON Schema's, on the record as it is now: these block
    carried: list[dict]   # the extraction's own that still hold, at the paths of the current record

    def all(self) -> list[dict]:
        seen = {(f["path"], f["message"]) for f in self.schema}
        return self.schema + [f for f in self.carried if (f["path"], f["message"]) not in seen]


def extraction_result(session: Session, decl: Declaration) -> dict[str, Any] | None:
    """The extraction the declaration's record came from, or None (typed in the form, or the
    upload was of another document type and filled nothing)."""
    doc = session.get(Document, decl.document_id) if decl.document_id else None
    if doc is None or not doc.result or doc.document_type != decl.document_type:
        return None
    return doc.result


def current(session: Session, decl: Declaration, record: dict[str, Any] | None = None) -> Findings:
    """The findings for `record` (default: the declaration's own) of this declaration."""
    record = (decl.record or {}) if record is None else record
    result = extraction_result(session, decl)
    carried: list[dict] = []
    if result is not None:
        extracted = result.get("record") or {}
        from_schema = {(f["path"], f["message"]) for f in schema_findings(decl.document_type, extracted)}
        for finding in result.get("errors") or []:
            if (finding.get("path"), finding.get("message")) in from_schema:
                continue   # the schema's: judged again on the current record
            carried += [{**finding, "path": path} for path in holds_at(finding, extracted, record)]
    return Findings(validate_record(decl.document_type, record), carried)


def split_row(path: str) -> tuple[str, int, str] | None:
    """"/smelters/3/country" -> ("smelters", 3, "country"); None for a path not in a list row."""
    parts = path.strip("/").split("/")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def holds_at(finding: dict, extracted: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """The paths of `record` at which an extraction's finding on `extracted` still holds: its own
    path if the value there (and at its `related` paths) is what the file said; for a list row,
    every current row that is the same row with the same value; none once a value changed."""
    path = finding.get("path") or "/"
    if any(_value(extracted, p) != _value(record, p) for p in finding.get("related") or ()):
        return []
    if path == "/":
        return ["/"]   # about the file itself (its template revision): holds as long as its record does
    row = split_row(path)
    was_rows = extracted.get(row[0]) if row else None
    if row is None or not isinstance(was_rows, list) or row[1] >= len(was_rows) \
            or not isinstance(was_rows[row[1]], dict):
        return [path] if _value(extracted, path) == _value(record, path) else []
    name, index, key = row
    was = was_rows[index]
    now = record.get(name) if isinstance(record.get(name), list) else []
    return [f"/{name}/{j}/{key}" for j, row_now in enumerate(now)
            if isinstance(row_now, dict) and _blank(row_now.get(key)) == _blank(was.get(key))
            and row_now.get(IDENTITY) == was.get(IDENTITY) and (j == index or was.get(IDENTITY))]


def _value(record: Any, path: str) -> Any:
    node = record
    for part in path.strip("/").split("/") if path.strip("/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return _blank(node)


def _blank(value: Any) -> Any:
    """A form sends an empty box as "" where the file had nothing: the same value."""
    return None if value == "" or value == [] or value == {} else value
