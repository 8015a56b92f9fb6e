"""The quality team's pages: dashboard (counts, SVG timeline), filtered list with pages and a
safe export, a certificate with its history, revoking; the supplier flag on procurement screens."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from portal.certificates.models import Certificate, CertificateEvent
from portal.certificates.queries import month_start
from portal.db import get_engine
from portal.suppliers.models import Supplier
from tests.certificates.helpers import gen_certificate, logged_in
from tests.conftest import csrf_token, gen_user, login

TODAY = date.today()
# expired a few days ago, inside this month where the month allows (not on its first day)
EXPIRED_ON = TODAY - timedelta(days=max(1, min(3, TODAY.day - 1)))


@pytest.fixture
def register(app, session):  # noqa: ANN001, ANN201
    """Two suppliers, certificates in every state."""
    tatra = gen_user(session, supplier="Tatra Magnetics s.r.o.").supplier_id
    lumen = gen_user(session, supplier="Lumen Cables GmbH").supplier_id
    certs = {
        "valid": gen_certificate(session, tatra, TODAY + timedelta(days=400), number="Q-100001"),
        "expiring": gen_certificate(session, tatra, TODAY + timedelta(days=20), scheme="gots", number="CU-GOTS-100002"),
        "expired": gen_certificate(session, lumen, EXPIRED_ON, scheme="iso_14001", number="E-100003"),
        "revoked": gen_certificate(session, lumen, TODAY + timedelta(days=100), scheme="grs", number="CU-GRS-100004"),
    }
    certs["superseded"] = gen_certificate(session, tatra, TODAY - timedelta(days=300), number="Q-100000",
                                          superseded_by_id=certs["valid"].id)
    from portal.timeutil import utcnow
    certs["revoked"].revoked_at, certs["revoked"].revoked_reason = utcnow(), "withdrawn"
    session.add(certs["revoked"])
    session.commit()
    return {"tatra": tatra, "lumen": lumen, **certs}


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td><a href="/certificates/(\d+)">', html)]


def test_dashboard_counts_each_state_and_draws_the_timeline(app, session, register):
    client, _ = logged_in(app, session, "quality")
    html = client.get("/certificates/").get_data(as_text=True)
    for state in ("valid", "expiring", "expired", "superseded", "revoked"):
        assert re.search(rf'id="count-{state}">\s*<span class="n">1</span>', html), state
    svg = html[html.index("<svg id=\"expiry-timeline\""):html.index("</svg>")]
    assert svg.count('<a href="/certificates/list?') == 12
    # this month holds the expired (except on its first day: then it lapsed last month, before the
    # chart's first bar) and (usually) the expiring certificate; its bar links to its list
    assert 'data-series="expiring"' in svg
    assert ('data-series="expired"' in svg) == (month_start(EXPIRED_ON) == month_start(TODAY))
    first = month_start(TODAY)
    assert f"expires_from={first.isoformat()}" in svg
    assert "E-100003" in html        # "expired, not replaced"
    assert 'id="flagged">' not in html
    register["valid"].findings = [{"code": "holder_mismatch", "tone": "warn", "message": "The holder …"}]
    session.add(register["valid"])
    session.commit()
    html = client.get("/certificates/").get_data(as_text=True)
    assert 'id="flagged">1 with findings</a>' in html


def test_quality_lands_on_the_dashboard_and_others_get_404(app, session, register):
    quality = app.test_client()
    response = login(quality, gen_user(session, "quality").email)
    assert response.headers["Location"] == "/certificates/"
    supplier, _ = logged_in(app, session, "supplier")
    for url in ("/certificates/", "/certificates/list", "/certificates/export.csv", f"/certificates/{register['valid'].id}"):
        assert supplier.get(url).status_code == 404
    assert app.test_client().get("/certificates/").status_code == 302     # to the login page
    buyer, _ = logged_in(app, session, "procurement")
    assert buyer.get("/certificates/").status_code == 200


@pytest.mark.parametrize("query, expected", [
    ("state=valid", ["valid"]), ("state=expiring", ["expiring"]), ("state=expired", ["expired"]),
    ("state=superseded", ["superseded"]), ("state=revoked", ["revoked"]),
    ("state=current", ["expired", "expiring", "valid"]), ("scheme=gots", ["expiring"]),
    ("window=30", ["expiring"]), ("window=365", ["expiring", "revoked"]), ("q=lumen", ["expired", "revoked"]),
    ("q=Q-10000", ["superseded", "valid"]),
])
def test_list_filters(app, session, register, query, expected):
    client, _ = logged_in(app, session, "quality")
    html = client.get(f"/certificates/list?{query}").get_data(as_text=True)
    assert sorted(_ids(html)) == sorted(register[k].id for k in expected)


def test_list_by_supplier_and_dates_and_bad_dates_are_said(app, session, register):
    client, _ = logged_in(app, session, "quality")
    html = client.get(f"/certificates/list?supplier={register['lumen']}").get_data(as_text=True)
    assert sorted(_ids(html)) == sorted([register["expired"].id, register["revoked"].id])
    assert "Certificates of Lumen Cables GmbH" in html
    since, until = TODAY - timedelta(days=5), TODAY + timedelta(days=25)
    html = client.get(f"/certificates/list?expires_from={since}&expires_to={until}").get_data(as_text=True)
    assert sorted(_ids(html)) == sorted([register["expired"].id, register["expiring"].id])
    html = client.get("/certificates/list?expires_from=31.12.2026").get_data(as_text=True)
    assert "is not a date (YYYY-MM-DD)" in html and len(_ids(html)) == 5


def test_list_pages(app, session):
    supplier_id = gen_user(session).supplier_id
    for i in range(120):
        gen_certificate(session, supplier_id, TODAY + timedelta(days=i))
    client, _ = logged_in(app, session, "quality")
    first = client.get("/certificates/list?state=current").get_data(as_text=True)
    assert "Page 1 of 3" in first and len(_ids(first)) == 50 and '<span id="cert-total">120</span>' in first
    last = client.get("/certificates/list?state=current&page=3").get_data(as_text=True)
    assert len(_ids(last)) == 20 and "Next →" not in last
    assert set(_ids(first)).isdisjoint(_ids(last))


def test_export_is_filtered_and_safe_against_formula_injection(app, session, register):
    evil = gen_user(session, supplier='=HYPERLINK("http://evil")').supplier_id
    gen_certificate(session, evil, TODAY + timedelta(days=10), number="Q-666666", holder_name="+cmd|' /C calc'!A0")
    client, _ = logged_in(app, session, "quality")
    response = client.get("/certificates/export.csv?state=expiring")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="certificates-')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["certificate_number"] for r in rows] == ["Q-666666", "CU-GOTS-100002"]
    assert rows[0]["supplier"].startswith("'=") and rows[0]["holder"].startswith("'+")
    assert rows[0]["state"] == "expiring" and rows[0]["days_left"] == "10"
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(client.get("/certificates/export.xlsx?state=expiring").data)).active
    assert sheet["B2"].value.startswith("'=") and sheet["B2"].data_type == "s"
    assert client.get("/certificates/export.pdf").status_code == 404


def test_detail_shows_history_and_revoking_needs_a_reason(app, session, register):
    quality, _ = logged_in(app, session, "quality")
    cert = register["valid"]
    html = quality.get(f"/certificates/{cert.id}").get_data(as_text=True)
    assert "Q-100000" in html and "Q-100001" in html and 'data-state="superseded"' in html
    url = f"/certificates/{cert.id}/revoke"
    quality.post(url, data={"csrf_token": csrf_token(quality, f"/certificates/{cert.id}"), "reason": " "})
    session.refresh(cert)
    assert cert.revoked_at is None
    assert quality.post(url, data={"reason": "no token"}).status_code == 400
    buyer, _ = logged_in(app, session, "procurement")
    assert buyer.post(url, data={"csrf_token": csrf_token(buyer, f"/certificates/{cert.id}"),
                                 "reason": "x"}).status_code == 404          # procurement cannot revoke
    response = quality.post(url, data={"csrf_token": csrf_token(quality, f"/certificates/{cert.id}"),
                                       "reason": "Withdrawn by the certification body"})
    assert response.status_code == 303
    session.refresh(cert)
    assert cert.revoked_reason == "Withdrawn by the certification body"
    assert session.exec(select(CertificateEvent).where(CertificateEvent.event_type == "certificate.revoked")).one()
    assert 'data-state="revoked"' in quality.get(f"/certificates/{cert.id}").get_data(as_text=True)
    assert quality.get("/certificates/999999").status_code == 404


def test_text_is_escaped(app, session):
    supplier_id = gen_user(session, supplier="<script>alert(1)</script> Ltd").supplier_id
    cert = gen_certificate(session, supplier_id, TODAY - timedelta(days=1), holder_name="<img src=x onerror=alert(1)>")
    client, _ = logged_in(app, session, "quality")
    for url in ("/certificates/", "/certificates/list", f"/certificates/{cert.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html


def _count_queries(app):  # noqa: ANN001, ANN202
    statements = []
    engine = get_engine(app.config["SETTINGS"].database_url)

    def before(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", before)
    return statements, lambda: event.remove(engine, "before_cursor_execute", before)


def test_suppliers_with_expired_certificates_are_flagged_on_procurement_screens(app, session, register):
    from tests.conftest import submitted_declaration
    decl, _, reviewer = submitted_declaration(app, session, supplier_name="Lumen Cables GmbH")
    tatra = session.get(Supplier, register["tatra"])
    pages = {"/suppliers/": "Lumen Cables GmbH", f"/suppliers/{register['lumen']}": "Lumen Cables GmbH",
             "/review/": "Lumen Cables GmbH", f"/review/{decl.id}": "Lumen Cables GmbH",
             "/certificates/list": "Lumen Cables GmbH"}
    for url in pages:
        html = reviewer.get(url).get_data(as_text=True)
        assert '<span class="badge error" title="Expired certificate">Expired certificate</span>' in html, url
    assert "badge error" not in reviewer.get(f"/suppliers/{tatra.id}").get_data(as_text=True)
    statements, stop = _count_queries(app)
    reviewer.get("/certificates/list")
    stop()
    assert sum("FROM certificate" in s and "GROUP BY certificate.supplier_id" in s for s in statements) == 1


def test_the_supplier_dashboard_lists_expiring_and_expired_certificates(app, session, register):
    supplier = app.test_client()
    login(supplier, gen_user(session, supplier="Lumen Cables GmbH").email)
    html = supplier.get("/dashboard").get_data(as_text=True)
    assert "Certificates expiring soon" in html and "E-100003 (expired)" in html
    assert "CU-GOTS-100002" not in html         # another supplier's
