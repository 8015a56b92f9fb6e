"""Checks on a certificate record: dates in order, a number shaped as its scheme's numbers are,
a holder that is the supplier, and a number the register already knows.

They flag, they do not block: the reviewer sees them on the review screen before approving, and
they stay on the register entry afterwards.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import ingestion
from sqlmodel import Session, select

from portal.i18n import DEFAULT, gettext, language
from portal.requests.labels import enum_label
from portal.suppliers.models import Supplier

from .models import Certificate

HOLDER_MIN_SIMILARITY = 0.8
# Company suffixes say nothing about who the company is: "Lumen Cables GmbH" is "Lumen Cables Ltd".
LEGAL_FORMS = {
    "ab", "ag", "aps", "as", "bv", "co", "company", "corp", "corporation", "doo", "gmbh", "inc", "jsc",
    "kft", "kg", "kgaa", "limited", "llc", "ltd", "nv", "oy", "oyj", "plc", "pte", "pty", "sa", "sarl",
    "sas", "se", "spa", "sp", "srl", "sro", "s", "r", "o", "ug", "zoo", "and", "und", "et", "the",
}


def _schemes_data() -> dict[str, Any]:
    # The extractor's own scheme data is the one source of each scheme's number shapes.
    path = Path(ingestion.__file__).resolve().parent / "pdf" / "data" / "schemes.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def number_patterns() -> dict[str, list[re.Pattern[str]]]:
    data = _schemes_data()
    generic = re.compile(data["generic_numbers"]["pattern"])
    patterns = {name: [re.compile(p) for p in entry["numbers"]] or [generic]
                for name, entry in data["schemes"].items()}
    patterns["other"] = [generic]
    return patterns


def number_key(number: str) -> str:
    """Letters and digits only, upper case: "Q 7777", "q-7777" and "Q7777" are one number as
    people type and scanners read it."""
    return re.sub(r"[^0-9A-Za-z]+", "", number or "").upper()[:100]


def number_matches_scheme(scheme: str, number: str) -> bool:
    patterns = number_patterns().get(scheme) or number_patterns()["other"]
    return any(p.fullmatch(number.strip()) for p in patterns)


def _tokens(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return [t for t in re.split(r"[^a-z0-9]+", folded) if t and t not in LEGAL_FORMS]


def name_similarity(a: str, b: str) -> float:
    """0..1; 1 when one name's words are all in the other (a trading name inside the legal one)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return SequenceMatcher(None, (a or "").lower(), (b or "").lower()).ratio()
    shorter, longer = sorted((set(ta), set(tb)), key=len)
    if shorter <= longer and sum(len(t) for t in shorter) >= 4:
        return 1.0
    return SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()


def parse_date(value: Any) -> Optional[date]:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _finding(code: str, tone: str, message: str) -> dict[str, str]:
    return {"code": code, "tone": tone, "message": message}


def check_record(session: Session, record: dict[str, Any], supplier: Supplier,
                 exclude_declaration_id: Optional[int] = None) -> list[dict[str, str]]:
    """[{code, tone (error|warn|info), message}] for a certificate record of this supplier.

    The messages are kept on the register's entry, so they are written in English (catalogue
    msgids with their values) and shown in the reader's language by portal.i18n.stored."""
    with language(DEFAULT):
        return _check_record(session, record, supplier, exclude_declaration_id)


def _check_record(session: Session, record: dict[str, Any], supplier: Supplier,
                  exclude_declaration_id: Optional[int]) -> list[dict[str, str]]:
    findings = []
    issued, expires = parse_date(record.get("issue_date")), parse_date(record.get("expiry_date"))
    if issued and expires and expires <= issued:
        findings.append(_finding("expiry_before_issue", "error",
                                 gettext("The expiry date %(expires)s is not after the issue date %(issued)s.",
                                         expires=expires.isoformat(), issued=issued.isoformat())))
    scheme, number = record.get("scheme") or "other", (record.get("certificate_number") or "").strip()
    if number and not number_matches_scheme(scheme, number):
        findings.append(_finding("number_pattern", "warn",
                                 gettext("The number “%(number)s” is not shaped like a %(scheme)s certificate number.",
                                         number=number, scheme=enum_label(scheme))))
    holder = ((record.get("holder") or {}).get("name") or "").strip()
    if holder:
        similarity = name_similarity(holder, supplier.name)
        if similarity < HOLDER_MIN_SIMILARITY:
            findings.append(_finding("holder_mismatch", "warn",
                                     gettext("The holder “%(holder)s” does not look like the supplier “%(supplier)s” "
                                             "(%(alike)s alike).", holder=holder, supplier=supplier.name,
                                             alike=f"{similarity:.0%}")))
    if number:
        findings.extend(_duplicates(session, scheme, number, expires, supplier, exclude_declaration_id))
    return findings


def _duplicates(session: Session, scheme: str, number: str, expires: Optional[date], supplier: Supplier,
                exclude_declaration_id: Optional[int]) -> list[dict[str, str]]:
    query = select(Certificate, Supplier.name).join(Supplier, Supplier.id == Certificate.supplier_id).where(
        Certificate.scheme == scheme, Certificate.number_key == number_key(number))
    if exclude_declaration_id is not None:
        query = query.where((Certificate.declaration_id != exclude_declaration_id)
                            | Certificate.declaration_id.is_(None))
    findings = []
    for cert, owner in session.exec(query.order_by(Certificate.id).limit(5)).all():
        if cert.supplier_id != supplier.id:
            findings.append(_finding("duplicate_other_supplier", "error",
                                     gettext("The same %(scheme)s number is in the register for %(owner)s "
                                             "(certificate #%(id)d).", scheme=cert.scheme_title, owner=owner, id=cert.id)))
        elif cert.expiry_date == expires:
            findings.append(_finding("duplicate", "warn",
                                     gettext("Already in the register as certificate #%(id)d with the same expiry "
                                             "date: this is the same certificate again, not a renewal.", id=cert.id)))
        else:
            findings.append(_finding("same_number", "info",
                                     gettext("Same number as certificate #%(id)d (expiry %(date)s): a renewal that "
                                             "kept its number.", id=cert.id, date=cert.expiry_date.isoformat())))
    return findings
