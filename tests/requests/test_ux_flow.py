"""A supplier's work is never dropped (submit saves the form first), warnings appear before
submitting and approving, the wrong kind of upload is not shown as a success, and each decision
e-mails the people who act next, with a link."""

from datetime import date, timedelta

from sqlmodel import select

from portal.mail.models import OutgoingEmail
from portal.requests.models import Declaration, DeclarationRequest
from tests.conftest import CMRT_FILE, csrf_token, gen_user, login
from tests.requests.test_requests import _buyer, _send

CERTIFICATE_FORM = {"scheme": "iso_14001", "standard": "ISO 14001:2015", "certificate_number": "Q-12345",
                    "holder-name": "Acme Ltd", "issuer-name": "TÜV SÜD", "issue_date": "2025-03-01",
                    "expiry_date": (date.today() + timedelta(days=400)).isoformat()}


def _answer(app, session, message="Your current ISO 14001 certificate."):  # noqa: ANN001, ANN202
    supplier_user = gen_user(session, supplier="Acme Ltd")
    buyer = _buyer(app, session)
    _send(buyer, [supplier_user.supplier_id], message=message)
    req = session.exec(select(DeclarationRequest)).one()
    supplier = app.test_client()
    login(supplier, supplier_user.email)
    supplier.post(f"/requests/{req.id}/answer", data={"csrf_token": csrf_token(supplier, "/dashboard")})
    decl = session.exec(select(Declaration)).one()
    return supplier, buyer, decl


def _submit(client, decl, **fields):  # noqa: ANN001, ANN003, ANN202
    """What the page posts when the supplier presses "Submit declaration": the form and the signature."""
    data = {"csrf_token": csrf_token(client, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
            "with_form": "1", "action": "submit", "signatory_name": "Ann Smith", "signatory_title": "QA lead",
            "confirm": "yes", **fields}
    return client.post(f"/declarations/{decl.id}/submit", data=data, follow_redirects=True)


def test_submit_saves_the_forms_current_values_first(app, session):
    supplier, _, decl = _answer(app, session)
    page = _submit(supplier, decl, **CERTIFICATE_FORM).get_data(as_text=True)  # never saved as a draft
    session.refresh(decl)
    assert decl.status == "submitted", page
    assert decl.record["certificate_number"] == "Q-12345" and decl.record["holder"] == {"name": "Acme Ltd"}


def test_a_refused_submit_still_keeps_what_was_typed(app, session):
    supplier, _, decl = _answer(app, session)
    page = _submit(supplier, decl, **{**CERTIFICATE_FORM, "holder-name": ""}, signatory_name="").get_data(as_text=True)
    session.refresh(decl)
    assert decl.status == "draft" and decl.record["certificate_number"] == "Q-12345"
    assert "To submit, give the signatory" in page
    assert 'data-unsaved-guard' in page and "unsaved.js" in page


def test_warnings_before_submit_and_before_approval(app, session):
    supplier, buyer, decl = _answer(app, session)
    expired = (date.today() - timedelta(days=10)).isoformat()
    wrong = {**CERTIFICATE_FORM, "scheme": "iso_9001", "holder-name": "Northwind Plastics GmbH",
             "issue_date": "2022-01-01", "expiry_date": expired}
    supplier.post(f"/declarations/{decl.id}", data={
        "csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
        **wrong, "action": "save"})
    page = supplier.get(f"/declarations/{decl.id}").get_data(as_text=True)
    assert f"This certificate expired on {expired}" in page
    assert "The request asks for ISO 14001 (environment), but this certificate is ISO 9001 (quality)" in page
    assert "Northwind Plastics GmbH" in page and "does not look like the supplier" in page
    session.refresh(decl)
    _submit(supplier, decl, **wrong)
    session.refresh(decl)
    assert decl.status == "submitted"  # warnings warn, they do not block
    review = buyer.get(f"/review/{decl.id}").get_data(as_text=True)
    assert 'id="approval-warnings"' in review and f"expired on {expired}" in review
    assert "but this certificate is ISO 9001 (quality)" in review


def test_no_warning_for_a_current_certificate_of_the_requested_scheme(app, session):
    supplier, _, decl = _answer(app, session)
    supplier.post(f"/declarations/{decl.id}", data={
        "csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
        **CERTIFICATE_FORM, "action": "save"})
    assert 'id="submit-warnings"' not in supplier.get(f"/declarations/{decl.id}").get_data(as_text=True)


def test_a_cmrt_uploaded_for_a_certificate_request_is_not_shown_as_read_successfully(app, session):
    import io

    from portal.documents.jobs import extract_document
    from portal.documents.models import Document
    supplier, _, decl = _answer(app, session)
    supplier.post(f"/declarations/{decl.id}/upload", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"),
        "file": (io.BytesIO(CMRT_FILE.read_bytes()), CMRT_FILE.name)})
    extract_document(session.exec(select(Document)).one().id)
    page = supplier.get(f"/declarations/{decl.id}").get_data(as_text=True)
    assert "Not the document this request asks for" in page and 'data-status="extracted"' not in page
    assert "this request asks for a certificate. Upload your certificate instead." in page
    assert "CERTIFICATE" not in page


def test_decisions_email_the_people_who_act_next(app, session):
    supplier, buyer, decl = _answer(app, session)
    _submit(supplier, decl, **CERTIFICATE_FORM)
    sent = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "declaration.submitted")).one()
    assert sent.to.startswith("procurement") and f"/review/{decl.id}" in sent.body and "Acme Ltd" in sent.subject
    session.refresh(decl)
    buyer.post(f"/review/{decl.id}/changes", data={
        "csrf_token": csrf_token(buyer, f"/review/{decl.id}"), "lock_version": decl.lock_version,
        "reason": "Wrong site", "note:/holder/name": "Use the legal name"})
    asked = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "declaration.changes_requested")).one()
    assert asked.to.startswith("supplier") and f"/declarations/{decl.id}" in asked.body
    assert "Wrong site" in asked.body and "Certificate holder › Holder name: Use the legal name" in asked.body
    session.refresh(decl)
    _submit(supplier, decl, **CERTIFICATE_FORM)
    session.refresh(decl)
    buyer.post(f"/review/{decl.id}/approve", data={"csrf_token": csrf_token(buyer, f"/review/{decl.id}"),
                                                   "lock_version": decl.lock_version})
    session.refresh(decl)
    assert decl.status == "approved"
    approved = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "declaration.approved")).one()
    assert approved.to.startswith("supplier") and f"/declarations/{decl.id}" in approved.body
    assert len(session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "declaration.submitted")).all()) == 2
