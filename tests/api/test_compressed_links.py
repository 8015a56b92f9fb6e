"""Compressed GS1 Digital Links: the decompressor against GS1's published examples and against
links compressed by GS1's own reference toolkit (GS1DigitalLinkCompressionPrototype, with and
without its optimisation codes), and the resolver answering a compressed link as the uncompressed one."""

import pytest

from portal.resolver.compressed import SAFE64, CompressionError, decompress
from tests.api.helpers import api_key

# (compressed segment, AIs, other pairs). The first is GS1's example in its prototype's README, the
# last-but-one the example in its source; the rest were compressed with its toolkit (useOptimisations
# on, then off) from https://id.gs1.org/01/…
VECTORS = [
    ("ARHKVAdpQg", {"01": "09780345418913"}, {}),
    ("ARFKk4XBoA", {"01": "09506000134352"}, {}),
    ("CxFKk4XBoI1XgkY", {"01": "09506000134352", "10": "ABC123"}, {}),
    ("ARFKk4XBoCCNV4JG", {"01": "09506000134352", "10": "ABC123"}, {}),
    ("CxFKk4XBoI1XgkZCzpG_aaaag", {"01": "09506000134352", "10": "ABC123", "21": "SN-0001"}, {}),
    ("ARFKk4XBoCCNV4JGQs6Rv2mmmo", {"01": "09506000134352", "10": "ABC123", "21": "SN-0001"}, {}),
    ("CxFKk4XBoEdXhCCjA5", {"01": "09506000134352", "10": "abc", "21": "12345"}, {}),
    ("CxFKk4XBoQ0yfUTK2JDB-EXk", {"01": "09506000134352", "10": "LOT&+1", "21": 'x"y'}, {}),
    ("ChFKk4XBoMSuwgxF6kLElq", {"01": "09506000134352", "22": "V2", "10": "L1", "21": "S1"}, {}),
    ("CxFKk4XBoMReouf43g", {"01": "09506000134352", "10": "L1", "17": "261231"}, {}),
    ("LQnYUc1gmgAXohEQYUNMrYsmZyRoQ-A", {"01": "05412345000013", "10": "ABC&+123", "3103": "000189",
                                         "3923": "2172"}, {}),
    ("CxFKk4XBoFG9W33e", {"01": "09506000134352", "10": "deadbeef"}, {}),   # lower-case hex encoding
    ("ARFKk4XBoCCRvVt93g", {"01": "09506000134352", "10": "DEADBEEF"}, {}),  # upper-case hex encoding
    ("DBFKk4XBoASrxEsU8ieVL0D5-bF1w08A", {"01": "09506000134352", "21": "42"}, {"linkType": "gs1:pip"}),
    ("AQnYUc1gmiERBhQ0ytiyZuAGOLc1TXhXsaXbQKHFuaprwUmrBX6g",
     {"01": "05412345000013", "10": "ABC&+123", "7003": "1903061658"}, {"expdt": "1903061658", "k1": "v1"}),
    ("QUiok5OtFA", {"414": "9520123456788"}, {}),
]


@pytest.mark.parametrize("segment,elements,other", VECTORS)
def test_decompresses_gs1_reference_vectors(segment, elements, other):  # noqa: ANN001
    found = decompress(segment)
    assert found.elements == elements
    assert found.other == other


@pytest.mark.parametrize("segment,words", [
    ("ARHKVAdp", "cut short"),          # the GTIN's bits end early
    ("ARHK+AdpQg", "letters, digits"),  # not URI-safe base64
    ("7777777777", "does not define"),  # hex 7x is neither an AI start nor an optimisation code
])
def test_broken_compressed_links_are_refused_with_a_reason(segment, words):  # noqa: ANN001
    with pytest.raises(CompressionError, match=words):
        decompress(segment)


def test_gln_has_no_gtin_path():
    with pytest.raises(CompressionError, match="GTINs only"):
        decompress("QUiok5OtFA").path()


@pytest.fixture
def published(client, session):  # noqa: ANN001, ANN201
    write = {"X-API-Key": api_key(session)}
    for body in ({"gtin": "09506000134352", "data": {"product": {"name": "Kettle"}}},
                 {"gtin": "09506000134352", "lot": "ABC123", "serial": "SN-0001", "data": {
                     "documents": [{"doc_type": "repair_instructions", "url": "https://repair.example/sn1.pdf"}]}}):
        created = client.post("/api/v1/passports", json={**body, "status": "published"}, headers=write)
        assert created.status_code == 201, created.get_json()


def test_compressed_link_answers_like_the_uncompressed_one(client, app, published):  # noqa: ANN001
    root = app.config["SETTINGS"].public_url.rstrip("/")
    plain = client.get("/01/09506000134352/10/ABC123/21/SN-0001", headers={"Accept": "application/ld+json"})
    for path in ("/CxFKk4XBoI1XgkZCzpG_aaaag", "/ARFKk4XBoCCNV4JGQs6Rv2mmmo"):
        compressed = client.get(path, headers={"Accept": "application/ld+json"})
        assert compressed.status_code == 200, compressed.data
        assert compressed.get_json()["credentialSubject"] == plain.get_json()["credentialSubject"]
        assert compressed.headers["Link"] == plain.headers["Link"]   # the anchor is the uncompressed link
        assert f"{root}/01/09506000134352/10/ABC123/21/SN-0001" in compressed.headers["Link"]
    # a linkType inside the compressed data, or in the query string, picks a link as it would uncompressed
    machine = {"Accept": "*/*"}
    redirect = client.get("/CxFKk4XBoI1XgkZCzpG_aaaag?linkType=gs1:instructions", headers=machine)
    assert redirect.status_code == 307
    assert redirect.headers["Location"].startswith("https://repair.example/sn1.pdf")
    assert client.get("/ARFKk4XBoA", headers=machine).status_code == 307   # to the default link
    assert client.options("/ARFKk4XBoA").status_code == 204


def pack(*parts: str) -> str:
    """Bits (our own small encoder for tests: AIs as nibbles, GTINs as binary, text as 7-bit ASCII)
    as a URI-safe base64 segment."""
    bits = "".join(parts)
    bits += "0" * (-len(bits) % 6)
    return "".join(SAFE64[int(bits[i:i + 6], 2)] for i in range(0, len(bits), 6))


def ai(code: str) -> str:
    return "".join(format(int(d), "04b") for d in code)


def gtin_bits(value: str) -> str:
    return format(int(value), "047b")


def text_bits(value: str) -> str:
    return "100" + format(len(value), "05b") + "".join(format(ord(c), "07b") for c in value)


def test_our_test_encoder_agrees_with_gs1s():
    assert pack(ai("01"), gtin_bits("09506000134352")) == "ARFKk4XBoA"


def test_partly_compressed_link(client, published):  # noqa: ANN001
    # the GTIN readable, lot and serial compressed: /01/{gtin}/{segment}
    segment = pack(ai("10"), text_bits("ABC123"), ai("21"), text_bits("SN-0001"))
    response = client.get(f"/01/09506000134352/{segment}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, response.data
    assert response.get_json()["credentialSubject"]["product"]["serialNumber"] == "SN-0001"


def test_bad_compressed_links(client, published):  # noqa: ANN001
    json_only = {"Accept": "application/json"}
    # a GTIN with a wrong check digit, compressed: refused with the reason, as the uncompressed link is
    wrong = client.get("/" + pack(ai("01"), gtin_bits("09506000134353")), headers=json_only)
    assert wrong.status_code == 400 and "check digit" in wrong.get_json()["error"]["message"]
    partly_wrong = client.get("/01/09506000134352/" + pack(ai("10"), text_bits("A B")), headers=json_only)
    assert partly_wrong.status_code == 400 and "not allowed" in partly_wrong.get_json()["error"]["message"]
    twice = client.get("/01/09506000134352/CxFKk4XBoI1XgkY", headers=json_only)
    assert twice.status_code == 400 and "twice" in twice.get_json()["error"]["message"]
    # a single word that is no compressed link stays the site's 404 page, not a 400
    page = client.get("/no-such-page-here", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "There is nothing here" in page.get_data(as_text=True)
    gln = client.get("/QUiok5OtFA", headers=json_only)
    assert gln.status_code == 404 and "GTIN" in gln.get_json()["error"]["message"]
