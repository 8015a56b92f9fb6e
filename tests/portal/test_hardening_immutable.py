"""History is written once: attested declaration versions and audit entries, like passport
revisions, cannot be changed or deleted through the ORM."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal.audit.immutable import ImmutableRowError
from portal.audit.models import AuditEntry
from portal.requests.models import DeclarationVersion
from tests.conftest import submitted_declaration


def test_attested_versions_cannot_be_rewritten_or_deleted(app, session):
    decl, _, _ = submitted_declaration(app, session)
    version = session.exec(select(DeclarationVersion).where(DeclarationVersion.declaration_id == decl.id)).one()
    version.signatory_name = "Someone Else"
    session.add(version)
    with pytest.raises(ImmutableRowError, match="attest a new version"):
        session.commit()
    session.rollback()
    session.refresh(version)
    assert version.signatory_name == "Priya Martin"
    session.delete(version)
    with pytest.raises(ImmutableRowError):
        session.commit()
    session.rollback()
    assert session.get(DeclarationVersion, version.id) is not None


def test_audit_entries_cannot_be_rewritten_or_deleted(app, session):
    submitted_declaration(app, session)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "document.uploaded")).one()
    entry.actor = "nobody@example.test"
    session.add(entry)
    with pytest.raises(ImmutableRowError, match="record a new entry"):
        session.commit()
    session.rollback()
    session.delete(session.get(AuditEntry, entry.id))
    with pytest.raises(ImmutableRowError):
        session.commit()
    session.rollback()
    assert session.get(AuditEntry, entry.id).actor != "nobody@example.test"
