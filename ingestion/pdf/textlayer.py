"""Words of a PDF's text layer, with positions.

Read with PDFium (pypdfium2) rather than pdfplumber: on a dense annex page (~5,000 characters)
pdfplumber spends 300-450 ms building its per-character objects, PDFium ~20 ms, which is what
keeps a text PDF under the 150 ms-per-page budget. Boxes are PDFium's "loose" character boxes
(font ascent to descent), the same top/bottom pdfplumber reports, so layouts measure alike.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .garbled import STAMP, garbled_reason, image_only_words
from .render import largest_image
from .layout import Page, Word, build_lines

SPACES = {" ", "\t", "\r", "\n", "\xa0", "\u2002", "\u2003", "\u2009", "\ufffe", "\x00"}
#: A gap wider than this (in font sizes) between two characters ends a word even without a space.
WORD_GAP_EM = 0.3
_FONT_NAME_BYTES = 128


class TextLayer(NamedTuple):
    pages: list[Page]
    #: Pages with no usable text (none at all, or garbled): OCR replaces them.
    unreadable: list[int]
    #: Pages whose readable text layer lies thin over a large image: OCR adds the image's words.
    partial: list[int]


def read_text_layer(path: Path, max_pages: int) -> TextLayer:
    """Pages (up to max_pages) with their lines, and which of them OCR should read."""
    pages: list[Page] = []
    empty: list[int] = []
    partial: list[int] = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for index in range(min(len(doc), max_pages)):
            page = doc[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                words = _words(textpage, text, index + 1, height)
                garbled = bool(words) and garbled_reason(text) is not None
                if words and not garbled:
                    image = largest_image(page)
                    reason = image_only_words(image, text)
                    if reason == STAMP and image is not None:
                        # Words beside the scan are a browser's print header or a scanner's stamp
                        # (a file name, the day it was printed), not the document's: a date there
                        # would be taken for the declaration's.
                        words = [w for w in words if _inside(w, image.box)]
                    if reason is not None and words:
                        partial.append(index + 1)
            finally:
                textpage.close()
                page.close()
            if not words or garbled:
                empty.append(index + 1)
            pages.append(Page(number=index + 1, width=width, height=height, lines=build_lines(words)))
    finally:
        doc.close()
    return TextLayer(pages, empty, partial)


def _inside(word: Word, box: tuple[float, float, float, float]) -> bool:
    """The word's centre lies within the box."""
    x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _words(textpage: pdfium.PdfTextPage, text: str, number: int, page_height: float) -> list[Word]:
    """One pass over the page's characters, one PDFium call (the box) per printed character
    and one more at each word's start.

    The loop is kept flat (PDFium's functions and the box in local names, no min/max calls):
    it runs once per character, and Python overhead, not PDFium, was most of its cost. PDFium's
    whole-page `text` (FPDFText_GetText) gives the characters when it has one per index; on some
    real files it drops control characters, shifting the rest against the boxes, and then each
    character is asked for on its own.
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    get_box, get_size = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetFontSize
    spaces = SPACES
    words: list[Word] = []
    chars: list[str] = []
    x0 = top = x1 = bottom = 0.0          # the box of the word so far
    size = 0.0
    first = 0
    for i, char in enumerate(text):
        if char in spaces or not char.isprintable():
            if chars:
                words.append(Word("".join(chars), x0, top, x1, bottom, number, size or 10.0, _bold(raw, first)))
                chars = []
            continue
        get_box(raw, i, rect_ref)
        c_x0, c_x1 = rect.left, rect.right
        c_top, c_bottom = page_height - rect.top, page_height - rect.bottom
        if chars:
            overlap = (c_bottom if c_bottom < bottom else bottom) - (c_top if c_top > top else top)
            smaller_height = c_bottom - c_top if c_bottom - c_top < bottom - top else bottom - top
            gap = c_x0 - x1
            # The character's own size matters only when the word's size alone would split here
            # (the limit is the larger of the two): most characters skip that PDFium call.
            larger = size
            if gap > WORD_GAP_EM * size or gap < -size:
                char_size = _plausible_size(get_size(raw, i), c_bottom - c_top)
                if char_size > size:
                    larger = char_size
            if not overlap > 0.5 * smaller_height or gap > WORD_GAP_EM * larger or gap < -larger:
                words.append(Word("".join(chars), x0, top, x1, bottom, number, size or 10.0, _bold(raw, first)))
                chars = []
            else:
                size = larger
        if not chars:
            x0, top, x1, bottom = c_x0, c_top, c_x1, c_bottom
            size, first = _plausible_size(get_size(raw, i), c_bottom - c_top), i
        else:
            if c_x0 < x0:
                x0 = c_x0
            if c_top < top:
                top = c_top
            if c_x1 > x1:
                x1 = c_x1
            if c_bottom > bottom:
                bottom = c_bottom
        chars.append(char)
    if chars:
        words.append(Word("".join(chars), x0, top, x1, bottom, number, size or 10.0, _bold(raw, first)))
    return words


def _bold(raw: ctypes.c_void_p, index: int) -> bool:
    """Bold by weight, or by the font's name where the PDF gives no weight (standard fonts)."""
    weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
    if weight > 0 and weight != 400:
        return weight >= 600
    flags = ctypes.c_int()
    buffer = ctypes.create_string_buffer(_FONT_NAME_BYTES)    # one call for any usual font name
    length = pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, _FONT_NAME_BYTES, ctypes.byref(flags))
    if length <= 0:
        return False
    if length > _FONT_NAME_BYTES:
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
