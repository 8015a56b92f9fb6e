"""Wiping the sandbox: every passport sandbox keys and clients wrote (with its revisions), their
bulk jobs and stored idempotent answers. Live data is untouched; the keys themselves stay."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, select

from portal import audit
from portal.clients.models import ApiKey, IdempotentRequest

from .models import BulkJob, Contribution, Passport, PassportRevision


def wipe(session: Session, actor: str, actor_user_id: int | None = None) -> dict[str, int]:
    """Delete the sandbox namespace in the caller's transaction; returns what went, by kind.
    Bulk SQL deletes: revisions are history for live passports (the ORM refuses to delete them),
    but sandbox revisions are test data that never was public."""
    passports = select(Passport.id).where(Passport.sandbox.is_(True)).scalar_subquery()
    keys = select(ApiKey.id).where(ApiKey.sandbox.is_(True)).scalar_subquery()
    session.execute(delete(Contribution).where(Contribution.passport_id.in_(passports)))
    revisions = session.execute(delete(PassportRevision).where(PassportRevision.passport_id.in_(passports)))
    deleted = session.execute(delete(Passport).where(Passport.sandbox.is_(True)))
    jobs = session.execute(delete(BulkJob).where(BulkJob.api_key_id.in_(keys)))
    answers = session.execute(delete(IdempotentRequest).where(IdempotentRequest.api_key_id.in_(keys)))
    counts = {"passports": deleted.rowcount, "revisions": revisions.rowcount, "bulk jobs": jobs.rowcount,
              "stored answers": answers.rowcount}
    audit.record(session, actor=actor, actor_user_id=actor_user_id, action="sandbox.wiped", entity="sandbox",
                 entity_id="sandbox", after=counts)
    return counts
