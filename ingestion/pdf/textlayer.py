"""Words of a PDF's text layer, with positions.

Read with PDFium (pypdfium2) rather than pdfplumber: on a dense annex page (~5,000 characters)
pdfplumber spends 300-450 ms building its per-character objects, PDFium ~20 ms, which is what
keeps a text PDF under the 150 ms-per-page budget. Boxes are PDFium's "loose" character boxes
(font ascent to descent), the same top/bottom pdfplumber reports, so layouts measure alike.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .layout import Page, Word, build_lines

SPACES = {" ", "\t", "\r", "\n", "\xa0", "\u2002", "\u2003", "\u2009", "\ufffe", "\x00"}
#: A gap wider than this (in font sizes) between two characters ends a word even without a space.
WORD_GAP_EM = 0.3


def read_text_layer(path: Path, max_pages: int) -> tuple[list[Page], list[int]]:
    """Pages (up to max_pages) with their lines, and the numbers of pages that have no text."""
    pages: list[Page] = []
    empty: list[int] = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for index in range(min(len(doc), max_pages)):
            page = doc[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                words = _words(textpage, index + 1, height)
            finally:
                textpage.close()
                page.close()
            if not words:
                empty.append(index + 1)
            pages.append(Page(number=index + 1, width=width, height=height, lines=build_lines(words)))
    finally:
        doc.close()
    return pages, empty


def _words(textpage: pdfium.PdfTextPage, number: int, page_height: float) -> list[Word]:
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    words: list[Word] = []
    chars: list[str] = []
    box = [0.0, 0.0, 0.0, 0.0]           # x0, top, x1, bottom of the word so far
    size = 0.0
    first = 0

    def flush() -> None:
        if chars:
            words.append(Word("".join(chars), box[0], box[1], box[2], box[3], number, size or 10.0,
                              _bold(raw, first)))
            chars.clear()

    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0)
        if char in SPACES or not char.isprintable():
            flush()
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
        x0, x1 = rect.left, rect.right
        top, bottom = page_height - rect.top, page_height - rect.bottom
        char_size = _plausible_size(pdfium_c.FPDFText_GetFontSize(raw, i), bottom - top)
        if chars:
            same_line = min(bottom, box[3]) - max(top, box[1]) > 0.5 * min(bottom - top, box[3] - box[1])
            gap = x0 - box[2]
            if not same_line or gap > WORD_GAP_EM * max(size, char_size) or gap < -max(size, char_size):
                flush()
        if not chars:
            box[:] = [x0, top, x1, bottom]
            size, first = char_size, i
        else:
            box[:] = [min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom)]
            size = max(size, char_size)
        chars.append(char)
    flush()
    return words


def _bold(raw: ctypes.c_void_p, index: int) -> bool:
    """Bold by weight, or by the font's name where the PDF gives no weight (standard fonts)."""
    weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
    if weight > 0 and weight != 400:
        return weight >= 600
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(raw, index, None, 0, ctypes.byref(flags))
    if length <= 0:
        return False
    buffer = ctypes.create_string_buffer(length)
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, length, ctypes.byref(flags))
    return b"bold" in buffer.value.lower()


def _plausible_size(reported: float, box_height: float) -> float:
    """The font size, or the glyph box's height where the PDF scales text by its matrix.

    Such PDFs report a nominal size (1 pt, or hundreds) that bears no relation to the printed
    type; every gap then looks like a column break (or none does), so lines fall apart.
    """
    if box_height > 0 and not 0.4 * box_height <= reported <= 2.5 * box_height:
        return box_height / 1.15
    return reported
