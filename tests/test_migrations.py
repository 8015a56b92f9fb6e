"""Alembic has a single head and `upgrade head` yields exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from portal.db import all_models, get_engine
from portal.migrations import alembic_config, upgrade
from tests.conftest import using_postgres


def test_single_head(database_url):
    assert len(ScriptDirectory.from_config(alembic_config(database_url)).get_heads()) == 1


def test_upgrade_head_matches_models(database_url, tmp_path):
    url = database_url
    if using_postgres():
        with get_engine(url).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    all_models()
    with get_engine(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []
