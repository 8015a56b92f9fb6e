"""Ingestion library: detect -> extract -> normalise -> validate (no Flask, no database).

Public interface used by the portal and the worker.
"""

from .errors import ExtractionError
from .limits import DEFAULT_LIMITS, Limits
from .pipeline import extract_file, schema_findings
from .registry import document_types, load_schema, validate_record
from .sniff import sniff_kind

__all__ = ["DEFAULT_LIMITS", "ExtractionError", "Limits", "document_types", "extract_file",
           "load_schema", "schema_findings", "sniff_kind", "validate_record"]
