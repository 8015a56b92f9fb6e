"""Warnings shown before a supplier submits and before a reviewer approves: things that are not
wrong in the record's own terms but probably are for this request — an expired certificate, a
holder that is another company, a scheme other than the one asked for. They warn, never block.
The register's own checks (checks.py) are reused, not repeated. The requests area asks for them
through its hooks (portal.requests.hooks.decision_warnings), so it does not import this area.
"""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select

from portal.i18n import gettext
from portal.i18n.stored import translate_stored
from portal.requests.hooks import warns_before_decision
from portal.requests.labels import enum_label
from portal.requests.models import Declaration, DeclarationRequest
from portal.suppliers.models import Supplier

from .checks import check_record, parse_date
from .models import SCHEME_TITLES, Certificate

# Register findings a supplier may see: the others name other suppliers' certificates.
SUPPLIER_VISIBLE_CHECKS = {"expiry_before_issue", "holder_mismatch", "number_pattern"}


def requested_scheme(session: Session, request: DeclarationRequest | None) -> str | None:
    """The scheme a certificate request asks for: the certificate it renews, else the one scheme
    its message names ("Your current ISO 14001 certificate")."""
    if request is None or request.document_type != "certificate":
        return None
    renewed = session.exec(select(Certificate.scheme).where(Certificate.renewal_request_id == request.id)).first()
    if renewed:
        return renewed
    text = (request.message or "").upper()
    named = {scheme for scheme, title in SCHEME_TITLES.items()
             if scheme != "other" and re.search(r"(?<![\w-])" + re.escape(title.upper()) + r"(?![\w-])", text)}
    return named.pop() if len(named) == 1 else None


def certificate_warnings(session: Session, decl: Declaration, for_reviewer: bool,
                         today: date | None = None) -> list[str]:
    if not decl.record:
        return []
    record, today = decl.record, today or date.today()
    warnings = []
    expires = parse_date(record.get("expiry_date"))
    if expires and expires < today:
        warnings.append(gettext("This certificate expired on %(date)s. Ask for the current one.", date=expires.isoformat())
                        if for_reviewer else
                        gettext("This certificate expired on %(date)s. Upload the current certificate instead.",
                                date=expires.isoformat()))
    request = session.get(DeclarationRequest, decl.request_id) if decl.request_id else None
    wanted, scheme = requested_scheme(session, request), record.get("scheme")
    if wanted and scheme and scheme != wanted:
        warnings.append(gettext("The request asks for %(wanted)s, but this certificate is %(scheme)s.",
                                wanted=enum_label(wanted), scheme=enum_label(scheme)))
    if not for_reviewer:  # the reviewer sees all the register's checks in their own panel
        supplier = session.get(Supplier, decl.supplier_id)
        warnings += [translate_stored(f["message"]) for f in check_record(session, record, supplier, exclude_declaration_id=decl.id)
                     if f["code"] in SUPPLIER_VISIBLE_CHECKS]
    return warnings


warns_before_decision("certificate", certificate_warnings)
