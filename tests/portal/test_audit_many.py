"""The prefill's audit rows, written by the driver in one executemany, are the rows the ORM
would write: each value (None, text, numbers, lists, objects) reads back as it was given, after
the entries added before them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from portal import audit
from portal.audit.models import AuditEntry
from portal.timeutil import utcnow


def test_record_many_rows_read_back_as_given_and_in_order(app, session):
    started = utcnow()
    audit.record(session, actor="worker", action="document.extracted", entity="document", entity_id=7,
                 after={"status": "extracted"})
    changes = [("/company/name", None, "Acme GmbH"), ("/answers/q1/tin", "no", "yes"),
               ("/smelters/0", {"metal": "tin"}, None), ("/products", [], [1, 2.5, "x"]), ("/flag", True, 0)]
    assert audit.record_many(session, actor="worker", action="field.extracted", entity="declaration",
                             entity_id=3, changes=changes, source_sha256="ab" * 32) == len(changes)
    session.commit()
    rows = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [r.action for r in rows] == ["document.extracted"] + ["field.extracted"] * len(changes)
    written = rows[1:]
    assert [(r.field_path, r.before, r.after) for r in written] == changes
    assert {(r.actor, r.entity, r.entity_id, r.source_sha256, r.actor_user_id) for r in written} == {
        ("worker", "declaration", "3", "ab" * 32, None)}
    at = written[0].at.replace(tzinfo=None) if written[0].at.tzinfo else written[0].at
    assert abs(at - started.replace(tzinfo=None)) < timedelta(minutes=1)
    # a None before/after is SQL NULL, as the ORM writes it (JSON none_as_null)
    assert session.exec(select(AuditEntry.id).where(AuditEntry.field_path == "/company/name",
                                                    AuditEntry.before.is_(None))).first() is not None
    assert audit.record_many(session, actor="worker", action="field.extracted", entity="declaration",
                             entity_id=3, changes=[]) == 0
