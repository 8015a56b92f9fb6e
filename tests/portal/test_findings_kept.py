"""The extraction's own findings (an ID missing from the template's Smelter Look-up list, an
effective date in the future) stay on a declaration through a supplier's save and a reviewer's
correction, until the value they are about is changed — then that one goes, the others stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from tests.conftest import CMRT_FILE, csrf_token, extracted_draft, form_as_shown, gen_user, login, submit

UNKNOWN_ID = "/smelters/0/smelter_id"
EFFECTIVE = "/company/effective_date"


def _flagged_cmrt(tmp_path: Path) -> Path:
    """The fixture CMRT with an ID RMI does not list on the first smelter row and a date to come."""
    book = openpyxl.load_workbook(CMRT_FILE)
    book["Smelter List"]["F5"] = "CID999999"
    book["Declaration"]["D22"] = dt.datetime(2099, 1, 15)
    path = tmp_path / "flagged-cmrt.xlsx"
    book.save(path)
    return path


def _paths(decl) -> set[str]:  # noqa: ANN001
    return {f["path"] for f in decl.errors or []}


def test_a_supplier_save_keeps_the_unrelated_finding_and_drops_the_corrected_one(app, session, tmp_path):
    decl, supplier, _ = extracted_draft(app, session, _flagged_cmrt(tmp_path))
    assert {UNKNOWN_ID, EFFECTIVE} <= _paths(decl)
    token = csrf_token(supplier, f"/declarations/{decl.id}")
    form = {"csrf_token": token, "lock_version": decl.lock_version, "action": "save", **form_as_shown(decl)}
    supplier.post(f"/declarations/{decl.id}", data=form)          # saved unchanged: both stay
    session.refresh(decl)
    assert {UNKNOWN_ID, EFFECTIVE} <= _paths(decl), decl.errors
    form.update(csrf_token=csrf_token(supplier, f"/declarations/{decl.id}"), lock_version=decl.lock_version)
    form["company-effective_date"] = "2026-05-31"
    supplier.post(f"/declarations/{decl.id}", data=form)
    session.refresh(decl)
    assert decl.record["company"]["effective_date"] == "2026-05-31"
    assert UNKNOWN_ID in _paths(decl) and EFFECTIVE not in _paths(decl), decl.errors
    page = supplier.get(f"/declarations/{decl.id}").get_data(as_text=True)
    assert "CID999999" in page and "is in the future" not in page
    submit(supplier, session, decl)          # the file's own findings are shown, they do not block
    assert UNKNOWN_ID in _paths(decl)


def test_a_reviewer_correction_keeps_the_unrelated_finding_and_drops_the_corrected_one(app, session, tmp_path):
    decl, supplier, _ = extracted_draft(app, session, _flagged_cmrt(tmp_path))
    submit(supplier, session, decl)
    assert {UNKNOWN_ID, EFFECTIVE} <= _paths(decl)
    reviewer = app.test_client()
    login(reviewer, gen_user(session, "procurement").email)
    token = csrf_token(reviewer, f"/review/{decl.id}")
    reviewer.post(f"/review/{decl.id}/fields", data={"csrf_token": token, "lock_version": decl.lock_version,
                                                      "path": UNKNOWN_ID, "value": "CID003410"})
    session.refresh(decl)
    assert decl.record["smelters"][0]["smelter_id"] == "CID003410"
    assert EFFECTIVE in _paths(decl) and UNKNOWN_ID not in _paths(decl), decl.errors
    page = reviewer.get(f"/review/{decl.id}").get_data(as_text=True)
    assert "is in the future" in page and "must be corrected before approval" not in page


def test_a_finding_follows_its_row_and_goes_when_a_related_value_changes():
    from portal.requests.findings import holds_at
    extracted = {"smelters": [{"smelter_id": "CID000001", "metal": "tin"}, {"smelter_id": "CID999999", "metal": "tin"}],
                 "issue_date": "2026-05-01", "expiry_date": "2025-05-01"}
    unknown = {"path": "/smelters/1/smelter_id", "message": "unknown"}
    first_removed = {**extracted, "smelters": extracted["smelters"][1:]}
    assert holds_at(unknown, extracted, first_removed) == ["/smelters/0/smelter_id"]
    backwards = {"path": "/expiry_date", "message": "before the issue date", "related": ["/issue_date"]}
    assert holds_at(backwards, extracted, extracted) == ["/expiry_date"]
    assert holds_at(backwards, extracted, {**extracted, "issue_date": "2024-05-01"}) == []
