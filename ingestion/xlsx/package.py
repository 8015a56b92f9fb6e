"""Guards run on the raw OOXML package before any spreadsheet library touches it (SPEC §7).

calamine allocates a dense rows x columns grid per sheet and trusts the zip directory, so one
crafted file could abort the worker process (a Rust OOM is not catchable). We therefore
decompress every part calamine will read ourselves, with hard output caps, and
  * reject totals and ratios typical of zip bombs,
  * reject DOCTYPE/ENTITY declarations (entity-expansion tricks),
  * measure each sheet's used range from its cell references before it is loaded.
calamine is then handed a copy of the package in which every part we inflated and checked is
stored uncompressed (`Package.hand_over`): it reads exactly the bytes the guards passed, and does
not inflate them a second time (~6 ms of a real CMRT's ~55).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import threading
import weakref
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, TypeVar
from xml.etree import ElementTree

# ISA-L's inflate and CRC-32: the same API and results as zlib's, ~4x faster inflate and ~9x
# faster CRC (a 5 MB Smelter List: 2.3 ms instead of 10 ms, 0.2 ms instead of 1.9 ms).
from isal import isal_zlib

from ..errors import N_, ExtractionError
from ..limits import Limits
from ..sniff import CORRUPT_XLSX

BOMB = N_("The spreadsheet unpacks to an implausible size and was not opened — save it again from Excel and re-upload")
XML_TRICK = N_("The spreadsheet contains XML declarations Excel never writes and was not opened — save it again from Excel")

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_MIN_RATIO_CHECK_BYTES = 1024 * 1024      # small parts compress extremely well and are harmless
_PROLOG_BYTES = 64 * 1024
_MAX_PARTS = 10_000                        # RMI templates have ~60 parts
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CELL_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[ >/]")
# A cell element is `<c …>` or, with a namespace prefix, `<x:c …>`: calamine matches the local
# name. Anchoring on the "c" and looking back for "<" or ":" covers both in one pass.
_CELL_START = rb"c(?<=[<:]c)"
_WIDE_COLUMN = re.compile(_CELL_START + rb' r="([A-Z]{2,3})[0-9]')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]{1,3})[0-9]{1,7}(?::([A-Z]{1,3})[0-9]{1,7})?"')
# The copy for calamine lives in an anonymous in-memory file (Linux), opened by its /proc path;
# elsewhere calamine reads the upload itself, as before.
_HAND_OVER = hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd")
_HAND_OVER_MAX_BYTES = 64 * 1024 * 1024   # beyond this, two copies in memory cost more than a second inflate
_KEPT_COPY_FILES = 2                       # a worker reads one workbook at a time; a web process a few
_KEPT_COPY_MAX_BYTES = 16 * 1024 * 1024    # an RMI template's copy is ~8 MB; a larger one is not held idle
_CENTRAL_HEADER = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END_OF_DIRECTORY = struct.Struct("<4sHHHHIIH")
_UTF8_NAMES, _DATA_DESCRIPTOR, _ENCRYPTED = 0x800, 0x8, 0x1
T = TypeVar("T")
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


@dataclass
class Package:
    """A checked XLSX package: sheet name -> part, and lazily measured sheet extents."""

    path: Path | io.BytesIO
    limits: Limits
    sheet_parts: dict[str, str] = field(default_factory=dict)
    _zip: zipfile.ZipFile | None = None
    _extents: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: part name -> its inflated bytes, as checked, until they are handed over to calamine
    _checked: dict[str, bytes] = field(default_factory=dict)
    #: the in-memory file calamine reads while this package is open (see `_CopyFiles`)
    _copy: "_CopyLease | None" = None
    #: sheet name -> `sheet_digest`, which the language table and the look-up each ask for
    _digests: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path | io.BytesIO, limits: Limits) -> "Package":
        try:
            zf = zipfile.ZipFile(path)
            infos = zf.infolist()
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            raise ExtractionError(CORRUPT_XLSX, code="corrupt") from exc
        pkg = cls(path=path, limits=limits, _zip=zf)
        pkg._check_directory(infos)
        # calamine reads these at open time; styles and shared strings can be large.
        for name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"):
            if name in zf.NameToInfo:
                pkg._checked[name] = pkg.read_part(name)
        pkg.sheet_parts = pkg._map_sheets()
        return pkg

    def close(self, copy_reusable: bool = True) -> None:
        """Let go of the package. Call it only after the reader `hand_over` opened has been closed:
        its in-memory copy is then rewritten for the next workbook. `copy_reusable=False` where that
        reader may still hold the copy (its close failed): the copy is then dropped, never reused."""
        self._checked.clear()
        if self._copy is not None:
            self._copy.release(reusable=copy_reusable)
            self._copy = None
        if self._zip is not None:
            self._zip.close()

    def check_sheets(self, names: Iterable[str]) -> None:
        """Check, ahead of reading, the sheets of `names` the package has (spelled as find_sheet
        forgives), keeping their inflated bytes for `hand_over`. A sheet that fails its check
        is left out: reading it later fails with the same message, at the same point."""
        wanted = {" ".join(name.split()).casefold() for name in names}
        for actual in self.sheet_parts:
            if " ".join(actual.split()).casefold() in wanted:
                try:
                    self.sheet_extent(actual, keep=True)
                except ExtractionError:
                    pass

    def hand_over(self, open_reader: Callable[[str], T]) -> T | None:
        """`open_reader(path)` on a copy of the package in which every checked part is stored as
        checked and every other member as it is. None where no copy can be made or the reader
        refuses it: then the reader opens the upload itself, as it did before there was a copy.
        The checked bytes are let go either way."""
        checked, self._checked = self._checked, {}
        assert self._zip is not None
        infos = self._zip.infolist()
        if (not _HAND_OVER or sum(map(len, checked.values())) > _HAND_OVER_MAX_BYTES
                or len(self._zip.NameToInfo) != len(infos)          # a name twice: which one would calamine read?
                or any(info.flag_bits & _ENCRYPTED for info in infos)):
            return None
        try:
            # a damaged member no one reads raises here; calamine never looked at it either
            pieces = _stored_copy(self._zip, infos, checked)
            lease = _CopyLease(self, _COPY_FILES.take())
        except (ExtractionError, OSError):
            return None
        try:
            # The exact size first: a zip is read from its end, so nothing of an earlier, longer
            # copy may remain after this one. Pages already there are rewritten, not faulted in.
            os.ftruncate(lease.fd, sum(map(len, pieces)))
            os.lseek(lease.fd, 0, os.SEEK_SET)            # and from its start, wherever the last copy ended
            with open(lease.fd, "wb", closefd=False) as out:
                out.writelines(pieces)
            reader = open_reader(f"/proc/self/fd/{lease.fd}")   # the reader opens its own descriptor
        except (ExtractionError, OSError):
            lease.release(reusable=True)      # no reader holds it
            return None
        except BaseException:
            lease.release(reusable=True)
            raise
        self._copy = lease
        return reader

    def _check_directory(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > _MAX_PARTS:
            raise ExtractionError(BOMB, code="too_large")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _MIN_RATIO_CHECK_BYTES and ratio > self.limits.max_xlsx_compression_ratio:
                raise ExtractionError(BOMB, code="too_large")
        if total > self.limits.max_xlsx_uncompressed_bytes:
            raise ExtractionError(BOMB, code="too_large")

    def read_part(self, name: str) -> bytes:
        """Decompress one part with the output capped at its declared size, then vet its XML prolog."""
        assert self._zip is not None
        info = self._zip.NameToInfo.get(name)
        if info is None:
            raise ExtractionError(CORRUPT_XLSX, code="corrupt")
        data = _inflate_capped(self._zip, info)
        if name.endswith((".xml", ".rels")):
            _reject_declarations(data)
        return data

    def _map_sheets(self) -> dict[str, str]:
        """Sheet name -> part name, from workbook.xml and its relationships."""
        try:
            book_xml = self._checked["xl/workbook.xml"] = self.read_part("xl/workbook.xml")
            book = ElementTree.fromstring(book_xml)
            rels_xml = self._checked.get("xl/_rels/workbook.xml.rels") or self.read_part("xl/_rels/workbook.xml.rels")
            rels = {r.get("Id"): r.get("Target", "") for r in ElementTree.fromstring(rels_xml)}
        except ElementTree.ParseError as exc:
            raise ExtractionError(CORRUPT_XLSX, code="corrupt") from exc
        parts: dict[str, str] = {}
        for sheet in book.iterfind("m:sheets/m:sheet", _NS):
            target = rels.get(sheet.get(f"{{{_NS['r']}}}id"), "")
            if not target:
                continue
            # Targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml").
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[sheet.get("name", "")] = _normalise_part(part)
        return parts

    def sheet_digest(self, sheet_name: str) -> str | None:
        """SHA-256 of a sheet's part as stored (compressed, not inflated: ~0.3 ms for RMI's
        look-up sheet), to recognise the same sheet in another file; None if there is no such sheet."""
        if sheet_name not in self._digests:
            part = self.sheet_parts.get(sheet_name)
            info = self._zip.NameToInfo.get(part) if part else None  # type: ignore[union-attr]
            if info is None:
                self._digests[sheet_name] = None
            else:
                raw = _raw_member(self._zip, info)  # type: ignore[arg-type]
                self._digests[sheet_name] = hashlib.sha256(b"%d:%d:" % (info.compress_type, info.file_size)
                                                           + raw).hexdigest()
        return self._digests[sheet_name]

    def sheet_extent(self, sheet_name: str, keep: bool = False) -> tuple[int, int]:
        """(rows, columns) calamine would allocate for this sheet; raises if over the cell limit.
        `keep`: hold on to the checked bytes for `hand_over`."""
        if sheet_name in self._extents:
            return self._extents[sheet_name]
        part = self.sheet_parts.get(sheet_name)
        if part is None or part not in self._zip.NameToInfo:  # type: ignore[union-attr]
            raise ExtractionError(CORRUPT_XLSX, code="corrupt")
        data = self.read_part(part)
        extent = measure_extent(data, self.limits.max_sheet_cells)
        if extent[0] * extent[1] > self.limits.max_sheet_cells:
            raise ExtractionError(N_("The sheet '%(sheet)s' is far larger than any declaration template "
                                     "and was not read — delete unused rows and columns and re-upload")
                                  % {"sheet": sheet_name},
                                  code="too_large")
        self._extents[sheet_name] = extent
        if keep:
            self._checked[part] = data
        return extent


class _CopyFiles:
    """Anonymous in-memory files for `Package.hand_over`, kept for reuse within one process.

    Writing a fresh memfd costs a page fault and a zeroed page per 4 KiB (~4 ms of CPU for a
    template's 8 MB copy); rewriting one whose pages are already there is a plain copy (~1 ms).
    A file goes back for reuse only from `Package.close`, once the calamine workbook reading it is
    closed, so no two open workbooks ever share one. Never across fork: parent and child would
    write the same file, so a child drops the files it inherited (`os.register_at_fork`), and a
    file taken before a fork is closed, not kept, by the process it was not taken in."""

    def __init__(self) -> None:
        self._free: list[int] = []
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            if self._free:
                return self._free.pop()
        return os.memfd_create("checked.xlsx", os.MFD_CLOEXEC)

    def give_back(self, fd: int) -> None:
        try:
            keep = os.fstat(fd).st_size <= _KEPT_COPY_MAX_BYTES
        except OSError:
            return
        with self._lock:
            if keep and len(self._free) < _KEPT_COPY_FILES:
                self._free.append(fd)
                return
        os.close(fd)

    def forget_inherited(self) -> None:
        """In a forked child: close the inherited files (the parent's stay open) and start afresh."""
        free, self._free, self._lock = self._free, [], threading.Lock()
        for fd in free:
            try:
                os.close(fd)
            except OSError:
                pass


class _CopyLease:
    """One taken copy file: given back on `release`, closed if its package is dropped unclosed."""

    def __init__(self, owner: object, fd: int) -> None:
        self.fd, self._pid = fd, os.getpid()
        # a package dropped without close may leave its reader open: then the file is closed, not reused
        self._finalizer = weakref.finalize(owner, _close_quietly, fd)

    def release(self, reusable: bool) -> None:
        if not self._finalizer.detach():
            return                                  # released already
        if reusable and self._pid == os.getpid():
            _COPY_FILES.give_back(self.fd)
        else:
            _close_quietly(self.fd)


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


_COPY_FILES = _CopyFiles()
if _HAND_OVER:
    os.register_at_fork(after_in_child=_COPY_FILES.forget_inherited)


def measure_extent(xml: bytes, max_cells: int = 2_000_000) -> tuple[int, int]:
    """Upper bounds (rows, columns) of the cells in a worksheet part.

    Excel states the used range near the top (`<dimension ref="A1:AH2427"/>`). It is only a
    claim, so it is checked in one scan: a search for any cell tag (with or without a namespace
    prefix) whose first attribute is not a reference within the claimed columns and a row number
    shorter than the cell budget allows (a 5 MB Smelter List in ~5 ms).
    Without a claim, or when a cell falls outside it, the widest column is found first from the
    few multi-letter references and the same search runs with it; files written any other way
    get an exact count of every reference (~250 ms).
    """
    claimed = _DIMENSION.search(xml, 0, _PROLOG_BYTES)
    if claimed is not None:
        max_col = _column_number(claimed.group(2) or claimed.group(1))
        if _within(xml, max_col, max_cells, _column_letters(max_col)):
            return max(max_cells // max_col, 1), max_col
    max_col = max(map(_column_number, set(_WIDE_COLUMN.findall(xml))), default=26)
    if _within(xml, max_col, max_cells, b"[A-Z]{1,3}"):
        return max(max_cells // max_col, 1), max_col
    return _exact_extent(xml)


def _within(xml: bytes, max_col: int, max_cells: int, columns: bytes) -> bool:
    """True when every cell is a `<c r="…">` (or `<x:c r="…">`) whose column matches `columns` and
    whose row number has fewer digits than the rows the budget leaves for `max_col` columns."""
    threshold = max(max_cells // max_col, 1)
    # Any row number under 10**(digits-1) is within the budget, since 10**(digits-1) <= threshold.
    digits = len(str(threshold)) - 1
    return bool(digits) and _irregular_cell(digits, columns).search(xml) is None


@lru_cache(maxsize=16)
def _irregular_cell(digits: int, columns: bytes) -> re.Pattern[bytes]:
    # The digits are taken possessively (Python 3.11+): giving one back could only put a digit
    # where the closing quote must be, so the answer is the same, ~10% sooner.
    return re.compile(_CELL_START + rb'(?!\sr="%s[0-9]{1,%d}+")[\s>/]' % (columns, digits))


@lru_cache(maxsize=16)
def _column_letters(max_col: int) -> bytes:
    """A pattern for the column letters of columns 1..max_col: 34 -> (?:[A-Z]|A[A-G]|AH)."""
    letters = b""
    n = max_col
    while n:
        n, rem = divmod(n - 1, 26)
        letters = bytes([65 + rem]) + letters
    choices = [b"[A-Z]{1,%d}" % (len(letters) - 1)] if len(letters) > 1 else []
    for i, ch in enumerate(letters):
        if ch > 65:     # same leading letters, then an earlier one, then any letters
            rest = len(letters) - i - 1
            choices.append(letters[:i] + b"[A-%c]" % (ch - 1) + (b"[A-Z]{%d}" % rest if rest else b""))
    choices.append(letters)
    return b"(?:" + b"|".join(choices) + b")"


def _exact_extent(xml: bytes) -> tuple[int, int]:
    refs = _CELL_REF.findall(xml)
    cols, rows = zip(*refs) if refs else ((), ())      # set() over tuples runs in C
    max_row = max(map(int, set(rows)), default=0)
    max_col = max(map(_column_number, set(cols)), default=0)
    # Cells without an "r" attribute are placed after their predecessor; bound them generously.
    unreferenced = max(len(_CELL_TAG.findall(xml)) - len(refs), 0)
    rows_without_ref = xml.count(b"<row>") + xml.count(b"<x:row>")
    return max_row + unreferenced + rows_without_ref, max_col + unreferenced


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _normalise_part(part: str) -> str:
    out: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


def _inflate_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read a member's raw bytes and inflate at most file_size + 1 bytes of it.

    Done by hand because zipfile stops at the declared size without noticing that the stream
    goes on, and the Rust reader behind calamine would happily inflate the rest.
    """
    raw = _raw_member(zf, info)
    if info.flag_bits & 0x1:
        raise ExtractionError(N_("The workbook is password protected — remove the password, save it and re-upload"),
                              code="encrypted")
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = isal_zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = inflater.decompress(raw, info.file_size + 1)
        except (zlib.error, isal_zlib.error) as exc:
            raise ExtractionError(CORRUPT_XLSX, code="corrupt") from exc
    else:
        raise ExtractionError(N_("The spreadsheet uses a compression Excel does not write — save it again "
                              "from Excel and re-upload"), code="corrupt")
    if len(data) > info.file_size:
        raise ExtractionError(BOMB, code="too_large")
    if len(data) != info.file_size or isal_zlib.crc32(data) != info.CRC:
        raise ExtractionError(CORRUPT_XLSX, code="corrupt")
    return data


def _stored_copy(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], checked: dict[str, bytes]) -> list[bytes]:
    """The pieces of a zip holding the members of `infos` in their order: a checked part stored
    (its inflated bytes, CRC-32 verified against the directory), any other member as it was
    compressed. Sizes sit in the local headers; plain (not ZIP64) fields suffice under the limits."""
    pieces: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for info in infos:
        name = info.filename.encode("utf-8")
        data = checked.get(info.filename)
        method = zipfile.ZIP_STORED if data is not None else info.compress_type
        if data is None:
            data = _raw_member(zf, info)
        flags = (info.flag_bits & ~_DATA_DESCRIPTOR) | _UTF8_NAMES
        header = _LOCAL_HEADER.pack(b"PK\x03\x04", 20, flags, method, 0, 0x21, info.CRC, len(data), info.file_size,
                                    len(name), 0)
        central.append(_CENTRAL_HEADER.pack(b"PK\x01\x02", 20, 20, flags, method, 0, 0x21, info.CRC, len(data),
                                            info.file_size, len(name), 0, 0, 0, 0, 0, offset) + name)
        pieces += (header, name, data)
        offset += len(header) + len(name) + len(data)
    directory = b"".join(central)
    pieces += (directory, _END_OF_DIRECTORY.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory),
                                                 offset, 0))
    return pieces


def _raw_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's stored (compressed) bytes, read past its local header; raises on a damaged zip."""
    fp = zf.fp
    assert fp is not None
    try:
        fp.seek(info.header_offset)
        header = fp.read(_LOCAL_HEADER.size)
        fields = _LOCAL_HEADER.unpack(header)
        if fields[0] != b"PK\x03\x04":
            raise ExtractionError(CORRUPT_XLSX, code="corrupt")
        fp.seek(info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
        raw = fp.read(info.compress_size)
    except (struct.error, OSError, ValueError) as exc:
        raise ExtractionError(CORRUPT_XLSX, code="corrupt") from exc
    if len(raw) != info.compress_size:
        raise ExtractionError(CORRUPT_XLSX, code="corrupt")
    return raw


def _reject_declarations(data: bytes) -> None:
    """DOCTYPE/ENTITY can only appear in the prolog, before the root element."""
    head = data[:_PROLOG_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    match = _ELEMENT_START.search(head)
    prolog = head[: match.start()] if match else head
    if _DECLARATION.search(prolog):
        raise ExtractionError(XML_TRICK, code="unsupported_type")
