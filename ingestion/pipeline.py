"""sniff -> preflight -> probe -> detect -> extract -> validate, for one file.

Every failure a supplier can fix ends in ExtractionError with a one-line reason; everything
else about the file ends up in the SPEC §4 dict, findings included.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path
from typing import Any

from . import extractors as _extractors  # noqa: F401  (registers the extractors)
from .errors import N_, ExtractionError
from .limits import DEFAULT_LIMITS, Limits
from .registry import EXTRACTORS, Extractor, Probe, sheets_read, validate_record
from .sniff import sniff_kind
from .xlsx.probe import probe_workbook
from .xlsx.workbook import Workbook

log = logging.getLogger(__name__)
UNEXPECTED = N_("The file could not be read automatically — check it opens in Excel or a PDF viewer, "
              "or enter the declaration in the form instead")
_REQUIRED = re.compile(r"^'([^']+)' is a required property$")
#: Below this detection score a file is not claimed by any extractor.
DETECTION_THRESHOLD = 0.5

NOT_A_TEMPLATE = N_("This workbook is not a CMRT, EMRT, CRT or material composition template — "
                  "upload one of those templates, unchanged in layout")
NOT_A_DECLARATION = N_("This PDF is not a certificate, REACH SVHC or RoHS declaration or EU declaration of "
                     "conformity we can read — upload the certificate or declaration itself")


def extract_file(path: Path | str | bytes, document_type: str | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Extract one file (a path, or its bytes) into the SPEC §4 object; raise ExtractionError if
    it cannot be read. Bytes are read in memory where the readers allow it (workbooks); a PDF or
    image is written once to a scratch file for the PDF libraries."""
    content = path if isinstance(path, bytes) else None
    if content is None:
        path = Path(path)
    _check_size(path, limits)
    kind = sniff_kind(path)
    if content is not None and kind in ("pdf", "image"):
        with tempfile.TemporaryDirectory(prefix="extract-") as scratch:
            scratch_file = Path(scratch) / f"document.{kind}"
            scratch_file.write_bytes(content)
            return extract_file(scratch_file, document_type, limits)
    try:
        if kind in ("pdf", "image"):
            probe = _pdf_probe(path, limits) if kind == "pdf" else _image_probe(path, limits)
            extraction = _choose(probe, document_type).extract(path, probe)
        else:
            with Workbook(path, limits, expect=sheets_read("xlsx")) as book:
                probe = probe_workbook(book)
                extraction = _choose(probe, document_type).extract(book.path, probe)
    except (ExtractionError, MemoryError, RecursionError):
        raise
    except Exception as exc:
        # A file we fail on is still the supplier's problem to route around, not a traceback.
        log.exception("extraction failed unexpectedly for %s", "a file in memory" if content is not None else path)
        raise ExtractionError(UNEXPECTED, code="unreadable") from exc
    result = extraction.as_dict()
    document = getattr(probe, "document", None)
    if document is not None and document.ocr:
        from .pdf.ocr import boxes_on_stored_pages   # pages OCR read upright: boxes back on the page shown
        boxes_on_stored_pages(result, document.pages)
    result["errors"] = schema_findings(extraction.document_type, extraction.record) + result["errors"]
    return result


def schema_findings(document_type: str, record: dict[str, Any]) -> list[dict[str, str]]:
    """The JSON Schema's findings on a record as an extraction reports them, a missing field
    pointed at itself ("/company/name") rather than at its parent. An extraction's other errors
    are its own business rules; the portal tells the two apart by this."""
    out = []
    for finding in validate_record(document_type, record):
        match = _REQUIRED.match(finding["message"])
        if match:
            parent = "" if finding["path"] == "/" else finding["path"]
            finding = {"path": f"{parent}/{match.group(1)}", "message": f"{match.group(1)} is required but missing"}
        out.append(finding)
    return out


def _check_size(path: Path | bytes, limits: Limits) -> None:
    try:
        size = len(path) if isinstance(path, bytes) else path.stat().st_size
    except OSError as exc:
        raise ExtractionError(N_("The file could not be read — upload it again"), code="unreadable") from exc
    if size > limits.max_file_bytes:
        mb = limits.max_file_bytes // (1024 * 1024)
        raise ExtractionError(N_("The file is larger than %(mb)d MB — upload a smaller file") % {"mb": mb}, code="too_large")


def _pdf_probe(path: Path, limits: Limits) -> Probe:
    try:
        from .pdf.preflight import preflight_pdf   # written on the PDF side; imported only when needed
    except ImportError as exc:
        raise ExtractionError("PDF extraction is not available", code="unsupported_type") from exc
    return preflight_pdf(path, limits)


def _image_probe(path: Path, limits: Limits) -> Probe:
    from .image import preflight_image   # OCR of photos and image scans, read as scanned PDF pages
    return preflight_image(path, limits)


def _choose(probe: Probe, document_type: str | None) -> Extractor:
    if document_type:
        # A file that names its own type (the portal's templates) goes to the reader of that format.
        claimant = next((ex for ex in EXTRACTORS.values()
                         if probe.kind in ex.file_kinds and ex.claims(probe) == document_type), None)
        if claimant is not None:
            return claimant
        extractor = EXTRACTORS.get(document_type)
        if extractor is None:
            raise ExtractionError(f"Unknown document type {document_type!r}", code="unsupported_type")
        if probe.kind not in extractor.file_kinds:
            raise ExtractionError(N_("A %(type)s document cannot be read from a %(kind)s file — upload the right file")
                                  % {"type": document_type, "kind": probe.kind.upper()}, code="unsupported_type")
        return extractor
    scored = [(ex.detect(probe), name) for name, ex in EXTRACTORS.items() if probe.kind in ex.file_kinds]
    scored.sort(reverse=True)
    claimed = bool(scored) and scored[0][0] >= DETECTION_THRESHOLD
    if probe.kind == "pdf":
        _refuse_non_declaration(probe, scored[0][1] if claimed else None)
    if not claimed:
        raise ExtractionError(NOT_A_TEMPLATE if probe.kind == "xlsx" else NOT_A_DECLARATION,
                              code="unsupported_type")
    return EXTRACTORS[scored[0][1]]


def _refuse_non_declaration(probe: Probe, claimant: str | None) -> None:
    """A datasheet, safety data sheet, test report or photo is refused with what to upload instead.

    A certificate's extractor vouches for its own files (certificates rarely "declare" anything);
    the declaration types need positive evidence, which `evidence.refusal` weighs.
    """
    from .pdf.evidence import refusal, strongly_other

    reason = refusal(probe.text)
    if reason is None:
        return
    if claimant == "certificate" and not strongly_other(probe.text):
        return
    raise ExtractionError(reason, code="not_a_declaration")
