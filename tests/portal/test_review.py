"""Review: queue, field correction re-validated against the schema, approve -> outbox, reject."""

from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.documents.jobs import extract_document
from portal.documents.models import Document
from portal.passports.models import OutboxMessage
from portal.queues import PUSH, queue
from portal.settings import load_settings
from tests.conftest import CMRT_FILE, csrf_token, gen_user, login, upload


def _extracted(app, session) -> tuple[Document, object]:  # noqa: ANN001
    supplier_client = app.test_client()
    login(supplier_client, gen_user(session).email)
    upload(supplier_client, CMRT_FILE)
    doc = session.exec(select(Document)).one()
    extract_document(doc.id)
    session.refresh(doc)
    reviewer = app.test_client()
    login(reviewer, gen_user(session, "procurement").email)
    return doc, reviewer


def _post(client, url: str, doc: Document, **data):  # noqa: ANN001, ANN003, ANN202
    token = csrf_token(client, f"/review/{doc.id}")
    return client.post(url, data={"csrf_token": token, "version": doc.version, **data})


def test_queue_and_detail_show_fields_with_their_source(app, session):
    doc, reviewer = _extracted(app, session)
    queue_page = reviewer.get("/review/").get_data(as_text=True)
    assert doc.filename in queue_page and "Tatra Magnetics" in queue_page and "CMRT" in queue_page
    page = reviewer.get(f"/review/{doc.id}").get_data(as_text=True)
    assert "/company/name" in page and "Declaration!D8" in page
    assert "/smelters/0/smelter_id" in page


def test_correction_is_revalidated_and_audited(app, session):
    doc, reviewer = _extracted(app, session)
    before = doc.record["company"]["effective_date"]
    _post(reviewer, f"/review/{doc.id}/fields", doc, path="/company/effective_date", value="not a date")
    session.refresh(doc)
    assert doc.record["company"]["effective_date"] == "not a date"
    assert any(e["path"] == "/company/effective_date" for e in doc.errors)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "field.corrected")).one()
    assert (entry.before, entry.after, entry.field_path) == (before, "not a date", "/company/effective_date")
    assert entry.actor.startswith("procurement") and entry.source_sha256 == doc.sha256
    # approval is refused while a finding is open
    _post(reviewer, f"/review/{doc.id}/approve", doc)
    session.refresh(doc)
    assert doc.review_status == "awaiting_review"
    _post(reviewer, f"/review/{doc.id}/fields", doc, path="/company/effective_date", value=before)
    session.refresh(doc)
    assert not [e for e in doc.errors if e["path"] == "/company/effective_date"]


def test_stale_version_cannot_overwrite(app, session):
    doc, reviewer = _extracted(app, session)
    stale = doc.version
    _post(reviewer, f"/review/{doc.id}/fields", doc, path="/company/name", value="First Reviewer Ltd")
    token = csrf_token(reviewer, f"/review/{doc.id}")
    reviewer.post(f"/review/{doc.id}/fields", data={"csrf_token": token, "version": stale,
                                                   "path": "/company/name", "value": "Second Reviewer Ltd"})
    session.refresh(doc)
    assert doc.record["company"]["name"] == "First Reviewer Ltd"


def test_approve_writes_outbox_and_enqueues_push(app, session):
    doc, reviewer = _extracted(app, session)
    if doc.errors:  # the dev file is clean; if not, this test says why
        raise AssertionError(f"unexpected findings on the fixture: {doc.errors}")
    _post(reviewer, f"/review/{doc.id}/approve", doc)
    session.refresh(doc)
    assert doc.review_status == "approved"
    message = session.exec(select(OutboxMessage)).one()
    declaration = message.payload["data"]["declarations"][0]
    assert message.payload["source_declaration_id"] == f"document-{doc.id}"
    assert declaration["record"] == doc.record and declaration["source_document"]["sha256"] == doc.sha256
    assert len(queue(load_settings(), PUSH).job_ids) == 1
    assert "Sending" in reviewer.get(f"/review/{doc.id}").get_data(as_text=True)


def test_reject_reason_reaches_the_supplier(app, session):
    doc, reviewer = _extracted(app, session)
    _post(reviewer, f"/review/{doc.id}/reject", doc, reason="")
    session.refresh(doc)
    assert doc.review_status == "awaiting_review"  # a reason is required
    _post(reviewer, f"/review/{doc.id}/reject", doc, reason="Smelter list <b>incomplete</b> for tin")
    session.refresh(doc)
    assert doc.review_status == "rejected"
    supplier_client = app.test_client()
    from portal.auth.models import User
    supplier = session.get(User, doc.uploaded_by_id)
    login(supplier_client, supplier.email)
    page = supplier_client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Smelter list &lt;b&gt;incomplete&lt;/b&gt; for tin" in page
