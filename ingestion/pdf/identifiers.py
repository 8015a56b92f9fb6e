"""Identifiers with a known shape: CAS and EC numbers (check digits), RoHS exemption ids,
certificate numbers per scheme, company legal forms, countries."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from .labels import country_aliases, cues, load
from .layout import fold

CAS_SHAPE = re.compile(r"(?<![\d-])(\d{2,7})-(\d{2})-(\d)(?![\d-])")
EC_SHAPE = re.compile(r"(?<![\d-])([2-9]\d{2})-(\d{3})-(\d)(?![\d-])")
#: RoHS Annex III/IV exemption ids: 6(c), 7(c)-I, 8(b)-I, 7(a), 15(a), 41, 6(a)-I
EXEMPTION = re.compile(r"(?<![\w(])(\d{1,2}\s?\([a-z]\)(?:\s?-\s?(?:[Ii][Vv]|[Vv]?[Ii]{1,3}|[Ii]?[Vv]))?(?:\(\w+\))?)(?![\w)])")


def cas_is_valid(cas: str) -> bool:
    """CAS check digit: digits right to left weighted 1, 2, 3, ... sum mod 10."""
    m = CAS_SHAPE.fullmatch(cas.strip())
    if not m:
        return False
    digits = (m.group(1) + m.group(2))[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(m.group(3))


def ec_is_valid(ec: str) -> bool:
    """EC (EINECS/ELINCS/NLP) check digit: the six digits weighted 1..6, sum mod 11."""
    m = EC_SHAPE.fullmatch(ec.strip())
    if not m:
        return False
    digits = m.group(1) + m.group(2)
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 11 == int(m.group(3))


def normalise_exemption(text: str) -> str:
    """"7(c) - i" -> "7(c)-I": no spaces, the Roman sub-number upper case as the Annex prints it."""
    return re.sub(r"-([ivIV]+)", lambda m: "-" + m.group(1).upper(), re.sub(r"\s+", "", text))


@lru_cache(maxsize=1)
def _number_shapes() -> dict[str, list[re.Pattern[str]]]:
    schemes = load("schemes")["schemes"]
    return {name: [re.compile(p) for p in entry.get("numbers", [])] for name, entry in schemes.items()}


@lru_cache(maxsize=1)
def _generic_number() -> re.Pattern[str]:
    return re.compile(load("schemes")["generic_numbers"]["pattern"])


def number_fits_scheme(text: str, scheme: str | None) -> bool:
    return any(p.search(text) for p in _number_shapes().get(scheme or "", []))


def scheme_numbers(text: str, scheme: str | None) -> list[str]:
    """Certificate numbers of the scheme's shape in a piece of text."""
    return [m.group(0) for p in _number_shapes().get(scheme or "", []) for m in p.finditer(text)]


def looks_like_number(token: str) -> bool:
    """Could this be a certificate number of some scheme? (digits in it, no prose)."""
    token = token.strip(" ,;:()")
    return bool(_generic_number().match(token)) and not re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", token)


@lru_cache(maxsize=1)
def _legal_form() -> re.Pattern[str]:
    forms = sorted(set(cues("legal_forms")) | {fold(f) for f in load("conformity")["more_legal_forms"]},
                   key=len, reverse=True)
    body = "|".join(re.escape(f) for f in forms)
    # "昭和ネームプレート株式会社": a script without spaces ends the name in its form, no word break before it
    unspaced = "|".join(re.escape(f) for f in cues("legal_forms_unspaced"))
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])|(?:{unspaced})(?![\w])")


def legal_form_end(text: str) -> int | None:
    """Where the company's legal form ends in `text` ("Nordwerk GmbH, Street 1" -> 13), if any."""
    ends = legal_form_ends(text)
    return ends[-1] if ends else None


def legal_form_ends(text: str) -> list[int]:
    """Every place a legal form ends in `text`, first to last."""
    return [end for _, end in legal_form_spans(text)]


def legal_form_spans(text: str) -> list[tuple[int, int]]:
    """Where each legal form starts and ends in `text`, first to last."""
    folded = fold(text)
    if len(folded) != len(text):      # ß and friends: positions would not line up
        folded = text.lower()
    return [m.span() for m in _legal_form().finditer(folded)]


def has_legal_form(text: str) -> bool:
    return legal_form_end(text) is not None


def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-2 for a country name as printed ("Germany", "Deutschland", "USA")."""
    name = re.sub(r"\s+", " ", text.strip(" ,.;:()")).strip()
    if not name or any(ch.isdigit() for ch in name):
        return None
    alias = country_aliases().get(fold(name))
    if alias:
        return alias
    if len(name) <= 3 and not name.isupper():
        return None   # "in", "the": only upper-case codes stand for countries
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def country_of_address(address: str) -> str | None:
    """The country named at the end of an address ("…, 70565 Stuttgart, Germany" -> "DE")."""
    parts = [p for p in re.split(r"[,\n]", address) if p.strip()]
    for part in reversed(parts[-2:]):
        code = country_code(part) or country_code(part.split()[-1]) if part.split() else None
        if code:
            return code
    return None
