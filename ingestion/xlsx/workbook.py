"""Read cells by A1 address with calamine, behind the package guards.

calamine reads a full RMI template sheet in milliseconds (openpyxl needs ~1.5 s), and gives
cached formula results where the file has them and "" where it has none.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

from python_calamine import CalamineError, CalamineWorkbook

from ..errors import ExtractionError
from ..limits import DEFAULT_LIMITS, Limits
from ..sniff import CORRUPT_XLSX
from .package import Package

T = TypeVar("T")
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
# Excel error values come through as text; they mean "no value" to us.
_EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#NULL!", "#NUM!", "#GETTING_DATA", "#SPILL!"}


def parse_a1(ref: str) -> tuple[int, int]:
    """"D8" -> (7, 3): zero-based row and column."""
    match = _A1.match(ref.strip())
    if not match:
        raise ValueError(f"not an A1 cell reference: {ref!r}")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def a1(row: int, col: int) -> str:
    """(7, 3) -> "D8"."""
    return f"{column_letters(col)}{row + 1}"


def column_letters(col: int) -> str:
    """3 -> "D" (zero-based)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Sheet:
    """One sheet's values as a grid anchored at A1; missing cells read as None."""

    def __init__(self, name: str, rows: list[list[Any]]) -> None:
        self.name = name
        self.rows = rows

    @property
    def height(self) -> int:
        return len(self.rows)

    def at(self, row: int, col: int) -> Any:
        if row < 0 or col < 0 or row >= len(self.rows):
            return None
        line = self.rows[row]
        if col >= len(line):
            return None
        value = line[col]
        if value == "" or (isinstance(value, str) and value.strip() in _EXCEL_ERRORS):
            return None
        return value

    def row_at(self, row: int, cols: Sequence[int | None]) -> list[Any]:
        """`at(row, c)` for each of `cols` (None for a None column), the row looked up once."""
        line = self.rows[row] if 0 <= row < len(self.rows) else ()
        width = len(line)
        out = []
        for col in cols:
            value = line[col] if col is not None and 0 <= col < width else None
            if value == "" or (isinstance(value, str) and value.strip() in _EXCEL_ERRORS):
                value = None
            out.append(value)
        return out

    def cell(self, ref: str) -> Any:
        return self.at(*parse_a1(ref))

    def blank(self, row: int, cols: Iterable[int]) -> bool:
        """True when every one of these cells of the row reads as None, judged on the raw row:
        a template's thousands of empty rows are skipped without a look-up per cell."""
        line = self.rows[row] if 0 <= row < len(self.rows) else ()
        width = len(line)
        for col in cols:
            value = line[col] if 0 <= col < width else None
            if value is None or value == "":
                continue
            if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
                continue
            return False
        return True

    def filled_rows(self, first: int, cols: Sequence[int]) -> list[int]:
        """The rows from `first` on in which any of these cells is not blank (as `blank` judges).
        A template's thousands of unused rows hold "" in every cell: such a row is recognised by
        one comparison of its slice with a list of "" (in C), and only the others cell by cell."""
        if not cols:
            return []
        lo, hi = min(cols), max(cols) + 1
        empty = [""] * (hi - lo)
        blank = self.blank
        return [r for r, line in enumerate(self.rows[max(first, 0):], start=max(first, 0))
                if line[lo:hi] != empty and not blank(r, cols)]


class Workbook:
    """A checked workbook; sheets are loaded on first use and kept."""

    def __init__(self, path: Path | str | bytes, limits: Limits = DEFAULT_LIMITS, expect: Iterable[str] = ()) -> None:
        """`expect`: sheets the caller will probably read, checked now so that calamine reads
        them stored as checked instead of inflating them again (see Package.hand_over)."""
        # bytes: the file as the worker already holds it, read by the guards and calamine in memory
        content = path if isinstance(path, bytes) else None
        self.path = Path("upload.xlsx" if content is not None else path)
        self.package = Package.open(io.BytesIO(content) if content is not None else self.path, limits)
        try:
            self.package.check_sheets(expect)
            book = self.package.hand_over(lambda copy: _calamine(CalamineWorkbook.from_path, copy))
            if book is not None:
                self._book = book
            elif content is not None:
                self._book = _calamine(CalamineWorkbook.from_filelike, io.BytesIO(content))
            else:
                self._book = _calamine(CalamineWorkbook.from_path, str(self.path))
        except ExtractionError:
            self.package.close()
            raise
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._sheets: dict[str, Sheet] = {}
        #: per-file facts computed once and shared by detection and extraction
        self.memo: dict[str, Any] = {}

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        # calamine first: the package then reuses the in-memory copy calamine was reading
        try:
            self._book.close()
        except CalamineError:
            self.package.close(copy_reusable=False)
        else:
            self.package.close()

    def find_sheet(self, name: str) -> str | None:
        """The workbook's own spelling of a sheet name, ignoring case and stray spaces."""
        wanted = " ".join(name.split()).casefold()
        for actual in self.sheet_names:
            if " ".join(actual.split()).casefold() == wanted:
                return actual
        return None

    def sheet(self, name: str) -> Sheet | None:
        actual = self.find_sheet(name)
        if actual is None:
            return None
        if actual not in self._sheets:
            self.package.sheet_extent(actual)   # refuses sheets that would exhaust memory
            sheet = _calamine(self._book.get_sheet_by_name, actual)
            self._sheets[actual] = Sheet(actual, _calamine(sheet.to_python, skip_empty_area=False))
        return self._sheets[actual]


def _calamine(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a calamine call; its errors, and Rust panics (a BaseException in pyo3), mean a damaged file."""
    try:
        return call(*args, **kwargs)
    except (CalamineError, OSError, ValueError) as exc:
        raise ExtractionError(CORRUPT_XLSX, code="corrupt") from exc
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":
            raise ExtractionError(CORRUPT_XLSX, code="corrupt") from exc
        raise
