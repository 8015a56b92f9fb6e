"""The company's filled RMI template, made by the worker.

The web request only checks the form, records an RmiFillJob (committed first) and enqueues its id;
the page then polls the job's state (status.js) and offers the download when it is done. The job
opens its own session, reads the roll-up as it is when it runs, and is idempotent: a finished job
is left alone, and an interrupted one can simply be queued again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from redis.exceptions import RedisError
from rq import Callback
from rq.job import Job
from sqlmodel import Session, select

from portal.db import session_scope
from portal.documents import storage
from portal.i18n import N_, gettext
from portal.queues import EXTRACT, queue
from portal.settings import Settings, load_settings
from portal.timeutil import utcnow

from . import minerals, rmi_fill
from .models import RmiFillJob, RmiTemplate

log = logging.getLogger(__name__)
FILL_TIMEOUT_S = 300          # RMI's templates fill in about a second; generous for a busy machine
IN_FLIGHT = ("queued", "running")
FINAL = ("done", "failed")
# Messages and steps are kept in English in the job row and translated where shown (status_view)
FAILED_UNEXPECTEDLY = N_("The worker could not fill the template; try again, and tell the administrator if it fails again.")
# a job still queued or running after this was lost (a worker killed mid-job, Redis emptied): the page
# says so instead of polling for ever, and the next click starts a new one
GIVE_UP_AFTER = dt.timedelta(seconds=3 * FILL_TIMEOUT_S)
LOST = N_("The worker did not finish this in time (it may have been restarted); fill the template again.")
STATUS = {"queued": (N_("Waiting for the worker"), "pending"), "running": (N_("Filling the template"), "pending"),
          "done": (N_("Ready to download"), "ok"), "failed": (N_("Not filled"), "error")}


def job_key(kind: str, template_sha256: str, company: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps([kind, template_sha256, company], sort_keys=True).encode()).hexdigest()


def request_fill(session: Session, settings: Settings, template: RmiTemplate, company: dict[str, str],
                 requested_by: str) -> RmiFillJob:
    """A job for this form: the one already under way for the same form and blank, or a new one
    (committed, then enqueued)."""
    key = job_key(template.kind, template.sha256, company)
    running = session.exec(select(RmiFillJob).where(RmiFillJob.key == key, RmiFillJob.status.in_(IN_FLIGHT))
                           .order_by(RmiFillJob.id.desc())).first()
    if running is not None:
        return running
    job = RmiFillJob(kind=template.kind, template_sha256=template.sha256, company=company, key=key,
                     requested_by=requested_by[:255])
    session.add(job)
    session.commit()
    enqueue_fill(settings, job.id)
    return job


def enqueue_fill(settings: Settings, job_id: int) -> bool:
    try:
        queue(settings, EXTRACT).enqueue(
            run_rmi_fill, job_id, job_id=f"{settings.queue_prefix}-rmi-fill-{job_id}", job_timeout=FILL_TIMEOUT_S,
            on_failure=Callback(on_fill_failure), result_ttl=3600, failure_ttl=86400,
            description=f"fill the company's RMI template (job {job_id})")
        return True
    except RedisError as exc:
        log.warning("rmi fill %s: could not enqueue (%s)", job_id, exc)
        with session_scope(settings.database_url) as session:
            _finish(session, job_id, "failed", error="The worker queue cannot be reached right now; try again "
                                                     "in a minute.")
        return False


def run_rmi_fill(job_id: int) -> str:
    """Fill the blank with the roll-up as it is now and keep the file. Safe to run twice."""
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        job = session.get(RmiFillJob, job_id)
        if job is None or job.status in FINAL:
            return job.status if job else "missing"
        job.status, job.step = "running", N_("Adding up the suppliers' smelters")
        session.add(job)
    with session_scope(settings.database_url) as session:
        job = session.get(RmiFillJob, job_id)
        rollup = minerals.for_company(session)
        records = [d.record or {} for d in minerals.latest_per_supplier(session)]
        template = storage.get_bytes(session, job.template_sha256)
        kind, company = job.kind, _details(job.company)
    answers = rmi_fill.metal_answers(records, rollup.smelters, rmi_fill.LAYOUTS[kind].metals,
                                     everyone_answered=not rollup.not_answered)
    try:
        content = rmi_fill.fill(template, kind, company, rollup.smelters, answers,
                                progress=lambda step: _note(settings, job_id, step))
    except rmi_fill.TemplateError as exc:
        with session_scope(settings.database_url) as session:
            return _finish(session, job_id, "failed", error=f"The blank template could not be filled: {exc}")
    sha256 = hashlib.sha256(content).hexdigest()
    with session_scope(settings.database_url) as session:
        storage.put(session, content, sha256)
        log.info("rmi fill %s: %s with %s smelters", job_id, kind, len(rollup.smelters))
        return _finish(session, job_id, "done", result=sha256, smelters=len(rollup.smelters))


def on_fill_failure(job: Job, connection: Any, exc_type: Any, exc_value: Any, traceback: Any) -> None:
    """RQ callback when the job raised or timed out: the page says so instead of waiting for ever."""
    log.warning("rmi fill %s failed: %s", job.args[0], exc_value)
    with session_scope(load_settings().database_url) as session:
        _finish(session, job.args[0], "failed", error=FAILED_UNEXPECTEDLY)


def give_up_if_lost(session: Session, job: RmiFillJob) -> RmiFillJob:
    """Called when the job's page or its poller asks: a job in flight for far longer than it may
    take is marked failed, so nobody waits for it for ever."""
    if job.status in IN_FLIGHT and utcnow() - job.created_at > GIVE_UP_AFTER:
        _finish(session, job.id, "failed", error=LOST)
        session.commit()
        session.refresh(job)
    return job


def status_view(job: RmiFillJob) -> dict[str, Any]:
    """What the page and its poller show: {status, label, tone, final}."""
    label, tone = STATUS[job.status]
    if job.status == "running" and job.step:
        label = job.step
    return {"status": job.status, "label": gettext(label), "tone": tone, "final": job.status in FINAL,
            "error": gettext(job.error) if job.error else None}


def _details(form: dict[str, str]) -> rmi_fill.CompanyDetails:
    return rmi_fill.CompanyDetails(
        name=form["company_name"], contact_name=form["contact_name"], contact_email=form["contact_email"],
        contact_phone=form.get("contact_phone", ""), authorizer_name=form["authorizer_name"],
        authorizer_title=form.get("authorizer_title", ""), effective_date=dt.date.fromisoformat(form["effective_date"]))


def _note(settings: Settings, job_id: int, step: str) -> None:
    with session_scope(settings.database_url) as session:
        job = session.get(RmiFillJob, job_id)
        if job is not None and job.status == "running":
            job.step = step[:200]
            session.add(job)


def _finish(session: Session, job_id: int, status: str, *, error: str | None = None, result: str | None = None,
            smelters: int | None = None) -> str:
    job = session.get(RmiFillJob, job_id)
    if job is None or job.status in FINAL:
        return job.status if job else "missing"
    job.status, job.step, job.error, job.finished_at = status, None, error and error[:500], utcnow()
    job.result_sha256, job.smelter_count = result, smelters
    session.add(job)
    return status
