"""An extraction's prefill is audited as one entry holding the whole record before and after,
and everything that reads the trail still reads each field out of it: where a value came from on
the review screen (from the file, typed by the supplier, corrected by a reviewer), a field's own
history, and a second extraction into the same declaration."""

from __future__ import annotations

import copy

from sqlmodel import select

from portal import audit
from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.documents.models import Document
from portal.requests import entry_words, labels
from portal.requests.declarations import PREFILLED, flatten, prefill_from_document, save_draft
from portal.review.provenance import field_origins
from tests.conftest import CMRT_FILE, csrf_token, extracted_draft, submitted_declaration


def _trail(session, decl) -> list[AuditEntry]:  # noqa: ANN001
    return session.exec(select(AuditEntry).where(AuditEntry.entity == "declaration",
                                                 AuditEntry.entity_id == str(decl.id),
                                                 AuditEntry.action.in_([PREFILLED, "field.extracted", "field.edited",
                                                                        "field.corrected"]))
                        .order_by(AuditEntry.id)).all()


def test_a_prefill_is_one_entry_and_every_field_it_filled_reads_from_the_file(app, session):
    decl, _, _ = extracted_draft(app, session, CMRT_FILE)
    doc = session.get(Document, decl.document_id)
    (entry,) = _trail(session, decl)
    assert (entry.action, entry.field_path, entry.before, entry.after) == (PREFILLED, None, None, decl.record)
    assert entry.actor == "worker" and entry.actor_user_id is None and entry.source_sha256 == doc.sha256
    origins = field_origins(session, decl.id)
    assert set(origins) == set(flatten(decl.record))
    assert origins["/company/name"] == {"origin": "file", "by": "worker", "at": entry.at, "before": None,
                                        "after": "Tatra Magnetics s.r.o."}
    assert labels.event_label(PREFILLED) == "Read from the uploaded file"


def test_a_corrected_prefilled_field_reads_as_corrected_and_its_history_has_both(app, session):
    decl, _, reviewer = submitted_declaration(app, session)
    extracted = decl.record["company"]["effective_date"]
    token = csrf_token(reviewer, f"/review/{decl.id}")
    reviewer.post(f"/review/{decl.id}/fields", data={"csrf_token": token, "lock_version": decl.lock_version,
                                                     "path": "/company/effective_date", "value": "2026-01-15"})
    session.refresh(decl)
    assert decl.record["company"]["effective_date"] == "2026-01-15"
    assert [(e.action, e.field_path) for e in _trail(session, decl)] == [
        (PREFILLED, None), ("field.corrected", "/company/effective_date")]
    origins = field_origins(session, decl.id)
    assert origins["/company/effective_date"]["origin"] == "reviewer"
    assert (origins["/company/effective_date"]["before"], origins["/company/effective_date"]["after"]) == (
        extracted, "2026-01-15")
    assert origins["/company/name"]["origin"] == "file"
    page = reviewer.get(f"/review/{decl.id}").get_data(as_text=True)
    assert "Corrected by a reviewer" in page and f"{extracted} → 2026-01-15" in page and "From the file" in page

    # the field's history: the value read from the file, then the correction — no other field
    history = reviewer.get(f"/review/{decl.id}/history?field=/company/effective_date").get_data(as_text=True)
    assert "Read from the uploaded file" in history and "Corrected by a reviewer" in history
    assert history.index("Corrected by a reviewer") < history.index("Read from the uploaded file")  # newest first
    assert "2026-01-15" in history and extracted in history and "Tatra Magnetics" not in history
    assert ">cmrt-6.5-101.xlsx</span>" in history
    # the whole history words each field the prefill filled and links it to its own history
    everything = reviewer.get(f"/review/{decl.id}/history").get_data(as_text=True)
    assert "Tatra Magnetics s.r.o." in everything and "field=/company/name" in everything
    assert "{&#39;" not in everything and "{'" not in everything   # words, not the record's structure


def test_a_second_extraction_rewrites_only_the_fields_it_changed(app, session):
    decl, _, email = extracted_draft(app, session, CMRT_FILE)
    doc = session.get(Document, decl.document_id)
    user = session.exec(select(User).where(User.email == email)).one()
    first = copy.deepcopy(decl.record)
    typed = copy.deepcopy(first)
    typed["company"]["name"] = "Tatra Magnetics a.s."
    typed["company"]["effective_date"] = "2026-02-01"
    save_draft(session, decl, user, typed, decl.lock_version)
    session.commit()

    # the file read again, now saying another date; the supplier's name stays the file's old one
    result = copy.deepcopy(doc.result)
    result["record"]["company"]["effective_date"] = "2026-03-01"
    doc.result = result
    prefill_from_document(session, doc)
    session.commit()
    session.refresh(decl)
    trail = _trail(session, decl)
    assert [(e.action, e.field_path) for e in trail] == [
        (PREFILLED, None), ("field.edited", "/company/effective_date"), ("field.edited", "/company/name"),
        (PREFILLED, None)]
    assert trail[-1].before == typed and trail[-1].after == decl.record == result["record"]
    origins = field_origins(session, decl.id)
    assert (origins["/company/effective_date"]["origin"], origins["/company/effective_date"]["before"],
            origins["/company/effective_date"]["after"]) == ("file", "2026-02-01", "2026-03-01")
    # the file's name replaced the supplier's, as a per-field row would have said
    assert (origins["/company/name"]["origin"], origins["/company/name"]["before"]) == ("file", "Tatra Magnetics a.s.")
    # a field neither changed still reads from the first extraction
    assert origins["/company/address"] == {**origins["/company/address"], "origin": "file", "before": None,
                                           "at": trail[0].at}

    # the same result once more changes nothing and writes no entry
    prefill_from_document(session, doc)
    session.commit()
    assert len(_trail(session, decl)) == 4


def test_an_extraction_audited_field_by_field_before_still_reads_right(app, session):
    """Entries written before the prefill was one entry (field.extracted, one per field) need no
    migration: provenance and the history read them as they did."""
    decl, _, reviewer = submitted_declaration(app, session)
    audit.record_many(session, actor="worker", action="field.extracted", entity="declaration", entity_id=decl.id,
                      changes=[("/company/name", "Tatra Magnetics s.r.o.", "Tatra Magnetics a.s.")],
                      source_sha256="ab" * 32)
    session.commit()
    origins = field_origins(session, decl.id)
    assert (origins["/company/name"]["origin"], origins["/company/name"]["after"]) == ("file", "Tatra Magnetics a.s.")
    lines = entry_words.history_lines("cmrt", "field.extracted", "/company/name", "Tatra Magnetics s.r.o.",
                                      "Tatra Magnetics a.s.")
    assert [(line["before"], line["after"], line["linked"]) for line in lines] == [
        ("Tatra Magnetics s.r.o.", "Tatra Magnetics a.s.", True)]
    history = reviewer.get(f"/review/{decl.id}/history?field=/company/name").get_data(as_text=True)
    assert history.count("Read from the uploaded file") == 2 and "Tatra Magnetics a.s." in history
