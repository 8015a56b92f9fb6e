"""Words of a PDF's text layer, read with pdfplumber."""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber

from .layout import Page, Word, build_lines

# pdfminer logs every odd font descriptor at WARNING; those are not the supplier's problem.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def read_text_layer(path: Path, max_pages: int) -> tuple[list[Page], list[int]]:
    """Pages (up to max_pages) with their lines, and the numbers of pages that have no text."""
    pages: list[Page] = []
    empty: list[int] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages[:max_pages], start=1):
            raw = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
            words = [
                Word(text=w["text"], x0=w["x0"], top=w["top"], x1=w["x1"], bottom=w["bottom"],
                     page=number, size=float(w["size"] or 10.0),
                     bold="bold" in str(w.get("fontname", "")).lower())
                for w in raw if w["text"].strip()
            ]
            if not words:
                empty.append(number)
            pages.append(Page(number=number, width=float(page.width), height=float(page.height),
                              lines=build_lines(words)))
            page.close()  # drop pdfplumber's per-page object cache: long documents stay small
    return pages, empty
