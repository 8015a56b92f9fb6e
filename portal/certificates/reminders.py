"""The register's e-mails: one reminder a day per supplier contact, listing every certificate of
theirs that reached a reminder today, and one digest a day for the quality team.

One e-mail per contact and day, not one per certificate: a supplier with six certificates due
hears once. Its dedupe key (supplier, day, address) makes a second run that day send nothing;
reminders that come up after that day's e-mail went out wait for the next day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlmodel import Session, func, select

from portal.auth.models import Role, User
from portal.i18n import gettext, language, ngettext
from portal.mail.send import queue_email
from portal.requests.models import DeclarationRequest
from portal.settings import Settings

from .models import Certificate, CertificateEvent
from .states import State


@dataclass
class Plan:
    """What today asks for one certificate (made by the daily job)."""

    cert: Certificate
    state: State
    key: Optional[str]                              # the reminder due today, if any
    announce: Optional[str] = None                  # the state to announce today
    renewal: Optional[DeclarationRequest] = None    # opened by this run
    reminded_to: Optional[list[str]] = None         # the addresses today's reminder went to


def recipients(session: Session, supplier_ids: set[int]) -> dict[int, list[tuple[str, str | None]]]:
    """Each supplier's contacts with their language (as portal.mail.notify.supplier_recipients),
    for a batch in one query."""
    out: dict[int, list[tuple[str, str | None]]] = {}
    if supplier_ids:
        for supplier_id, email, lang in session.exec(select(User.supplier_id, User.email, User.language).where(
                User.supplier_id.in_(supplier_ids), User.role == Role.supplier.value).order_by(User.email)).all():
            out.setdefault(supplier_id, []).append((email, lang))
    return out


def _line(plan: Plan, today: date) -> str:
    cert = plan.cert
    days_left = (cert.expiry_date - today).days
    on = cert.expiry_date.isoformat()
    when = (ngettext("expires in %(num)d day, on %(date)s", "expires in %(num)d days, on %(date)s", days_left, date=on)
            if days_left > 0 else gettext("expires today, %(date)s", date=on) if days_left == 0 else
            ngettext("expired on %(date)s (%(num)d day ago)", "expired on %(date)s (%(num)d days ago)", -days_left, date=on))
    renewal = gettext("we have opened a renewal request for it") if plan.renewal else \
        gettext("a renewal request is open for it") if cert.renewal_request_id else \
        gettext("please upload the renewed certificate")
    return gettext("your %(certificate)s %(when)s; %(renewal)s.", certificate=cert.label, when=when, renewal=renewal)


def compose(plans: list[Plan], today: date, settings: Settings) -> tuple[str, str]:
    """(subject, body) of one contact's reminder for these certificates."""
    link = ngettext("Upload the renewed certificate here: %(url)s", "Upload the renewed certificates here: %(url)s",
                    len(plans), url=f"{settings.public_url}/dashboard")
    if len(plans) == 1:
        plan = plans[0]
        subject = (gettext("Certificate expired: %(certificate)s", certificate=plan.cert.label) if plan.state is State.expired
                   else gettext("Certificate expiring: %(certificate)s", certificate=plan.cert.label))
        line = _line(plan, today)
        return subject, gettext("Hello,\n\n%(text)s\n\n%(link)s\n\nThank you.\n", text=f"{line[0].upper()}{line[1:]}", link=link)
    expired = sum(p.state is State.expired for p in plans)
    subject = ngettext("%(num)d certificate to renew", "%(num)d certificates to renew", len(plans)) + (
        " " + gettext("(%(n)d expired)", n=expired) if expired else "")
    lines = "\n".join(f"- {_line(p, today)}" for p in plans)
    return subject, gettext("Hello,\n\nthese certificates need renewing:\n%(lines)s\n\n%(link)s\n\nThank you.\n",
                            lines=lines, link=link)


def remind_suppliers(session: Session, settings: Settings, today: date, plans: list[Plan]) -> tuple[int, list[Plan]]:
    """Queue today's reminder to each contact of each supplier. Returns the number of e-mails
    queued and the plans now reminded (a supplier without contacts counts as reminded: there is
    nobody to tell, and asking again every hour would not change that)."""
    by_supplier: dict[int, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_supplier[plan.cert.supplier_id].append(plan)
    contacts = recipients(session, set(by_supplier))
    queued_total, reminded = 0, []
    for supplier_id, group in by_supplier.items():
        group.sort(key=lambda p: (p.cert.expiry_date, p.cert.id))
        to = contacts.get(supplier_id, [])
        queued = []
        for email, lang in to:
            with language(lang):  # each contact reads it in their own language
                subject, body = compose(group, today, settings)
            if queue_email(session, to=email, subject=subject, body=body, kind="certificate.reminder",
                           entity="supplier", entity_id=supplier_id,
                           dedupe_key=f"cert-reminders:{supplier_id}:{today.isoformat()}:{email}"):
                queued.append(email)
        if to and not queued:
            continue      # today's e-mail went out before these came up: they wait for tomorrow
        queued_total += len(queued)
        for plan in group:
            plan.reminded_to = queued
        reminded.extend(group)
    return queued_total, reminded


def quality_digest(session: Session, settings: Settings, today: date) -> int:
    """One e-mail a day to the quality team: what entered "expiring" or "expired" today."""
    counts = dict(session.exec(select(CertificateEvent.event_type, func.count()).where(
        CertificateEvent.on_day == today,
        CertificateEvent.event_type.in_(("certificate.expiring", "certificate.expired")))
        .group_by(CertificateEvent.event_type)).all())
    if not counts:
        return 0
    expiring, expired = counts.get("certificate.expiring", 0), counts.get("certificate.expired", 0)
    sent = 0
    users = session.exec(select(User.email, User.language).where(User.role == Role.quality.value,
                                                                 User.active.is_(True))).all()
    for email, lang in users:
        with language(lang):  # each member of the team reads it in their own language
            subject = gettext("Certificate register: %(expiring)d expiring, %(expired)d expired",
                              expiring=expiring, expired=expired)
            body = (gettext("Hello,\n\ntoday (%(date)s) in the certificate register:", date=today.isoformat()) + "\n"
                    + ngettext("- %(num)d certificate entered its expiring window",
                               "- %(num)d certificates entered their expiring window", expiring) + "\n"
                    + ngettext("- %(num)d certificate expired", "- %(num)d certificates expired", expired) + "\n\n"
                    + gettext("Renewal requests went to the suppliers. The dashboard: %(url)s",
                              url=f"{settings.public_url}/certificates/") + "\n")
        if queue_email(session, to=email, subject=subject, body=body, kind="certificate.digest",
                       dedupe_key=f"cert-digest:{today.isoformat()}:{email}"):
            sent += 1
    return sent
