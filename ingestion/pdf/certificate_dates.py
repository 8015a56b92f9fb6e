"""A certificate's issue and expiry dates, settled and checked before they are promised.

A numeric date that reads both ways (03/01/2022) is settled by, in turn: the order the
document's other numeric dates prove (a 13/01/2022 elsewhere), the one order under which issue
comes before expiry, and the issuer's country. Otherwise it keeps its day-first reading at a low
confidence with a warning — never a silent guess. A date pair that fails the sanity checks
(issue after expiry, a validity longer than any scheme grants) is not promised either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .anchors import Found
from .dates import DateHit, find_dates, numeric_order, settle
from .layout import PdfText
from ..errors import N_

#: Pages whose numeric dates tell the document's date order.
ORDER_PAGES = 2
#: No scheme certifies for longer than this (ISO: 3 years; some national marks: 5+).
MAX_VALIDITY_DAYS = 10 * 366
#: A date settled only by the issuer's country, or not checked against a second date, scores at most this.
UNCHECKED = 0.85
#: A date that stays ambiguous scores at most this, and is flagged.
AMBIGUOUS = 0.6


@dataclass
class CertificateDates:
    issue: Found | None
    expiry: Found | None
    warnings: list[tuple[str, str]] = field(default_factory=list)


def certificate_dates(doc: PdfText, issue: Found | None, expiry: Found | None, *,
                      issuer_order: str | None, page_order: str | None = None) -> CertificateDates:
    """`issuer_order`: "mdy"/"dmy" as the issuer's country writes dates, None for an unknown issuer.
    `page_order`: the order the page's addresses suggest (a US one) where the issuer is unknown: the
    date is read that way, but stays flagged and below a promise."""
    result = CertificateDates(issue, expiry)
    if issue is not None and expiry is not None and issue.words == expiry.words:
        result.expiry = None        # one date read under two labels (two-column pages): not the expiry
    order = numeric_order([h for page in doc.pages[:ORDER_PAGES] for line in page.lines
                           for h in find_dates(line.words)])
    hits = {name: _hit(found) for name, found in (("issue", result.issue), ("expiry", result.expiry))}
    if any(h is not None and h.ambiguous for h in hits.values()):
        order = order or _order_by_sequence(hits["issue"], hits["expiry"])
        country_only = order is None and issuer_order is not None
        if country_only:
            order = issuer_order
        for name, path in (("issue", "/issue_date"), ("expiry", "/expiry_date")):
            found, hit = getattr(result, name), hits[name]
            if found is None or hit is None or not hit.ambiguous:
                continue
            if order is None:
                found.confidence = min(found.confidence, AMBIGUOUS)
                result.warnings.append((path, _ambiguity_message(found, hit, page_order)))
                if page_order is not None:
                    found.value = settle(hit, page_order)
                continue
            found.value = settle(hit, order)
            if country_only:
                found.confidence = min(found.confidence, UNCHECKED)
    _cap_unchecked(result)
    return result


def _hit(found: Found | None) -> DateHit | None:
    if found is None:
        return None
    hits = find_dates(found.words)
    return hits[0] if len(hits) == 1 else None


def _order_by_sequence(issue: DateHit | None, expiry: DateHit | None) -> str | None:
    """The one reading order under which the certificate is issued before it expires."""
    if issue is None or expiry is None:
        return None
    fits = [order for order in ("dmy", "mdy") if _plausible(settle(issue, order), settle(expiry, order))]
    return fits[0] if len(fits) == 1 else None


def _plausible(issued: date, expires: date) -> bool:
    return issued < expires and (expires - issued).days <= MAX_VALIDITY_DAYS


def _cap_unchecked(result: CertificateDates) -> None:
    """Only a pair of dates that agree with each other is promised (>= 0.9)."""
    if result.issue is not None and result.expiry is not None \
            and _plausible(result.issue.value, result.expiry.value):
        return
    for found in (result.issue, result.expiry):
        if found is not None:
            found.confidence = min(found.confidence, UNCHECKED)


def _ambiguity_message(found: Found, hit: DateHit, page_order: str | None = None) -> str:
    printed = " ".join(w.text for w in found.words)
    values = {"printed": printed, "first": _long(hit.value), "second": _long(hit.month_first)}
    if page_order == "mdy":
        return N_("The date %(printed)s can be read as %(first)s or %(second)s (read month first: the page gives a "
                  "US address) — please check which one the certificate means") % values
    return N_("The date %(printed)s can be read as %(first)s or %(second)s — please check which one the "
              "certificate means") % values


def _long(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else "?"
