"""The quality dashboard in headless Chromium against the real stack (gunicorn + worker, whose
periodic certificate job runs at start): counts, the SVG timeline, filters, a bar's month, a
certificate's history, and the supplier flag next to the renewal requests the job opened. Screenshots go to
artifacts/screenshots/3*.png."""

import re
from datetime import date, timedelta

from sqlmodel import func, select

from portal.certificates.models import Certificate, CertificateEvent
from tests.browser.conftest import SHOTS, log_in
from tests.certificates.helpers import gen_certificate
from tests.conftest import PASSWORD, gen_user

SCHEMES = ("iso_9001", "iso_14001", "gots", "oeko_tex_100", "fsc_coc")


def _seed(session) -> dict:  # noqa: ANN001
    """Certificates spread over the past two months and the next 14, with one renewal."""
    today = date.today()
    suppliers = [gen_user(session, supplier=name).supplier_id for name in
                 ("Tatra Magnetics s.r.o.", "Lumen Cables GmbH", "Baltic Polymers UAB")]
    expected = {"valid": 0, "expiring": 0, "expired": 0}
    for i in range(48):
        expiry = today + timedelta(days=-60 + i * 10)
        cert = gen_certificate(session, suppliers[i % 3], expiry, scheme=SCHEMES[i % len(SCHEMES)],
                               number=f"CERT-{1000 + i}", holder_name="Holder")
        expected["expired" if expiry < today else "expiring" if expiry <= today + timedelta(days=90) else "valid"] += 1
        last = cert
    renewed = gen_certificate(session, last.supplier_id, today + timedelta(days=900), scheme=last.scheme,
                              number="CERT-2000")
    last.superseded_by_id = renewed.id
    session.add(last)
    session.commit()
    expected["valid"] += 1 - (last.expiry_date > today + timedelta(days=90))
    expected["superseded"] = 1
    return {"expected": expected, "renewed": renewed.id, "old": last.id, "suppliers": suppliers}


def test_quality_dashboard_chart_and_filters(live_stack, session, browser):
    from portal.certificates.daily import run_daily
    seeded = _seed(session)
    expected = seeded["expected"]
    # as the worker's periodic job does; that job may also run while we seed (on a slow machine it
    # started late), so count what the register recorded rather than what this one run did
    run_daily()
    expired_events = session.exec(
        select(func.count()).select_from(CertificateEvent).join(Certificate)
        .where(CertificateEvent.event_type == "certificate.expired",
               Certificate.supplier_id.in_(seeded["suppliers"]))).one()
    assert expired_events == expected["expired"]
    base = live_stack.url
    page = browser.new_page(viewport={"width": 1366, "height": 1000})
    log_in(page, base, gen_user(session, "quality").email, PASSWORD)
    page.wait_for_url(base + "/certificates/")
    for state, n in expected.items():
        assert page.locator(f"#count-{state} .n").inner_text() == str(n), state
    chart = page.locator("svg#expiry-timeline")
    assert chart.is_visible() and chart.bounding_box()["width"] > 600
    assert page.locator("svg#expiry-timeline a.bar").count() == 12
    assert page.locator("svg#expiry-timeline rect.segment").count() >= 12
    assert page.locator("#events-h + table tbody tr").count() == 10
    page.screenshot(path=SHOTS / "30-certificates-dashboard.png", full_page=True)

    # a count opens its list
    page.locator("#count-expired").click()
    page.wait_for_url(re.compile(r".*/certificates/list\?state=expired"))
    assert page.locator("#cert-list tbody tr").count() == expected["expired"]
    assert page.locator("#cert-list .badge[data-state='expired']").count() == expected["expired"]

    # the filter form: scheme and window
    page.get_by_label("State").select_option("current")
    page.get_by_label("Scheme").select_option("gots")
    page.get_by_label("Expires within").select_option("180")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r".*scheme=gots.*window=180"))
    rows = page.locator("#cert-list tbody tr")
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "GOTS" in text
    page.screenshot(path=SHOTS / "31-certificates-filtered.png", full_page=True)

    # a bar of the chart opens that month's list
    page.goto(base + "/certificates/")
    bar = page.locator("svg#expiry-timeline a.bar").nth(2)
    total = int(bar.get_attribute("data-total"))
    bar.click()
    page.wait_for_url(re.compile(r".*expires_from=.*expires_to="))
    assert int(page.locator("#cert-total").inner_text()) == total
    page.screenshot(path=SHOTS / "32-certificates-month.png", full_page=True)

    # a certificate with its renewal history
    page.goto(f"{base}/certificates/{seeded['old']}")
    history = page.locator("#history").inner_text()
    assert "CERT-2000" in history and "CERT-1047" in history
    assert page.locator("h1 .badge[data-state='superseded']").count() == 1
    page.screenshot(path=SHOTS / "33-certificate-history.png", full_page=True)
    page.close()

    # procurement sees the renewal requests the job opened, each supplier flagged
    page = browser.new_page(viewport={"width": 1366, "height": 700})
    log_in(page, base, gen_user(session, "procurement").email, PASSWORD)
    page.get_by_role("link", name="Requests").click()
    assert page.locator("tbody tr").count() == expected["expired"] + expected["expiring"]
    assert page.locator("tbody tr .badge.error", has_text="2 expired certificates").count() >= 1
    page.screenshot(path=SHOTS / "34-renewal-requests-flagged.png", full_page=False)
    page.close()
