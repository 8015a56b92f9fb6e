"""E-mails about a declaration's decisions: to procurement when it is submitted, to the supplier
when changes are requested or it is approved. Each is queued in the same transaction as the
decision (portal.mail records before it sends), and delivered by the worker after the commit, or
held for the recipient's daily digest if that is their choice (portal.notify_prefs)."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.auth.models import Role, User
from portal.i18n import gettext, language
from portal.mail.notify import supplier_recipients
from portal.mail.send import queue_email
from portal.notify_prefs import hold_for_digest
from portal.suppliers.models import Supplier

from .labels import field_label, type_title
from .models import Declaration, DeclarationRequest


def _procurement_recipients(session: Session, decl: Declaration) -> list[tuple[str, str | None]]:
    """(e-mail, chosen language) of whoever sent the request; without one (or if they left),
    of every active buyer."""
    request = session.get(DeclarationRequest, decl.request_id) if decl.request_id else None
    sender = session.get(User, request.created_by_id) if request else None
    if sender is not None and sender.active and sender.role in (Role.procurement.value, Role.admin.value):
        return [(sender.email, sender.language)]
    return [(email, lang) for email, lang in session.exec(select(User.email, User.language).where(
        User.role == Role.procurement.value, User.active.is_(True))).all()]


def _queue(session: Session, recipients: list[str], decl: Declaration, kind: str, subject: str, body: str) -> None:
    for email in recipients:
        hold_for_digest(session, queue_email(
            session, to=email, kind=kind, entity="declaration", entity_id=decl.id,
            dedupe_key=f"{kind}:{decl.id}:{decl.current_version}:{decl.lock_version}:{email}"[:200],
            subject=subject, body=body))


def declaration_submitted(session: Session, decl: Declaration, public_url: str) -> None:
    supplier = session.get(Supplier, decl.supplier_id)
    for email, lang in _procurement_recipients(session, decl):
        with language(lang):  # the buyer's language, not the supplier's
            what = type_title(decl.document_type)
            _queue(session, [email], decl, "declaration.submitted",
                   gettext("Submitted for review: %(what)s from %(supplier)s", what=what, supplier=supplier.name),
                   gettext("Hello,\n\n%(supplier)s submitted their %(what)s (declaration #%(id)d, version %(version)d).\n"
                           "Review it here: %(url)s\n", supplier=supplier.name, what=what, id=decl.id,
                           version=decl.current_version, url=f"{public_url}/review/{decl.id}"))


def changes_requested(session: Session, decl: Declaration, public_url: str) -> None:
    for email, lang in supplier_recipients(session, decl.supplier_id):
        with language(lang):  # the supplier's language, not the reviewer's
            what = type_title(decl.document_type)
            lines = [f"- {field_label(decl.document_type, path)}: {note}" for path, note in (decl.field_notes or {}).items()]
            _queue(session, [email], decl, "declaration.changes_requested",
                   gettext("Changes requested: your %(what)s (declaration #%(id)d)", what=what, id=decl.id),
                   gettext("Hello,\n\nprocurement asks you to change your declaration before they can approve it.\n")
                   + (f"\n{decl.review_reason}\n" if decl.review_reason else "")
                   + ("\n" + "\n".join(lines) + "\n" if lines else "")
                   + "\n" + gettext("Make the changes here: %(url)s", url=f"{public_url}/declarations/{decl.id}") + "\n")


def declaration_approved(session: Session, decl: Declaration, public_url: str) -> None:
    for email, lang in supplier_recipients(session, decl.supplier_id):
        with language(lang):
            what = type_title(decl.document_type)
            _queue(session, [email], decl, "declaration.approved",
                   gettext("Approved: your %(what)s (declaration #%(id)d)", what=what, id=decl.id),
                   gettext("Hello,\n\nyour %(what)s (declaration #%(id)d, version %(version)d) is approved. Thank you.\n"
                           "See it here: %(url)s\n", what=what, id=decl.id, version=decl.current_version,
                           url=f"{public_url}/declarations/{decl.id}"))
