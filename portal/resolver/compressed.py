"""Compressed GS1 Digital Link URIs (GS1 Digital Link 1.1 compression), decompressed.

A compressed link carries its element strings as a URI-safe base64 path segment, e.g.
https://id.gs1.org/ARHKVAdpQg for https://id.gs1.org/01/09780345418913. The bits are read as GS1's
published algorithm states: an AI as decimal nibbles (its length from its first two digits) or as one
of the standard's optimisation codes for a common sequence of AIs; then each component of its format
(fixed-length numeric as a binary number, variable-length numeric with a length prefix, alphanumeric
with a 3-bit encoding indicator and a length prefix); a code starting with hex F is a non-GS1
key=value pair. The AI formats come from biip's copy of GS1's AI table (not retyped here); the
optimisation codes are the standard's table, in data/gs1.json.

No library on PyPI is kept up for this (biip reads barcodes but does not compress; the one Python
port is an unmaintained 2021 release), hence this module."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from biip.gs1_application_identifiers import _GS1_APPLICATION_IDENTIFIERS as GS1_AIS

from .linkset import GS1_DATA

SAFE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
SAFE64_RE = re.compile(r"^[A-Za-z0-9_-]+$")
HEX = "0123456789ABCDEF"
OPTIMISATIONS: dict[str, list[str]] = GS1_DATA["compression_optimisations"]
# the GS1 key qualifiers that go into the path after the GTIN, in their order; every other AI is a
# data attribute and goes into the query string
PATH_QUALIFIERS = ("22", "10", "21")
_COMPONENT = re.compile(r"^\[?([NX])(\.\.)?(\d+)\]?$")


class CompressionError(ValueError):
    """The message says what is wrong with the compressed link, for a 400."""


@dataclass
class Decompressed:
    elements: dict[str, str] = field(default_factory=dict)   # AI → value, in the order read
    other: dict[str, str] = field(default_factory=dict)      # non-GS1 key=value pairs

    def path(self) -> str:
        """The uncompressed path after the host, starting with /01/."""
        if "01" not in self.elements:
            keys = ", ".join(self.elements) or "none"
            raise CompressionError(f"it holds no GTIN (AI 01; it holds: {keys}), and this resolver "
                                   "answers for GTINs only.")
        return "/01/" + self.elements["01"] + "".join(f"/{ai}/{self.elements[ai]}" for ai in PATH_QUALIFIERS
                                                      if ai in self.elements)

    def query(self) -> list[tuple[str, str]]:
        """Data attributes (e.g. 17 expiry date) and non-GS1 pairs, as the uncompressed link's query."""
        attributes = [(ai, value) for ai, value in self.elements.items() if ai != "01" and ai not in PATH_QUALIFIERS]
        return attributes + list(self.other.items())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, int], dict[str, list[tuple[str, bool, int]]]]:
    """(AI length by its first two digits, format components by AI): components are
    (N or X, variable length?, length or maximum length). AIs whose format the compression
    standard has no encoding for (e.g. the Y and Z character sets) are left out."""
    lengths: dict[str, int] = {}
    formats: dict[str, list[tuple[str, bool, int]]] = {}
    for ai, definition in GS1_AIS.items():
        lengths[ai[:2]] = len(ai)
        components = []
        for part in definition.format.replace("[+", "+[").split("+")[1:]:
            match = _COMPONENT.match(part)
            if match is None or (part.startswith("[") and not match[2]):
                break   # a character set or an optional fixed part the standard does not encode
            components.append((match[1], bool(match[2]), int(match[3])))
        else:
            formats[ai] = components
    return lengths, formats


def _value_bits(digits: int) -> int:
    # the standard's own arithmetic (0 digits still take 1 bit)
    return math.ceil(digits * math.log(10) / math.log(2) + 0.01)


class _Reader:
    def __init__(self, bits: str) -> None:
        self.bits, self.cursor = bits, 0

    def take(self, count: int) -> str:
        if self.cursor + count > len(self.bits):
            raise CompressionError("The compressed link ends in the middle of a value: it was cut short or mistyped.")
        chunk = self.bits[self.cursor:self.cursor + count]
        self.cursor += count
        return chunk

    def number(self, count: int) -> int:
        return int(self.take(count), 2) if count else 0

    def remaining(self) -> int:
        return len(self.bits) - self.cursor


def _chars(reader: _Reader, encoding: int, count: int) -> str:
    if encoding == 0:
        return str(reader.number(_value_bits(count))).zfill(count) if count else ""
    if encoding in (1, 2):
        text = "".join(HEX[reader.number(4)] for _ in range(count))
        return text.lower() if encoding == 1 else text
    if encoding == 3:
        return "".join(SAFE64[reader.number(6)] for _ in range(count))
    if encoding == 4:
        return "".join(chr(reader.number(7)) for _ in range(count))
    raise CompressionError(f"The compressed link uses character encoding {encoding}, which GS1 does not define.")


def _value(reader: _Reader, ai: str) -> str:
    _, formats = _tables()
    if ai not in formats:
        raise CompressionError(f"The compressed link holds Application Identifier ({ai}), which this resolver "
                               "cannot decompress.")
    value = ""
    for kind, variable, length in formats[ai]:
        if kind == "N":
            digits = reader.number(length.bit_length()) if variable else length
            number = reader.number(_value_bits(digits))
            value += str(number).zfill(digits) if digits else ""
        else:
            encoding = reader.number(3)
            count = reader.number(length.bit_length()) if variable else length
            value += _chars(reader, encoding, count)
    return value


def decompress(segment: str) -> Decompressed:
    """The element strings and other pairs of a compressed path segment; CompressionError if it is not one."""
    if not SAFE64_RE.match(segment):
        raise CompressionError("A compressed Digital Link uses only letters, digits, “-” and “_”.")
    reader = _Reader("".join(format(SAFE64.index(char), "06b") for char in segment))
    lengths, _ = _tables()
    out = Decompressed()
    while reader.remaining() > 8:   # fewer bits are the padding to whole base64 characters
        h1, h2 = reader.number(4), reader.number(4)
        code = HEX[h1] + HEX[h2]
        if h1 <= 9 and h2 <= 9:
            if code not in lengths:
                raise CompressionError(f"The compressed link holds an Application Identifier starting {code}, "
                                       "which GS1 does not define.")
            ai = code
            while len(ai) < lengths[code]:
                digit = reader.number(4)
                if digit > 9:
                    raise CompressionError("An Application Identifier in the compressed link is not all digits.")
                ai += str(digit)
            out.elements[ai] = _value(reader, ai)
        elif code in OPTIMISATIONS:
            for ai in OPTIMISATIONS[code]:
                out.elements[ai] = _value(reader, ai)
        elif h1 == 0xF:
            reader.cursor -= 4   # the key's 7-bit length starts with the second nibble
            key = "".join(SAFE64[reader.number(6)] for _ in range(reader.number(7)))
            encoding = reader.number(3)
            out.other[key] = _chars(reader, encoding, reader.number(7))
        else:
            raise CompressionError(f"The compressed link uses code {code}, which GS1 does not define.")
    if not out.elements and not out.other:
        raise CompressionError("The compressed link is empty.")
    return out
