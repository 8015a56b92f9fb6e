"""Words of a PDF's text layer, with positions.

Read with PDFium (pypdfium2) rather than pdfplumber: on a dense annex page (~5,000 characters)
pdfplumber spends 300-450 ms building its per-character objects, PDFium ~20 ms, which is what
keeps a text PDF under the 150 ms-per-page budget. Boxes are PDFium's "loose" character boxes
(font ascent to descent), the same top/bottom pdfplumber reports, so layouts measure alike.
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .garbled import STAMP, garbled_reason, image_only_words
from .render import largest_image
from .layout import Page, Word, build_lines
from .pdfium_calls import float_box, font_size, loose_char_box, text_object

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


def read_text_layer(path: Path, max_pages: int, doc: pdfium.PdfDocument | None = None) -> TextLayer:
    """Pages (up to max_pages) with their lines, and which of them OCR should read. `doc` is the
    file already open (the caller closes it), so preflight does not open it twice."""
    pages: list[Page] = []
    empty: list[int] = []
    partial: list[int] = []
    opened = doc is None
    if doc is None:
        doc = pdfium.PdfDocument(str(path))
    try:
        for index in range(min(len(doc), max_pages)):
            page = doc[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                words = _words(textpage, text, index + 1, height) + typed_words(page, text, index + 1, height)
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
        if opened:
            doc.close()
    return TextLayer(pages, empty, partial)


def _inside(word: Word, box: tuple[float, float, float, float]) -> bool:
    """The word's centre lies within the box."""
    x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _words(textpage: pdfium.PdfTextPage, text: str, number: int, page_height: float) -> list[Word]:
    """One pass over the page's characters, one PDFium call (the box) per printed character
    and one or two more at each word's start.

    The loop is kept flat (PDFium's functions and the box in local names, no min/max calls,
    PDFium called without ctypes' argument checks: pdfium_calls): it runs once per character,
    and Python overhead, not PDFium, was most of its cost. PDFium's whole-page `text`
    (FPDFText_GetText) gives the characters when it has one per index; on some real files it
    drops control characters, shifting the rest against the boxes, and then each character is
    asked for on its own.
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0) for i in range(count))
    box_ref, box = float_box()
    get_box, get_size = loose_char_box, font_size
    bold = _BoldFonts(raw)
    # The characters that end a word, decided once per distinct character rather than per index.
    breaks = {c for c in set(text) if c in SPACES or not c.isprintable()}
    em = WORD_GAP_EM
    words: list[Word] = []
    # The word so far is text[first:i] (its characters are consecutive: a break ends it), -1 for
    # none; its box and font size.
    first = -1
    x0 = top = x1 = bottom = size = 0.0
    for i, char in enumerate(text):
        if char in breaks:
            if first >= 0:
                words.append(Word(text[first:i], x0, top, x1, bottom, number, size or 10.0, bold(first)))
                first = -1
            continue
        get_box(raw, i, box_ref)
        c_x0, c_top, c_x1, c_bottom = box
        c_top, c_bottom = page_height - c_top, page_height - c_bottom
        if first >= 0:
            overlap = (c_bottom if c_bottom < bottom else bottom) - (c_top if c_top > top else top)
            smaller_height = c_bottom - c_top if c_bottom - c_top < bottom - top else bottom - top
            gap = c_x0 - x1
            if gap > em * size or gap < -size:
                # The character's own size matters only when the word's size alone would split
                # here (the limit is the larger of the two): most characters skip that call.
                char_size = _plausible_size(get_size(raw, i), c_bottom - c_top)
                larger = char_size if char_size > size else size
                split = not overlap > 0.5 * smaller_height or gap > em * larger or gap < -larger
                if not split:
                    size = larger
            else:
                split = not overlap > 0.5 * smaller_height
            if split:
                words.append(Word(text[first:i], x0, top, x1, bottom, number, size or 10.0, bold(first)))
                first = -1
        if first < 0:
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
    if first >= 0:
        words.append(Word(text[first:], x0, top, x1, bottom, number, size or 10.0, bold(first)))
    return words


#: An average letter's width in font sizes, to place a typed-in text's words along its box.
TYPED_LETTER_EM = 0.5
#: "/Helvetica 12 Tf": the font size an annotation's text is drawn at (its default appearance).
# A number as PDF writes one; anything else ("1..2 Tf" in a malformed file) is no size, not a damaged page.
TYPED_SIZE = re.compile(rb"(?<![\d.])(\d+(?:\.\d*)?|\.\d+)\s+Tf")


def typed_words(page: pdfium.PdfPage, text: str, number: int, page_height: float) -> list[Word]:
    """Words typed onto the page as text annotations ("Fill & Sign", "Add text": the date beside
    "Place and date of issue", a name under a signature). They are drawn on the page but are no
    part of its text layer; their text is exact, placed word by word along the annotation's box.
    A typed text the page already prints (a flattened copy) is not read twice."""
    words: list[Word] = []
    printed = " ".join(text.split())
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_FREETEXT \
                    or pdfium_c.FPDFAnnot_GetFlags(annot) & (pdfium_c.FPDF_ANNOT_FLAG_HIDDEN | pdfium_c.FPDF_ANNOT_FLAG_INVISIBLE):
                continue
            lines = [ln.split() for ln in _annot_string(annot, b"Contents").splitlines() if ln.split()]
            if not lines or " ".join(w for ln in lines for w in ln) in printed:
                continue
            rect = pdfium_c.FS_RECTF()
            if not pdfium_c.FPDFAnnot_GetRect(annot, rect):
                continue
            found = TYPED_SIZE.search(_annot_string(annot, b"DA").encode())
            upper = max(rect.top, rect.bottom)          # a box may be stored upside down
            step = abs(rect.top - rect.bottom) / len(lines)
            if step <= 0:
                continue
            size = min(float(found.group(1)), step) if found and float(found.group(1)) > 0 else step / 1.2
            for n, line in enumerate(lines):
                top = page_height - upper + n * step
                x = min(rect.left, rect.right)
                for token in line:
                    width = len(token) * size * TYPED_LETTER_EM
                    words.append(Word(token, x, top, x + width, top + size, number, size))
                    x += width + size * TYPED_LETTER_EM / 2
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return words


def _annot_string(annot: Any, key: bytes) -> str:
    """A text entry of an annotation (UTF-16), "" when it has none."""
    length = pdfium_c.FPDFAnnot_GetStringValue(annot, key, None, 0)
    if length <= 2:
        return ""
    buffer = (ctypes.c_ubyte * length)()
    pdfium_c.FPDFAnnot_GetStringValue(annot, key, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), length)
    return bytes(buffer).decode("utf-16-le", errors="replace").rstrip("\x00")


class _BoldFonts:
    """Whether the character at an index is bold, asked of PDFium once per text object.

    Weight and font name belong to the text object's font, so every word a text object drew
    (often a whole line) has the same answer: one PDFium call per word finds its object.
    """

    def __init__(self, raw: ctypes.c_void_p) -> None:
        self.raw = raw
        self.by_object: dict[int | None, bool] = {}

    def __call__(self, index: int) -> bool:
        drawn_by = text_object(self.raw, index)
        found = self.by_object.get(drawn_by)
        if found is None:
            found = self.by_object[drawn_by] = _bold(self.raw, index)
        return found


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
