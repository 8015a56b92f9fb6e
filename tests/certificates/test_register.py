"""Approved certificates enter the register (from an upload or the form); renewals supersede
older ones and the history stays; the register's checks show on the review screen."""

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.certificates.models import Certificate, CertificateEvent
from portal.documents.jobs import extract_document
from portal.documents.models import Document
from portal.requests.models import Declaration
from tests.certificates.helpers import approve, logged_in, submit_certificate
from tests.conftest import FIXTURES, csrf_token, upload

ISO_PDF = FIXTURES / "pdf" / "dev" / "iso_classic-1.pdf"   # ISO 14001, Q73-897926, Lumen Components S.r.l.


def test_an_uploaded_certificate_enters_the_register_when_approved(app, session):
    supplier, _ = logged_in(app, session, "supplier", supplier="Lumen Components S.r.l.")
    reviewer, buyer = logged_in(app, session, "procurement")
    upload(supplier, Path(ISO_PDF))
    doc = session.exec(select(Document)).one()
    extract_document(doc.id)
    decl = session.exec(select(Declaration).where(Declaration.document_id == doc.id)).one()
    assert decl.document_type == "certificate"
    url = f"/declarations/{decl.id}"
    supplier.post(f"{url}/submit", data={"csrf_token": csrf_token(supplier, url), "lock_version": decl.lock_version,
                                         "signatory_name": "Ann Smith", "signatory_title": "QA", "confirm": "yes"})
    session.refresh(decl)
    assert decl.status == "submitted", decl.errors

    cert = approve(reviewer, session, decl)
    assert (cert.scheme, cert.certificate_number, cert.holder_name, cert.issuer_name) == \
        ("iso_14001", "Q73-897926", "Lumen Components S.r.l.", "CERES GmbH")
    assert (cert.issue_date, cert.expiry_date) == (date(2024, 9, 18), date(2027, 9, 17))
    assert cert.source_sha256 == doc.sha256 and cert.document_id == doc.id
    assert cert.approved_by_id == buyer.id and cert.findings is None
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "certificate.registered")).one().entity_id == str(cert.id)
    assert [e.event_type for e in session.exec(select(CertificateEvent)).all()] == ["certificate.registered"]


def test_a_renewal_supersedes_the_older_certificate_and_the_history_stays(app, session):
    supplier, _ = logged_in(app, session, "supplier")
    reviewer, _ = logged_in(app, session, "procurement")
    quality, _ = logged_in(app, session, "quality")
    old = approve(reviewer, session, submit_certificate(supplier, session, number="Q-1001", expiry=date(2026, 3, 1)))
    other_scheme = approve(reviewer, session, submit_certificate(
        supplier, session, number="E-2002", expiry=date(2026, 3, 1), scheme="iso_14001", standard="ISO 14001:2015"))
    new = approve(reviewer, session, submit_certificate(supplier, session, number="Q-1002", expiry=date(2029, 3, 1),
                                                        issued=date(2026, 2, 1)))
    session.refresh(old)
    session.refresh(other_scheme)
    assert old.superseded_by_id == new.id and old.superseded_at is not None
    assert new.superseded_by_id is None and other_scheme.superseded_by_id is None   # another scheme is another line
    assert session.exec(select(CertificateEvent).where(CertificateEvent.event_type == "certificate.superseded")).one() \
        .certificate_id == old.id

    page = quality.get(f"/certificates/{new.id}").get_data(as_text=True)
    assert "Q-1001" in page and "Q-1002" in page and "Superseded" in page and f"#{new.id}" in page
    old_page = quality.get(f"/certificates/{old.id}").get_data(as_text=True)
    assert 'data-state="superseded"' in old_page

    # a late upload of an older certificate does not replace the newer one: it is history at once
    late = approve(reviewer, session, submit_certificate(supplier, session, number="Q-0999", expiry=date(2025, 3, 1)))
    session.refresh(new)
    assert late.superseded_by_id == new.id and new.superseded_by_id is None


def test_checks_flag_on_the_review_screen_and_stay_on_the_register_entry(app, session):
    supplier, _ = logged_in(app, session, "supplier")
    other_supplier, _ = logged_in(app, session, "supplier", supplier="Lumen Cables GmbH")
    reviewer, _ = logged_in(app, session, "procurement")
    first = approve(reviewer, session, submit_certificate(supplier, session, number="Q-5555", expiry=date(2027, 1, 1)))
    assert first.findings is None

    decl = submit_certificate(other_supplier, session, number="q-5555", expiry=date(2027, 1, 1),
                              holder="Tatra Magnetics s.r.o.", issued=date(2027, 6, 1))
    screen = reviewer.get(f"/review/{decl.id}").get_data(as_text=True)
    assert "Certificate register checks" in screen
    assert f"in the register for Tatra Magnetics s.r.o. (certificate #{first.id})" in screen
    assert "does not look like the supplier “Lumen Cables GmbH”" in screen
    assert "is not after the issue date" in screen

    cert = approve(reviewer, session, decl)
    assert {f["code"] for f in cert.findings} == {"duplicate_other_supplier", "holder_mismatch", "expiry_before_issue",
                                                 "number_pattern"}   # a lower-case "q" is no ISO number shape
    assert first.superseded_by_id is None      # another supplier's certificate is not superseded


def test_the_same_certificate_sent_again_is_recognised_as_a_duplicate(app, session):
    supplier, _ = logged_in(app, session, "supplier")
    reviewer, _ = logged_in(app, session, "procurement")
    first = approve(reviewer, session, submit_certificate(supplier, session, number="Q-7777", expiry=date(2027, 5, 1)))
    first.announced_state, first.last_reminder_key = "expiring", "before-60"
    session.add(first)
    session.commit()
    again = approve(reviewer, session, submit_certificate(supplier, session, number="Q 7777", expiry=date(2027, 5, 1)))
    assert [f["code"] for f in again.findings] == ["duplicate"]
    session.refresh(first)
    assert first.superseded_by_id == again.id
    # what was announced about it stays announced: no second "expiring" event or reminder
    assert (again.announced_state, again.last_reminder_key) == ("expiring", "before-60")

    renewed = approve(reviewer, session, submit_certificate(supplier, session, number="Q-7777", expiry=date(2030, 5, 1)))
    assert [f["code"] for f in renewed.findings] == ["same_number", "same_number"]
    assert renewed.announced_state is None


def test_approving_twice_does_not_register_twice(app, session):
    from portal.certificates.register import add_to_register
    supplier, _ = logged_in(app, session, "supplier")
    reviewer, _ = logged_in(app, session, "procurement")
    decl = submit_certificate(supplier, session, number="Q-3131", expiry=date.today() + timedelta(days=400))
    cert = approve(reviewer, session, decl)
    assert add_to_register(session, decl).id == cert.id
    assert len(session.exec(select(Certificate)).all()) == 1


def test_a_record_the_register_cannot_take_stops_the_approval_with_a_message(app, session):
    """The schema requires number and expiry date; should a record still lack them, the review
    screen says so (a DeclarationError) and nothing is approved."""
    import pytest

    from portal.certificates.register import RegisterError, add_to_register
    from portal.requests.declarations import DeclarationError
    supplier, _ = logged_in(app, session, "supplier")
    decl = submit_certificate(supplier, session, number="Q-8080", expiry=date(2030, 1, 1))
    decl.record = {**decl.record, "expiry_date": "soon"}
    with pytest.raises(RegisterError) as raised:
        add_to_register(session, decl)
    assert isinstance(raised.value, DeclarationError) and "expiry date" in str(raised.value)
    session.rollback()
