"""Small helpers the PDF extractors share: recording values with provenance, review flags."""

from __future__ import annotations

import re
from typing import Any

from ..result import Extraction
from ..errors import N_
from .anchors import Found, below, page_of
from .layout import Line, PdfText, Word

#: The title area: a document says what it is in its first lines.
HEADLINE_LINES = 6
_CERTIFICATE_TITLE = re.compile(r"\b(certificate|zertifikat|certificat)\b")
_DECLARATION_TITLE = re.compile(r"\b(declaration|déclaration|erklärung|erklarung|statement|attestation)\b")

#: Values below this confidence were guessed from the layout; the review screen should ask.
REVIEW_BELOW = 0.6


def best(found: list[Found]) -> Found | None:
    """The first candidate (callers pass lists sorted best first)."""
    return found[0] if found else None


def put(ex: Extraction, path: tuple[str | int, ...], found: Found, value: Any = None) -> None:
    if value is None:
        value = found.value if found.value is not None else found.text
    ex.put(path, value, confidence=found.score, source=found.source)


def put_notes(ex: Extraction, doc: PdfText) -> None:
    """What preflight noticed (pages read by OCR, pages left unread) becomes warnings."""
    for note in doc.notes:
        ex.warn("/", note)


def guess_warning(ex: Extraction) -> None:
    for path, entry in ex.fields.items():
        if entry["confidence"] < REVIEW_BELOW:
            ex.warn(path, N_("Guessed from the layout, not read at a label — please check this value"))


def line_of(doc: PdfText, word: Word) -> Line | None:
    for line in page_of(doc, word.page).lines:
        if any(w is word for w in line.words):
            return line
    return None


def below_value(doc: PdfText, found: Found, lines: int = 1) -> list[Word]:
    """The words right under a value that was found (an address under a company name)."""
    line = line_of(doc, found.words[-1])
    if line is None:
        return []
    x0 = min(w.x0 for w in found.words)
    x1 = max(w.x1 for w in found.words)
    return below(page_of(doc, found.page), line, x0, x1, lines=lines)


def headline_kind(probe_text: str) -> str | None:
    """"certificate" or "declaration" when the title area says so unambiguously.

    Certificates cite REACH and declarations cite certificates; what the title says wins.
    """
    head = "\n".join(probe_text.splitlines()[:HEADLINE_LINES])
    cert, decl = bool(_CERTIFICATE_TITLE.search(head)), bool(_DECLARATION_TITLE.search(head))
    if cert != decl:
        return "certificate" if cert else "declaration"
    return None
