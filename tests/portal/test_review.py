"""Review of a submitted declaration: queue, fields beside their source, corrections re-validated
against the schema, approval into the outbox, and requests for changes with reasons per field."""

from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.passports.models import OutboxMessage
from portal.queues import PUSH, queue
from portal.settings import load_settings
from tests.conftest import csrf_token, form_as_shown, submitted_declaration


def _post(client, url: str, decl, **data):  # noqa: ANN001, ANN003, ANN202
    token = csrf_token(client, f"/review/{decl.id}")
    return client.post(url, data={"csrf_token": token, "lock_version": decl.lock_version, **data})


def test_queue_and_detail_show_fields_with_their_source(app, session):
    decl, _, reviewer = submitted_declaration(app, session)
    queue_page = reviewer.get("/review/").get_data(as_text=True)
    assert f"#{decl.id}" in queue_page and "Tatra Magnetics" in queue_page and "CMRT" in queue_page
    page = reviewer.get(f"/review/{decl.id}?field=/company/name").get_data(as_text=True)
    assert "Company information › Company name" in page and "sheet Declaration, cell D8" in page
    assert "Smelter list › row 1 › Smelter ID" in page and "From the file" in page
    # grouped by section in record order; the long smelter list starts folded
    assert page.index('id="section-company" open') < page.index('id="section-smelters">')
    # the source panel shows the cell and its neighbours
    assert 'class="target">Tatra Magnetics s.r.o.</td>' in page
    session.refresh(decl)
    assert decl.status == "submitted"  # opening it wrote nothing
    _post(reviewer, f"/review/{decl.id}/start", decl)
    session.refresh(decl)
    assert decl.status == "in_review"
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "declaration.review_started")).one()
    assert entry.actor.startswith("procurement")


def test_invalid_correction_is_refused_with_words_and_the_value_kept(app, session):
    decl, _, reviewer = submitted_declaration(app, session)
    before = decl.record["company"]["contact"]["email"]
    token = csrf_token(reviewer, f"/review/{decl.id}")
    page = reviewer.post(f"/review/{decl.id}/fields", follow_redirects=True, data={
        "csrf_token": token, "lock_version": decl.lock_version, "path": "/company/contact/email",
        "value": "not-an-email"}).get_data(as_text=True)
    session.refresh(decl)
    assert decl.record["company"]["contact"]["email"] == before and decl.status == "submitted"
    assert "Enter an e-mail address like name@company.com" in page and "is not a" not in page
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "field.corrected")).first() is None


def test_correction_is_revalidated_and_audited(app, session):
    decl, _, reviewer = submitted_declaration(app, session)
    before = decl.record["company"]["effective_date"]
    _post(reviewer, f"/review/{decl.id}/fields", decl, path="/company/effective_date", value="not a date")
    session.refresh(decl)
    assert decl.record["company"]["effective_date"] == before  # refused
    _post(reviewer, f"/review/{decl.id}/fields", decl, path="/company/effective_date", value="2026-01-15")
    session.refresh(decl)
    assert decl.record["company"]["effective_date"] == "2026-01-15" and decl.status == "in_review"
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "field.corrected")).one()
    assert (entry.before, entry.after, entry.field_path) == (before, "2026-01-15", "/company/effective_date")
    assert entry.actor.startswith("procurement") and entry.source_sha256
    page = reviewer.get(f"/review/{decl.id}").get_data(as_text=True)
    assert "Corrected by a reviewer" in page and f"{before} → 2026-01-15" in page
    assert "Differs from the file, which says" in page
    assert page.index('id="section-attention" open') < page.index('id="section-company"')
    history = reviewer.get(f"/review/{decl.id}/history?field=/company/effective_date").get_data(as_text=True)
    assert "2026-01-15" in history and "Corrected by a reviewer" in history and "field.corrected" not in history
    # the source document by the name it was uploaded under, not its fingerprint
    assert ">cmrt-6.5-101.xlsx</span>" in history and f">{entry.source_sha256[:12]}…<" not in history


def test_stale_version_cannot_overwrite(app, session):
    decl, _, reviewer = submitted_declaration(app, session)
    reviewer.get(f"/review/{decl.id}")
    session.refresh(decl)
    stale = decl.lock_version
    _post(reviewer, f"/review/{decl.id}/fields", decl, path="/company/name", value="First Reviewer Ltd")
    token = csrf_token(reviewer, f"/review/{decl.id}")
    page = reviewer.post(f"/review/{decl.id}/fields", data={"csrf_token": token, "lock_version": stale,
                                                            "path": "/company/name", "value": "Second Reviewer Ltd"},
                         follow_redirects=True).get_data(as_text=True)
    session.refresh(decl)
    assert decl.record["company"]["name"] == "First Reviewer Ltd"
    assert "Someone else changed this declaration" in page


def test_approve_writes_outbox_and_enqueues_push(app, session):
    decl, _, reviewer = submitted_declaration(app, session)
    reviewer.get(f"/review/{decl.id}")
    session.refresh(decl)
    _post(reviewer, f"/review/{decl.id}/approve", decl)
    session.refresh(decl)
    assert decl.status == "approved"
    message = session.exec(select(OutboxMessage)).one()
    declaration = message.payload["data"]["declarations"][0]
    assert message.payload["source_declaration_id"] == f"declaration-{decl.id}-v1"
    assert declaration["record"] == decl.record and len(declaration["source_document_sha256"]) == 64
    assert len(queue(load_settings(), PUSH).job_ids) == 1
    assert "Sending" in reviewer.get(f"/review/{decl.id}").get_data(as_text=True)


def test_changes_requested_per_field_reach_the_supplier_who_resubmits(app, session):
    decl, supplier, reviewer = submitted_declaration(app, session)
    reviewer.get(f"/review/{decl.id}")
    session.refresh(decl)
    _post(reviewer, f"/review/{decl.id}/changes", decl, reason="")
    session.refresh(decl)
    assert decl.status == "submitted"  # a reason is required
    _post(reviewer, f"/review/{decl.id}/changes", decl, reason="Please check <b>one</b> field",
          **{"note:/company/contact/phone": "Use the full international number"})
    session.refresh(decl)
    assert decl.status == "changes_requested"
    assert decl.field_notes == {"/company/contact/phone": "Use the full international number"}
    page = supplier.get(f"/declarations/{decl.id}").get_data(as_text=True)
    assert "Please check &lt;b&gt;one&lt;/b&gt; field" in page
    assert "Procurement asks: Use the full international number" in page
    # the supplier fixes the field in the form and submits again: a second frozen version
    token = csrf_token(supplier, f"/declarations/{decl.id}")
    form = {"csrf_token": token, "lock_version": decl.lock_version, "action": "save", **form_as_shown(decl)}
    form["company-contact-phone"] = "+49 597 826057 0"
    supplier.post(f"/declarations/{decl.id}", data=form)
    session.refresh(decl)
    assert decl.record["company"]["contact"]["phone"] == "+49 597 826057 0", decl.errors
    assert decl.record["smelters"] and decl.record["template"]["name"] == "CMRT"
    token = csrf_token(supplier, f"/declarations/{decl.id}")
    supplier.post(f"/declarations/{decl.id}/submit", data={
        "csrf_token": token, "lock_version": decl.lock_version, "signatory_name": "Priya Martin",
        "signatory_title": "Sustainability Manager", "confirm": "yes"})
    session.refresh(decl)
    assert decl.status == "submitted" and decl.current_version == 2


def test_reviewer_edits_lists_and_yes_no_in_words():
    from portal.review.service import as_text, coerce
    assert as_text(["6(c)", "7(a)"]) == "6(c), 7(a)" and coerce("6(c), 7(a)", ["x"]) == ["6(c)", "7(a)"]
    assert as_text(True) == "Yes" and coerce("No", True) is False and coerce("Yes", None, {"type": "boolean"}) is True
    assert coerce("12,5", None, {"type": ["number", "null"]}) == 12.5 and as_text(None) == ""


def test_a_field_with_fixed_values_is_corrected_by_picking_words(app, session):
    """A reviewer never types or sees a code: an enum field is a list of its words, yes/no a choice."""
    import re
    decl, _, reviewer = submitted_declaration(app, session)
    _post(reviewer, f"/review/{decl.id}/start", decl)
    session.refresh(decl)
    page = reviewer.get(f"/review/{decl.id}").get_data(as_text=True)
    scope = re.search(r'<input type="hidden" name="path" value="/company/declaration_scope">.*?</select>', page, re.S)
    assert scope, "the scope is corrected with a list, not a text box"
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', scope.group(0))
    assert ("company", "Company-wide") in [(code, words.strip()) for code, words in options]
    assert all(code != words.strip() for code, words in options)        # words, never the code itself
    response = _post(reviewer, f"/review/{decl.id}/fields", decl, path="/company/declaration_scope", value="product")
    assert response.status_code in (200, 302, 303)
    session.refresh(decl)
    assert decl.record["company"]["declaration_scope"] == "product"
