"""GTIN and GS1 Digital Link identifiers: validation, padding and the resolver path."""

from __future__ import annotations

import re
from urllib.parse import quote

from portal.i18n import gettext

# GS1 AI 10 (batch/lot) and AI 21 (serial): up to 20 characters of GS1 character set 82.
# "/" is left out on purpose: a percent-encoded slash is decoded by the web server before routing,
# so such a lot could never be resolved from its own Digital Link.
AI82 = r"[!\"%&'()*+,\-.0-9:;<=>?A-Z_a-z]{1,20}"
AI82_RE = re.compile(f"^{AI82}$")


class GtinError(ValueError):
    """The message says what is wrong, for the API's error details."""


def check_digit(body: str) -> int:
    """GS1 mod-10 check digit for the digits before it (weights 3,1,3,… from the right)."""
    if body and not (body.isdigit() and body.isascii()):
        raise ValueError(f"not a string of digits: {body!r}")
    # every second digit from the right weighs 3, starting with the last; summed as character
    # codes (48 is "0") over byte slices, a loop in C: a bulk call checks a thousand of these
    codes = body.encode("ascii")
    threes, ones = codes[::-2], codes[-2::-2]
    total = 3 * (sum(threes) - 48 * len(threes)) + sum(ones) - 48 * len(ones)
    return (10 - total % 10) % 10


def normalise_gtin(value: object) -> str:
    """A GTIN-8/12/13/14 as the 14-digit form, check digit verified."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text.isdigit() or not text.isascii() or len(text) not in (8, 12, 13, 14):
        raise GtinError(gettext("a GTIN has 8, 12, 13 or 14 digits"))
    gtin = text.zfill(14)
    if check_digit(gtin[:-1]) != int(gtin[-1]):
        raise GtinError(gettext("check digit is wrong: expected %(expected)s, got %(got)s",
                                expected=check_digit(gtin[:-1]), got=gtin[-1]))
    return gtin


def valid_ai82(value: object) -> bool:
    return isinstance(value, str) and bool(AI82_RE.match(value))


def digital_link_path(gtin: str, lot: str | None = None, serial: str | None = None) -> str:
    """The GS1 Digital Link path (no leading slash): 01/{gtin}[/10/{lot}][/21/{serial}]."""
    path = f"01/{gtin}"
    if lot:
        path += f"/10/{quote(lot, safe='')}"
    if serial:
        path += f"/21/{quote(serial, safe='')}"
    return path


def level(lot: str | None, serial: str | None) -> str:
    """UNTP granularity: model (product), batch (lot) or item (serial)."""
    return "item" if serial else "batch" if lot else "model"
