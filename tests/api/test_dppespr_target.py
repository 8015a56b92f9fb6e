"""The outbox pushing to an external DPPespr-style platform, tested against a local server that
implements that contract (POST /api/v1/passports, PUT /api/v1/passports/id/{id}, X-API-Key, fibers
total 100 %, 409 on duplicates), with every attempt in the call log."""

import json
from datetime import date
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import select

from portal.passports.models import OutboxMessage, PushAttempt
from portal.passports.outbox import push_outbox_message
from portal.requests.models import Declaration, DeclarationRequest
from tests.api.helpers import gtin
from tests.conftest import csrf_token, gen_user, submitted_declaration

KEY = "dpp_live_testkey"


class FakeDppespr:
    """Keeps passports by GTIN+lot; answers like the platform's documented API."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.passports, self.requests, self.statuses, self.methods = {}, [], list(statuses or []), []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:  # noqa: N802
                self.do_POST()

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append((self.path, dict(self.headers), body))
                fake.methods.append(self.command)
                status, answer = fake.answer(self.path, self.headers.get("X-API-Key"), body, self.command)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"

    def answer(self, path: str, key: str | None, body: dict, method: str = "POST") -> tuple[int, dict]:
        if self.statuses:
            return self.statuses.pop(0), {"error": "temporarily unavailable"}
        if key != KEY:
            return 401, {"error": "Invalid API key"}
        if method == "PUT":
            found = [k for k, p in self.passports.items() if path == f"/api/v1/passports/id/{p['id']}"]
            if not found:
                return 404, {"error": "Not found"}
            problem = self.refusal(body)
            if problem:
                return 422, {"error": problem}
            self.passports[found[0]].update(body)
            return 200, {"id": self.passports[found[0]]["id"]}
        if path != "/api/v1/passports":
            return 404, {"error": "Not found"}
        product = body.get("product") or {}
        if not product.get("gtin_ean") or not product.get("product_name"):
            return 422, {"error": "product.gtin_ean and product.product_name are required"}
        problem = self.refusal(body)
        if problem:
            return 422, {"error": problem}
        fibers = body.get("fibers")
        if fibers and abs(sum(f["percentage_weight"] for f in fibers) - 100) > 1e-9:
            return 422, {"error": "Material composition must total exactly 100%"}
        identity = (product["gtin_ean"], product.get("batch_lot_number"))
        if identity in self.passports:
            return 409, {"error": "A passport for this GTIN already exists"}
        passport_id = uuid.uuid4().hex
        self.passports[identity] = {"id": passport_id, **body}
        return 201, {"id": passport_id, "gtin_ean": product["gtin_ean"],
                     "passport_url": f"https://dppespr.example/gtin/{product['gtin_ean']}"}


    @staticmethod
    def refusal(body: dict) -> str | None:
        """The platform's documented shapes of substances, compliance and due diligence."""
        for s in body.get("substances_of_concern") or []:
            if not s.get("substance_name") or not (s.get("cas_number") or s.get("ec_number")):
                return "substances_of_concern: substance_name and cas_number or ec_number are required"
            if not 0 <= s.get("concentration_percentage", 0) <= 100:
                return "substances_of_concern: concentration_percentage must be 0-100"
        if "compliance" in body and not isinstance(body["compliance"], dict):
            return "compliance must be an object"
        for d in body.get("due_diligence") or []:
            if d.get("template") not in ("CMRT", "EMRT", "CRT") or not isinstance(d.get("smelter_count"), int):
                return "due_diligence: template (CMRT, EMRT or CRT) and smelter_count are required"
        return None


@pytest.fixture
def platform(monkeypatch):  # noqa: ANN001, ANN201
    fake = FakeDppespr()
    monkeypatch.setenv("PASSPORT_API_FLAVOUR", "dppespr")
    monkeypatch.setenv("PASSPORT_API_URL", fake.url)
    monkeypatch.setenv("PASSPORT_API_KEY", KEY)
    yield fake
    fake.server.shutdown()


def _message(session, document_type: str, record: dict, products: list) -> OutboxMessage:  # noqa: ANN001
    user = gen_user(session)
    decl = Declaration(supplier_id=user.supplier_id, document_type=document_type, status="approved",
                       created_by_id=user.id)
    session.add(decl)
    session.flush()
    msg = OutboxMessage(declaration_id=decl.id, payload={
        "source_system": "supplier-portal", "source_declaration_id": f"declaration-{decl.id}-v1",
        "data": {"declarations": [{"document_type": document_type, "record": record, "products": products}]}})
    session.add(msg)
    session.commit()
    return msg


COMPOSITION = {"product": {"gtin": gtin(1, 13), "part_number": "TEE-1", "name": "Crew tee"},
               "materials": [{"name": "Organic cotton", "percentage": 92, "recycled_percentage": 20},
                             {"name": "Elastane", "percentage": 8}]}


def test_composition_becomes_a_dppespr_passport(session, platform):
    msg = _message(session, "material_composition", COMPOSITION, [{"gtin": gtin(1, 13), "name": "Crew tee, navy"}])
    assert push_outbox_message(msg.id) == "sent"
    path, headers, body = platform.requests[0]
    assert headers["X-API-Key"] == KEY and headers["Idempotency-Key"] == f"outbox-{msg.id}"
    assert body == {"product": {"gtin_ean": gtin(1, 13), "product_name": "Crew tee, navy", "industry_category": "OTHER",
                                "internal_sku": "TEE-1"},
                    "fibers": [{"fiber_type": "Organic cotton", "percentage_weight": 92,
                                "recycled_content_percentage": 20},
                               {"fiber_type": "Elastane", "percentage_weight": 8}]}
    session.refresh(msg)
    remote_id = platform.passports[(gtin(1, 13), None)]["id"]
    assert msg.remote_passport_id == remote_id
    # the product's composition changes: the platform's passport is updated with PUT, not created again
    corrected = dict(COMPOSITION, materials=[{"name": "Organic cotton", "percentage": 95}, {"name": "Elastane",
                                                                                             "percentage": 5}])
    again = _message(session, "material_composition", corrected, [])
    assert push_outbox_message(again.id) == "sent"
    assert platform.methods == ["POST", "PUT"] and platform.requests[-1][0] == f"/api/v1/passports/id/{remote_id}"
    assert platform.passports[(gtin(1, 13), None)]["fibers"][0]["percentage_weight"] == 95
    # every attempt is in the call log
    log = session.exec(select(PushAttempt).order_by(PushAttempt.id)).all()
    assert [(a.method, a.status_code, a.request_id) for a in log] == [
        ("POST", 201, f"outbox-{msg.id}"), ("PUT", 200, f"outbox-{again.id}")]
    assert log[1].url.endswith(f"/passports/id/{remote_id}") and log[1].duration_ms >= 0


def test_a_passport_the_portal_did_not_create_is_not_silently_skipped(session, platform):
    platform.passports[(gtin(7, 13), None)] = {"id": "theirs"}
    msg = _message(session, "material_composition", dict(COMPOSITION, product={"gtin": gtin(7, 13)}), [])
    assert push_outbox_message(msg.id) == "failed"
    session.refresh(msg)
    assert "did not create" in msg.last_error and msg.sent_at is None


def test_certificates_go_to_every_named_product(session, platform):
    certificate = {"scheme": "gots", "standard": "GOTS 7.0", "certificate_number": "CU-1234",
                   "expiry_date": "2027-01-01", "issuer": {"name": "Control Union"}}
    msg = _message(session, "certificate", certificate, [{"gtin": gtin(2), "name": "A"}, {"gtin": gtin(3), "name": "B"}])
    assert push_outbox_message(msg.id) == "sent"
    assert [r[2]["certificates"] for r in platform.requests] == [
        [{"regulatory_body": "GOTS 7.0", "license_number": "CU-1234", "expiry_date": "2027-01-01"}]] * 2
    assert {r[1]["Idempotency-Key"] for r in platform.requests} == {f"outbox-{msg.id}-0", f"outbox-{msg.id}-1"}


def test_what_cannot_be_expressed_fails_with_a_reason(session, platform):
    no_gtin = _message(session, "certificate", {"scheme": "gots", "certificate_number": "X"}, [{"part_number": "P"}])
    assert push_outbox_message(no_gtin.id) == "failed"
    session.refresh(no_gtin)
    assert "names no product GTIN" in no_gtin.last_error
    unknown = _message(session, "safety_data_sheet", {"product": {"name": "X"}}, [{"gtin": gtin(4)}])
    assert push_outbox_message(unknown.id) == "failed"
    session.refresh(unknown)
    assert "no data from safety_data_sheet" in unknown.last_error and platform.requests == []


def test_platform_refusals_and_outages(session, platform, monkeypatch):
    bad = dict(COMPOSITION, materials=[{"name": "Cotton", "percentage": 90}])
    msg = _message(session, "material_composition", bad, [])
    assert push_outbox_message(msg.id) == "failed"
    session.refresh(msg)
    assert msg.last_error == "HTTP 422: Material composition must total exactly 100%"
    platform.statuses = [503]
    retried = _message(session, "material_composition", COMPOSITION, [])
    assert push_outbox_message(retried.id) == "retrying"
    assert push_outbox_message(retried.id) == "sent"
    monkeypatch.setenv("PASSPORT_API_KEY", "dpp_live_wrong")
    wrong_key = _message(session, "material_composition", dict(COMPOSITION, product={"gtin": gtin(5)}), [])
    assert push_outbox_message(wrong_key.id) == "failed"
    session.refresh(wrong_key)
    assert wrong_key.last_error == "HTTP 401: Invalid API key"


def test_a_push_that_failed_while_the_platform_was_down_goes_out_when_it_is_back(session, platform):
    from datetime import timedelta

    from portal.passports.outbox import MAX_ATTEMPTS, probe_failed_pushes
    from portal.timeutil import utcnow
    down = _message(session, "material_composition", COMPOSITION, [])
    refused = _message(session, "material_composition", dict(COMPOSITION, materials=[{"name": "C", "percentage": 9}]), [])
    platform.statuses = [503] * MAX_ATTEMPTS
    results = [push_outbox_message(down.id) for _ in range(MAX_ATTEMPTS)]
    assert results[-1] == "failed" and push_outbox_message(refused.id) == "failed"
    assert probe_failed_pushes() == 0          # not before its probe time
    for msg in (down, refused):
        session.refresh(msg)
    assert down.next_attempt_at is not None and refused.next_attempt_at is None
    down.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.add(down)
    session.commit()
    assert probe_failed_pushes() == 1          # the refusal waits for a person
    assert push_outbox_message(down.id) == "sent"


REACH = {"supplier": {"name": "Acme"}, "svhc_above_threshold": True, "candidate_list_date": "2025-06-25",
         "substances": [{"name": "Lead", "cas_number": "7439-92-1", "ec_number": "231-100-4",
                         "concentration_percent": 0.3}]}
ROHS = {"supplier": {"name": "Bolt"}, "rohs_compliant": True, "exemptions": ["6(c)"]}
CMRT = {"template": {"name": "CMRT", "version": "6.5"},
        "company": {"name": "Acme Metals", "declaration_scope": "company", "effective_date": "2026-05-31"},
        "answers": {"q1": {"tin": "Yes", "gold": "no"}},
        "smelters": [{"metal": "tin", "name": "Thaisarco", "country_code": "TH", "smelter_id": "CID001898"},
                     {"metal": "tin", "name": "Small Tin", "country_code": "VN", "smelter_id": None}]}


def test_substances_compliance_and_due_diligence_reach_the_platform_on_create_and_update(session, platform):
    product = [{"gtin": gtin(8, 13), "name": "Motor housing"}]
    reach = _message(session, "reach_svhc", REACH, product)
    assert push_outbox_message(reach.id) == "sent"
    created = platform.requests[0][2]
    assert platform.methods == ["POST"] and created["product"]["product_name"] == "Motor housing"
    assert created["substances_of_concern"] == [{"substance_name": "Lead", "cas_number": "7439-92-1",
                                                 "ec_number": "231-100-4", "concentration_percentage": 0.3,
                                                 "svhc": True}]
    assert created["compliance"] == {"reach_svhc_above_threshold": True, "reach_candidate_list_date": "2025-06-25"}
    remote_id = platform.passports[(gtin(8, 13), None)]["id"]
    # later declarations for the same product update the platform's passport (PUT), never create it again
    for document_type, record in (("rohs", ROHS), ("cmrt", CMRT)):
        msg = _message(session, document_type, record, product)
        assert push_outbox_message(msg.id) == "sent"
        assert platform.requests[-1][0] == f"/api/v1/passports/id/{remote_id}"
    assert platform.methods == ["POST", "PUT", "PUT"]
    # each update carries the product's whole passport: the RoHS answer joins the REACH one
    assert platform.requests[1][2]["compliance"] == {"reach_svhc_above_threshold": True,
                                                     "reach_candidate_list_date": "2025-06-25",
                                                     "rohs_compliant": True, "rohs_exemptions": ["6(c)"]}
    stored = platform.passports[(gtin(8, 13), None)]
    assert stored["due_diligence"] == [{"template": "CMRT", "template_version": "6.5", "reporting_company": "Acme Metals",
                                        "declaration_scope": "company", "effective_date": "2026-05-31",
                                        "metals_in_product": ["tin"], "smelter_count": 2, "smelters_with_id": 1,
                                        "smelter_countries": ["TH", "VN"]}]
    assert stored["substances_of_concern"][0]["substance_name"] == "Lead"


def test_a_substance_the_platform_refuses_fails_with_its_reason(session, platform):
    nameless = dict(REACH, substances=[{"name": "Lead", "concentration_percent": 0.3}])
    msg = _message(session, "reach_svhc", nameless, [{"gtin": gtin(9, 13)}])
    assert push_outbox_message(msg.id) == "failed"
    session.refresh(msg)
    assert "cas_number or ec_number are required" in msg.last_error


def test_two_suppliers_cmrts_both_arrive_after_two_approvals(app, session, platform):
    """A PUT replaces the platform's lists: each push sends the union over the approved declarations
    naming the product, so the second supplier's approval does not erase the first one's."""
    product = gtin(11, 13)
    buyer = gen_user(session, "procurement")
    messages = []
    for name in ("Tatra Magnetics s.r.o.", "Bolt & Co"):
        decl, _supplier, reviewer = submitted_declaration(app, session, supplier_name=name)
        request = DeclarationRequest(supplier_id=decl.supplier_id, document_type="cmrt", created_by_id=buyer.id,
                                     due_date=date.today(), products=[{"gtin": product, "name": "Motor housing"}])
        session.add(request)
        session.flush()
        decl.request_id = request.id
        decl.record = {**decl.record, "company": {**decl.record["company"], "name": name}}
        session.add(decl)
        session.commit()
        answer = reviewer.post(f"/review/{decl.id}/approve", data={
            "csrf_token": csrf_token(reviewer, f"/review/{decl.id}"), "lock_version": decl.lock_version})
        assert answer.status_code in (302, 303), answer.status_code
        messages.append(session.exec(select(OutboxMessage).where(OutboxMessage.declaration_id == decl.id)).one())
    for msg in messages:
        assert push_outbox_message(msg.id) == "sent"
    assert platform.methods == ["POST", "PUT"]
    stored = platform.passports[(product, None)]
    assert sorted(d["reporting_company"] for d in stored["due_diligence"]) == ["Bolt & Co", "Tatra Magnetics s.r.o."]
    assert stored["product"]["product_name"] == "Motor housing"
    # the first supplier sends a corrected CMRT: it replaces only its own part
    first = messages[0].payload["data"]["declarations"][0]
    corrected = {**first, "record": {**first["record"], "company": {**first["record"]["company"], "name": "Tatra v2"}}}
    again = OutboxMessage(declaration_id=messages[0].declaration_id, payload={
        **messages[0].payload, "source_declaration_id": messages[0].payload["source_declaration_id"] + "-v2",
        "data": {"declarations": [corrected]}})
    session.add(again)
    session.commit()
    assert push_outbox_message(again.id) == "sent"
    stored = platform.passports[(product, None)]
    assert sorted(d["reporting_company"] for d in stored["due_diligence"]) == ["Bolt & Co", "Tatra v2"]


def test_the_periodic_sweep_sends_a_failed_push_again_once_the_platform_is_back(session, platform, redis_conn):
    """What the worker schedules (periodic "passport-store"): the sweep finds the message whose probe
    time has come and puts it on the real push queue; that job then reaches the platform."""
    from datetime import timedelta

    from rq import Queue

    from portal.passports.outbox import MAX_ATTEMPTS
    from portal.passports.sweep import sweep
    from portal.settings import load_settings
    from portal.timeutil import utcnow
    msg = _message(session, "material_composition", COMPOSITION, [])
    platform.statuses = [503] * MAX_ATTEMPTS
    assert [push_outbox_message(msg.id) for _ in range(MAX_ATTEMPTS)][-1] == "failed"
    assert platform.passports == {}
    push_queue = Queue(f"{load_settings().queue_prefix}-push", connection=redis_conn)
    push_queue.empty()
    assert sweep()["failed_pushes_probed"] == 0          # the platform was down a moment ago: not yet
    session.refresh(msg)
    msg.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.add(msg)
    session.commit()
    assert sweep()["failed_pushes_probed"] == 1
    queued = [job for job in push_queue.get_jobs() if job.args == (msg.id,)]
    assert len(queued) == 1
    assert queued[0].perform() == "sent"
    assert platform.passports[(gtin(1, 13), None)]["fibers"][0]["fiber_type"] == "Organic cotton"
    session.refresh(msg)
    assert msg.status == "sent" and msg.attempts == 1


def test_two_workers_creating_the_same_passport_end_with_an_update_not_a_failure(session, platform):
    """Two approvals for a new product pushed at the same moment: both POST, the platform creates the
    passport for one and answers the other 409. The loser sees that the winner recorded the platform's
    id meanwhile and retries as an update instead of failing as "not created by this portal"."""
    from portal.passports.models import RemotePassport
    first = _message(session, "material_composition", COMPOSITION, [])
    second = _message(session, "reach_svhc", REACH, [{"gtin": gtin(1, 13)}])
    answer = platform.answer

    def winner_pushes_in_between(path: str, key: str | None, body: dict, method: str = "POST") -> tuple[int, dict]:
        if method == "POST" and (gtin(1, 13), None) not in platform.passports:
            status, created = answer(path, key, dict(body, fibers=COMPOSITION_FIBERS), method)   # the winner's POST
            session.add(RemotePassport(target="dppespr", gtin=gtin(1, 13).zfill(14), remote_id=created["id"]))
            session.commit()
        return answer(path, key, body, method)

    platform.answer = winner_pushes_in_between
    assert push_outbox_message(second.id) == "retrying"
    session.refresh(second)
    assert "another push created this passport" in second.last_error
    assert push_outbox_message(second.id) == "sent"
    stored = platform.passports[(gtin(1, 13), None)]
    assert platform.methods[-1] == "PUT" and stored["substances_of_concern"][0]["substance_name"] == "Lead"
    assert stored["fibers"][0]["fiber_type"] == "Organic cotton"       # the union: the composition stays
    assert first.id < second.id


COMPOSITION_FIBERS = [{"fiber_type": "Organic cotton", "percentage_weight": 92, "recycled_content_percentage": 20},
                      {"fiber_type": "Elastane", "percentage_weight": 8}]
