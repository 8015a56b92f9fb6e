"""Country names as RMI templates and suppliers write them -> ISO 3166-1 alpha-2.

pycountry knows the ISO names; the alias table covers RMI's own spellings and the usual
short forms that ISO does not list.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

ALIASES = {
    "BOLIVIA (PLURINATIONAL STATE OF)": "BO", "BOLIVIA": "BO",
    "CONGO, DEMOCRATIC REPUBLIC OF THE": "CD", "DEMOCRATIC REPUBLIC OF THE CONGO": "CD",
    "DEMOCRATIC REPUBLIC OF CONGO": "CD", "DR CONGO": "CD", "DRC": "CD", "CONGO (KINSHASA)": "CD",
    "CONGO-KINSHASA": "CD", "ZAIRE": "CD", "CONGO (BRAZZAVILLE)": "CG", "REPUBLIC OF THE CONGO": "CG",
    "HOLY SEE": "VA", "VATICAN": "VA", "VATICAN CITY": "VA",
    "IRAN (ISLAMIC REPUBLIC OF)": "IR", "IRAN": "IR",
    "KOREA (DEMOCRATIC PEOPLE'S REPUBLIC OF)": "KP", "NORTH KOREA": "KP",
    "KOREA, REPUBLIC OF": "KR", "REPUBLIC OF KOREA": "KR", "SOUTH KOREA": "KR", "KOREA": "KR",
    "MICRONESIA (FEDERATED STATES OF)": "FM", "MICRONESIA": "FM",
    "TURKEY": "TR", "TÜRKIYE": "TR", "TURKIYE": "TR",
    "VENEZUELA (BOLIVARIAN REPUBLIC OF)": "VE", "VENEZUELA": "VE",
    "VIRGIN ISLANDS (BRITISH)": "VG", "BRITISH VIRGIN ISLANDS": "VG",
    "VIRGIN ISLANDS (U.S.)": "VI", "US VIRGIN ISLANDS": "VI",
    "WESTERN SAHARA": "EH",
    "VIET NAM": "VN", "VIETNAM": "VN",
    "RUSSIAN FEDERATION": "RU", "RUSSIA": "RU",
    "TAIWAN, PROVINCE OF CHINA": "TW", "TAIWAN": "TW", "REPUBLIC OF CHINA": "TW", "CHINESE TAIPEI": "TW",
    "CHINA": "CN", "PEOPLE'S REPUBLIC OF CHINA": "CN", "PR CHINA": "CN", "P.R. CHINA": "CN", "PRC": "CN",
    "UNITED STATES OF AMERICA": "US", "UNITED STATES": "US", "USA": "US", "U.S.A.": "US", "US": "US",
    "UNITED KINGDOM": "GB", "UK": "GB", "U.K.": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB",
    "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND": "GB",
    "LAOS": "LA", "LAO PEOPLE'S DEMOCRATIC REPUBLIC": "LA",
    "TANZANIA": "TZ", "TANZANIA, UNITED REPUBLIC OF": "TZ",
    "MOLDOVA": "MD", "MOLDOVA, REPUBLIC OF": "MD", "SYRIA": "SY", "BRUNEI": "BN",
    "CZECH REPUBLIC": "CZ", "CZECHIA": "CZ", "MACEDONIA": "MK", "NORTH MACEDONIA": "MK",
    "SWAZILAND": "SZ", "ESWATINI": "SZ", "BURMA": "MM", "MYANMAR": "MM",
    "IVORY COAST": "CI", "COTE D'IVOIRE": "CI", "CÔTE D'IVOIRE": "CI", "CAPE VERDE": "CV",
    "HONG KONG": "HK", "HONG KONG SAR": "HK", "MACAU": "MO", "MACAO": "MO", "PALESTINE": "PS",
    "THE NETHERLANDS": "NL", "HOLLAND": "NL", "UAE": "AE", "U.A.E.": "AE",
}
_NOISE = re.compile(r"[\s*]+$")


@lru_cache(maxsize=2048)
def country_code(name: str | None) -> tuple[str | None, float]:
    """(alpha-2 code, confidence) for a country name, ISO code or RMI spelling; (None, 0) if unknown."""
    if not name:
        return None, 0.0
    key = " ".join(_NOISE.sub("", str(name)).split()).upper()
    if not key or key in {"UNKNOWN", "N/A", "NA", "-"}:
        return None, 0.0
    if key in ALIASES:
        return ALIASES[key], 1.0
    if len(key) == 2 and pycountry.countries.get(alpha_2=key):
        return key, 0.95
    if len(key) == 3 and (found := pycountry.countries.get(alpha_3=key)):
        return found.alpha_2, 0.95
    try:
        return pycountry.countries.lookup(key).alpha_2, 1.0
    except LookupError:
        pass
    try:
        matches = pycountry.countries.search_fuzzy(key)
    except LookupError:
        return None, 0.0
    # A fuzzy hit is a guess: flag it for review with a low confidence.
    return (matches[0].alpha_2, 0.5) if len(matches) == 1 else (None, 0.0)
