"""Every supplier-facing URL answers 404 for another company's ids, whatever the method."""

import pytest
from sqlmodel import select

from portal.documents.models import Document
from portal.requests.models import Declaration, DeclarationRequest
from tests.conftest import csrf_token, gen_user, login, submitted_declaration

URLS = [
    ("GET", "/documents/{doc}"), ("GET", "/documents/{doc}/status"),
    ("GET", "/declarations/{decl}"), ("POST", "/declarations/{decl}"),
    ("POST", "/declarations/{decl}/upload"), ("POST", "/declarations/{decl}/submit"),
    ("POST", "/requests/{req}/answer"),
]


@pytest.fixture
def others(app, session):  # noqa: ANN001, ANN201
    """Owner Ltd's declaration (with document and request); a client logged in for Other Ltd."""
    decl, _, _ = submitted_declaration(app, session, supplier_name="Owner Ltd")
    buyer = gen_user(session, "procurement")
    req = DeclarationRequest(supplier_id=decl.supplier_id, document_type="cmrt", due_date=decl.created_at.date(),
                             created_by_id=buyer.id)
    session.add(req)
    session.commit()
    intruder = app.test_client()
    login(intruder, gen_user(session, supplier="Other Ltd").email)
    ids = {"doc": decl.document_id, "decl": decl.id, "req": req.id}
    return intruder, ids


@pytest.mark.parametrize("method,url", URLS)
def test_foreign_ids_answer_404(others, session, method, url):
    intruder, ids = others
    path = url.format(**ids)
    token = csrf_token(intruder, "/dashboard")
    before = session.exec(select(Declaration)).one().lock_version
    response = intruder.get(path) if method == "GET" else intruder.post(path, data={"csrf_token": token})
    assert response.status_code == 404
    session.expire_all()
    assert session.exec(select(Declaration)).one().lock_version == before  # nothing written
    assert len(session.exec(select(Document)).all()) == 1


def test_staff_pages_answer_404_to_suppliers(others):
    intruder, ids = others
    for path in ("/review/", f"/review/{ids['decl']}", f"/review/{ids['decl']}/history", "/requests/",
                 "/suppliers/", "/mail/", f"/review/{ids['decl']}/page/1.png"):
        assert intruder.get(path).status_code == 404, path
