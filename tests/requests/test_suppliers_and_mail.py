"""Suppliers: invitations with one-time expiring links, bulk import row by row; reminders once."""

import re
from datetime import date, timedelta

from sqlmodel import select

from portal.auth.invitations import Invitation
from portal.auth.models import User
from portal.mail.models import OutgoingEmail
from portal.requests.notifications import send_request_reminders
from portal.requests.models import DeclarationRequest
from portal.suppliers.models import Supplier
from portal.timeutil import utcnow
from tests.conftest import csrf_token, gen_user, login


def _buyer(app, session):  # noqa: ANN001, ANN202
    client = app.test_client()
    login(client, gen_user(session, "procurement").email)
    return client


def delivered_link(app, caplog) -> str:  # noqa: ANN001
    """Deliver pending e-mails (no SMTP_HOST: to the log) and read the invitation link there,
    the only place it exists."""
    from portal.mail.send import deliver_pending
    caplog.clear()
    with caplog.at_level("WARNING", logger="portal.mail.send"):
        deliver_pending(app.config["SETTINGS"])
    return re.search(r"http://[^/\s]+(/invite/\S+)", caplog.text).group(1)


def test_invitation_link_sets_password_once(app, session, caplog):
    buyer = _buyer(app, session)
    buyer.post("/suppliers/new", data={"csrf_token": csrf_token(buyer, "/suppliers/new"), "name": "Nordic Foils AB",
                                       "country": "Sweden"})
    supplier = session.exec(select(Supplier).where(Supplier.name == "Nordic Foils AB")).one()
    assert supplier.country_code == "SE"
    buyer.post(f"/suppliers/{supplier.id}/contacts", data={"csrf_token": csrf_token(buyer, f"/suppliers/{supplier.id}"),
                                                           "email": "Lena@Nordic.test"})
    email = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "invitation")).one()
    assert email.to == "lena@nordic.test"
    assert "/invite/" not in email.body and "[link sent to the recipient]" in email.body
    link = delivered_link(app, caplog)
    user = session.exec(select(User).where(User.email == "lena@nordic.test")).one()
    assert not user.active
    invitee = app.test_client()
    assert login(invitee, "lena@nordic.test").status_code == 200  # cannot log in before setting a password
    token = csrf_token(invitee, link)
    short = invitee.post(link, data={"csrf_token": token, "password": "short", "confirm": "short"})
    assert "Use at least 12 characters (this one has 5)." in short.get_data(as_text=True)
    common = invitee.post(link, data={"csrf_token": token, "password": "password1234", "confirm": "password1234"})
    assert "one of the most common passwords" in common.get_data(as_text=True)
    done = invitee.post(link, data={"csrf_token": token, "password": "a good long password", "confirm": "a good long password"})
    assert done.status_code == 302 and done.headers["Location"] == "/dashboard"
    session.refresh(user)
    assert user.active and user.check_password("a good long password")
    assert app.test_client().get(link).status_code == 404  # used once


def test_expired_invitation_is_refused(app, session):
    user = gen_user(session)
    from portal.auth.invitations import create_invitation
    token = create_invitation(session, user, ttl_hours=1)
    session.commit()
    invitation = session.exec(select(Invitation)).one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    session.add(invitation)
    session.commit()
    page = app.test_client().get(f"/invite/{token}")
    assert page.status_code == 404 and "expired" in page.get_data(as_text=True)


def test_bulk_import_reports_row_by_row(app, session):
    import io
    buyer = _buyer(app, session)
    csv_text = ("Name;Country;Contact email\nAlpha GmbH;DE;anna@alpha.test\nBeta SA;Atlantis;\n"
                ";;\nAlpha GmbH;Germany;\nGamma Srl;IT;not-an-email\n")
    page = buyer.post("/suppliers/import", data={"csrf_token": csrf_token(buyer, "/suppliers/import"),
                                                 "file": (io.BytesIO(csv_text.encode()), "suppliers.csv")},
                      content_type="multipart/form-data").get_data(as_text=True)
    rows = re.findall(r"<tr[^>]*><td>(\d+)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td><td>([^<]*)</td></tr>", page)
    assert rows == [("2", "Alpha GmbH", "created, contact invited", ""),
                    ("3", "Beta SA", "not imported", "unknown country “Atlantis”"),
                    ("5", "Alpha GmbH", "updated", ""),
                    ("6", "Gamma Srl", "not imported", "“not-an-email” is not an e-mail address")]
    names = set(session.exec(select(Supplier.name)).all())
    assert "Alpha GmbH" in names and "Beta SA" not in names and "Gamma Srl" not in names  # a bad row saves nothing


def test_reminders_go_out_once_per_offset(app, session):
    supplier_user = gen_user(session)
    buyer = gen_user(session, "procurement")
    today = date(2026, 6, 1)
    req = DeclarationRequest(supplier_id=supplier_user.supplier_id, document_type="rohs", due_date=today + timedelta(days=7),
                             created_by_id=buyer.id)
    answered = DeclarationRequest(supplier_id=supplier_user.supplier_id, document_type="cmrt", status="approved",
                                  due_date=today + timedelta(days=7), created_by_id=buyer.id)
    session.add(req)
    session.add(answered)
    session.commit()
    assert send_request_reminders(today) == 1
    assert send_request_reminders(today) == 0  # the job ran twice: nobody gets two e-mails
    assert send_request_reminders(today + timedelta(days=1)) == 0  # 6 days before: not an offset
    assert send_request_reminders(today + timedelta(days=8)) == 1  # one day after the due date
    emails = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "request.reminder")).all()
    assert [e.status for e in emails] == ["logged", "logged"]
    assert "is due in 7 days" in emails[0].subject and "1 day ago" in emails[1].subject


def test_contact_access_can_be_switched_off_and_on(app, session):
    contact = gen_user(session, supplier="Acme Ltd")
    other = gen_user(session, supplier="Other Ltd")
    buyer = _buyer(app, session)
    url = f"/suppliers/{contact.supplier_id}/contacts/{contact.id}/active"
    buyer.post(url, data={"csrf_token": csrf_token(buyer, f"/suppliers/{contact.supplier_id}"), "active": "0"})
    session.refresh(contact)
    assert not contact.active
    assert login(app.test_client(), contact.email).status_code == 200  # refused: stays on the login page
    buyer.post(url, data={"csrf_token": csrf_token(buyer, f"/suppliers/{contact.supplier_id}"), "active": "1"})
    session.refresh(contact)
    assert contact.active and login(app.test_client(), contact.email).status_code == 302
    wrong = f"/suppliers/{contact.supplier_id}/contacts/{other.id}/active"
    assert buyer.post(wrong, data={"csrf_token": csrf_token(buyer, "/suppliers/"), "active": "0"}).status_code == 404


def test_supplier_page_lists_its_requests_in_words(app, session):
    """The Requests section comes from the requests area (portal.suppliers.sections): newest due
    date first, the document and status in words, another supplier's requests not shown."""
    supplier_user, other = gen_user(session), gen_user(session, supplier="Nordic Foils AB")
    buyer = _buyer(app, session)
    creator = session.exec(select(User).where(User.role == "procurement")).first()
    for supplier_id, doc_type, due in ((supplier_user.supplier_id, "rohs", date(2026, 7, 1)),
                                       (supplier_user.supplier_id, "cmrt", date(2026, 9, 1)),
                                       (other.supplier_id, "reach_svhc", date(2026, 8, 1))):
        session.add(DeclarationRequest(supplier_id=supplier_id, document_type=doc_type, due_date=due,
                                       created_by_id=creator.id))
    session.commit()
    page = buyer.get(f"/suppliers/{supplier_user.supplier_id}").get_data(as_text=True)
    section = page[page.index("<h2>Requests</h2>"):]
    assert "due 2026-09-01" in section and "due 2026-07-01" in section
    assert section.index("2026-09-01") < section.index("2026-07-01")
    assert "2026-08-01" not in section and "rohs" not in section and "RoHS" in section
    empty = buyer.get(f"/suppliers/{other.supplier_id}").get_data(as_text=True)
    assert "2026-08-01" in empty and "None yet." not in empty[empty.index("<h2>Requests</h2>"):]
