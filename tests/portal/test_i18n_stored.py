"""Sentences written down in English when they were made — a file's refusal reason, the
extraction's findings, the register's checks, a renewal request's message — are read in the
reader's language; e-mails to buyers and the quality team go out in the recipient's language."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from sqlmodel import select

from ingestion import ExtractionError, sniff_kind
from ingestion.pdf.preflight import ENCRYPTED
from portal.i18n import LANGUAGES, TRANSLATIONS_DIR, language
from portal.i18n.stored import translate_stored
from portal.mail.models import OutgoingEmail
from portal.requests.models import Declaration, DeclarationRequest
from tests.conftest import csrf_token, gen_user, login
from tests.portal.test_i18n import english_words

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?([sdif])")


def _speaks(session, user, code: str):  # noqa: ANN001, ANN202
    user.language = code
    session.add(user)
    session.commit()
    return user


def _document(session, user, **fields):  # noqa: ANN001, ANN003, ANN202
    from portal.documents import storage
    from portal.documents.models import Document
    content = f"document {fields}".encode()
    sha256 = hashlib.sha256(content).hexdigest()
    storage.put(session, content, sha256)
    doc = Document(supplier_id=user.supplier_id, uploaded_by_id=user.id, sha256=sha256, filename="erklaerung.pdf",
                   size_bytes=len(content), file_kind="pdf", **fields)
    session.add(doc)
    session.commit()
    return doc


# --- every sentence the extraction library writes is found again and translated -----------------

def _ingestion_messages() -> list:
    with (TRANSLATIONS_DIR / "de" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    return [m for m in catalog if m.id and any(path.startswith(("ingestion/", "ingestion\\"))
                                               for path, _line in m.locations)]


def test_every_sentence_of_the_extraction_library_reads_in_each_language():
    messages = _ingestion_messages()
    assert len(messages) > 100   # refusal reasons, findings, notes, refusal kinds of document_kinds.json
    for code in (c for c in LANGUAGES if c != "en"):
        with (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalog = read_po(f, locale=code)
        for message in messages:
            english, translated = message.id, catalog.get(message.id).string
            # sample values as the library would fill them in: numbers for %d, a value for %s
            values = {name: 7 if kind == "d" else f"V{name}" for name, kind in PLACEHOLDER.findall(english)}
            assert translate_stored(english % values if values else english, code) == \
                (translated % values if values else translated), (code, english)


def test_a_sentence_no_catalogue_made_is_shown_as_stored():
    typed = "Bitte das Zertifikat von 2025 hochladen."   # a buyer's own message, in any language
    assert translate_stored(typed, "fr") == typed
    assert translate_stored("An old wording from before the catalogue knew it", "de") == \
        "An old wording from before the catalogue knew it"
    assert translate_stored(ENCRYPTED, "en") == ENCRYPTED and translate_stored(None, "de") is None


def test_values_that_are_catalogue_words_are_translated_too():
    with pytest.raises(ExtractionError) as refused:
        sniff_kind(b"{\\rtf1\\ansi Declaration}")
    assert refused.value.reason == "This file is an RTF document, not a PDF or Excel workbook — upload the PDF or XLSX file"
    assert translate_stored(refused.value.reason, "de") == \
        "Diese Datei ist ein RTF-Dokument, kein PDF und keine Excel-Arbeitsmappe – laden Sie die PDF- oder XLSX-Datei hoch"
    assert translate_stored("The percentages total 98.5 %, not 100 %", "es") == "Los porcentajes suman 98.5 %, no 100 %"


def test_the_ocr_language_note_reads_in_each_language_with_the_language_named_in_it():
    from ingestion.pdf import ocr
    from ingestion.pdf.layout import Page
    [note] = ocr.language_notes([Page(number=n, width=595, height=842, missing_language="pol") for n in (2, 3, 5)])
    assert note == ("Read by OCR without Polish, whose pack tesseract-ocr-pol is not installed on this server "
                    "(pages 2-3, 5): check every value")
    assert translate_stored(note, "de") == ("Per OCR ohne Polnisch gelesen – das Paket tesseract-ocr-pol ist auf "
                                            "diesem Server nicht installiert (Seiten 2-3, 5): prüfen Sie jeden Wert")
    assert "sans le polonais" in translate_stored(note, "fr") and "sin el polaco" in translate_stored(note, "es")


# --- the supplier's pages -----------------------------------------------------------------------

def test_german_supplier_reads_refusals_and_findings_in_german(app, session):
    user = _speaks(session, gen_user(session, supplier="Tatra Magnetics s.r.o."), "de")
    client = app.test_client()
    login(client, user.email)
    import io
    import zipfile
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as zf:   # a Word document renamed .pdf
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ExtractionError) as refused:
        sniff_kind(docx.getvalue())
    made_by_sniffer = refused.value.reason
    encrypted = _document(session, user, status="failed", failure_code="encrypted", failure_reason=ENCRYPTED)
    word = _document(session, user, status="failed", failure_code="unsupported_type", failure_reason=made_by_sniffer)
    old = _document(session, user, status="failed", failure_code="corrupt",
                    failure_reason="An old reason the catalogue never knew")
    record = {"smelters": [{"metal": "tin", "name": None, "smelter_id": "CID000001", "country": "Peru"}]}
    findings = _document(session, user, status="needs_review", document_type="cmrt", result={
        "document_type": "cmrt", "schema": "cmrt", "record": record, "fields": {},
        "errors": [{"path": "/smelters/0/name", "message": "Row 5: smelter name is missing"},
                   {"path": "/", "message": "The effective date 2031-01-01 is in the future"},
                   {"path": "/company", "message": "company is required but missing"}],
        "warnings": []})

    page = client.get(f"/documents/{encrypted.id}").get_data(as_text=True)
    assert "Das PDF ist passwortgeschützt – laden Sie eine ungeschützte Kopie hoch" in page
    assert ENCRYPTED not in page and not english_words(page)
    page = client.get(f"/documents/{word.id}").get_data(as_text=True)
    assert "Diese Datei ist ein Word-Dokument, kein PDF und keine Excel-Arbeitsmappe" in page
    assert not english_words(page)
    assert client.get(f"/documents/{word.id}/status").get_json()["reason"].startswith("Diese Datei ist ein Word-Dokument")
    assert "An old reason the catalogue never knew" in client.get(f"/documents/{old.id}").get_data(as_text=True)
    page = client.get(f"/documents/{findings.id}").get_data(as_text=True)
    assert "Zeile 5: Der Name der Schmelzhütte fehlt" in page
    assert "Der Stichtag 2031-01-01 liegt in der Zukunft" in page
    assert "Füllen Sie „Angaben zum Unternehmen“ aus." in page   # the schema's missing field, in words
    assert "smelter name is missing" not in page and "is in the future" not in page and "required" not in page

    # a file the sniffer refuses at upload: the flash is German too
    from io import BytesIO
    refused_page = client.post("/documents/", content_type="multipart/form-data", follow_redirects=True, data={
        "csrf_token": csrf_token(client, "/documents/"),
        "file": (BytesIO(b"{\\rtf1\\ansi Erklaerung}"), "erklaerung.pdf")}).get_data(as_text=True)
    assert "Diese Datei ist ein RTF-Dokument, kein PDF" in refused_page
    assert "not a PDF or Excel workbook" not in refused_page


def test_renewal_request_and_quality_digest_in_the_readers_language(app, session):
    from portal.certificates.daily import run_daily
    from tests.certificates.helpers import gen_certificate
    supplier_user = _speaks(session, gen_user(session, supplier="Tatra Magnetics s.r.o."), "de")
    quality = _speaks(session, gen_user(session, "quality"), "fr")
    colleague = gen_user(session, "quality")   # no choice: English
    expiry = date(2031, 6, 30)
    gen_certificate(session, supplier_user.supplier_id, expiry, number="Q-4242", standard="ISO 9001:2015")
    run_daily(expiry - timedelta(days=90))
    renewal = session.exec(select(DeclarationRequest)).one()
    # kept in English: whoever opens it reads it in their own language
    assert renewal.message == "Please upload the renewed ISO 9001:2015 certificate Q-4242. The current one expires on 2031-06-30."
    client = app.test_client()
    login(client, supplier_user.email)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Bitte laden Sie das erneuerte ISO 9001:2015-Zertifikat Q-4242 hoch. Das aktuelle läuft am 2031-06-30 ab." \
        in dashboard
    assert "Please upload" not in dashboard

    digests = {m.to: m for m in session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "certificate.digest"))}
    assert digests[quality.email].subject == "Registre des certificats : 1 bientôt expirés, 0 expirés"
    assert "Bonjour,\n\naujourd’hui (2031-04-01) dans le registre des certificats :" in digests[quality.email].body
    assert "Les demandes de renouvellement ont été envoyées aux fournisseurs." in digests[quality.email].body
    assert digests[colleague.email].subject == "Certificate register: 1 expiring, 0 expired"


def test_register_checks_are_kept_in_english_and_read_in_german(app, session):
    from portal.certificates.checks import check_record
    from portal.suppliers.models import Supplier
    user = gen_user(session, supplier="Tatra Magnetics s.r.o.")
    supplier = session.get(Supplier, user.supplier_id)
    record = {"scheme": "iso_9001", "certificate_number": "Q-1", "issue_date": "2030-01-01",
              "expiry_date": "2029-01-01", "holder": {"name": "Completely Different Holding AG"}}
    with app.test_request_context(headers={"Accept-Language": "de"}):   # a German reviewer approves
        findings = check_record(session, record, supplier)
        kept = {f["code"]: f["message"] for f in findings}
        assert kept["expiry_before_issue"] == "The expiry date 2029-01-01 is not after the issue date 2030-01-01."
        assert kept["holder_mismatch"].startswith("The holder “Completely Different Holding AG” does not look like")
        assert translate_stored(kept["expiry_before_issue"]) == \
            "Das Ablaufdatum 2029-01-01 liegt nicht nach dem Ausstellungsdatum 2030-01-01."
        assert translate_stored(kept["holder_mismatch"]).startswith("Der Inhaber „Completely Different Holding AG“")
    with language("es"):
        assert translate_stored(kept["expiry_before_issue"]).startswith("La fecha de caducidad 2029-01-01")


# --- e-mails to procurement ---------------------------------------------------------------------

def test_submitted_email_to_each_buyer_in_their_language(app, session):
    from portal.requests import notifications
    supplier_user = _speaks(session, gen_user(session, supplier="Tatra Magnetics s.r.o."), "fr")
    german_buyer = _speaks(session, gen_user(session, "procurement"), "de")
    english_buyer = gen_user(session, "procurement")
    decl = Declaration(supplier_id=supplier_user.supplier_id, document_type="certificate",
                       created_by_id=supplier_user.id, record={}, current_version=2)
    session.add(decl)
    session.commit()
    with app.test_request_context(headers={"Accept-Language": "fr"}):   # the supplier submits in French
        notifications.declaration_submitted(session, decl, "https://portal.example")
    session.commit()
    mails = {m.to: m for m in session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "declaration.submitted"))}
    assert mails[german_buyer.email].subject == "Zur Prüfung eingereicht: Zertifikat von Tatra Magnetics s.r.o."
    assert mails[german_buyer.email].body == (
        f"Guten Tag,\n\nTatra Magnetics s.r.o. hat die Unterlage „Zertifikat“ eingereicht (Erklärung Nr. {decl.id}, "
        f"Version 2).\nHier prüfen: https://portal.example/review/{decl.id}\n")
    assert mails[english_buyer.email].subject == "Submitted for review: Certificate from Tatra Magnetics s.r.o."
    assert f"(declaration #{decl.id}, version 2)" in mails[english_buyer.email].body


def test_the_workers_timeout_and_a_passports_public_reason_read_in_german():
    from portal.documents.jobs import timeout_reason
    reason = timeout_reason(SimpleNamespace(job_timeout_s=120))
    assert reason.startswith("Reading this file took longer than 120 seconds")   # stored in English
    assert translate_stored(reason, "de").startswith("Das Lesen dieser Datei dauerte länger als 120 Sekunden")
    assert translate_stored("Updated from an approved supplier CERTIFICATE declaration", "fr") == \
        "Mis à jour à partir d’une déclaration CERTIFICATE approuvée d’un fournisseur"


def test_invitation_in_the_invited_persons_language(app, session):
    from portal.auth.invitations import send_invitation
    from portal.settings import load_settings
    invited = _speaks(session, gen_user(session, supplier="Tatra Magnetics s.r.o."), "es")
    with app.test_request_context(headers={"Accept-Language": "de"}):   # a German buyer invites
        send_invitation(session, load_settings(), invited, "Tatra Magnetics s.r.o.")
    session.commit()
    mail = session.exec(select(OutgoingEmail).where(OutgoingEmail.kind == "invitation")).one()
    assert mail.subject == "Tatra Magnetics s.r.o.: le invitamos al portal de declaraciones de proveedores"
    assert "le invitamos a responder a las solicitudes de declaración para Tatra Magnetics s.r.o." in mail.body
