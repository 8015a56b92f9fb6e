"""Registry of document types: one JSON Schema (schemas/<type>.json) + one extractor class each.

Adding a document type = add `schemas/<type>.json` and a module in `ingestion/extractors/`
that defines an `Extractor` subclass decorated with `@register`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, ClassVar

from jsonschema import Draft202012Validator, FormatChecker

from .list_findings import ListSplitWalk
from .quickcheck import quick_check
from .result import Extraction

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


@dataclass
class Probe:
    """Cheap facts about a file used to detect its document type without a full parse."""

    kind: str                                   # "xlsx" | "pdf"
    path: Path
    sheet_names: list[str] = field(default_factory=list)   # xlsx only
    cells: dict[str, Any] = field(default_factory=dict)     # xlsx: a few cells, e.g. {"Declaration!D2": ..., "Declaration!J3": ...}
    text: str = ""                              # pdf: text of the first pages (lower-cased)


class Extractor:
    """Base class: subclasses set `document_type` and `file_kinds` and implement detect/extract.

    A reader of a format that several document types share (the portal's schema-generated XLSX
    templates) sets `registry_name` instead of `document_type`, says in `claims` which type a file
    is, and returns extractions of that type.
    """

    document_type: ClassVar[str]
    file_kinds: ClassVar[tuple[str, ...]]
    registry_name: ClassVar[str | None] = None
    #: spreadsheets: sheets an extraction reads from (nearly) every file it claims, checked when
    #: the workbook is opened so that calamine need not inflate them again
    sheets_read: ClassVar[tuple[str, ...]] = ()

    def claims(self, probe: Probe) -> str | None:
        """The document type this file declares itself to be, for this extractor; None: no claim."""
        return None

    def detect(self, probe: Probe) -> float:
        """How sure (0-1) we are that this file is of our type."""
        raise NotImplementedError

    def extract(self, path: Path, probe: Probe) -> Extraction:
        raise NotImplementedError

    def new_extraction(self) -> Extraction:
        return Extraction(self.document_type, schema_id(self.document_type))


EXTRACTORS: dict[str, Extractor] = {}


def register(cls: type[Extractor]) -> type[Extractor]:
    EXTRACTORS[cls.registry_name or cls.document_type] = cls()
    return cls


def sheets_read(kind: str) -> list[str]:
    """The sheets the extractors of files of `kind` read, each once."""
    return list(dict.fromkeys(name for ex in EXTRACTORS.values() if kind in ex.file_kinds for name in ex.sheets_read))


@lru_cache(maxsize=None)
def load_schema(document_type: str) -> dict[str, Any]:
    path = SCHEMA_DIR / f"{document_type}.json"
    if not path.is_file():
        raise KeyError(f"unknown document type {document_type!r}")
    return json.loads(path.read_text(encoding="utf-8"))


def schema_id(document_type: str) -> str:
    """Short schema id as in SPEC §4, e.g. "cmrt/1" (from the schema's `x-schema-id`)."""
    return load_schema(document_type).get("x-schema-id", f"{document_type}/1")


def document_types() -> list[str]:
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.json"))


@lru_cache(maxsize=None)
def _validator(document_type: str) -> Draft202012Validator:
    schema = load_schema(document_type)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@lru_cache(maxsize=None)
def _quick(document_type: str) -> Callable[[Any], bool]:
    return quick_check(load_schema(document_type))


@lru_cache(maxsize=None)
def _walk(document_type: str) -> ListSplitWalk:
    return ListSplitWalk(load_schema(document_type), _validator(document_type))


def validate_record(document_type: str, record: dict[str, Any]) -> list[dict[str, str]]:
    """JSON Schema findings as [{"path": "/company/name", "message": ...}], sorted by path.
    A valid record (most are) is passed by the compiled check alone: ~1 ms instead of ~35 ms
    for a CMRT with its smelter list; a refused one is walked by jsonschema with its long lists
    checked item by item, so only the items the compiled check refuses are walked."""
    if _quick(document_type)(record):
        return []
    return [{"path": path, "message": message} for path, message in _walk(document_type).findings(record)]
