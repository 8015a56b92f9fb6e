"""Bulk endpoints: POST /passports/bulk (≤1,000, per-item results in the answer) and
POST /bulk-jobs (≤10,000, 202 with a status URL, processed by a worker)."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify

from portal.passports import bulk
from portal.passports.models import BulkJob
from portal.web import db, settings

from .blueprint import actor, after_commit, bp, json_body, write_endpoint
from .errors import ApiError
from .schemas import check_body


def _check_item(item: dict[str, Any], prefix: str) -> None:
    check_body("PassportCreate", item, prefix)


@bp.post("/passports/bulk")
@write_endpoint
def bulk_create() -> tuple[dict[str, Any], int]:
    body = json_body()
    check_body("BulkCreate", body)
    results = bulk.create_many(db(), body["items"], actor(), settings().public_url, check=_check_item)
    return {**bulk.summary(results), "results": results}, 200


@bp.post("/bulk-jobs")
@write_endpoint
def start_bulk_job() -> tuple[dict[str, Any], int]:
    body = json_body()
    check_body("AsyncBulkCreate", body)
    job = BulkJob(api_key_id=g.api_key.id, actor=actor(), total=len(body["items"]), items=body["items"])
    db().add(job)
    after_commit(lambda: bulk.enqueue_bulk_job(job.id))
    return bulk.job_json(job, settings().public_url, with_results=False), 202


def own_job(job_id: str, missing: str = "No such bulk job.") -> BulkJob:
    """The one place that answers 404 for bulk jobs: a key sees only its own."""
    job = db().get(BulkJob, job_id) if len(job_id) == 32 and job_id.isalnum() else None
    if job is None or job.api_key_id != g.api_key.id:
        raise ApiError("NOT_FOUND", missing)
    return job


@bp.get("/bulk-jobs/<job_id>")
def bulk_job_status(job_id: str):  # noqa: ANN201
    return jsonify(bulk.job_json(own_job(job_id), settings().public_url))
