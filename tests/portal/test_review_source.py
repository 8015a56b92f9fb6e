"""The review screen shows where a PDF value came from: the page rendered with the value's box."""

import re

from sqlmodel import select

from portal.documents.jobs import extract_document
from portal.documents.models import Document
from portal.requests.models import Declaration
from tests.conftest import FIXTURES, csrf_token, gen_user, login, upload

CERTIFICATE = FIXTURES / "pdf" / "dev" / "iso_classic-1.pdf"


def submit_and_open_source(app, session, supplier, decl, field: str):  # noqa: ANN001, ANN201
    """The supplier submits; a reviewer opens the field: (reviewer client, the source image's URL)."""
    supplier.post(f"/declarations/{decl.id}/submit", data={
        "csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
        "signatory_name": "A", "signatory_title": "B", "confirm": "yes"})
    reviewer = app.test_client()
    login(reviewer, gen_user(session, "procurement").email)
    page = reviewer.get(f"/review/{decl.id}?field={field}").get_data(as_text=True)
    src = re.search(r'<img class="page" alt="Page 1 of [^"]+"\s+src="([^"]+)"', page).group(1).replace("&amp;", "&")
    return reviewer, src


def test_pdf_source_page_with_highlighted_box(app, session):
    supplier = app.test_client()
    login(supplier, gen_user(session).email)
    upload(supplier, CERTIFICATE)
    doc = session.exec(select(Document)).one()
    assert extract_document(doc.id) in ("extracted", "needs_review")
    decl = session.exec(select(Declaration)).one()
    assert decl.document_type == "certificate"
    reviewer, src = submit_and_open_source(app, session, supplier, decl, "/certificate_number")
    assert "bbox=" in src
    image = reviewer.get(src)
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    plain = reviewer.get(src.split("?")[0])
    assert plain.status_code == 200 and plain.data != image.data  # the box is drawn on the page
    assert reviewer.get(f"/review/{decl.id}/page/99.png").status_code == 404
