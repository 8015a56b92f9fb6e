"""Procurement imports passports from a spreadsheet on the Products page (row-by-row results,
audited) and downloads the template and exports; suppliers cannot."""

import csv
import io

from openpyxl import load_workbook
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.passports.models import Passport
from tests.api.helpers import gtin
from tests.conftest import csrf_token, gen_user, login


def _upload(client, content: bytes, name: str = "passports.csv"):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/products/passports/import")
    return client.post("/products/passports/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(content), name)})


def test_procurement_imports_and_exports_passports(app, session):
    client = app.test_client()
    buyer = gen_user(session, "procurement")
    login(client, buyer.email)
    assert "Passports from a spreadsheet" in client.get("/products/").get_data(as_text=True)
    content = (f"GTIN,Product name,Product category,Product weight (kg),Material 1 name,Material 1 %\n"
               f"{gtin(1)},Drill,Power tools,2,Steel,100\n"
               f"{gtin(2)},Saw,Power tools,heavy,Steel,100\n").encode()
    page = _upload(client, content).get_data(as_text=True)
    assert "1 created, 1 not imported" in page
    assert "Product weight (kg): &#39;heavy&#39; is not a number" in page
    passport = session.exec(select(Passport)).one()
    assert passport.gtin == gtin(1) and passport.status == "draft"
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "passport.imported")).one()
    assert entry.actor == buyer.email and entry.after == {"created": 1, "failed": 1}

    refused = _upload(client, b"Colour\nred\n").get_data(as_text=True)
    assert "Unknown columns: “Colour”" in refused
    assert "Choose a CSV or Excel file." in client.post(
        "/products/passports/import", data={"csrf_token": csrf_token(client, "/products/passports/import")}
    ).get_data(as_text=True)

    template = load_workbook(io.BytesIO(client.get("/products/passports/template.xlsx").data))
    assert template["Passports"]["A1"].value == "GTIN"
    exported = client.get("/products/passports/export.csv?status=draft&category=power+tools")
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert [(r["GTIN"], r["Product name"]) for r in rows] == [(gtin(1), "Drill")]
    epr = load_workbook(io.BytesIO(client.get("/products/passports/export.epr.xlsx").data)).active
    assert list(epr.iter_rows(min_row=2, max_row=2, values_only=True))[0][:6] == (
        "Power tools", "(not given)", "All materials", 1, 1, 2.0)
    assert client.get("/products/passports/export.csv?status=gone").status_code == 404
    assert client.get("/products/passports/export.csv?updated_since=yesterday").status_code == 400

    supplier = app.test_client()
    login(supplier, gen_user(session).email)
    assert supplier.get("/products/passports/import").status_code == 404
    assert supplier.get("/products/passports/export.csv").status_code == 404
