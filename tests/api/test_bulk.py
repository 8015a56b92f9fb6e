"""Bulk create (≤1,000, per-item results) and async bulk jobs (≤10,000) run by a real worker."""

import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import func, select

from portal.passports.bulk import run_bulk_job
from portal.passports.models import BulkJob, Passport
from portal.queues import MAINTENANCE, queue
from portal.settings import load_settings
from portal.webhooks.models import Event
from tests.api.helpers import api_key, gtin, passport_body


def test_bulk_results_per_item(client, session):
    write = {"X-API-Key": api_key(session)}
    client.post("/api/v1/passports", json=passport_body(1), headers=write)
    bad_composition = passport_body(4)
    bad_composition["data"]["materials"][0]["percentage"] = 10
    items = [passport_body(2), passport_body(1), passport_body(3, status="published"), bad_composition,
             {"gtin": "123"}, passport_body(2), {"gtin": gtin(5), "colour": "red"}]
    response = client.post("/api/v1/passports/bulk", json={"items": items}, headers=write)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [r["status"] for r in body["results"]] == [201, 409, 201, 422, 400, 409, 400]
    assert (body["created"], body["failed"]) == (2, 5)
    assert body["results"][1]["error"]["code"] == "GTIN_EXISTS"
    assert body["results"][4]["error"]["details"][0]["path"] == "/items/4/gtin"
    assert session.exec(select(func.count()).select_from(Passport)).one() == 3
    published = client.get(f"/api/v1/passports/{body['results'][2]['id']}", headers=write).get_json()
    assert published["status"] == "published"


def test_bulk_limits(client, session):
    write = {"X-API-Key": api_key(session)}
    too_many = {"items": [passport_body(i) for i in range(1001)]}
    response = client.post("/api/v1/passports/bulk", json=too_many, headers=write)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "VALIDATION"
    assert client.post("/api/v1/passports/bulk", json={"items": []}, headers=write).status_code == 400


def test_bulk_1000_in_one_call(client, session):
    write = {"X-API-Key": api_key(session)}
    started = time.monotonic()
    response = client.post("/api/v1/passports/bulk", json={"items": [passport_body(i) for i in range(1000)]},
                           headers=write)
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and response.get_json()["created"] == 1000
    assert elapsed < 10, f"bulk 1000 took {elapsed:.1f} s"   # the benchmark holds the 3 s target


def test_async_bulk_job_in_process(client, session):
    write = {"X-API-Key": api_key(session)}
    items = [passport_body(i) for i in range(1200)] + [passport_body(3)]
    started = client.post("/api/v1/bulk-jobs", json={"items": items}, headers={**write, "Idempotency-Key": "b1"})
    assert started.status_code == 202
    job = started.get_json()
    assert job["status"] == "queued" and job["status_url"].endswith(f"/api/v1/bulk-jobs/{job['id']}")
    assert queue(load_settings(), MAINTENANCE).count == 1
    again = client.post("/api/v1/bulk-jobs", json={"items": items}, headers={**write, "Idempotency-Key": "b1"})
    assert again.status_code == 200 and again.get_json()["id"] == job["id"]   # no second job

    assert run_bulk_job(job["id"]) == "completed"
    status = client.get(f"/api/v1/bulk-jobs/{job['id']}", headers=write).get_json()
    assert (status["status"], status["processed"], status["created"], status["failed"]) == ("completed", 1201, 1200, 1)
    assert status["progress"] == 1.0 and status["results"][1200]["error"]["code"] == "GTIN_EXISTS"
    event = session.exec(select(Event).where(Event.type == "batch.completed")).one()
    assert event.payload["created"] == 1200 and event.payload["job_id"] == job["id"]
    assert session.get(BulkJob, job["id"]).items is None   # the input is dropped once done
    other = {"X-API-Key": api_key(session, name="other")}
    assert client.get(f"/api/v1/bulk-jobs/{job['id']}", headers=other).status_code == 404


def test_async_bulk_job_by_a_real_worker(client, session, env):
    write = {"X-API-Key": api_key(session)}
    job = client.post("/api/v1/bulk-jobs", json={"items": [passport_body(i) for i in range(600)]},
                      headers=write).get_json()
    bin_dir = Path(sys.executable).parent
    # the worker's log goes into the failure message: in full-suite runs under load this burst
    # worker has once found the maintenance queue empty (cause not yet found)
    worker = subprocess.run([str(bin_dir / "flask"), "--app", "wsgi", "worker", "--burst"], check=True,
                            timeout=120, capture_output=True, text=True)
    status = client.get(f"/api/v1/bulk-jobs/{job['id']}", headers=write).get_json()
    assert (status["status"], status["created"]) == ("completed", 600), worker.stderr[-4000:]
    assert session.exec(select(func.count()).select_from(Passport)).one() == 600


def test_sweep_requeues_a_bulk_job_whose_rq_job_was_lost(client, session):
    from datetime import timedelta

    from portal.passports.sweep import sweep
    write = {"X-API-Key": api_key(session)}
    job_id = client.post("/api/v1/bulk-jobs", json={"items": [passport_body(1)]}, headers=write).get_json()["id"]
    q = queue(load_settings(), MAINTENANCE)
    assert sweep()["bulk_jobs"] == 0   # its job is still queued
    q.empty()                         # as if Redis had restarted
    job = session.get(BulkJob, job_id)
    job.created_at -= timedelta(minutes=15)
    session.add(job)
    session.commit()
    assert sweep()["bulk_jobs"] == 1 and q.count == 1


def test_sweep_expires_old_idempotency_keys(client, session):
    from datetime import timedelta

    from portal.clients.models import IdempotentRequest
    from portal.passports.sweep import sweep
    write = {"X-API-Key": api_key(session), "Idempotency-Key": "old"}
    client.post("/api/v1/passports", json=passport_body(1), headers=write)
    client.post("/api/v1/passports", json=passport_body(2), headers={**write, "Idempotency-Key": "new"})
    old = session.exec(select(IdempotentRequest).where(IdempotentRequest.key == "old")).one()
    old.created_at -= timedelta(days=8)
    session.add(old)
    session.commit()
    assert sweep()["idempotency_keys_expired"] == 1
    assert [r.key for r in session.exec(select(IdempotentRequest)).all()] == ["new"]
