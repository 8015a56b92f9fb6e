"""E-mails about requests and declarations: to a supplier's contacts when a request is sent and as
its due date nears; to procurement when a declaration is submitted, to the supplier when changes
are requested or it is approved. Each is queued in the same transaction as the
decision (portal.mail records before it sends), and delivered by the worker after the commit, or
held for the recipient's daily digest if that is their choice (portal.notify_prefs)."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlmodel import Session, select

from portal.auth.models import Role, User
from portal.db import session_scope
from portal.i18n import gettext, language, ngettext
from portal.mail.notify import enqueue_delivery, supplier_recipients
from portal.mail.send import deliver_pending, queue_email
from portal.notify_prefs import hold_for_digest
from portal.settings import load_settings
from portal.suppliers.models import Supplier

from .labels import ANSWERED, field_label, type_title
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


def _due_words(offset: int, due: date) -> str:
    if offset > 0:
        return ngettext("is due in %(num)d day, on %(date)s", "is due in %(num)d days, on %(date)s", offset,
                        date=due.isoformat())
    if offset < 0:
        return ngettext("was due on %(date)s (%(num)d day ago)", "was due on %(date)s (%(num)d days ago)", -offset,
                        date=due.isoformat())
    return gettext("is due today")


def notify_new_requests(supplier_ids: list[int], document_type: str, due: date) -> None:
    from portal.web import db
    settings = current_app.config["SETTINGS"]
    for supplier_id in supplier_ids:
        for email, lang in supplier_recipients(db(), supplier_id):
            with language(lang):
                what, by = type_title(document_type), due.isoformat()
                queue_email(db(), to=email, kind="request.new", entity="supplier", entity_id=supplier_id,
                            subject=gettext("Declaration requested: %(what)s by %(date)s", what=what, date=by),
                            body=gettext("Hello,\n\nwe ask you for a %(what)s by %(date)s.\nAnswer it here: %(url)s\n",
                                         what=what, date=by, url=f"{settings.public_url}/dashboard"))
    db().commit()
    enqueue_delivery(settings)


def send_request_reminders(today: date | None = None) -> int:
    """Periodic: a reminder at each configured offset from the due date, once per request and
    offset (the dedupe key makes a second run on the same day send nothing)."""
    settings = load_settings()
    today = today or date.today()
    queued = 0
    with session_scope(settings.database_url) as session:
        for offset in settings.reminder_offsets:
            due = date.fromordinal(today.toordinal() + offset)
            requests = session.exec(select(DeclarationRequest).where(
                DeclarationRequest.due_date == due, DeclarationRequest.status.not_in(ANSWERED))).all()
            for req in requests:
                for email, lang in supplier_recipients(session, req.supplier_id):
                    with language(lang):
                        what, when = type_title(req.document_type), _due_words(offset, due)
                        if queue_email(session, to=email, kind="request.reminder", entity="request", entity_id=req.id,
                                       dedupe_key=f"request-reminder:{req.id}:{offset}:{email}",
                                       subject=gettext("Reminder: %(what)s %(when)s", what=what, when=when),
                                       body=gettext("Hello,\n\nthe %(what)s we asked for %(when)s.\nAnswer it here: %(url)s\n",
                                                    what=what, when=when, url=f"{settings.public_url}/dashboard")):
                            queued += 1
    deliver_pending(settings)
    return queued
