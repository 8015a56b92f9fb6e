"""An EU declaration of conformity through the portal (upload → extract → submit → review → approve),
and a datasheet uploaded by mistake failing with a reason the supplier can act on."""

from pathlib import Path

from sqlmodel import select

from portal.documents.jobs import extract_document
from portal.documents.models import Document
from portal.passports.models import OutboxMessage
from portal.requests.models import Declaration
from tests.conftest import csrf_token, gen_user, login, upload
from tests.ingestion.test_doc_declaration_of_conformity import eu_doc
from tests.ingestion.test_refusal import datasheet


def test_a_declaration_of_conformity_is_uploaded_reviewed_and_approved(app, session, tmp_path: Path):
    supplier = app.test_client()
    login(supplier, gen_user(session).email)
    upload(supplier, eu_doc(tmp_path))
    doc = session.exec(select(Document)).one()
    assert extract_document(doc.id) == "extracted"
    session.refresh(doc)
    assert doc.document_type == "declaration_of_conformity"
    decl = session.exec(select(Declaration).where(Declaration.document_id == doc.id)).one()
    assert decl.record["directives"][:2] == ["2014/53/EU", "2014/30/EU"] and decl.errors == []
    form = supplier.get(f"/declarations/{decl.id}").get_data(as_text=True)
    assert "EU directives and regulations" in form and "Notified body" in form and "LQ-200" in form
    response = supplier.post(f"/declarations/{decl.id}/submit", data={
        "csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
        "signatory_name": "Anna Lindqvist", "signatory_title": "Managing Director", "confirm": "yes"})
    assert response.status_code == 303
    session.refresh(decl)
    assert decl.status == "submitted"

    reviewer = app.test_client()
    login(reviewer, gen_user(session, "procurement").email)
    page = reviewer.get(f"/review/{decl.id}").get_data(as_text=True)
    assert "Lindqvist Audio AB" in page and "2011/65/EU" in page
    session.refresh(decl)
    reviewer.post(f"/review/{decl.id}/approve", data={"csrf_token": csrf_token(reviewer, f"/review/{decl.id}"),
                                                       "lock_version": decl.lock_version})
    session.refresh(decl)
    assert decl.status == "approved"
    pushed = session.exec(select(OutboxMessage)).one().payload["data"]["declarations"][0]
    assert pushed["document_type"] == "declaration_of_conformity" and pushed["record"]["rohs_compliant"] is True


def test_a_datasheet_fails_with_what_to_upload_instead(client, session, tmp_path: Path):
    login(client, gen_user(session).email)
    upload(client, datasheet(tmp_path))
    doc = session.exec(select(Document)).one()
    assert extract_document(doc.id) == "failed"
    session.refresh(doc)
    assert doc.failure_code == "not_a_declaration"
    assert "product datasheet, not a declaration" in doc.failure_reason
    assert "product datasheet, not a declaration" in client.get(f"/documents/{doc.id}").get_data(as_text=True)
