"""Time travel: "today" is passed into the daily job, which walks a certificate through
valid → expiring (reminder + renewal request) → expired → replaced. Every day runs twice:
e-mails, events and requests happen exactly once."""

import sys
import types
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from portal.certificates.daily import run_daily
from portal.certificates.models import Certificate, CertificateEvent
from portal.certificates.states import State, state_of
from portal.mail.models import OutgoingEmail
from portal.requests.models import DeclarationRequest
from portal.settings import load_settings
from tests.certificates.helpers import approve, gen_certificate, logged_in, submit_certificate

EXPIRY = date(2031, 6, 30)


def _emails(session, kind: str) -> list[OutgoingEmail]:  # noqa: ANN001
    return session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == kind).order_by(OutgoingEmail.id)).all()


def _events(session) -> Counter:  # noqa: ANN001
    return Counter(session.exec(select(CertificateEvent.event_type)).all())


def _day(today: date) -> dict:
    """The job twice on the same day (a restart, a second worker): the second does nothing."""
    first = run_daily(today)
    second = run_daily(today)
    assert {k: v for k, v in second.items() if k not in ("candidates", "seconds") and v} == {}, second
    return first


def test_walk_valid_expiring_expired_replaced(app, session):
    supplier, supplier_user = logged_in(app, session, "supplier")
    reviewer, _ = logged_in(app, session, "procurement")
    quality, quality_user = logged_in(app, session, "quality")
    cert = approve(reviewer, session, submit_certificate(supplier, session, number="Q-4242", expiry=EXPIRY))
    settings = load_settings()

    # valid: 120 days to go, nothing to say
    _day(EXPIRY - timedelta(days=120))
    assert _emails(session, "certificate.reminder") == [] and _events(session)["certificate.expiring"] == 0
    assert session.exec(select(func.count()).select_from(DeclarationRequest)).one() == 0

    # 90 days before: expiring; the first reminder goes out and a renewal request is opened
    day = EXPIRY - timedelta(days=90)
    _day(day)
    session.expire_all()
    cert = session.get(Certificate, cert.id)
    assert state_of(cert, day, settings) is State.expiring
    reminders = _emails(session, "certificate.reminder")
    assert [(e.to, e.subject) for e in reminders] == [(supplier_user.email, "Certificate expiring: ISO 9001:2015 certificate Q-4242")]
    assert "expires in 90 days, on 2031-06-30" in reminders[0].body and "opened a renewal request" in reminders[0].body
    renewal = session.exec(select(DeclarationRequest)).one()
    assert (renewal.supplier_id, renewal.document_type, renewal.due_date, renewal.status) == \
        (supplier_user.supplier_id, "certificate", EXPIRY, "open")
    assert cert.renewal_request_id == renewal.id
    assert _events(session) == {"certificate.registered": 1, "certificate.expiring": 1, "certificate.renewal_requested": 1,
                                "certificate.reminder_sent": 1}
    digest = _emails(session, "certificate.digest")
    assert [(e.to, e.subject) for e in digest] == [(quality_user.email, "Certificate register: 1 expiring, 0 expired")]

    # the days between offsets are quiet; the next offset reminds again, without a second request
    _day(day + timedelta(days=1))
    _day(EXPIRY - timedelta(days=60))
    assert len(_emails(session, "certificate.reminder")) == 2
    assert session.exec(select(func.count()).select_from(DeclarationRequest)).one() == 1

    # the supplier sees it on their dashboard
    assert "ISO 9001:2015 certificate Q-4242" in supplier.get("/dashboard").get_data(as_text=True)

    # the day after the expiry date: expired, the expiry notice, one "expired" event
    day = EXPIRY + timedelta(days=1)
    _day(day)
    reminders = _emails(session, "certificate.reminder")
    assert len(reminders) == 3 and reminders[-1].subject == "Certificate expired: ISO 9001:2015 certificate Q-4242"
    assert _events(session) == {"certificate.registered": 1, "certificate.expiring": 1, "certificate.expired": 1,
                                "certificate.renewal_requested": 1, "certificate.reminder_sent": 3}
    assert len(_emails(session, "certificate.digest")) == 2

    # the supplier answers the renewal request; procurement approves: the new one replaces the old
    renewed = approve(reviewer, session, submit_certificate(supplier, session, number="Q-4243", expiry=date(2034, 6, 30),
                                                            issued=EXPIRY, request_id=renewal.id))
    session.expire_all()
    old = session.get(Certificate, cert.id)
    assert old.superseded_by_id == renewed.id and state_of(old, day, settings) is State.superseded
    assert state_of(renewed, day, settings) is State.valid
    assert session.get(DeclarationRequest, renewal.id).status == "approved"

    # later days: nothing more about the replaced certificate
    _day(day)
    _day(day + timedelta(days=30))
    assert len(_emails(session, "certificate.reminder")) == 3
    assert _events(session) == {"certificate.registered": 2, "certificate.expiring": 1, "certificate.expired": 1,
                                "certificate.renewal_requested": 1, "certificate.reminder_sent": 3,
                                "certificate.superseded": 1}
    assert session.exec(select(func.count()).select_from(DeclarationRequest)).one() == 1

    # the quality team sees the whole story on the old certificate's page
    page = quality.get(f"/certificates/{old.id}").get_data(as_text=True)
    for text in ("Reminder 90 days before expiry → <span translate=\"no\">" + supplier_user.email,
                 "Reminder 60 days before expiry", "Expiry notice",   # the reminders, in words
                 "Expiring soon", "Expired", "Replaced by a newer certificate",   # the events, in words
                 f"Request #{renewal.id}, due {EXPIRY.isoformat()}: Approved"):
        assert text in page, text


def test_after_expiry_a_reminder_every_30_days_until_the_stop(app, session, monkeypatch):
    monkeypatch.setenv("CERT_REMINDER_STOP_DAYS", "100")
    _, supplier_user = logged_in(app, session, "supplier")
    cert = gen_certificate(session, supplier_user.supplier_id, EXPIRY)
    keys = []
    for offset in range(-100, 130):
        run_daily(EXPIRY + timedelta(days=offset))
        session.expire_all()
        key = session.get(Certificate, cert.id).last_reminder_key
        if not keys or keys[-1][1] != key:
            keys.append((offset, key))
    assert keys == [(-100, None), (-90, "before-90"), (-60, "before-60"), (-30, "before-30"), (-14, "before-14"),
                    (-1, "before-1"), (1, "expired"), (30, "after-1"), (60, "after-2"), (90, "after-3")]
    assert len(_emails(session, "certificate.reminder")) == 9
    assert _events(session) == {"certificate.expiring": 1, "certificate.expired": 1, "certificate.renewal_requested": 1,
                                "certificate.reminder_sent": 9}


def test_a_missed_day_sends_only_the_latest_reminder(app, session):
    _, supplier_user = logged_in(app, session, "supplier")
    gen_certificate(session, supplier_user.supplier_id, EXPIRY)
    result = run_daily(EXPIRY - timedelta(days=20))     # the worker was down since day -95
    assert (result["emails"], result["renewal_requests"], result["events_expiring"]) == (1, 1, 1)
    assert "expires in 20 days" in _emails(session, "certificate.reminder")[0].body


def test_a_certificate_approved_already_expired_is_announced_as_expired_once(app, session):
    _, supplier_user = logged_in(app, session, "supplier")
    gen_certificate(session, supplier_user.supplier_id, EXPIRY)
    run_daily(EXPIRY + timedelta(days=45))
    assert _events(session) == {"certificate.expired": 1, "certificate.renewal_requested": 1,
                                "certificate.reminder_sent": 1}
    assert [e.subject.split(":")[0] for e in _emails(session, "certificate.reminder")] == ["Certificate expired"]
    assert session.exec(select(DeclarationRequest)).one().due_date == EXPIRY + timedelta(days=45 + 14)


def test_scheme_windows_and_offsets_come_from_settings(app, session, monkeypatch):
    monkeypatch.setenv("CERT_EXPIRING_WINDOWS", "gots=30")
    monkeypatch.setenv("CERT_REMINDER_OFFSETS", "30,7")
    _, supplier_user = logged_in(app, session, "supplier")
    gots = gen_certificate(session, supplier_user.supplier_id, EXPIRY, scheme="gots", number="CU-GOTS-123456")
    iso = gen_certificate(session, supplier_user.supplier_id, EXPIRY)
    settings = load_settings()
    day = EXPIRY - timedelta(days=60)
    assert (state_of(gots, day, settings), state_of(iso, day, settings)) == (State.valid, State.expiring)
    result = run_daily(day)
    # the ISO certificate entered its 90-day window: event and renewal request, but no reminder before day -30
    assert (result.get("events_expiring"), result.get("renewal_requests"), result.get("emails", 0)) == (1, 1, 0)
    result = run_daily(EXPIRY - timedelta(days=30))
    # both reach a reminder today: one e-mail lists the two
    assert (result.get("events_expiring"), result.get("renewal_requests"), result.get("emails")) == (1, 1, 1)
    email = _emails(session, "certificate.reminder")[0]
    assert email.subject == "2 certificates to renew"
    assert "your GOTS certificate CU-GOTS-123456 expires in 30 days" in email.body
    assert f"your ISO 9001 certificate {iso.certificate_number} expires in 30 days" in email.body


def test_superseded_and_revoked_certificates_are_left_alone(app, session):
    _, supplier_user = logged_in(app, session, "supplier")
    newer = gen_certificate(session, supplier_user.supplier_id, EXPIRY + timedelta(days=1000))
    gen_certificate(session, supplier_user.supplier_id, EXPIRY, superseded_by_id=newer.id)
    from portal.timeutil import utcnow
    gen_certificate(session, supplier_user.supplier_id, EXPIRY, revoked_at=utcnow(), revoked_reason="withdrawn")
    result = run_daily(EXPIRY + timedelta(days=1))
    assert result["candidates"] == 0 and _emails(session, "certificate.reminder") == []


def test_state_changes_go_to_the_webhooks_package_when_it_exists(app, session, monkeypatch):
    emitted = []
    fake = types.ModuleType("portal.webhooks")
    fake.emit = lambda s, event_type, payload: emitted.append((event_type, payload))
    monkeypatch.setitem(sys.modules, "portal.webhooks", fake)
    _, supplier_user = logged_in(app, session, "supplier")
    cert = gen_certificate(session, supplier_user.supplier_id, EXPIRY, standard="ISO 9001:2015")
    run_daily(EXPIRY - timedelta(days=10))
    run_daily(EXPIRY + timedelta(days=1))
    run_daily(EXPIRY + timedelta(days=1))
    assert [t for t, _ in emitted] == ["certificate.expiring", "certificate.expired"]
    payload = emitted[1][1]
    assert payload["certificate"] == {**payload["certificate"], "id": cert.id, "state": "expired", "days_left": -1,
                                      "expiry_date": "2031-06-30", "certificate_number": cert.certificate_number}
    assert payload["supplier"] == {"id": supplier_user.supplier_id, "name": "Tatra Magnetics s.r.o."}


@pytest.mark.parametrize("runs", [2])
def test_overlapping_runs_record_each_thing_once(app, session, runs):
    """Two runs racing on the same day: the dedupe keys keep e-mails and events single."""
    import threading
    _, supplier_user = logged_in(app, session, "supplier")
    for i in range(30):
        gen_certificate(session, supplier_user.supplier_id, EXPIRY + timedelta(days=i))
    day = EXPIRY - timedelta(days=5)
    errors = []

    def run() -> None:
        try:
            run_daily(day)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run_daily(day)
    assert errors == []
    assert _events(session) == {"certificate.expiring": 30, "certificate.renewal_requested": 30,
                                "certificate.reminder_sent": 30}
    assert [e.subject for e in _emails(session, "certificate.reminder")] == ["30 certificates to renew"]
    assert session.exec(select(func.count()).select_from(DeclarationRequest)).one() == 30


def test_a_batch_that_collides_with_another_run_rolls_back_and_retries(app, session, monkeypatch):
    """A run that read the register before another run committed the same events: its batch
    fails on the unique keys, is retried, and then finds them recorded."""
    from portal.certificates import daily
    _, supplier_user = logged_in(app, session, "supplier")
    cert = gen_certificate(session, supplier_user.supplier_id, EXPIRY)
    day = EXPIRY - timedelta(days=5)
    run_daily(day)
    session.expire_all()
    cert = session.get(Certificate, cert.id)
    cert.announced_state = cert.last_reminder_key = None     # as that other run saw the row
    session.add(cert)
    session.commit()
    calls = []

    def stale_keys(s, ids):  # noqa: ANN001, ANN202
        calls.append(ids)
        return set() if len(calls) == 1 else real_keys(s, ids)
    real_keys = daily.recorded_keys
    monkeypatch.setattr(daily, "recorded_keys", stale_keys)
    run_daily(day)
    assert len(calls) == 2
    assert _events(session) == {"certificate.expiring": 1, "certificate.renewal_requested": 1,
                                "certificate.reminder_sent": 1}
    assert len(_emails(session, "certificate.reminder")) == 1
    session.expire_all()
    assert session.get(Certificate, cert.id).announced_state == "expiring"


def test_one_reminder_a_day_per_contact_later_ones_wait_for_tomorrow(app, session):
    _, supplier_user = logged_in(app, session, "supplier")
    first = gen_certificate(session, supplier_user.supplier_id, EXPIRY)
    day = EXPIRY - timedelta(days=30)
    assert run_daily(day)["emails"] == 1
    later = gen_certificate(session, supplier_user.supplier_id, EXPIRY + timedelta(days=2))   # approved at noon
    assert run_daily(day).get("emails", 0) == 0            # today's e-mail went out already
    session.expire_all()
    assert session.get(Certificate, later.id).last_reminder_key is None
    assert run_daily(day + timedelta(days=1))["emails"] == 1
    emails = _emails(session, "certificate.reminder")
    assert [e.to for e in emails] == [supplier_user.email] * 2
    assert later.certificate_number in emails[1].body and first.certificate_number not in emails[1].body
