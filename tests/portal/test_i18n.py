"""Languages: pages follow the user's choice, then the language switch's cookie, then the
browser; German supplier pages carry no English UI words; e-mails go out in the recipient's
language; every catalogue is complete and its placeholders match the English."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.i18n import LANGUAGES, TRANSLATIONS_DIR
from portal.mail.models import OutgoingEmail
from portal.requests.models import Declaration, DeclarationRequest
from tests.conftest import CMRT_FILE, csrf_token, gen_user, login
from tests.requests.test_requests import _buyer, _send


def _choose(client, code: str, next_: str = "/login"):  # noqa: ANN001, ANN202
    return client.post("/language", data={"csrf_token": csrf_token(client, next_), "language": code, "next": next_})


def test_the_browser_language_then_the_switch_then_the_users_choice(app, session):
    client = app.test_client()
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="de">' in page and "<h1>Anmelden</h1>" in page and "Passwort" in page
    assert "<h1>Log in</h1>" in client.get("/login", headers={"Accept-Language": "pt-BR"}).get_data(as_text=True)

    answer = _choose(client, "fr")  # the footer's switch, before signing in
    assert answer.status_code == 303 and answer.headers["Location"] == "/login"
    assert "lang=fr" in answer.headers["Set-Cookie"]
    page = client.get("/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="fr">' in page and "Le portail est maintenant en français." in page  # the cookie beats the browser

    user = gen_user(session)
    login(client, user.email)
    answer = _choose(client, "es", "/dashboard")
    assert answer.headers["Location"] == "/dashboard"
    session.refresh(user)
    assert user.language == "es"
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.language_changed")).one()
    assert (entry.before, entry.after) == (None, "Español")

    other = app.test_client()  # another browser, German, no cookie: the account's choice wins
    login(other, user.email)
    page = other.get("/dashboard", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="es">' in page and "Sus declaraciones" in page


def test_the_switch_refuses_unknown_languages_and_foreign_redirects(app, session):
    client = app.test_client()
    answer = _choose(client, "xx")
    assert answer.status_code == 303 and "lang=" not in answer.headers.get("Set-Cookie", "")
    assert "Choose one of the languages" in client.get("/login").get_data(as_text=True)
    token = csrf_token(client, "/login")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        answer = client.post("/language", data={"csrf_token": token, "language": "de", "next": target})
        assert answer.headers["Location"] == "/", target


# --- no English left on the German supplier pages ------------------------------------------------

# English UI words that are not also German (Status, Name, Version, Gold, Standard are both)
ENGLISH = ["the", "and", "your", "you", "with", "from", "upload", "save", "submit", "draft", "declaration",
           "certificate", "expiry", "issue", "date", "number", "holder", "due", "answer", "requested", "settings",
           "notifications", "log out", "language", "change", "remove", "add", "question", "smelter", "metal",
           "company", "contact", "yes", "unknown", "read", "file", "fill", "dashboard", "type",
           "updated", "message", "back", "what", "scope", "body", "row", "list", "template", "products",
           "documents", "nothing", "sign", "title", "comment", "country", "tin", "tungsten", "tantalum", "none",
           "greater", "less", "other", "policy", "supplier", "review", "approved", "open", "choose", "enter",
           "password", "skip", "main", "immediately", "daily", "digest"]
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)
LANGUAGE_NAMES = set(LANGUAGES.values())
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    """What a person reads or hears: text outside script/style, labels read out (aria-label,
    title, placeholder, alt); the language names in the switch are each in their own language.
    Content marked translate="no" (values from the supplier's file, a sheet's cells) is data, not UI;
    content that names its own language (lang="en": the API reference, written from the English
    OpenAPI document) is in that language by declaration."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._data: list[str] = []  # the open tags inside a translate="no" element

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if self._data or ("translate", "no") in attrs or (tag != "html" and any(n == "lang" for n, _ in attrs)):
            if tag not in VOID:
                self._data.append(tag)
            return
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if self._data and self._data[-1] == tag:
            self._data.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._data and data.strip() and data.strip() not in LANGUAGE_NAMES:
            self.parts.append(data.strip())


def english_words(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    # a quoted name (the „Declaration“ sheet) and a link's address are names, not words
    texts = [re.sub(r"„[^“]*“|https?://\S+", "", text) for text in parser.parts]
    return [f"{m.group(0)!r} in {text[:80]!r}" for text in texts for m in ENGLISH_RE.finditer(text)]


def _assert_german(client, pages: list[str]) -> None:  # noqa: ANN001
    found = {}
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="de">' in html, url
        found[url] = english_words(html)
    leftovers = {url: words for url, words in found.items() if words}
    assert not leftovers, "\n".join(f"{url}: {w}" for url, words in leftovers.items() for w in words)


def _german_supplier(app, session):  # noqa: ANN001, ANN202
    supplier_user = gen_user(session, supplier="Tatra Magnetics s.r.o.")
    client = app.test_client()
    login(client, supplier_user.email)
    _choose(client, "de", "/dashboard")
    buyer = _buyer(app, session)  # the request's e-mail, in German, is on the notifications page
    _send(buyer, [supplier_user.supplier_id], due=(date.today() + timedelta(days=20)).isoformat())
    return client, supplier_user


def test_german_supplier_pages_have_no_english_ui_words(app, session):
    client, user = _german_supplier(app, session)
    req = session.exec(select(DeclarationRequest)).one()
    client.post(f"/requests/{req.id}/answer", data={"csrf_token": csrf_token(client, "/dashboard")})
    cert = session.exec(select(Declaration)).one()
    token = csrf_token(client, f"/declarations/{cert.id}")
    saved = client.post(f"/declarations/{cert.id}", follow_redirects=True, data={
        "csrf_token": token, "lock_version": cert.lock_version, "action": "save", "scheme": "iso_14001",
        "certificate_number": "EMS-558812", "holder-name": "Tatra Magnetics s.r.o.", "issuer-name": "TÜV SÜD",
        "issue_date": "2025-04-01",
        "expiry_date": "31.03.2028"})  # not an ISO date: a finding in words on the page
    assert "Entwurf gespeichert. 1 Problem ist unten markiert." in saved.get_data(as_text=True)
    client.post("/declarations/new", data={"csrf_token": csrf_token(client, "/dashboard"), "document_type": "cmrt"})
    cmrt = session.exec(select(Declaration).where(Declaration.document_type == "cmrt")).one()
    client.post("/documents/", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/documents/"), "file": (CMRT_FILE.open("rb"), CMRT_FILE.name)})
    pages = ["/dashboard", f"/declarations/{cert.id}", f"/declarations/{cmrt.id}", "/documents/",
             "/documents/1", "/notifications", "/settings/notifications", "/no-such-page"]
    _assert_german(client, pages)


def test_cmrt_form_in_german_asks_rmis_questions_with_the_templates_choices(app, session):
    client, _ = _german_supplier(app, session)
    client.post("/declarations/new", data={"csrf_token": csrf_token(client, "/dashboard"), "document_type": "cmrt"})
    decl = session.exec(select(Declaration).where(Declaration.document_type == "cmrt")).one()
    html = client.get(f"/declarations/{decl.id}").get_data(as_text=True)
    assert "E. Führt Ihr Unternehmen Umfragen zu Konfliktmineralien" in html
    h_answer = html[html.index('id="company_questions-h-answer"'):]
    h_answer = h_answer[:h_answer.index("</select>")]
    assert re.findall(r'<option value="([^"]*)">', h_answer) == [
        "", "yes, with the sec", "yes, with the eu", "yes, with the sec and the eu", "no"]
    assert ">Ja, bei der SEC und der EU<" in h_answer and ">Nein<" in h_answer
    assert ">Ja, gemäß IPC1755 (z. B. CMRT)<" in html and "Liste der Schmelzhütten" in html


# --- e-mails ----------------------------------------------------------------------------------

def test_emails_to_suppliers_are_in_each_recipients_language(app, session):
    german = gen_user(session, supplier="Tatra Magnetics s.r.o.")
    german_client = app.test_client()
    login(german_client, german.email)
    _choose(german_client, "de", "/dashboard")
    colleague = gen_user(session, supplier="Tatra Magnetics s.r.o.")  # same company, no choice: English
    assert colleague.supplier_id == german.supplier_id
    buyer = _buyer(app, session)  # the buyer works in English
    _send(buyer, [german.supplier_id], due=(date.today() + timedelta(days=20)).isoformat())
    mails = {m.to: m for m in session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "request.new")).all()}
    assert mails[german.email].subject.startswith("Erklärung angefordert: Zertifikat bis ")
    assert "Guten Tag," in mails[german.email].body
    assert mails[colleague.email].subject.startswith("Declaration requested: Certificate by ")

    from portal.requests import notifications
    decl = Declaration(supplier_id=german.supplier_id, document_type="certificate", created_by_id=german.id,
                       record={}, current_version=1, field_notes={"/expiry_date": "Bitte prüfen"},
                       review_reason="Das Ablaufdatum fehlt.")
    session.add(decl)
    session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):  # a reviewer's English page
        notifications.changes_requested(session, decl, "https://portal.example")
        notifications.declaration_approved(session, decl, "https://portal.example")
    session.commit()
    changes = {m.to: m for m in session.exec(select(OutgoingEmail).where(
        OutgoingEmail.kind == "declaration.changes_requested")).all()}
    assert changes[german.email].subject == f"Änderungen angefordert: Ihre Unterlage „Zertifikat“ (Erklärung Nr. {decl.id})"
    assert "- Ablaufdatum: Bitte prüfen" in changes[german.email].body
    assert f"Nehmen Sie die Änderungen hier vor: https://portal.example/declarations/{decl.id}" in changes[german.email].body
    assert changes[colleague.email].subject.startswith("Changes requested: your Certificate")
    approved = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "declaration.approved",
                                                        OutgoingEmail.to == german.email)).one()
    assert approved.subject.startswith("Freigegeben:") and "Version 1" in approved.body


# --- the catalogues ----------------------------------------------------------------------------

def _catalogues():  # noqa: ANN202
    for code in LANGUAGES:
        if code != "en":
            with (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
                yield code, read_po(f, locale=code)


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_every_translation_keeps_the_placeholders_and_markup():
    for code, catalog in _catalogues():
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set(PLACEHOLDER.findall(ids[-1]))
            for text in strings:
                assert set(PLACEHOLDER.findall(text)) <= wanted | {"%(num)d"}, (code, message.id, text)
                assert text.count("<") == ids[0].count("<"), (code, message.id, text)
            if len(ids) == 1:
                assert set(PLACEHOLDER.findall(strings[0])) == wanted, (code, message.id)


def test_every_word_people_see_is_translated():
    """New words in code, templates, labels.json or a schema: run scripts/i18n_catalog.py and
    fill in the new entries of each messages.po."""
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "scripts" / "i18n_catalog.py"
    spec = importlib.util.spec_from_file_location("i18n_catalog", path)
    catalog_script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalog_script)
    assert catalog_script.main(check=True) == 0


@pytest.mark.parametrize("count, words", [(1, "Entwurf gespeichert. 1 Problem ist unten markiert."),
                                          (2, "Entwurf gespeichert. 2 Probleme sind unten markiert.")])
def test_counts_read_as_plurals(app, count, words):
    from portal.i18n import language, ngettext
    with app.app_context(), language("de"):
        assert ngettext("Draft saved. %(num)d problem is marked below.",
                        "Draft saved. %(num)d problems are marked below.", count) == words
    assert User.__table__.c.language.type.length == 5


def test_certificate_check_codes_read_as_words(app, session):
    from tests.certificates.helpers import gen_certificate, logged_in
    client, _ = logged_in(app, session, "quality")
    supplier = gen_user(session, supplier="Lumen Components S.r.l.")
    cert = gen_certificate(session, supplier.supplier_id, date.today() + timedelta(days=400),
                           findings=[{"code": "holder_mismatch", "tone": "warn", "message": "The holder …"},
                                     {"code": "number_pattern", "tone": "warn", "message": "The number …"}])
    html = client.get(f"/certificates/{cert.id}").get_data(as_text=True)
    assert ">Other holder</span>" in html and ">Unusual number</span>" in html
    assert "holder mismatch" not in html and "holder_mismatch" not in html.replace('"holder_mismatch"', "")
    _choose(client, "de", f"/certificates/{cert.id}")
    assert ">Anderer Inhaber</span>" in client.get(f"/certificates/{cert.id}").get_data(as_text=True)


# --- procurement's pages in German ---------------------------------------------------------------

def test_german_procurement_pages_have_no_english_ui_words(app, session):
    """A German buyer's requests list, new request form, review queue, a CMRT's review screen and
    its history carry no English UI words; the decision's message comes back in German."""
    from tests.conftest import submitted_declaration
    decl, _, reviewer = submitted_declaration(app, session)
    _choose(reviewer, "de", "/review/")
    _send(reviewer, [decl.supplier_id], due=(date.today() + timedelta(days=20)).isoformat())
    pages = ["/requests/", "/requests/?due_from=gestern", "/requests/new", "/review/", "/review/?show=all",
             f"/review/{decl.id}", f"/review/{decl.id}/history"]
    _assert_german(reviewer, pages)
    assert "„gestern“ ist kein Datum" in reviewer.get("/requests/?due_from=gestern").get_data(as_text=True)

    page = f"/review/{decl.id}"
    refused = reviewer.post(f"{page}/changes", follow_redirects=True, data={
        "csrf_token": csrf_token(reviewer, page), "lock_version": decl.lock_version, "reason": ""})
    assert "Geben Sie an, was geändert werden muss" in refused.get_data(as_text=True)
    session.refresh(decl)
    approved = reviewer.post(f"{page}/approve", follow_redirects=True, data={
        "csrf_token": csrf_token(reviewer, page), "lock_version": decl.lock_version}).get_data(as_text=True)
    session.refresh(decl)
    assert decl.status == "approved", decl.errors
    assert "Freigegeben. Der Datensatz wird an den Produktpass-Speicher gesendet." in approved
    assert not english_words(approved), english_words(approved)


def test_german_catalogue_pages_and_their_messages(app, session):
    """Procurement's products and suppliers pages carry no English UI words in German, and what the
    forms answer (a wrong check digit, an unknown country) and the RMI job's state come back in German."""
    from portal.i18n import language
    from portal.products.models import Product, RmiFillJob
    from portal.products.rmi_jobs import LOST, status_view
    from portal.suppliers.models import Supplier
    buyer = _buyer(app, session)
    _choose(buyer, "de", "/products/")

    def post(url: str, **fields: str) -> str:
        return buyer.post(url, data={"csrf_token": csrf_token(buyer, url), **fields}, follow_redirects=True).get_data(as_text=True)
    assert "Nicht gespeichert: die Prüfziffer der GTIN ist falsch: erwartet 1, angegeben 2." in post(
        "/products/new", name="Antriebseinheit", gtin="4006381333932", part_number="AE-1")
    assert "Antriebseinheit gespeichert." in post("/products/new", name="Antriebseinheit", gtin="4006381333931", part_number="AE-1")
    assert "Nicht gespeichert: unbekanntes Land „Atlantis“." in post("/suppliers/new", name="Lumen S.r.l.", country="Atlantis")
    assert "Lumen S.r.l. hinzugefügt." in post("/suppliers/new", name="Lumen S.r.l.", country="IT")
    product = session.exec(select(Product)).one()
    supplier = session.exec(select(Supplier)).one()
    _assert_german(buyer, ["/products/", "/products/?q=nichts", f"/products/{product.id}", f"/products/{product.id}/edit",
                           "/products/new", "/products/minerals", "/products/pushes", "/products/pushes?outcome=refused",
                           "/suppliers/", "/suppliers/?q=nichts", f"/suppliers/{supplier.id}", "/suppliers/new"])
    with app.test_request_context(), language("de"):
        assert status_view(RmiFillJob(kind="cmrt", status="queued"))["label"] == "Wartet auf den Hintergrunddienst"
        lost = status_view(RmiFillJob(kind="cmrt", status="failed", error=LOST))
        assert lost["label"] == "Nicht ausgefüllt" and lost["error"].startswith("Der Hintergrunddienst ist nicht rechtzeitig")


def test_requests_export_marks_overdue_whatever_the_buyers_language(app, session):
    """The export's "overdue" column once compared the translated label to "Overdue"."""
    import csv
    import io
    supplier_user = gen_user(session, supplier="Tatra Magnetics s.r.o.")
    buyer = _buyer(app, session)
    _send(buyer, [supplier_user.supplier_id])
    req = session.exec(select(DeclarationRequest)).one()
    req.due_date = date.today() - timedelta(days=3)
    session.add(req)
    session.commit()
    _choose(buyer, "de", "/requests/")
    assert "Überfällig" in buyer.get("/requests/").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(buyer.get("/requests/export.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][4] == "overdue" and rows[1][4] == "yes"
