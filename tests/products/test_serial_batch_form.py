"""Procurement's serial-number form on a product page: a lot created on the way, item passports, and
the ZIP of codes as the answer; a bad batch is refused with the reasons and creates nothing."""

import csv
import io
import zipfile

from sqlmodel import select

from portal.passports.models import Passport
from portal.products.models import Product
from tests.conftest import csrf_token, gen_user, login


def test_serial_batch_from_the_product_page(app, session):
    client = app.test_client()
    login(client, gen_user(session, "procurement").email)
    token = csrf_token(client, "/products/new")
    client.post("/products/new", data={"csrf_token": token, "name": "Heat pump", "gtin": "4006381333931"})
    product = session.exec(select(Product)).one()
    page = f"/products/{product.id}"
    assert "Serial numbers and label codes" not in client.get(page).get_data(as_text=True)   # no passport yet
    client.post(f"{page}/passport", data={"csrf_token": csrf_token(client, page)})
    html = client.get(page).get_data(as_text=True)
    assert "Serial numbers and label codes" in html and 'for="serial-count"' in html

    answer = client.post(f"{page}/serials", data={"csrf_token": csrf_token(client, page), "lot": "B-12",
                                                  "count": "2", "start": "07", "prefix": "HP", "type": "svg"})
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert 'filename="codes-04006381333931-B12.zip"' in answer.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert [(r["serial"], r["result"]) for r in rows] == [("HP07", "created"), ("HP08", "created")]
    assert all(r["digital_link"].endswith(f"/01/04006381333931/10/B-12/21/{r['serial']}") for r in rows)
    lots = session.exec(select(Passport).where(Passport.lot == "B-12", Passport.serial.is_(None))).all()
    assert len(lots) == 1 and lots[0].status == "draft"   # the lot took the product passport's status
    assert len(session.exec(select(Passport).where(Passport.serial.is_not(None))).all()) == 2

    refused = client.post(f"{page}/serials", data={"csrf_token": csrf_token(client, page), "lot": "B 12", "count": "1"},
                          follow_redirects=True)
    assert "No serial numbers created" in refused.get_data(as_text=True)
    bad_csv = client.post(f"{page}/serials", data={"csrf_token": csrf_token(client, page),
                                                   "csv": (io.BytesIO(b"ok\nnot ok\n"), "s.csv")},
                          content_type="multipart/form-data", follow_redirects=True)
    text = bad_csv.get_data(as_text=True)
    assert "No serial numbers created" in text and "not a GS1 serial number" in text
    assert len(session.exec(select(Passport).where(Passport.serial.is_not(None))).all()) == 2
