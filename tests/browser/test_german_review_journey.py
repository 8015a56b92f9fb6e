"""German on both sides, against the real stack (gunicorn + worker): a supplier answers a CMRT
request on a 1,440 px desktop and a procurement user reviews and approves it on a 390 px phone;
then a certificate the other way round (phone supplier, desktop reviewer). Every page is in
German (no English UI words; the supplier's own data is marked translate="no"), nothing is
wider than the screen, and axe-core finds no serious or critical violation. Screenshots go to
artifacts/screenshots/de-*.png."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from portal.requests.models import Declaration, DeclarationRequest
from tests.browser.conftest import SHOTS
from tests.browser.test_axe import AXE, RUN_AXE
from tests.conftest import CMRT_FILE, FIXTURES, PASSWORD, gen_user
from tests.portal.test_i18n import english_words

pytestmark = pytest.mark.browser
CERTIFICATE_PDF = FIXTURES / "pdf" / "dev" / "iso_classic-1.pdf"  # ISO 14001, Lumen Components S.r.l.
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def _looks_german(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SHOTS / f"de-{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} is {overflow}px wider than the screen"
    assert page.locator("html").get_attribute("lang") == "de"
    assert not english_words(page.content()), english_words(page.content())
    page.add_script_tag(path=str(AXE))  # German labels must stay accessible too
    violations = page.evaluate(RUN_AXE)
    assert not violations, f"{name}: {violations}"


def _german_page(browser, base: str, viewport: dict, email: str):  # noqa: ANN001, ANN202
    context = browser.new_context(locale="de-DE", viewport=viewport, bypass_csp=True)  # to inject axe
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    return context, page


def _supplier_answers(browser, base: str, viewport: dict, email: str, upload: Path, shot: str) -> None:  # noqa: ANN001
    context, page = _german_page(browser, base, viewport, email)
    page.get_by_role("heading", name="Ihre Erklärungen").wait_for()
    page.get_by_role("button", name="Beantworten").click()
    page.get_by_role("heading", name="Aus einer Datei ausfüllen").wait_for()
    page.locator("#file").set_input_files(str(upload))
    page.get_by_role("button", name="Hochladen und ausfüllen").click()
    page.locator("#status-panel .badge[data-status='extracted'], #status-panel .badge[data-status='needs_review']") \
        .wait_for(timeout=120_000)
    page.reload()
    _looks_german(page, f"{shot}-1-supplier-filled")
    page.get_by_label("Ihr Name").fill("Giulia Bianchi")
    page.get_by_label("Ihre Funktion").fill("Leiterin Nachhaltigkeit")
    page.get_by_label("Ich erkläre, dass die obigen Angaben").check()
    page.get_by_role("button", name="Erklärung einreichen").click()
    page.get_by_text("Eingereicht. Der Einkauf prüft die Erklärung").wait_for()
    _looks_german(page, f"{shot}-2-supplier-submitted")
    context.close()


def _buyer_approves(browser, base: str, viewport: dict, email: str, shot: str) -> None:  # noqa: ANN001
    context, page = _german_page(browser, base, viewport, email)
    page.goto(base + "/review/")
    page.get_by_role("heading", name="Prüfwarteschlange").wait_for()
    _looks_german(page, f"{shot}-3-review-queue")
    page.locator("table a").first.click()
    page.get_by_role("heading", name="Entscheidung").wait_for()
    _looks_german(page, f"{shot}-4-review-screen")
    page.get_by_role("button", name="Prüfung beginnen").click()
    page.get_by_text("Prüfung begonnen: der Lieferant sieht").wait_for()
    page.get_by_role("button", name="Freigeben", exact=True).click()
    page.get_by_text("Freigegeben. Der Datensatz wird an den Produktpass-Speicher gesendet.").wait_for()
    _looks_german(page, f"{shot}-5-approved")
    page.get_by_role("link", name="Alle Änderungen").click()
    page.get_by_role("heading", name="Verlauf der Erklärung").wait_for()
    _looks_german(page, f"{shot}-6-history")
    context.close()


def _request(session, supplier_id: int, buyer_id: int, document_type: str) -> None:  # noqa: ANN001
    session.add(DeclarationRequest(supplier_id=supplier_id, document_type=document_type, created_by_id=buyer_id,
                                   due_date=date.today() + timedelta(days=20)))
    session.commit()


@pytest.mark.parametrize("document_type, upload, company, supplier_view, buyer_view, shot", [
    ("cmrt", CMRT_FILE, "Tatra Magnetics s.r.o.", DESKTOP, PHONE, "cmrt"),
    ("certificate", CERTIFICATE_PDF, "Lumen Components S.r.l.", PHONE, DESKTOP, "cert"),
])
def test_german_supplier_answers_and_german_buyer_approves(live_stack, session, browser, document_type, upload,
                                                           company, supplier_view, buyer_view, shot):
    supplier = gen_user(session, supplier=company)
    buyer = gen_user(session, "procurement")
    _request(session, supplier.supplier_id, buyer.id, document_type)
    _supplier_answers(browser, live_stack.url, supplier_view, supplier.email, upload, shot)
    _buyer_approves(browser, live_stack.url, buyer_view, buyer.email, shot)
    session.expire_all()
    decl = session.exec(select(Declaration)).one()
    assert (decl.document_type, decl.status) == (document_type, "approved")
