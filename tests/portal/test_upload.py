"""Upload: sniffing, limits, deduplication, commit-then-enqueue, isolation between suppliers."""

from sqlmodel import select

from portal.documents.jobs import job_id
from portal.documents.models import Document, StoredFile
from portal.queues import EXTRACT, queue
from portal.settings import load_settings
from tests.conftest import CMRT_FILE, ENCRYPTED_PDF, gen_user, login, upload


def _queued_job_ids() -> list[str]:
    return queue(load_settings(), EXTRACT).job_ids


def test_upload_stores_by_hash_commits_then_enqueues(client, session):
    user = gen_user(session)
    login(client, user.email)
    response = upload(client, CMRT_FILE, filename="../../etc/passwd<script>.xlsx")
    assert response.status_code == 303
    doc = session.exec(select(Document)).one()
    assert doc.status == "queued" and doc.file_kind == "xlsx" and len(doc.sha256) == 64
    assert doc.filename == "passwd<script>.xlsx"  # display text only, no path parts
    assert session.get(StoredFile, doc.sha256).content == CMRT_FILE.read_bytes()
    assert _queued_job_ids() == [job_id(doc.id)]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "passwd&lt;script&gt;.xlsx" in page and "<script>.xlsx" not in page


def test_same_file_twice_is_recognised(client, session):
    user = gen_user(session)
    login(client, user.email)
    first = upload(client, CMRT_FILE)
    second = upload(client, CMRT_FILE, filename="again.xlsx")
    assert first.headers["Location"] == second.headers["Location"]
    assert len(session.exec(select(Document)).all()) == 1
    assert len(_queued_job_ids()) == 1
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "You uploaded this file already" in page


def test_renamed_text_file_is_refused_and_nothing_stored(client, session):
    user = gen_user(session)
    login(client, user.email)
    response = upload(client, CMRT_FILE, filename="declaration.pdf", content=b"just some text\n" * 50)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "plain text" in page.lower() or "not a pdf" in page.lower()
    assert session.exec(select(Document)).all() == [] and session.exec(select(StoredFile)).all() == []
    assert _queued_job_ids() == []


def test_truncated_xlsx_is_refused(client, session):
    user = gen_user(session)
    login(client, user.email)
    data = CMRT_FILE.read_bytes()[: 200_000]
    response = upload(client, CMRT_FILE, filename="cut.xlsx", content=data)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "damaged or incomplete" in page
    assert session.exec(select(Document)).all() == []


def test_oversized_upload_is_refused(client, session):
    user = gen_user(session)
    login(client, user.email)
    big = b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024 + 10)  # MAX_UPLOAD_MB=5 in tests
    response = upload(client, CMRT_FILE, filename="big.pdf", content=big)
    page = client.get(response.headers["Location"]).get_data(as_text=True) if response.status_code == 303 \
        else response.get_data(as_text=True)
    assert "larger than the 5 MB limit" in page
    assert session.exec(select(Document)).all() == []


def test_encrypted_pdf_is_accepted_then_fails_with_a_reason(client, session):
    from portal.documents.jobs import extract_document
    user = gen_user(session)
    login(client, user.email)
    upload(client, ENCRYPTED_PDF)
    doc = session.exec(select(Document)).one()
    assert extract_document(doc.id) == "failed"
    session.refresh(doc)
    assert doc.failure_code == "encrypted" and "password protected" in doc.failure_reason
    assert "password protected" in client.get(f"/documents/{doc.id}").get_data(as_text=True)


def test_other_companys_document_answers_404(client, session):
    owner = gen_user(session, supplier="Owner Ltd")
    other = gen_user(session, supplier="Other Ltd")
    login(client, owner.email)
    upload(client, CMRT_FILE)
    doc = session.exec(select(Document)).one()
    client.post("/logout", data={"csrf_token": "x"})
    client2 = client.application.test_client()
    login(client2, other.email)
    assert client2.get(f"/documents/{doc.id}").status_code == 404
    assert client2.get(f"/documents/{doc.id}/status").status_code == 404
    assert client2.get(f"/documents/{doc.id + 999}").status_code == 404
    assert "cmrt-6.5" not in client2.get("/documents/").get_data(as_text=True)
