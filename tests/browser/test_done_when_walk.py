"""Issue 11's "Done when", walked in headless Chromium against the real stack (gunicorn + worker),
once in English and once in German. Procurement asks a supplier for a CMRT and for an ISO 14001
certificate; the supplier sees both requests (dashboard and in-app notifications), uploads the
CMRT and a generated certificate PDF, sees the warnings before submitting (expired, another
company's name, another scheme), and submits with an edit not yet saved — which submit saves.
Procurement reviews: each value says whether it came from the file, was typed by the supplier
(and differs from its source cell), or was corrected by a reviewer (before → after); an invalid
correction is refused in words; opening a declaration changes nothing until "Start review" or a
first correction; changes are requested on the certificate, the supplier is notified in their
language, uploads the current certificate and resubmits; procurement approves both and the
certificate enters the register.

The supplier acts on a 390 px phone and procurement on a 1,440 px desktop in English, the other
way round in German; every page is checked at both widths: a screenshot (artifacts/walk/),
nothing wider than the screen, axe-core with no serious or critical violation, and no regular
expression, JSON path, enum or type code, event code or Python structure in what a person reads —
nor English words left on a German page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from portal.certificates.models import Certificate
from portal.i18n import gettext, language
from portal.requests.labels import data as labels_data
from portal.requests.labels import declaration_label, enum_label, field_label, type_title
from portal.requests.models import Declaration
from tests.browser.test_axe import AXE, RUN_AXE
from tests.browser.test_german_phone import BROKEN_WORDS
from tests.conftest import CMRT_FILE, PASSWORD, gen_user
from tests.ingestion.pdf_writer import PdfWriter
from tests.ingestion.test_cert_patterns import centred_certificate
from tests.portal.test_i18n import english_words
from tests.portal.test_labels_pages import offenders

pytestmark = pytest.mark.browser
WALK = Path(__file__).resolve().parents[2] / "artifacts" / "walk"
PHONE, DESKTOP = 390, 1440
COMPANY = "Tatra Magnetics s.r.o."
# the supplier's width and procurement's, per language
WIDTHS = {"en": (PHONE, DESKTOP), "de": (DESKTOP, PHONE)}
# what procurement writes: the requests' messages, the reason for changes and the note on a field
MESSAGES = {"en": ("Your CMRT for 2026, please.", "Your current ISO 14001 certificate, please.",
                   "Please upload your current ISO 14001 certificate.", "Expired in 2024."),
            "de": ("Bitte Ihr CMRT für 2026.", "Bitte Ihr aktuelles Zertifikat nach ISO 14001.",
                   "Bitte laden Sie Ihr aktuelles Zertifikat nach ISO 14001 hoch.", "2024 abgelaufen.")}
TALL = 8000  # px: a taller page is shot as its first screen (a 15,000 px shot is slow and unreadable)
# A type's code in capitals ("CERTIFICATE", "MATERIAL_COMPOSITION") is a code, not a word; CMRT,
# EMRT and CRT are RMI's own names for their templates.
TYPE_CODES = re.compile(r"\b(CERTIFICATE|ROHS|REACH_SVHC|MATERIAL_COMPOSITION|DECLARATION_OF_CONFORMITY)\b")
EVENT_CODES = re.compile(r"\b(" + "|".join(re.escape(c) for c in labels_data()["events"] if "." in c) + r")\b")
WIDE = """w => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > w + 1 && getComputedStyle(e).position !== 'absolute'
            && !(e.parentElement && e.parentElement.closest('.scroll-x')))
    .slice(-5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)
                   + ' ' + e.textContent.trim().slice(0, 60))"""
DATA_LABELS = """() => [...document.querySelectorAll('[data-label]')].map(e => e.dataset.label)"""
# a time to the second or finer ("2026-12-02T02:45:46.800759Z"): the portal shows times to the minute
SECONDS = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")
# a name said twice in a row in a trail of names: "Certification body › Certification body: …"
REPEATED = re.compile(r"(?:^|› )([^›\n:—]+?) › \1(?=$|[:›—\n])", re.M)
# a key as stored ("received_at", "source_declaration_id") where words belong
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# the page's own words: without data (translate="no": names, file names, e-mail addresses) and code
OWN_TEXT = """() => { const main = document.querySelector('main').cloneNode(true);
    main.querySelectorAll('[translate="no"], code, script, style').forEach(e => e.remove());
    return main.textContent; }"""


def certificate_pdf(path: Path, holder: str, standard: str, number: str, issued: str, expires: str) -> Path:
    """An accredited body's certificate in the common centred layout (tests/ingestion's builder)."""
    writer = PdfWriter()
    centred_certificate("CERTIFICATE", "This is to certify that the management system of", holder,
                        "Industriestrasse 7, 70565 Stuttgart, Germany", f"conforms to the requirements of {standard}",
                        (("Certificate number:", number), ("Date of issue:", issued), ("Valid until:", expires)),
                        "TÜV SÜD Management Service GmbH, Ridlerstrasse 65, 80339 München")(writer)
    return writer.save(path)


class Walk:
    """One language's walk: the words the portal should show, and the checks run on each page."""

    def __init__(self, lang: str, base: str) -> None:
        self.lang, self.base, self.shots = lang, base, 0
        WALK.mkdir(parents=True, exist_ok=True)

    def t(self, message: str, **values: object) -> str:
        with language(self.lang):
            return gettext(message, **values)

    def words(self, fn, *args) -> str:  # noqa: ANN001
        with language(self.lang):
            return fn(*args)

    def status(self, code: str) -> str:
        with language(self.lang):
            return declaration_label(code)[0]

    def check(self, page, name: str, focus: tuple[str, ...] = ()) -> None:  # noqa: ANN001
        """The page at both widths (screenshot, overflow, axe), then what a person reads on it.
        `focus`: selectors of parts to shoot on their own too (a tall page is shot as its first screen)."""
        acting = page.viewport_size["width"]
        self.shots += 1
        page.add_script_tag(path=str(AXE))
        for width in (PHONE, DESKTOP):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(WALK / f"{self.lang}-{width}-{self.shots:02d}-{name}.png"),
                            full_page=page.evaluate("document.documentElement.scrollHeight") <= TALL)
            for n, selector in enumerate(focus, 1):
                page.locator(selector).first.screenshot(
                    path=str(WALK / f"{self.lang}-{width}-{self.shots:02d}-{name}-{n}.png"))
            if width == PHONE:
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (f"{self.lang} {name}: {overflow}px wider than a {width}px phone: "
                                       f"{page.evaluate(WIDE, width)}")
            broken = page.evaluate(BROKEN_WORDS)
            assert not broken, f"{self.lang} {name} at {width}px: words broken mid-word: {broken}"
            violations = page.evaluate(RUN_AXE)
            assert not violations, f"{self.lang} {name} at {width}px:\n" + "\n".join(violations)
        page.set_viewport_size({"width": acting, "height": 900})
        html = page.content()
        assert page.locator("html").get_attribute("lang") == self.lang, name
        labels = " | ".join(page.evaluate(DATA_LABELS))  # column names a phone shows beside each value
        found = offenders(html) + offenders(f"<p>{labels}</p>")
        found += [("type code", m.group(0)) for m in TYPE_CODES.finditer(page.inner_text("body"))]
        found += [("event code", m.group(0)) for m in EVENT_CODES.finditer(page.inner_text("body") + labels)]
        text = page.locator("main").inner_text()
        found += [("time to the second", m.group(0)) for m in SECONDS.finditer(text)]
        found += [("name said twice", m.group(0)) for m in REPEATED.finditer(text)]
        found += [("stored key", m.group(0)) for m in SNAKE.finditer(page.evaluate(OWN_TEXT))]
        assert not found, f"{self.lang} {name}: {found}"
        if self.lang != "en":
            assert not english_words(html), f"{name}: {english_words(html)}"

    def open(self, browser, email: str, width: int):  # noqa: ANN001, ANN201
        context = browser.new_context(locale="de-DE" if self.lang == "de" else "en-GB",
                                      viewport={"width": width, "height": 900}, bypass_csp=True)  # to inject axe
        page = context.new_page()
        page.goto(self.base + "/login")
        page.locator("#email").fill(email)
        page.locator("#password").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(re.compile(r"^(?!.*/login)"))
        return context, page


def _flash(page, tone: str = "success") -> str:  # noqa: ANN001
    flash = page.locator(f".flashes .flash.{tone}").first
    flash.wait_for()
    return flash.inner_text()


def _read(page) -> None:  # noqa: ANN001
    """Wait for the worker to read the upload (status.js follows it), then show the filled form."""
    page.locator("#status-panel .badge[data-status='extracted'], #status-panel .badge[data-status='needs_review']") \
        .wait_for(timeout=120_000)
    page.reload()


def _reveal(page, path: str):  # noqa: ANN001, ANN202
    """The review row of a field, its folded section opened as a reviewer would."""
    row = page.locator(f"tr[data-path='{path}']").first
    row.evaluate("r => { for (let d = r.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }")
    return row


def _sign_and_submit(page, walk: Walk) -> None:  # noqa: ANN001
    page.locator("#signatory_name").fill("Priya Martin")
    page.locator("#signatory_title").fill("Sustainability Manager")
    page.locator("#confirm").check()
    page.locator("#submit-declaration").click()
    assert _flash(page) == walk.t("Submitted. Procurement will review it; you will see their answer here.")
    assert page.locator("#declaration-status").inner_text() == walk.status("submitted")


def _status(session, decl_id: int) -> str:  # noqa: ANN001
    session.expire_all()
    return session.get(Declaration, decl_id).status


@pytest.mark.parametrize("lang", ["en", "de"])
def test_supplier_and_procurement_walk_a_cmrt_and_a_certificate(lang, live_stack, session, browser, tmp_path):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make browser-tools` (npm ci).", pytrace=False)
    walk, base = Walk(lang, live_stack.url), live_stack.url
    supplier_width, buyer_width = WIDTHS[lang]
    supplier_email = gen_user(session, supplier=COMPANY).email
    buyer_email = gen_user(session, "procurement").email
    expired = certificate_pdf(tmp_path / "old-certificate.pdf", "Northwind Plastics GmbH", "ISO 9001:2015",
                              "12 100 48213", "14 March 2021", "13 March 2024")
    current = certificate_pdf(tmp_path / "certificate.pdf", COMPANY, "ISO 14001:2015", "12 104 55120",
                              "2 May 2025", "1 May 2028")

    # --- procurement asks for a CMRT and a certificate
    buyer_context, buyer = walk.open(browser, buyer_email, buyer_width)
    cmrt_message, certificate_message, reason, note = MESSAGES[lang]
    for document_type, message in (("cmrt", cmrt_message), ("certificate", certificate_message)):
        buyer.goto(base + "/requests/new")
        buyer.locator("#document_type").select_option(document_type)
        buyer.locator("#supplier_ids").select_option(label=COMPANY)
        buyer.locator("#due_date").fill((date.today() + timedelta(days=20)).isoformat())
        buyer.locator("#message").fill(message)
        if document_type == "cmrt":
            walk.check(buyer, "procurement-new-request")
        buyer.locator("main form button[type=submit]").click()
        _flash(buyer)

    # --- the supplier sees both, answers the CMRT by upload; an edit not yet saved goes with the submit
    supplier_context, supplier = walk.open(browser, supplier_email, supplier_width)
    if lang != "en":  # the supplier's own choice, kept on the account: e-mails follow it
        supplier.locator("#language").select_option(lang)
        supplier.locator(".language-switch button").click()
    open_requests = supplier.locator("#open-h + table tbody tr")
    assert open_requests.count() == 2
    walk.check(supplier, "supplier-dashboard")
    supplier.goto(base + "/notifications")
    assert supplier.locator("main tbody tr").count() == 2  # one e-mail per request
    walk.check(supplier, "supplier-notifications-requests")

    supplier.goto(base + "/dashboard")
    open_requests.filter(has_text=walk.words(type_title, "cmrt")).get_by_role("button").click()
    supplier.locator("#file").set_input_files(str(CMRT_FILE))
    supplier.locator("#upload button[type=submit]").click()
    _read(supplier)
    assert supplier.locator("#company-name").input_value() == COMPANY
    walk.check(supplier, "supplier-cmrt-filled", (".table-tools",))
    supplier.locator("#company-name").fill("Tatra Magnetics a.s.")  # not saved as a draft
    _sign_and_submit(supplier, walk)
    assert supplier.locator("#company-name").input_value() == "Tatra Magnetics a.s."
    walk.check(supplier, "supplier-cmrt-submitted")
    cmrt_id = int(supplier.url.rsplit("/", 1)[-1])

    # --- the certificate: an old one of another company and scheme; warned before submitting
    supplier.goto(base + "/dashboard")
    open_requests.filter(has_text=walk.words(type_title, "certificate")).get_by_role("button").click()
    supplier.locator("#file").set_input_files(str(expired))
    supplier.locator("#upload button[type=submit]").click()
    _read(supplier)
    assert supplier.locator("#certificate_number").input_value() == "12 100 48213"
    warnings = supplier.locator("#submit-warnings").inner_text()
    assert walk.t("This certificate expired on %(date)s. Upload the current certificate instead.",
                  date="2024-03-13") in warnings
    assert walk.t("The request asks for %(wanted)s, but this certificate is %(scheme)s.",
                  wanted=walk.words(enum_label, "iso_14001"), scheme=walk.words(enum_label, "iso_9001")) in warnings
    assert "Northwind Plastics GmbH" in warnings  # the holder is not the supplier
    walk.check(supplier, "supplier-certificate-warnings")
    supplier.locator("#scope").fill("Injection moulding of magnet housings")  # not saved as a draft
    _sign_and_submit(supplier, walk)  # warnings warn; they do not block
    assert supplier.locator("#scope").input_value() == "Injection moulding of magnet housings"
    certificate_id = int(supplier.url.rsplit("/", 1)[-1])

    # --- procurement reviews the CMRT: opening it changes nothing
    buyer.goto(base + "/review/")
    assert buyer.locator("main tbody tr").count() == 2
    walk.check(buyer, "review-queue")
    buyer.goto(f"{base}/review/{cmrt_id}")
    assert buyer.locator("#review-status .badge").inner_text() == walk.status("submitted")
    assert _status(session, cmrt_id) == "submitted"
    name = _reveal(buyer, "/company/name")
    assert name.locator(".provenance .origin").inner_text() == walk.t("Typed by the supplier")
    assert walk.t("Differs from the file, which says “%(value)s”.", value=COMPANY) in name.inner_text()
    phone = _reveal(buyer, "/company/contact/phone")
    assert phone.locator(".provenance .origin").inner_text() == walk.t("From the file")
    phone.locator(".provenance a").click()  # its source: the cell and its neighbours
    assert buyer.locator("#source table.cells td.target").inner_text() == "+49 597 826057"

    # an invalid correction is refused with the supplier's words, and starts nothing
    email_path = "/company/contact/email"
    email = _reveal(buyer, email_path)
    before = email.locator("input[name='value']").input_value()
    email.locator("input[name='value']").fill("still not an e-mail")
    email.locator("form.row-form button").click()
    refused = _flash(buyer, "error")
    assert refused.startswith(walk.t("Not saved — %(field)s: %(problem)s", field=walk.words(field_label, "cmrt", email_path),
                                     problem="")), refused
    assert "name@" in refused and "is not a" not in refused
    assert _status(session, cmrt_id) == "submitted"
    assert not offenders(buyer.locator(".flashes").inner_html()), refused

    # a valid correction shows as the reviewer's, before → after; it starts the review
    email = _reveal(buyer, email_path)
    email.locator("input[name='value']").fill("compliance@tatra.example")
    email.locator("form.row-form button").click()
    _flash(buyer)
    assert buyer.locator("#review-status .badge").inner_text() == walk.status("in_review")
    provenance = _reveal(buyer, email_path).locator(".provenance").inner_text()
    assert walk.t("Corrected by a reviewer") in provenance
    assert f"{before} → compliance@tatra.example" in provenance
    walk.check(buyer, "review-cmrt-corrected", ("tr[data-path='/company/name']", f"tr[data-path='{email_path}']"))
    buyer.locator("#approve").click()
    assert _flash(buyer) == walk.t("Approved. The record is being sent to the passport store.")
    assert _status(session, cmrt_id) == "approved"

    # --- the certificate: the same warnings and the register's checks; opened, still submitted
    buyer.goto(f"{base}/review/{certificate_id}")
    assert _status(session, certificate_id) == "submitted"
    assert "2024-03-13" in buyer.locator("#approval-warnings").inner_text()
    assert "Northwind Plastics GmbH" in buyer.locator("#register-checks").inner_text()
    scope = _reveal(buyer, "/scope")
    assert scope.locator(".provenance .origin").inner_text() == walk.t("Typed by the supplier")
    number = _reveal(buyer, "/certificate_number")
    assert number.locator(".provenance .origin").inner_text() == walk.t("From the file")
    walk.check(buyer, "review-certificate", ("#section-record",))
    expiry = _reveal(buyer, "/expiry_date")
    expiry.locator("input[name='value']").fill("next March")
    expiry.locator("form.row-form button").click()
    assert walk.words(field_label, "certificate", "/expiry_date") in _flash(buyer, "error")
    assert _status(session, certificate_id) == "submitted"
    buyer.locator("#start-review").click()
    assert _flash(buyer) == walk.t("Review started: the supplier sees that the declaration is in review.")
    assert _status(session, certificate_id) == "in_review"
    _reveal(buyer, "/expiry_date").locator("input.note-input").fill(note)
    buyer.locator("#reason").fill(reason)
    buyer.locator("#changes-form button[type=submit]").click()
    assert _flash(buyer) == walk.t("Sent back to the supplier with your reasons.")
    assert buyer.locator("#review-status .badge").inner_text() == walk.status("changes_requested")
    walk.check(buyer, "review-certificate-changes-requested")

    # --- the supplier is told (in their language), uploads the current certificate, resubmits
    supplier.goto(base + "/notifications")
    subject = walk.t("Changes requested: your %(what)s (declaration #%(id)d)",
                     what=walk.words(type_title, "certificate"), id=certificate_id)
    assert supplier.get_by_text(subject).count() == 1
    walk.check(supplier, "supplier-notifications-changes")
    supplier.goto(f"{base}/declarations/{certificate_id}")
    asked = supplier.locator("#changes-requested")
    assert reason in asked.inner_text()
    assert asked.locator("a[href='#expiry_date']").count() == 1 and note in asked.inner_text()
    walk.check(supplier, "supplier-certificate-changes-requested")
    supplier.locator("#file").set_input_files(str(current))
    supplier.locator("#upload button[type=submit]").click()
    _read(supplier)
    assert supplier.locator("#certificate_number").input_value() == "12 104 55120"
    assert supplier.locator("#submit-warnings").count() == 0
    _sign_and_submit(supplier, walk)
    walk.check(supplier, "supplier-certificate-resubmitted")

    # --- procurement approves; the certificate enters the register
    buyer.goto(f"{base}/review/{certificate_id}")
    assert buyer.locator("#approval-warnings").count() == 0
    buyer.locator("#approve").click()
    assert _flash(buyer) == walk.t("Approved. The record is being sent to the passport store.")
    walk.check(buyer, "review-certificate-approved")
    buyer.locator(f"a[href='/review/{certificate_id}/history']").click()  # every step, in words
    history = buyer.locator("main").inner_text()
    assert walk.words(field_label, "certificate", "/scope") in history and "{'" not in history
    walk.check(buyer, "review-certificate-history")
    session.expire_all()
    entry = session.exec(select(Certificate).where(Certificate.declaration_id == certificate_id)).one()
    assert (entry.scheme, entry.certificate_number, entry.expiry_date) == ("iso_14001", "12 104 55120", date(2028, 5, 1))
    buyer.goto(base + "/certificates/")
    walk.check(buyer, "register-dashboard")
    buyer.goto(base + "/certificates/list?q=12+104+55120")
    buyer.locator(f"main a[href='/certificates/{entry.id}']").first.click()
    assert "12 104 55120" in buyer.locator("main").inner_text()
    walk.check(buyer, "register-certificate")
    buyer_context.close()

    supplier.goto(base + "/notifications")
    subject = walk.t("Approved: your %(what)s (declaration #%(id)d)", what=walk.words(type_title, "certificate"),
                     id=certificate_id)
    assert supplier.get_by_text(subject).count() == 1
    walk.check(supplier, "supplier-notifications-approved")
    supplier.goto(base + "/dashboard")
    assert supplier.locator("#open-h + table").count() == 0  # both answered
    walk.check(supplier, "supplier-dashboard-done")
    supplier_context.close()
