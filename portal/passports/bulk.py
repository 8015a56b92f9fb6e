"""Many passports at once: the synchronous bulk call (≤1,000) and the asynchronous bulk job
(≤10,000, an RQ job over the bulk_job row, committed in chunks so a restarted job resumes)."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from portal import webhooks
from portal.clients.models import ApiKey
from portal.db import in_values, insert_rows, session_scope
from portal.queues import MAINTENANCE, queue
from portal.settings import load_settings
from portal.timeutil import iso, utcnow

from . import categories, events
from .bodies import check_passport_create
from .chain import first_links
from .errors import StoreError
from .models import BulkJob, ChainLink, Passport, PassportRevision, new_ids
from .store import Change, build_rows

log = logging.getLogger(__name__)
CHUNK = 500
STALLED_AFTER = timedelta(minutes=10)


def create_many(session: Session, items: list[Any], actor: str, public_url: str, offset: int = 0,
                check: Any = None, sandbox: bool = False) -> list[dict[str, Any]]:
    """Validate and add every item; one result per item ({index, status, id} or {index, status,
    error}). Nothing is committed here. `check(item, prefix)` validates an item's body shape.

    The rows are built as column values and written with one INSERT per table (no ORM object
    per passport): for 1,000 items the objects cost more than validating them."""
    results: list[Any] = [None] * len(items)    # in item order, filled as each is decided
    built: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    now = utcnow()   # one transaction, one creation time
    ids = new_ids(len(items))
    element_lists: dict[tuple[str, ...], list[str]] = {}
    checked = check is not None
    for n, item in enumerate(items):
        i = n + offset
        try:
            if not isinstance(item, dict):
                raise StoreError("VALIDATION", "Each item must be a JSON object.")
            if checked:
                check(item, f"/items/{i}")
            passport, revision = build_rows(item, Change.from_body(actor, item), schema_checked=checked,
                                            sandbox=sandbox, now=now, passport_id=ids[n])
            # items with the same elements share one list, which insert_rows converts once
            revision["changed"] = element_lists.setdefault(tuple(revision["changed"]), revision["changed"])
            built.append((n, passport, revision))
        except StoreError as exc:
            results[n] = {"index": i, "status": exc.status, "error": exc.body()["error"]}
    taken = _taken(session, [p["dl_key"] for _, p, _ in built], sandbox)
    passports, revisions = [], []
    for n, passport, revision in built:
        if passport["dl_key"] in taken:
            error = StoreError("GTIN_EXISTS", "A passport for this GTIN, lot and serial already exists.",
                               {"gtin": passport["gtin"], "lot": passport["lot"], "serial": passport["serial"]})
            results[n] = {"index": n + offset, "status": 409, "error": error.body()["error"]}
            continue
        taken.add(passport["dl_key"])   # a repeat later in the same batch is a duplicate too
        passports.append(passport)
        revisions.append(revision)
        results[n] = {"index": n + offset, "status": 201, "id": passport["id"]}
    if passports:
        # One driver call per table (portal.db.insert_rows): the ORM's bulk path inspects each
        # row and even a Core INSERT converts every value of every row. They pass the ORM's
        # flush hook by, so each new passport's chain starts here.
        # The chain hashes each revision's data as canonical JSON, the form the column stores:
        # that text is inserted as it is, not encoded a second time.
        data_texts: list[str] = []
        links = first_links(revisions, data_texts)
        insert_rows(session, Passport.__table__, passports)
        insert_rows(session, PassportRevision.__table__, revisions, encoded={"data": data_texts})
        insert_rows(session, ChainLink.__table__, links)
    _events(session, passports, revisions, public_url, sandbox)
    return results


def _taken(session: Session, keys: list[str], sandbox: bool) -> set[str]:
    """The Digital Link keys among `keys` that a live passport in the namespace already has."""
    if not keys:
        return set()
    return set(session.exec(select(Passport.dl_key).where(in_values(session, Passport.dl_key, keys),
                                                          Passport.deleted_at.is_(None),
                                                          Passport.sandbox == sandbox)).all())


def _events(session: Session, passports: list[dict[str, Any]], revisions: list[dict[str, Any]], public_url: str,
            sandbox: bool) -> None:
    """The created passports' events, one INSERT per kind (webhooks.emit_many), and the new kinds
    only if someone listens (a thousand events nobody receives would double the cost of the call).
    The payload builders read the rows through attribute views (SimpleNamespace): a Passport
    model object per row would cost more than the whole INSERT."""
    published = [(SimpleNamespace(**row), revision) for row, revision in zip(passports, revisions)
                 if row["status"] == "published"]
    if webhooks.wanted(session, "passport.created", sandbox):
        webhooks.emit_many(session, "passport.created",
                           [events.created_payload(SimpleNamespace(**row), public_url) for row in passports],
                           sandbox)
    payloads = [events.published_payloads(p, public_url) for p, _ in published]
    webhooks.emit_many(session, "passport.published", [p["passport.published"] for p in payloads], sandbox)
    if webhooks.wanted(session, "qr.ready", sandbox):
        webhooks.emit_many(session, "qr.ready", [p["qr.ready"] for p in payloads], sandbox)
    if webhooks.wanted(session, "compliance.alert", sandbox):
        # the item's own data: a bulk item's product-level parent is checked when that one changes
        found = [(p, categories.findings(r["data"])) for p, r in published]
        webhooks.emit_many(session, "compliance.alert",
                           [events.alert_payload(p, f, public_url) for p, f in found if f], sandbox)


def summary(results: list[dict[str, Any]]) -> dict[str, int]:
    created = sum(1 for r in results if r["status"] == 201)
    return {"created": created, "failed": len(results) - created}


def enqueue_bulk_job(job_id: str) -> bool:
    settings = load_settings()
    try:
        queue(settings, MAINTENANCE).enqueue(run_bulk_job, job_id, job_timeout=3600, result_ttl=600,
                                             failure_ttl=86400, job_id=f"{settings.queue_prefix}-bulk-{job_id}",
                                             description=f"bulk passport job {job_id}")
        return True
    except RedisError as exc:
        log.warning("bulk job %s: could not enqueue (%s); the sweep will retry", job_id, exc)
        return False


def run_bulk_job(job_id: str) -> str:
    """Process the job's items in chunks; each chunk and the progress commit together, so running
    the job again (after a crash or a re-enqueue) continues where it stopped. The items and results
    are read once: later chunks load the row without them (they can be megabytes of JSON)."""
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        job = session.get(BulkJob, job_id)
        if job is None or job.status in ("completed", "failed"):
            return job.status if job else "missing"
        items, results, actor = job.items or [], list(job.results or []), job.actor
        sandbox = bool(session.get(ApiKey, job.api_key_id).sandbox)   # the key's namespace
        if job.status == "queued":
            job.status, job.started_at = "running", utcnow()
    light = select(BulkJob).options(defer(BulkJob.items), defer(BulkJob.results)).where(BulkJob.id == job_id)
    while True:
        with session_scope(settings.database_url) as session:
            job = session.exec(light).one()
            start = job.processed
            chunk = items[start:start + CHUNK]
            chunk_results = create_many(session, chunk, actor, settings.public_url, offset=start,
                                        check=check_passport_create,
                                        sandbox=sandbox)
            counts = summary(chunk_results)
            results += chunk_results
            job.processed += len(chunk)
            job.created += counts["created"]
            job.failed += counts["failed"]
            job.results = results
            if job.processed >= job.total:
                job.status, job.finished_at, job.items = "completed", utcnow(), None
                webhooks.emit(session, "batch.completed", {
                    "job_id": job.id, "status": job.status, "total": job.total, "created": job.created,
                    "failed": job.failed, "status_url": f"{settings.public_url.rstrip('/')}/api/v1/bulk-jobs/{job.id}",
                    "finished_at": iso(job.finished_at)}, sandbox=sandbox)
            log.info("bulk job %s: %s/%s processed", job_id, job.processed, job.total)
            if job.status == "completed":
                return "completed"


def job_json(job: BulkJob, public_url: str, with_results: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": job.id, "status": job.status, "total": job.total, "processed": job.processed,
        "created": job.created, "failed": job.failed,
        "progress": round(job.processed / job.total, 4) if job.total else 1.0,
        "status_url": f"{public_url.rstrip('/')}/api/v1/bulk-jobs/{job.id}", "webhook_url": job.webhook_url,
        "created_at": iso(job.created_at), "started_at": iso(job.started_at), "finished_at": iso(job.finished_at),
        "error": job.error,
    }
    if with_results:
        out["results"] = job.results or []
    return out


def requeue_stalled() -> int:
    """Bulk jobs queued or running without progress for a while (their RQ job was lost)."""
    settings = load_settings()
    now = utcnow()
    with session_scope(settings.database_url) as session:
        stalled = session.exec(select(BulkJob.id).where(BulkJob.status.in_(("queued", "running")),
                                                        BulkJob.created_at < now - STALLED_AFTER)).all()
    q = queue(settings, MAINTENANCE)
    count = 0
    for job_id in stalled:
        job = q.fetch_job(f"{settings.queue_prefix}-bulk-{job_id}")
        if job is not None and job.get_status(refresh=True) in ("queued", "started", "scheduled", "deferred"):
            continue
        count += enqueue_bulk_job(job_id)
    return count
