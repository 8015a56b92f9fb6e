"""Procurement's Products page: catalogue, import row by row, a product's suppliers, requests,
contributions and passport, withdrawing a contribution, and linking a declaration from review."""

import io
from datetime import date, timedelta

import openpyxl
from sqlmodel import select

from portal.passports.models import OutboxMessage, Passport
from portal.products.models import Product
from portal.requests.models import DeclarationRequest
from portal.suppliers.models import Supplier
from tests.api.helpers import api_key, gtin
from tests.api.test_supplier_data import intake
from tests.conftest import csrf_token, gen_user, login, submitted_declaration


def procurement(app, session):  # noqa: ANN001, ANN201
    client = app.test_client()
    login(client, gen_user(session, "procurement").email)
    return client


def post(client, url: str, page: str, **data):  # noqa: ANN001, ANN003, ANN201
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_catalogue_add_edit_and_refusals(app, session):
    client = procurement(app, session)
    created = post(client, "/products/new", "/products/new", name="Motor housing", gtin="4006381333931",
                   part_number="HX-200")
    assert created.status_code == 303
    product = session.exec(select(Product)).one()
    assert (product.gtin, product.part_number) == ("04006381333931", "HX-200")
    page = post(client, "/products/new", "/products/new", name="Other", gtin="4006381333932").get_data(as_text=True)
    assert "Not saved" in page and "check digit" in page
    page = post(client, "/products/new", "/products/new", name="Copy", part_number="HX-200").get_data(as_text=True)
    assert "belongs to “Motor housing” already" in page
    page = post(client, "/products/new", "/products/new", name="<script>x</script>").get_data(as_text=True)
    assert "give a GTIN or a part number" in page and "<script>x" not in page
    listing = client.get("/products/?q=hx-2").get_data(as_text=True)
    assert "Motor housing" in listing and "None yet" in listing
    # suppliers cannot see the page at all
    supplier = app.test_client()
    login(supplier, gen_user(session).email)
    assert supplier.get("/products/").status_code == 404


def test_import_from_csv_and_xlsx_row_by_row(app, session):
    client = procurement(app, session)
    csv = ("name;gtin;part_number\nMotor housing;4006381333931;HX-200\nBad GTIN;123;\nNo id;;\n"
           "=cmd|' /C calc'!A0;;X-1\nMotor housing v2;;HX-200\n").encode()
    page = client.post("/products/import", data={"csrf_token": csrf_token(client, "/products/import"),
                                                 "file": (io.BytesIO(csv), "products.csv")}).get_data(as_text=True)
    assert page.count('data-outcome="created"') == 2 and page.count('data-outcome="error"') == 2 and "updated" in page
    assert session.exec(select(Product).where(Product.part_number == "HX-200")).one().name == "Motor housing v2"
    book = openpyxl.Workbook()
    book.active.append(["Name", "GTIN", "Part number"])
    book.active.append(["Drill", 4006381333948, "DR-18"])
    data = io.BytesIO()
    book.save(data)
    page = client.post("/products/import", data={"csrf_token": csrf_token(client, "/products/import"),
                                                 "file": (io.BytesIO(data.getvalue()), "p.xlsx")}).get_data(as_text=True)
    assert "created" in page
    assert session.exec(select(Product).where(Product.gtin == "04006381333948")).one().part_number == "DR-18"
    page = client.post("/products/import", data={"csrf_token": csrf_token(client, "/products/import"),
                                                 "file": (io.BytesIO(b"sku,ean\n1,2\n"), "p.csv")}).get_data(as_text=True)
    assert "a “name” column is required (required: name, and a gtin or a part_number)" in page


def test_product_page_shows_suppliers_requests_contributions_and_withdraws(app, session):
    client = procurement(app, session)
    buyer = gen_user(session, "procurement")
    lumen = gen_user(session, supplier="Lumen Components S.r.l.")
    session.add(Product(gtin=gtin(1), part_number="DR-1", name="Cordless drill"))
    session.add(DeclarationRequest(supplier_id=lumen.supplier_id, document_type="rohs", products=[{"part_number": "DR-1"}],
                                   due_date=date.today() + timedelta(days=7), created_by_id=buyer.id))
    session.commit()
    product = session.exec(select(Product)).one()
    write = {"X-API-Key": api_key(session, name="portal-push")}
    for n, (supplier, substance) in enumerate((({"id": 1, "name": "Acme Metals"}, "Lead"),
                                                ({"id": 2, "name": "Bolt & Co"}, "Cadmium")), 1):
        answer = client.post("/api/v1/declarations", headers=write, json=intake(
            f"declaration-{n}-v1", "reach_svhc", {"substances": [{"name": substance}], "svhc_above_threshold": True},
            products=[{"gtin": gtin(1)}], supplier=supplier))
        assert answer.status_code == 201 and answer.get_json()["applied"] == []   # no passport yet
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "Lumen Components" in page and "RoHS" in page and "Create a draft passport" in page
    created = post(client, f"/products/{product.id}/passport", f"/products/{product.id}")
    assert created.status_code == 303
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "Draft — not public yet" in page and "version 2" in page
    assert "Acme Metals" in page and "Bolt &amp; Co" in page and "declaration-2-v1" in page
    passport = session.exec(select(Passport)).one()
    contribution = client.get(f"/api/v1/passports/{passport.id}/contributions", headers=write).get_json()["items"][0]
    url = f"/products/{product.id}/contributions/{contribution['id']}/withdraw"
    assert "Say why" in client.post(url, data={"csrf_token": csrf_token(client, f"/products/{product.id}"),
                                               "reason": ""}, follow_redirects=True).get_data(as_text=True)
    post(client, url, f"/products/{product.id}", reason="Wrong product named")
    data = client.get(f"/api/v1/passports/{passport.id}", headers=write).get_json()
    assert [s["name"] for s in data["data"]["substances"]] == ["Cadmium"]
    assert "Wrong product named" in client.get(f"/products/{product.id}").get_data(as_text=True)
    # another product's id in the URL answers 404
    other = Product(part_number="X", name="Other")
    session.add(other)
    session.commit()
    assert post(client, f"/products/{other.id}/contributions/{contribution['id']}/withdraw",
                f"/products/{product.id}", reason="nope").status_code == 404


def test_link_a_declaration_to_products_from_the_review_screen(app, session):
    decl, _supplier, reviewer = submitted_declaration(app, session)
    write = {"X-API-Key": api_key(session, name="portal-push")}
    session.add(Product(gtin=gtin(9), part_number="FN-40", name="Bench fan"))
    session.commit()
    reviewer.get(f"/review/{decl.id}")
    session.refresh(decl)
    page = reviewer.get(f"/review/{decl.id}").get_data(as_text=True)
    assert "Link to products" in page and 'value="FN-40"' in page
    reviewer.post(f"/review/{decl.id}/approve", data={"csrf_token": csrf_token(reviewer, f"/review/{decl.id}"),
                                                      "lock_version": decl.lock_version})
    message = session.exec(select(OutboxMessage)).one()
    # what the push job sends, received by this app's passport store
    assert reviewer.post("/api/v1/declarations", json=message.payload, headers=write).status_code == 201
    pid = reviewer.post("/api/v1/passports", headers=write, json={
        "gtin": gtin(9), "data": {"product": {"name": "Bench fan", "part_number": "FN-40"}}}).get_json()["id"]
    answer = reviewer.post(f"/products/link/{decl.id}", data={
        "csrf_token": csrf_token(reviewer, f"/review/{decl.id}"), "products": "FN-40, NEW-1"}, follow_redirects=True)
    assert "Linked 2 products. 1 passport updated." in answer.get_data(as_text=True)
    passport = reviewer.get(f"/api/v1/passports/{pid}", headers=write).get_json()
    assert passport["data"]["due_diligence"][0]["template"] == "CMRT"
    assert passport["owners"]["due_diligence"]["sources"][0]["supplier"] == "Tatra Magnetics s.r.o."
    assert passport["contributions"][0]["source_sha256"] == message.payload["data"]["declarations"][0][
        "source_document_sha256"]
    # a passport made later for the other product named picks it up too
    later = reviewer.post("/api/v1/passports", headers=write, json={
        "gtin": gtin(10), "data": {"product": {"name": "New", "part_number": "NEW-1"}}}).get_json()
    assert later["version"] == 2 and later["data"]["due_diligence"]
    empty = reviewer.post(f"/products/link/{decl.id}", data={
        "csrf_token": csrf_token(reviewer, f"/review/{decl.id}"), "products": " , "}, follow_redirects=True)
    assert "Not linked" in empty.get_data(as_text=True)


def test_demo_seeds_products_with_passports(app, session):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert len(session.exec(select(Product)).all()) == 3
    passports = session.exec(select(Passport)).all()
    assert sorted(p.status for p in passports) == ["draft", "published"]
    request = session.exec(select(DeclarationRequest)).first()
    assert request.products[0]["part_number"] == "HX-200"
    assert session.exec(select(Supplier)).first() is not None


def test_linking_before_approval_goes_with_the_request_or_is_refused(app, session):
    decl, _supplier, reviewer = submitted_declaration(app, session)
    buyer = gen_user(session, "procurement")
    token = csrf_token(reviewer, f"/review/{decl.id}")
    assert decl.request_id is None   # an upload that answers no request: nowhere to keep the products yet
    page = reviewer.post(f"/products/link/{decl.id}", data={"csrf_token": token, "products": "HX-1"},
                         follow_redirects=True).get_data(as_text=True)
    assert "Not linked: this declaration answers no request" in page
    request = DeclarationRequest(supplier_id=decl.supplier_id, document_type="cmrt", created_by_id=buyer.id,
                                 due_date=date.today(), products=[{"part_number": "OLD-1"}])
    session.add(request)
    session.flush()
    decl.request_id = request.id
    session.add(decl)
    session.commit()
    reviewer.post(f"/products/link/{decl.id}", data={"csrf_token": token, "products": f"HX-1; {gtin(3)}"})
    request = session.get(DeclarationRequest, decl.request_id)
    session.refresh(request)
    assert {"part_number": "HX-1"} in request.products and {"gtin": gtin(3)} in request.products
    session.refresh(decl)
    reviewer.post(f"/review/{decl.id}/approve", data={"csrf_token": csrf_token(reviewer, f"/review/{decl.id}"),
                                                      "lock_version": decl.lock_version})
    message = session.exec(select(OutboxMessage)).one()
    assert {"part_number": "HX-1"} in message.payload["data"]["declarations"][0]["products"]
