"""PDFium functions for the loops that run once per character or per page object.

pypdfium2's raw functions declare their argument types, so every call checks and converts each
argument (~0.4 µs); reading a page's boxes is one call per character, and those checks were
most of the text layer's cost over PDFium's own. The same C functions are reached here through
prototypes that declare only the result: ctypes then passes a handle, an int and a `byref` as
they are, ~3x faster. Callers must pass exactly those kinds (a wrong one is not caught): a
pypdfium2 handle (`textpage.raw`, `page.raw`), Python ints, and `ctypes.byref` of a buffer
of the C type.
"""

from __future__ import annotations

import ctypes
from typing import Any, Callable

import pypdfium2.raw as pdfium_c


def _unchecked(function: Any, restype: Any) -> Callable[..., Any]:
    """The C function behind a pypdfium2 raw function, called without argument conversion."""
    return ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)


#: (textpage, index, byref(4 floats)) -> ok; the floats are left, top, right, bottom.
loose_char_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
#: (textpage, index) -> the character's font size in points.
font_size = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
#: (textpage, index) -> the address of the text object that drew the character, None for none.
text_object = _unchecked(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)


def float_box() -> tuple[Any, memoryview]:
    """A buffer for `loose_char_box` (pass the first item) and its four floats as a memoryview,
    which unpacks into Python floats faster than the fields of an FS_RECTF."""
    buffer = (ctypes.c_float * 4)()
    return ctypes.byref(buffer), memoryview(buffer).cast("B").cast("f")
