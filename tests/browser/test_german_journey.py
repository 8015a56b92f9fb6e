"""A supplier whose browser asks for German answers a certificate request on a 390 px phone,
against the real stack (gunicorn + worker): log in, upload the PDF, check what was read, sign
and submit — every step in German, nothing wider than the screen. Then the language switch
turns the portal French. Screenshots go to artifacts/screenshots/de-*.png."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from portal.requests.models import Declaration, DeclarationRequest
from tests.browser.conftest import SHOTS
from tests.conftest import FIXTURES, PASSWORD, gen_user
from tests.portal.test_i18n import english_words

pytestmark = pytest.mark.browser
CERTIFICATE_PDF = FIXTURES / "pdf" / "dev" / "iso_classic-1.pdf"  # ISO 14001, Lumen Components S.r.l.


def _fits_a_phone(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SHOTS / f"de-{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} is {overflow}px wider than the phone's screen"
    assert not english_words(page.content()), english_words(page.content())


def test_certificate_upload_in_german_on_a_phone(live_stack, session, browser):
    base = live_stack.url
    supplier = gen_user(session, supplier="Lumen Components S.r.l.")
    buyer = gen_user(session, "procurement")
    session.add(DeclarationRequest(supplier_id=supplier.supplier_id, document_type="certificate",
                                   due_date=date.today() + timedelta(days=20), created_by_id=buyer.id,
                                   message="ISO 14001"))
    session.commit()
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()

    page.goto(base + "/login")
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_label("E-Mail-Adresse").fill(supplier.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    _fits_a_phone(page, "01-login")
    page.get_by_role("button", name="Anmelden").click()

    page.get_by_role("heading", name="Ihre Erklärungen").wait_for()
    assert page.locator("#open-h + table td", has_text="Zertifikat").count() == 1
    _fits_a_phone(page, "02-dashboard")
    page.get_by_role("button", name="Beantworten").click()

    page.get_by_role("heading", name="Aus einer Datei ausfüllen").wait_for()
    page.get_by_label("Datei hochladen: Zertifikat").set_input_files(str(CERTIFICATE_PDF))
    page.get_by_role("button", name="Hochladen und ausfüllen").click()
    page.get_by_text("Die Datei ist gespeichert; wir lesen sie").wait_for()
    page.locator("#status-panel .badge[data-status='extracted'], #status-panel .badge[data-status='needs_review']") \
        .wait_for(timeout=120_000)
    page.reload()  # the form filled in from the file
    assert page.get_by_label("Zertifikatsnummer").input_value() == "Q73-897926"
    assert page.get_by_label("Zertifizierungsprogramm").input_value() == "iso_14001"
    assert page.locator("#status-panel .badge").inner_text() in ("Erfolgreich gelesen", "Gelesen, mit Befunden zum Prüfen")
    _fits_a_phone(page, "03-form-filled")

    page.get_by_label("Ihr Name").fill("Giulia Bianchi")
    page.get_by_label("Ihre Funktion").fill("Qualitätsleiterin")
    page.get_by_label("Ich erkläre, dass die obigen Angaben").check()
    page.get_by_role("button", name="Erklärung einreichen").click()
    page.get_by_text("Eingereicht. Der Einkauf prüft die Erklärung").wait_for()
    assert page.locator("#declaration-status").inner_text() == "Eingereicht, wartet auf Prüfung"
    _fits_a_phone(page, "04-submitted")
    session.expire_all()
    assert session.exec(select(Declaration)).one().status == "submitted"

    page.get_by_label("Sprache").select_option("fr")
    page.get_by_role("button", name="Ändern").click()
    page.get_by_text("Le portail est maintenant en français.").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.screenshot(path=str(SHOTS / "de-05-switched-to-french.png"), full_page=True)
    context.close()
