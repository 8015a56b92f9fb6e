"""Reading the path of a GS1 Digital Link URI for a GTIN (/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]).

A path that breaks the GS1 Digital Link syntax is refused with a reason in plain words, so the
resolver can answer 400 (GS1-Conformant Resolver: "SHALL extract and syntactically validate the
URI and report errors with 400"); a well-formed link to nothing is a 404, decided elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from portal.passports.gtin import GtinError, normalise_gtin, valid_ai82

# the key qualifiers of a GTIN, in the only order GS1 Digital Link allows them
QUALIFIERS = {"22": "consumer product variant", "10": "batch or lot number", "21": "serial number"}


class DigitalLinkError(ValueError):
    """The message is shown to whoever sent the link."""


@dataclass(frozen=True)
class DigitalLink:
    gtin: str                     # as written in the link (may be 8, 12 or 13 digits)
    canonical_gtin: str           # the 14-digit form
    lot: Optional[str] = None
    serial: Optional[str] = None


def parse(path_after_01: str) -> DigitalLink:
    """`path_after_01` is what follows "/01/" (already percent-decoded); one trailing slash is tolerated."""
    segments = path_after_01.split("/")
    if len(segments) > 1 and segments[-1] == "":
        segments.pop()
    gtin = segments[0]
    if not gtin:
        raise DigitalLinkError("The link has no GTIN after /01/.")
    try:
        canonical = normalise_gtin(gtin)
    except GtinError as error:
        raise DigitalLinkError(f"“{gtin[:40]}” is not a valid GTIN: {error}.") from None
    pairs = segments[1:]
    if len(pairs) % 2:
        raise DigitalLinkError(f"“{pairs[-1][:40]}” after the GTIN needs a value: a lot is written /10/ "
                               "followed by the lot number, a serial number /21/ followed by the serial number.")
    values: dict[str, str] = {}
    order = list(QUALIFIERS)
    last = -1
    for ai, value in zip(pairs[::2], pairs[1::2]):
        if ai not in QUALIFIERS:
            raise DigitalLinkError(f"“{ai[:40]}” is not a key qualifier of a GTIN: after the GTIN only "
                                   "/22/ (variant), /10/ (lot) and /21/ (serial) may follow, in that order.")
        if order.index(ai) <= last:
            raise DigitalLinkError("The key qualifiers are in the wrong order or repeated: "
                                   "/22/ (variant), then /10/ (lot), then /21/ (serial).")
        last = order.index(ai)
        if not valid_ai82(value):
            raise DigitalLinkError(f"The {QUALIFIERS[ai]} “{value[:40]}” is not allowed: up to 20 letters, "
                                   "digits or GS1 punctuation, no spaces or slashes.")
        values[ai] = value
    # a consumer product variant is valid syntax; passports are not kept per variant, so it
    # resolves like the GTIN it qualifies (walking up the tree)
    return DigitalLink(gtin, canonical, values.get("10"), values.get("21"))


def code_request(path_after_01: str) -> Optional[str]:
    """The link part of …/code (the data carrier endpoint), else None. A link is the GTIN and whole
    qualifier pairs, an odd number of segments; "code" after it makes the count even, so a serial
    number that happens to read "code" (/21/code) is never taken for the endpoint."""
    segments = path_after_01.rstrip("/").split("/")
    if len(segments) >= 2 and len(segments) % 2 == 0 and segments[-1] == "code":
        return "/".join(segments[:-1])
    return None
