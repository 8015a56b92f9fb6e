"""Data carriers: the public code endpoint of a Digital Link (QR of the URI, GS1 DataMatrix of the
element string). Every symbol is read back with zxing-cpp, from the PNG and from the SVG drawn onto
a bitmap, and must say exactly what it was made from."""

import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from portal.resolver.carriers import element_string
from tests.api.helpers import api_key, gtin

GTIN = gtin(70)
LOT, SERIAL = "L(7)&\"x", "SN-0001"   # GS1 punctuation, parentheses and a quote included on purpose
QUOTED_LOT = "L%287%29%26%22x"


@pytest.fixture
def published(client, session):  # noqa: ANN001, ANN201
    write = {"X-API-Key": api_key(session)}
    for body in ({"gtin": GTIN, "data": {"product": {"name": "Cordless drill"}}},
                 {"gtin": GTIN, "lot": LOT, "serial": SERIAL, "data": {}}):
        created = client.post("/api/v1/passports", json={**body, "status": "published"}, headers=write)
        assert created.status_code == 201, created.get_json()


def svg_bitmap(svg: bytes) -> Image.Image:
    """zint draws modules as rectangles in one path ("M x y h w v h h-w Z"): paint them 8 px a module."""
    text = svg.decode()
    width, height = (int(v) for v in re.search(r'viewBox="0 0 (\d+) (\d+)"', text).groups())
    picture = Image.new("L", (width * 8, height * 8), 255)
    draw = ImageDraw.Draw(picture)
    for x, y, w, h in re.findall(r"M(\d+) (\d+)h(\d+)v(\d+)h-\d+Z", text):
        x, y, w, h = int(x), int(y), int(w), int(h)
        draw.rectangle([x * 8, y * 8, (x + w) * 8 - 1, (y + h) * 8 - 1], fill=0)
    return picture


def read_one(picture: Image.Image) -> zxingcpp.Barcode:
    found = zxingcpp.read_barcodes(picture)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("path,lot,serial", [(f"/01/{GTIN}", None, None),
                                              (f"/01/{GTIN}/10/{QUOTED_LOT}/21/{SERIAL}", LOT, SERIAL)])
def test_datamatrix_carries_the_gs1_element_string_with_fnc1(client, published, path, lot, serial):  # noqa: ANN001
    png = client.get(f"{path}/code?format=datamatrix&type=png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.headers["Access-Control-Allow-Origin"] == "*"
    svg = client.get(f"{path}/code?format=datamatrix&type=svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    expected = element_string(GTIN, lot, serial)
    assert expected.startswith(f"(01){GTIN}")
    for picture in (Image.open(io.BytesIO(png.data)), svg_bitmap(svg.data)):
        symbol = read_one(picture)
        assert symbol.format == zxingcpp.BarcodeFormat.DataMatrix
        assert symbol.symbology_identifier == "]d2"            # FNC1 in first position: GS1 DataMatrix
        assert symbol.content_type == zxingcpp.ContentType.GS1
        assert symbol.text == expected
        # the raw data: AIs run together, a group separator ends the variable-length lot before (21)
        raw = f"01{GTIN}" + (f"10{lot}\x1d21{serial}" if lot else "")
        assert symbol.bytes.decode() == raw


def test_qr_code_carries_the_digital_link(client, app, published):  # noqa: ANN001
    path = f"/01/{GTIN}/10/{QUOTED_LOT}/21/{SERIAL}"
    response = client.get(f"{path}/code?format=qr&type=png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    symbol = read_one(Image.open(io.BytesIO(response.data)))
    assert symbol.format == zxingcpp.BarcodeFormat.QRCode
    assert symbol.text == app.config["SETTINGS"].public_url.rstrip("/") + path


def test_default_code_is_a_qr_svg(client, published):  # noqa: ANN001
    response = client.get(f"/01/{GTIN}/code")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "max-age" in response.headers["Cache-Control"]


@pytest.mark.parametrize("query,status,words", [
    ("format=aztec", 400, "datamatrix"), ("type=gif", 400, "svg"), ("format=datamatrix&type=jpeg", 400, "png")])
def test_bad_code_requests_say_what_is_allowed(client, published, query, status, words):  # noqa: ANN001
    response = client.get(f"/01/{GTIN}/code?{query}", headers={"Accept": "application/json"})
    assert response.status_code == status
    assert words in response.get_json()["error"]["message"]


def test_code_of_unknown_or_invalid_links(client, published):  # noqa: ANN001
    assert client.get(f"/01/{gtin(71)}/code", headers={"Accept": "application/json"}).status_code == 404
    bad = client.get(f"/01/{GTIN[:-1]}0/code", headers={"Accept": "application/json"})
    assert bad.status_code == 400 and "check digit" in bad.get_json()["error"]["message"]
    # a serial number that reads "code" is a serial number, not the endpoint
    assert client.get(f"/01/{GTIN}/21/code", headers={"Accept": "application/json"}).status_code == 200


def test_passport_page_offers_both_codes_for_labels(client, published):  # noqa: ANN001
    page = client.get(f"/01/{GTIN}/10/{QUOTED_LOT}/21/{SERIAL}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    links = re.findall(r'href="([^"]*/code\?[^"]*)"', page.get_data(as_text=True))
    assert len(links) == 4
    for href in links:
        response = client.get(href.replace("&amp;", "&"))
        assert response.status_code == 200 and response.mimetype in ("image/svg+xml", "image/png")
