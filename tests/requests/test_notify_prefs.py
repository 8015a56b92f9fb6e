"""Each user chooses how declaration e-mails reach them: immediately, or one daily digest. Their
Notifications page lists what the portal sent them (and nobody else's), without secrets."""

from datetime import date, timedelta

from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.mail.models import OutgoingEmail
from portal.mail.send import deliver_pending
from portal.notify_prefs.digest import send_daily_digests
from tests.conftest import csrf_token
from tests.requests.test_ux_flow import CERTIFICATE_FORM, _answer, _submit


def _choose(client, delivery: str):  # noqa: ANN001, ANN202
    return client.post("/settings/notifications", data={
        "csrf_token": csrf_token(client, "/settings/notifications"), "delivery": delivery})


def _ask_for_changes(buyer, session, decl, reason: str) -> None:  # noqa: ANN001
    session.refresh(decl)
    buyer.post(f"/review/{decl.id}/changes", data={"csrf_token": csrf_token(buyer, f"/review/{decl.id}"),
                                                   "lock_version": decl.lock_version, "reason": reason})


def _mail(session, kind: str) -> list[OutgoingEmail]:  # noqa: ANN001
    session.expire_all()
    return list(session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == kind).order_by(OutgoingEmail.id)).all())


def test_daily_digest_holds_declaration_emails_and_sends_one_a_day(app, session):
    supplier, buyer, decl = _answer(app, session)
    assert _choose(supplier, "weekly").status_code == 400  # not a choice: nothing changes
    me = session.exec(select(User).where(User.role == "supplier")).one()
    session.refresh(me)
    assert me.email_digest is False
    assert _choose(supplier, "daily").status_code == 303
    session.refresh(me)
    assert me.email_digest is True
    assert 'value="daily" checked' in supplier.get("/settings/notifications").get_data(as_text=True)

    _submit(supplier, decl, **CERTIFICATE_FORM)
    _ask_for_changes(buyer, session, decl, "Wrong site")
    [held] = _mail(session, "declaration.changes_requested")
    assert held.status == "held" and held.to == me.email
    deliver_pending()
    assert _mail(session, "declaration.changes_requested")[0].status == "held"  # not sent on its own
    page = supplier.get("/notifications").get_data(as_text=True)
    assert "Changes requested: your Certificate" in page and "Waiting for your daily digest" in page
    assert "Submitted for review" not in page  # procurement's e-mail is not the supplier's business

    today = date(2026, 12, 1)
    assert send_daily_digests(today) == 1
    [digest] = _mail(session, "notifications.digest")
    assert digest.to == me.email and digest.status == "logged" and "Wrong site" in digest.body
    assert f"/declarations/{decl.id}" in digest.body and "/settings/notifications" in digest.body
    assert _mail(session, "declaration.changes_requested")[0].status == "digested"
    assert send_daily_digests(today) == 0  # a second run the same day sends nothing

    _submit(supplier, decl, **CERTIFICATE_FORM)
    _ask_for_changes(buyer, session, decl, "Still the wrong site")
    assert send_daily_digests(today) == 0  # today's digest went out: the new one waits for tomorrow
    assert _mail(session, "declaration.changes_requested")[-1].status == "held"
    assert send_daily_digests(today + timedelta(days=1)) == 1
    assert "Still the wrong site" in _mail(session, "notifications.digest")[-1].body


def test_switching_back_to_immediately_sends_what_was_waiting(app, session):
    supplier, buyer, decl = _answer(app, session)
    _choose(supplier, "daily")
    _submit(supplier, decl, **CERTIFICATE_FORM)
    _ask_for_changes(buyer, session, decl, "Wrong site")
    assert _mail(session, "declaration.changes_requested")[0].status == "held"
    assert _choose(supplier, "immediately").status_code == 303
    assert _mail(session, "declaration.changes_requested")[0].status in ("pending", "logged")
    deliver_pending()
    assert _mail(session, "declaration.changes_requested")[0].status == "logged"
    changes = session.exec(select(AuditEntry).where(AuditEntry.action == "user.notifications_changed")
                           .order_by(AuditEntry.id)).all()
    assert [(c.before, c.after) for c in changes] == [("immediately", "daily digest"), ("daily digest", "immediately")]
