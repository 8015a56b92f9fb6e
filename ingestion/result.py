"""Builds the SPEC §4 extraction output: record + per-field provenance + findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def pointer(*parts: str | int) -> str:
    """JSON Pointer for a record path, e.g. pointer("company", "name") -> "/company/name"."""
    joined = "/".join(map(str, parts))
    # the common case, no part holding "~" or "/": nothing to escape (a smelter row has ~15 fields)
    if "~" not in joined and joined.count("/") == len(parts) - 1:
        return "/" + joined if parts else ""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def cell_source(sheet: str, cell: str) -> dict[str, Any]:
    return {"sheet": sheet, "cell": cell}


def pdf_source(page: int, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    return {"page": page, "bbox": [round(v, 2) for v in bbox]}


def finding(path: str, message: str, code: str | None = None, related: tuple[str, ...] = (),
            **params: str) -> dict[str, Any]:
    """A finding as SPEC §4 has it (path, message); a `code` names its kind so a page can show it
    as a short badge in its own words (portal/requests/data/labels.json "finding_kinds"), with
    `params` for the values those words quote. `related` names the other fields a finding about
    two values depends on ("expiry before the issue date" is also about the issue date), so a
    declaration whose supplier corrects either one stops carrying it."""
    out: dict[str, Any] = {"path": path, "message": message}
    if related:
        out["related"] = list(related)
    if code:
        out["code"] = code
        if params:
            out["params"] = params
    return out


@dataclass
class Extraction:
    """Collects what an extractor found. Extractors call `put` for every value they read."""

    document_type: str
    schema_id: str
    record: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def put(self, path: tuple[str | int, ...], value: Any, *, confidence: float,
            source: dict[str, Any] | None) -> None:
        """Set record[path] = value and remember where it came from."""
        node: Any = self.record
        for key, nxt in zip(path[:-1], path[1:]):
            if isinstance(node, list):
                while len(node) <= key:  # type: ignore[operator]
                    node.append({} if not isinstance(nxt, int) else [])
                node = node[key]  # type: ignore[index]
            else:
                node = node.setdefault(key, [] if isinstance(nxt, int) else {})
        last = path[-1]
        if isinstance(node, list):
            while len(node) <= last:  # type: ignore[operator]
                node.append(None)
        node[last] = value  # type: ignore[index]
        self.fields[pointer(*path)] = {"value": value, "confidence": round(confidence, 2), "source": source}

    def put_in(self, node: dict[str, Any], at: str, key: str, value: Any, *, confidence: float,
               source: dict[str, Any] | None) -> None:
        """`put` of one key of a dict already in the record whose JSON Pointer is `at` (a smelter
        row's dict, "/smelters/3"), without walking the path from the root: a CMRT puts ~17 fields
        a row. `key` must need no escaping (no "~" or "/"), as the extractors' own names do not."""
        node[key] = value
        self.fields[f"{at}/{key}"] = {"value": value, "confidence": round(confidence, 2), "source": source}

    def error(self, path: str, message: str, code: str | None = None, related: tuple[str, ...] = (),
              **params: str) -> None:
        self.errors.append(finding(path, message, code, related, **params))

    def warn(self, path: str, message: str, code: str | None = None, related: tuple[str, ...] = (),
             **params: str) -> None:
        self.warnings.append(finding(path, message, code, related, **params))

    def as_dict(self) -> dict[str, Any]:
        return {
            "document_type": self.document_type,
            "schema": self.schema_id,
            "record": self.record,
            "fields": self.fields,
            "errors": self.errors,
            "warnings": self.warnings,
        }
