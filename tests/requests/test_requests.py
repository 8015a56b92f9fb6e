"""Procurement sends requests (one supplier or a campaign); suppliers answer by form alone."""

import csv
import io
from datetime import date, timedelta

from sqlmodel import select

from portal.mail.models import OutgoingEmail
from portal.requests.models import Campaign, Declaration, DeclarationRequest
from portal.suppliers.models import Supplier
from tests.conftest import csrf_token, gen_user, login


def _buyer(app, session):  # noqa: ANN001, ANN202
    client = app.test_client()
    login(client, gen_user(session, "procurement").email)
    return client


def _send(client, supplier_ids, document_type="certificate", due=None, follow_redirects=False,  # noqa: ANN001, ANN202
          **extra):  # noqa: ANN003
    token = csrf_token(client, "/requests/new")
    due = due or (date.today() + timedelta(days=30)).isoformat()
    return client.post("/requests/new", follow_redirects=follow_redirects,
                       data={"csrf_token": token, "document_type": document_type, "due_date": due,
                             "supplier_ids": [str(i) for i in supplier_ids], **extra})


def test_request_to_one_supplier_answered_by_form_alone(app, session):
    supplier_user = gen_user(session, supplier="Acme Ltd")
    buyer = _buyer(app, session)
    page = _send(buyer, [supplier_user.supplier_id], products="P-100; Motor housing; 4006381333932\nP-200;;123",
                 follow_redirects=True).get_data(as_text=True)
    assert "Product line 2:" in page and session.exec(select(DeclarationRequest)).first() is None
    response = _send(buyer, [supplier_user.supplier_id], message="Please send your ISO 9001",
                     products="P-100; Motor housing; 4006381333931\nP-200")
    assert response.status_code == 303
    req = session.exec(select(DeclarationRequest)).one()
    assert req.products == [{"part_number": "P-100", "name": "Motor housing", "gtin": "04006381333931"},
                            {"part_number": "P-200"}]
    assert session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "request.new")).one().to == supplier_user.email

    supplier = app.test_client()
    login(supplier, supplier_user.email)
    dashboard = supplier.get("/dashboard").get_data(as_text=True)
    assert "Please send your ISO 9001" in dashboard and "P-100" in dashboard
    start = supplier.post(f"/requests/{req.id}/answer", data={"csrf_token": csrf_token(supplier, "/dashboard")})
    decl = session.exec(select(Declaration)).one()
    assert start.headers["Location"] == f"/declarations/{decl.id}"
    form = {"csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
            "scheme": "iso_9001", "standard": "ISO 9001:2015", "certificate_number": "Q-12345",
            "holder-name": "Acme Ltd", "issuer-name": "TÜV SÜD", "issue_date": "2025-03-01",
            "expiry_date": "2028-02-28", "action": "save"}
    supplier.post(f"/declarations/{decl.id}", data=form)
    session.refresh(decl)
    assert decl.errors == [] and decl.record["holder"] == {"name": "Acme Ltd"}
    supplier.post(f"/declarations/{decl.id}/submit", data={
        "csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
        "signatory_name": "Ann Smith", "signatory_title": "QA lead", "confirm": "yes"})
    session.refresh(decl)
    session.refresh(req)
    assert decl.status == "submitted" and req.status == "submitted"


def test_invalid_form_shows_messages_and_saves_the_draft(app, session):
    supplier_user = gen_user(session, supplier="Acme Ltd")
    _send(_buyer(app, session), [supplier_user.supplier_id])
    req = session.exec(select(DeclarationRequest)).one()
    supplier = app.test_client()
    login(supplier, supplier_user.email)
    supplier.post(f"/requests/{req.id}/answer", data={"csrf_token": csrf_token(supplier, "/dashboard")})
    decl = session.exec(select(Declaration)).one()
    supplier.post(f"/declarations/{decl.id}", data={
        "csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
        "scheme": "iso_9001", "certificate_number": "Q-1", "action": "save"})
    page = supplier.get(f"/declarations/{decl.id}").get_data(as_text=True)
    session.refresh(decl)
    assert decl.record["certificate_number"] == "Q-1"  # nothing typed is lost
    assert 'id="expiry_date-err">Fill in “Expiry date”.' in page
    assert '<a href="#expiry_date">Expiry date</a>' in page  # linked from the summary at the top
    # attesting is refused while problems remain, with a message
    page = supplier.post(f"/declarations/{decl.id}/submit", follow_redirects=True, data={
        "csrf_token": csrf_token(supplier, f"/declarations/{decl.id}"), "lock_version": decl.lock_version,
        "signatory_name": "Ann", "signatory_title": "QA", "confirm": "yes"}).get_data(as_text=True)
    assert "Correct the" in page
    session.refresh(decl)
    assert decl.status == "draft"


def test_campaign_to_many_suppliers_and_list_filters(app, session):
    ids = [gen_user(session, supplier=name).supplier_id for name in ("Alpha", "Beta", "Gamma")]
    buyer = _buyer(app, session)
    _send(buyer, ids[:2], document_type="rohs", campaign_name="RoHS 2026")
    _send(buyer, [ids[2]], document_type="certificate", due=(date.today() + timedelta(days=1)).isoformat())
    campaign = session.exec(select(Campaign)).one()
    assert campaign.name == "RoHS 2026"
    assert len(session.exec(select(DeclarationRequest).where(DeclarationRequest.campaign_id == campaign.id)).all()) == 2
    old = session.exec(select(DeclarationRequest).where(DeclarationRequest.supplier_id == ids[2])).one()
    old.due_date = date.today() - timedelta(days=3)  # now overdue
    session.add(old)
    session.commit()
    page = _rows(buyer.get("/requests/?status=overdue"))
    assert "Gamma" in page and "Alpha" not in page and "Overdue" in page
    page = _rows(buyer.get(f"/requests/?type=rohs&supplier={ids[1]}"))
    assert "Beta" in page and "Alpha" not in page and "Gamma" not in page
    assert "3 requests." in buyer.get("/requests/?sort=-due").get_data(as_text=True)
    assert "not a date" in buyer.get("/requests/?due_from=yesterday", follow_redirects=True).get_data(as_text=True)


def _rows(response) -> str:  # noqa: ANN001
    """The result table only (the filter form lists every supplier)."""
    return response.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]


def test_export_is_safe_against_formula_injection(app, session):
    supplier_user = gen_user(session, supplier="=HYPERLINK(\"http://evil\")")
    buyer = _buyer(app, session)
    _send(buyer, [supplier_user.supplier_id], message="+cmd|' /C calc'!A0")
    response = buyer.get("/requests/export.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["id", "supplier", "type"]
    assert rows[1][1].startswith("'=") and rows[1][7].startswith("'+")
    xlsx = buyer.get("/requests/export.xlsx")
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["B2"].value.startswith("'=") and sheet["B2"].data_type == "s"


def test_suppliers_cannot_send_or_list_requests(app, session):
    supplier = app.test_client()
    login(supplier, gen_user(session).email)
    assert supplier.get("/requests/").status_code == 404
    assert supplier.get("/requests/new").status_code == 404
    assert supplier.get("/suppliers/").status_code == 404
    assert session.exec(select(Supplier)).first() is not None


def test_a_large_cmrt_form_posts_and_rows_can_be_added_and_removed(app, session):
    from portal.requests.models import Declaration
    from portal.schema_forms import form_class, to_form_data
    supplier_user = gen_user(session)
    record = {"template": {"name": "CMRT", "version": "6.5"},
              "company": {"name": "Big Co", "declaration_scope": "company", "effective_date": "2026-05-31",
                          "contact": {"name": "A", "email": "a@big.test"}, "authorizer": {"name": "B"}},
              "answers": {}, "products": [],
              "smelters": [{"metal": "tin", "name": f"Smelter {i}", "smelter_id": f"CID{i:06d}", "country": "CHINA",
                            "country_code": "CN", "source_of_id": "RMI"} for i in range(200)]}
    decl = Declaration(supplier_id=supplier_user.supplier_id, document_type="cmrt", created_by_id=supplier_user.id,
                       record=record)
    session.add(decl)
    session.commit()
    client = app.test_client()
    login(client, supplier_user.email)
    with app.test_request_context():
        filled = form_class("cmrt")(data=to_form_data(record))
        from tests.requests.test_schema_forms import _formdata
        data = _formdata(filled)
    assert len(data) > 1500  # more parts than Werkzeug accepts by default
    data["csrf_token"] = csrf_token(client, f"/declarations/{decl.id}")
    data["lock_version"] = str(decl.lock_version)
    data["action"] = "remove:smelters-0"
    response = client.post(f"/declarations/{decl.id}", data=data)
    assert response.status_code == 200
    session.refresh(decl)
    assert len(decl.record["smelters"]) == 199 and decl.record["smelters"][0]["name"] == "Smelter 1"
    page = response.get_data(as_text=True)
    assert 'id="smelters-0-name"' in page and 'value="Smelter 1"' in page and 'value="Smelter 0"' not in page


def test_template_download_for_every_type_fills_the_form_back(app, session):
    """Download the schema-generated template, fill it offline, upload it: the draft is pre-filled."""
    import io as _io

    from openpyxl import load_workbook

    from ingestion import document_types
    from portal.documents.jobs import extract_document
    from portal.documents.models import Document
    from portal.requests.models import Declaration
    supplier_user = gen_user(session)
    client = app.test_client()
    login(client, supplier_user.email)
    for document_type in document_types():
        response = client.get(f"/templates/{document_type}.xlsx")
        assert response.status_code == 200 and response.data[:2] == b"PK", document_type
    assert client.get("/templates/../../etc/passwd.xlsx").status_code == 404
    assert client.get("/templates/nope.xlsx").status_code == 404

    book = load_workbook(_io.BytesIO(client.get("/templates/certificate.xlsx").data))
    sheet = book["Declaration"]
    values = {"/scheme": "ISO 9001", "/certificate_number": "Q-777", "/holder/name": "Tatra Magnetics s.r.o.",
              "/issuer/name": "DEKRA", "/issue_date": "2025-02-01", "/expiry_date": "2028-01-31"}
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, 1).value in values:
            sheet.cell(row, 3).value = values[sheet.cell(row, 1).value]
    out = _io.BytesIO()
    book.save(out)
    client.post("/declarations/new", data={"csrf_token": csrf_token(client, "/dashboard"), "document_type": "certificate"})
    decl = session.exec(select(Declaration)).one()
    client.post(f"/declarations/{decl.id}/upload", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, f"/declarations/{decl.id}"), "file": (_io.BytesIO(out.getvalue()), "mine.xlsx")})
    extract_document(session.exec(select(Document)).one().id)
    session.refresh(decl)
    assert decl.record["certificate_number"] == "Q-777" and decl.record["scheme"] == "iso_9001"
    assert decl.errors == []
