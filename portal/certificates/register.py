"""Approved certificate declarations enter the register; a newer certificate of the same supplier
and scheme supersedes the older ones (which stay, as history); quality can revoke one.

`add_to_register` runs inside the approval's transaction (portal.requests.hooks), so a register
that cannot take the certificate rolls the approval back instead of losing it.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from sqlmodel import Session, select

from portal import audit
from portal.auth.models import User
from portal.documents.models import Document
from portal.i18n import gettext, language
from portal.requests.declarations import DeclarationError
from portal.requests.hooks import on_approved
from portal.requests.models import Declaration, DeclarationRequest, RequestStatus
from portal.suppliers.models import Supplier
from portal.timeutil import utcnow

from .checks import check_record, number_key, parse_date
from .events import record_event
from .models import Certificate


class RegisterError(DeclarationError):
    """Shown to the user as is. A DeclarationError, so that the review screen shows it (and rolls
    the approval back) instead of failing."""


def _text(value: object, limit: int) -> Optional[str]:
    return str(value).strip()[:limit] or None if value not in (None, "") else None


def certificate_from(session: Session, decl: Declaration) -> Certificate:
    record = decl.record or {}
    expiry = parse_date(record.get("expiry_date"))
    number = (record.get("certificate_number") or "").strip()
    if expiry is None or not number:
        # the schema requires both, so approval checked them; this guards direct callers
        raise RegisterError(gettext("A certificate needs a number and an expiry date (YYYY-MM-DD) to enter the "
                                    "register."))
    holder, issuer = record.get("holder") or {}, record.get("issuer") or {}
    request = session.get(DeclarationRequest, decl.request_id) if decl.request_id else None
    document = session.get(Document, decl.document_id) if decl.document_id else None
    return Certificate(
        supplier_id=decl.supplier_id, declaration_id=decl.id, document_id=decl.document_id,
        source_sha256=document.sha256 if document else None, scheme=record.get("scheme") or "other",
        standard=_text(record.get("standard"), 200), certificate_number=number[:100], number_key=number_key(number),
        holder_name=_text(holder.get("name"), 300), holder_address=_text(holder.get("address"), 500),
        holder_country_code=_text(holder.get("country_code"), 2), issuer_name=_text(issuer.get("name"), 300),
        scope=_text(record.get("scope"), 4000), sites=record.get("sites") or None,
        products=(request.products if request else None) or None,
        issue_date=parse_date(record.get("issue_date")), expiry_date=expiry,
        approved_by_id=decl.reviewed_by_id, approved_at=decl.reviewed_at)


def add_to_register(session: Session, decl: Declaration) -> Certificate:
    """The approval hook for document type "certificate". Idempotent per declaration."""
    existing = session.exec(select(Certificate).where(Certificate.declaration_id == decl.id)).first()
    if existing is not None:
        return existing
    supplier = session.get(Supplier, decl.supplier_id)
    cert = certificate_from(session, decl)
    with language("en"):  # stored words stay in one language, whoever approves
        cert.findings = check_record(session, decl.record or {}, supplier, exclude_declaration_id=decl.id) or None
    session.add(cert)
    session.flush()
    today = date.today()
    record_event(session, cert, "certificate.registered", today, dedupe_key=f"certificate.registered:{cert.id}")
    _supersede(session, cert, today)
    reviewer = session.get(User, decl.reviewed_by_id) if decl.reviewed_by_id else None
    audit.record(session, actor=reviewer.email if reviewer else "worker", actor_user_id=reviewer.id if reviewer else None,
                 action="certificate.registered", entity="certificate", entity_id=cert.id,
                 after={"declaration_id": decl.id, "scheme": cert.scheme, "number": cert.certificate_number,
                        "expiry_date": cert.expiry_date.isoformat(), "findings": [f["code"] for f in cert.findings or []]},
                 source_sha256=cert.source_sha256)
    return cert


def _same_line(session: Session, cert: Certificate) -> list[Certificate]:
    """The supplier's current certificates of the same scheme ("other" also needs the same
    standard: two unrelated certificates are both "other")."""
    query = select(Certificate).where(Certificate.supplier_id == cert.supplier_id, Certificate.scheme == cert.scheme,
                                      Certificate.superseded_by_id.is_(None), Certificate.revoked_at.is_(None),
                                      Certificate.id != cert.id)
    rows = session.exec(query).all()
    if cert.scheme == "other":
        rows = [r for r in rows if (r.standard or "").strip().lower() == (cert.standard or "").strip().lower()]
    return rows


def _supersede(session: Session, cert: Certificate, today: date) -> None:
    """The certificate expiring last stays current; the others are superseded by it. A late
    upload of an older certificate is therefore history at once, not a replacement."""
    line = _same_line(session, cert)
    if not line:
        return
    newest = max([cert, *line], key=lambda c: (c.expiry_date, c.id))
    for old in [c for c in [cert, *line] if c is not newest]:
        old.superseded_by_id, old.superseded_at = newest.id, utcnow()
        if old.expiry_date == newest.expiry_date:
            # the same certificate sent again: what was announced about it stays announced
            newest.announced_state = newest.announced_state or old.announced_state
            newest.last_reminder_key = newest.last_reminder_key or old.last_reminder_key
        _close_renewal(session, old, newest)
        record_event(session, old, "certificate.superseded", today, dedupe_key=f"certificate.superseded:{old.id}",
                     payload={"certificate_id": old.id, "superseded_by_id": newest.id})


def _close_renewal(session: Session, old: Certificate, newest: Certificate) -> None:
    """A renewal request still open for the old certificate is answered by the new one."""
    if old.renewal_request_id is None or newest.expiry_date <= old.expiry_date:
        return
    request = session.get(DeclarationRequest, old.renewal_request_id)
    if request is not None and request.status == RequestStatus.open.value:
        request.status, request.updated_at = RequestStatus.cancelled.value, utcnow()
        audit.record(session, actor="certificate-register", action="request.cancelled", entity="request",
                     entity_id=request.id, before={"status": "open"},
                     after={"status": "cancelled", "reason": f"renewed by certificate #{newest.id}"})


def revoke(session: Session, cert: Certificate, user: User, reason: str) -> None:
    reason = reason.strip()[:1000]
    if not reason:
        raise RegisterError(gettext("Say why the certificate is revoked."))
    if cert.revoked_at is not None:
        raise RegisterError(gettext("This certificate is revoked already."))
    cert.revoked_at, cert.revoked_reason = utcnow(), reason
    record_event(session, cert, "certificate.revoked", date.today(), dedupe_key=f"certificate.revoked:{cert.id}")
    audit.record(session, actor=user.email, actor_user_id=user.id, action="certificate.revoked",
                 entity="certificate", entity_id=cert.id, after={"reason": reason})


on_approved("certificate", add_to_register)
