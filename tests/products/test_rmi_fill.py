"""The company's own CMRT: an admin uploads RMI's blank template once; procurement downloads it filled
from the company roll-up; reading it back with our own extractor gives the same company and smelters."""

import hashlib
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from ingestion.pipeline import extract_file
from portal.audit.models import AuditEntry
from portal.documents import storage
from portal.products import rmi_fill
from portal.products.minerals import SmelterRow
from portal.products.models import RmiFillJob, RmiTemplate
from portal.products.rmi_jobs import GIVE_UP_AFTER, run_rmi_fill
from portal.timeutil import utcnow
from tests.api.helpers import api_key
from tests.api.test_supplier_data import intake
from tests.conftest import csrf_token, gen_user, login
from tests.ingestion.builders import rmi_workbook

BLANK = Path(__file__).parents[1] / "fixtures" / "xlsx" / "rmi-cmrt-6.5-blank.xlsx"
ANSWERS = {"q1": {"tin": "yes", "gold": "Yes", "tantalum": "no", "tungsten": "no"}, "q2": {"tin": "yes"}}
COMPANY = {"company_name": "Hexa Motors GmbH", "contact_name": "Ann Buyer", "contact_email": "ann@hexa.example",
           "contact_phone": "+49 30 1234", "authorizer_name": "Bea Boss", "authorizer_title": "COO",
           "effective_date": "2026-11-02"}


def cmrt(smelters: list[dict], answers: dict | None = None) -> dict:
    return {"template": {"name": "CMRT", "version": "6.5"}, "company": {"name": "x"},
            "answers": answers or ANSWERS, "smelters": smelters}


def upload(client, kind: str, content: bytes, name: str = "RMI_CMRT_6.5.xlsx"):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/products/minerals")
    return client.post("/products/minerals/templates", data={"kind": kind, "file": (io.BytesIO(content), name),
                                                             "csrf_token": token},
                       content_type="multipart/form-data", follow_redirects=True)


def test_the_company_cmrt_reads_back_with_the_same_smelters(app, session, tmp_path):
    client = app.test_client()
    admin = gen_user(session, "admin")
    write = {"X-API-Key": api_key(session)}
    for source_id, supplier, smelters in (
            ("declaration-1-v1", {"id": 1, "name": "Acme Metals"},
             [{"metal": "tin", "name": "Thaisarco", "country_code": "TH", "smelter_id": "CID001898"},
              {"metal": "gold", "name": "=HYPERLINK(\"http://x\",\"Small Refinery\")", "country_code": "PE"}]),
            ("declaration-2-v1", {"id": 2, "name": "Bolt & Co"},
             [{"metal": "gold", "name": "ABC Refinery Pty Ltd.", "country_code": "AU", "smelter_id": "cid002920"},
              {"metal": "tin", "name": "Thaisarco", "country_code": "TH", "smelter_id": "CID001898"},
              {"metal": "tin", "name": "Brand New Tin", "country_code": "VN", "smelter_id": "CID777777"}])):
        body = intake(source_id, "cmrt", cmrt(smelters), supplier=supplier)
        assert client.post("/api/v1/declarations", headers=write, json=body).status_code == 201
    login(client, admin.email)

    page = client.get("/products/minerals").get_data(as_text=True)
    assert "No blank RMI template yet" in page and "Fill the company" not in page
    refused = upload(client, "cmrt", b"%PDF-1.7 not a workbook", "cmrt.xlsx").get_data(as_text=True)
    assert "Not kept:" in refused and session.exec(select(RmiTemplate)).first() is None
    refused = upload(client, "crt", BLANK.read_bytes()).get_data(as_text=True)
    assert "Not kept:" in refused and "CRT" in refused
    kept = upload(client, "cmrt", BLANK.read_bytes()).get_data(as_text=True)
    assert "Kept RMI&#39;s CMRT 6.5" in kept and "Fill the company's CMRT" in kept
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "rmi_template.uploaded")).one().entity_id == "cmrt"

    # a missing name and a future date: refused with what to do, and what was typed is kept
    form = dict(COMPANY, csrf_token=csrf_token(client, "/products/minerals"))
    bad = client.post("/products/minerals/rmi/cmrt", data=dict(form, company_name=" ", effective_date="2999-01-01"))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Enter the company" in text and "cannot be in the future" in text
    assert 'value="ann@hexa.example"' in text
    assert client.post("/products/minerals/rmi/emrt", data=form).status_code == 400   # none uploaded
    assert client.post("/products/minerals/rmi/cmrt", data=COMPANY).status_code == 400  # no CSRF token

    # the worker fills it: the request records the job and shows its page, which polls its state
    answer = client.post("/products/minerals/rmi/cmrt", data=form)
    assert answer.status_code == 303
    job_url = answer.headers["Location"]
    job = session.exec(select(RmiFillJob)).one()
    assert job.status == "queued" and job_url.endswith(f"/products/minerals/rmi/jobs/{job.id}")
    assert client.post("/products/minerals/rmi/cmrt", data=form).headers["Location"] == job_url   # a second click joins it
    assert "Waiting for the worker" in client.get(job_url).get_data(as_text=True)
    assert client.get(job_url + "/file").status_code == 404                                    # not ready yet
    assert client.get(job_url + "/status").get_json() == {"status": "queued", "label": "Waiting for the worker",
                                                          "tone": "pending", "final": False, "error": None}
    assert run_rmi_fill(job.id) == "done"
    assert run_rmi_fill(job.id) == "done"              # idempotent: a finished job is left alone
    assert client.get(job_url + "/status").get_json()["final"] is True
    assert 'id="rmi-download"' in client.get(job_url).get_data(as_text=True)
    assert "Ready to download" in client.get("/products/minerals").get_data(as_text=True)
    answer = client.get(job_url + "/file")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].endswith('CMRT-2026-11-02.xlsx"')
    path = tmp_path / "company.xlsx"
    path.write_bytes(answer.get_data())
    result = extract_file(path)
    record = result["record"]
    assert result["document_type"] == "cmrt" and record["template"] == {"name": "CMRT", "version": "6.5"}
    assert record["company"]["name"] == "Hexa Motors GmbH" and record["company"]["declaration_scope"] == "company"
    assert record["company"]["contact"] == {"name": "Ann Buyer", "email": "ann@hexa.example", "phone": "+49 30 1234"}
    assert record["company"]["authorizer"]["name"] == "Bea Boss" and record["company"]["effective_date"] == "2026-11-02"
    # everyone asked has answered: q1 from the suppliers' answers and smelters; q2 only where known
    assert record["answers"]["q1"] == {"tantalum": "no", "tin": "yes", "gold": "yes", "tungsten": "no"}
    assert record["answers"]["q2"] == {"tin": "yes"}
    read_back = sorted((s["metal"], s["smelter_id"] or "", s["name"], s["country_code"]) for s in record["smelters"])
    assert read_back == [
        ("gold", "", '=HYPERLINK("http://x","Small Refinery")', "PE"),      # text, never a formula
        ("gold", "CID002920", "ABC Refinery Pty Ltd.", "AU"),
        ("tin", "CID001898", "Thaisarco", "TH"),                               # reported by both: one row
        ("tin", "CID777777", "Brand New Tin", "VN")]
    # an id the template's look-up does not know yet is kept, and flagged for the company to check
    assert any("CID777777" in e["message"] for e in result["errors"])
    assert session.exec(select(RmiTemplate)).one().version == "6.5"


def test_only_admins_upload_and_staff_download(app, session):
    client = app.test_client()
    login(client, gen_user(session, "procurement").email)
    assert client.get("/products/minerals").status_code == 200
    assert upload(client, "cmrt", BLANK.read_bytes()).status_code == 404
    supplier = app.test_client()
    login(supplier, gen_user(session, supplier="Acme").email)
    token = csrf_token(supplier, "/dashboard")
    assert supplier.post("/products/minerals/rmi/cmrt", data=dict(COMPANY, csrf_token=token)).status_code == 404


@pytest.mark.parametrize("kind,smelters", [
    ("cmrt", [SmelterRow("tin", "Thaisarco", "TH", "CID001898"), SmelterRow("gold", "Small Refinery", "PE", None)]),
    ("emrt", [SmelterRow("mica", "Super Market Fort Dauphin", "MG", "CID004744"),
              SmelterRow("cobalt", "Small Cobalt Works", "VN", None)]),
    ("crt", [SmelterRow("cobalt", "Kamoto Copper Company", "CD", "CID003261"),
             SmelterRow("cobalt", "New Cobalt Refinery", "ZM", "CID009999")]),
])
def test_each_template_kind_reads_back_with_the_same_smelters(kind, smelters, tmp_path):
    """CMRT from RMI's real blank; EMRT 2.1 and CRT 2.2 blanks built the way tests/ingestion builds
    RMI-shaped workbooks (RMI's own files are not kept in the repository)."""
    if kind == "cmrt":
        blank = BLANK.read_bytes()
    else:
        version = {"emrt": "2.1", "crt": "2.2"}[kind]
        blank = rmi_workbook(tmp_path / "blank.xlsx", template=kind.upper(), version=version, declaration={}).read_bytes()
    version = rmi_fill.check_template(blank, kind)
    company = rmi_fill.CompanyDetails(name="Hexa Motors GmbH", contact_name="Ann Buyer", contact_email="ann@hexa.example",
                                      authorizer_name="Bea Boss", effective_date=date(2026, 11, 2))
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(rmi_fill.fill(blank, kind, company, smelters, {"q1": {row.metal: "Yes" for row in smelters}}))
    result = extract_file(filled)
    record = result["record"]
    assert result["document_type"] == kind and record["template"]["version"] == version
    assert record["company"]["name"] == "Hexa Motors GmbH" and record["company"]["effective_date"] == "2026-11-02"
    assert sorted((s["metal"], s["smelter_id"] or "", s["country_code"]) for s in record["smelters"]) == sorted(
        (row.metal, row.smelter_id or "", row.country) for row in smelters)
    assert {m: a for m, a in record["answers"]["q1"].items() if a} == {row.metal: "yes" for row in smelters}


def test_a_lost_job_is_not_waited_for_for_ever_and_others_cannot_see_jobs(app, session):
    client = app.test_client()
    login(client, gen_user(session, "procurement").email)
    job = RmiFillJob(kind="cmrt", template_sha256="0" * 64, company=dict(COMPANY), key="k", requested_by="a@b.example",
                     status="running", created_at=utcnow() - GIVE_UP_AFTER - timedelta(seconds=1))
    fresh = RmiFillJob(kind="cmrt", template_sha256="0" * 64, company=dict(COMPANY), key="k2",
                       requested_by="a@b.example")
    session.add_all([job, fresh])
    session.commit()
    lost = client.get(f"/products/minerals/rmi/jobs/{job.id}/status").get_json()
    assert lost["status"] == "failed" and lost["final"] and "did not finish" in lost["error"]
    assert "did not finish" in client.get(f"/products/minerals/rmi/jobs/{job.id}").get_data(as_text=True)
    assert client.get(f"/products/minerals/rmi/jobs/{fresh.id}/status").get_json()["status"] == "queued"
    assert client.get(f"/products/minerals/rmi/jobs/{job.id}/file").status_code == 404
    assert client.get("/products/minerals/rmi/jobs/999999").status_code == 404
    supplier = app.test_client()
    login(supplier, gen_user(session, supplier="Acme").email)
    for url in ("", "/status", "/file"):
        assert supplier.get(f"/products/minerals/rmi/jobs/{fresh.id}{url}").status_code == 404


def test_a_template_that_cannot_be_filled_fails_the_job_with_a_reason(app, session):
    broken = b"PK not really a workbook"
    sha256 = hashlib.sha256(broken).hexdigest()
    storage.put(session, broken, sha256)
    job = RmiFillJob(kind="cmrt", template_sha256=sha256, company=dict(COMPANY), key="k", requested_by="a@b.example")
    session.add(job)
    session.commit()
    assert run_rmi_fill(job.id) == "failed"
    session.refresh(job)
    assert job.error.startswith("The blank template could not be filled") and job.result_sha256 is None
