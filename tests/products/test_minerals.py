"""Conflict-minerals roll-up: smelters from approved CMRT/EMRT/CRT contributions, per product and for
the company, deduplicated per metal by id (else name and country), with who reported each, who has
not answered, and formula-safe CSV/XLSX exports."""

import csv
import io
from datetime import date, timedelta

import openpyxl

from portal.products.models import Product
from portal.requests.models import DeclarationRequest
from tests.api.helpers import api_key, gtin
from tests.api.test_supplier_data import intake
from tests.conftest import gen_user, login

ACME, BOLT, CORA = {"id": 1, "name": "Acme Metals"}, {"id": 2, "name": "Bolt & Co"}, {"id": 3, "name": "Cora"}


def template(name: str, smelters: list[dict]) -> dict:
    return {"template": {"name": name, "version": "6.5"}, "company": {"name": "x"}, "smelters": smelters}


def smelter(metal: str, name: str, country: str, smelter_id: str | None = None) -> dict:
    return {"metal": metal, "name": name, "country_code": country, "smelter_id": smelter_id}


def test_product_and_company_rollups_with_exports(app, session):
    client = app.test_client()
    buyer = gen_user(session, "procurement")
    login(client, buyer.email)
    lumen = gen_user(session, supplier="Lumen Components S.r.l.")
    session.add(Product(gtin=gtin(1), part_number="DR-1", name="Drill"))
    session.add(DeclarationRequest(supplier_id=lumen.supplier_id, document_type="cmrt", products=[{"part_number": "DR-1"}],
                                   due_date=date.today() + timedelta(days=9), created_by_id=buyer.id))
    session.commit()
    write = {"X-API-Key": api_key(session)}
    client.post("/api/v1/passports", headers=write, json={"gtin": gtin(1), "data": {"product": {"part_number": "DR-1"}}})

    def send(source_id: str, kind: str, supplier: dict, smelters: list[dict], products=None,  # noqa: ANN001
             approved_at: str = "2026-03-01T10:00:00Z") -> None:
        body = intake(source_id, kind, template(kind.upper(), smelters), products=products, supplier=supplier,
                      approved_at=approved_at)
        assert client.post("/api/v1/declarations", headers=write, json=body).status_code == 201

    send("declaration-1-v1", "cmrt", ACME, [smelter("tin", "Thaisarco", "TH", "CID001898"),
                                            smelter("gold", "Small Refinery", "PE"),
                                            smelter("tin", "=HYPERLINK(\"http://x\")", "CN")],
         products=[{"part_number": "DR-1"}])
    send("declaration-2-v1", "cmrt", BOLT, [smelter("tin", "THAISARCO  Ltd", "TH", " cid001898 "),
                                            smelter("gold", "small refinery", "PE"),
                                            smelter("tantalum", "Small Refinery", "PE")],
         products=[{"gtin": gtin(1)}])
    # company-wide only: names no product; then replaced by its newer version
    send("declaration-3-v1", "emrt", CORA, [smelter("cobalt", "Old Cobalt", "CD", "CID009999")])
    send("declaration-3-v2", "emrt", CORA, [smelter("cobalt", "Umicore", "BE", "CID002315")],
         approved_at="2026-04-01T10:00:00Z")

    page = client.get("/products/1").get_data(as_text=True)
    assert "Gold: 1" in page and "Tin: 2" in page and "Tantalum: 1" in page
    assert "Acme Metals, Bolt &amp; Co" in page          # one Thaisarco row, reported by both
    assert "Not answered yet:</strong> <span class=\"not-answered\" translate=\"no\">Lumen Components S.r.l." in page
    rows = list(csv.reader(io.StringIO(client.get("/products/1/minerals.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Metal", "Smelter", "Country", "Smelter ID", "Reported by"]
    thaisarco = next(r for r in rows if r[3] == "CID001898")
    assert thaisarco[4] == "Acme Metals, Bolt & Co" and thaisarco[5] == "2"
    assert any(r[1] == "'=HYPERLINK(\"http://x\")" for r in rows)      # formula-safe
    assert len(rows) == 1 + 4

    company = client.get("/products/minerals").get_data(as_text=True)
    assert "Umicore" in company and "Old Cobalt" not in company and "Cobalt: 1" in company
    assert "Not answered yet:</strong> <span class=\"not-answered\" translate=\"no\">Lumen Components S.r.l." in company
    book = openpyxl.load_workbook(io.BytesIO(client.get("/products/minerals.xlsx").get_data()))
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert len(values) == 1 + 5 and any(v[1] == "Umicore" and v[4] == "Cora" for v in values)
    assert client.get("/products/minerals.pdf").status_code == 404
