"""Upgrading a database whose stored e-mails hold set-password links in clear (before issue 9)
redacts them; one still pending cannot be sent without its link and is marked failed."""

from sqlalchemy import text

from portal.db import get_engine
from portal.migrations import upgrade
from tests.conftest import using_postgres

BEFORE, AFTER = "b09e11dc7187", "5e7a11c0f2d9"


def test_upgrade_redacts_links_stored_in_clear(database_url, tmp_path):
    url = database_url
    if using_postgres():
        with get_engine(url).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url, BEFORE)
    insert = text("INSERT INTO outgoing_email (\"to\", subject, body, kind, status, created_at) "
                  "VALUES (:to, 'Invited', :body, 'invitation', :status, CURRENT_TIMESTAMP)")
    with get_engine(url).begin() as conn:
        conn.execute(insert, {"to": "a@example.test", "status": "logged",
                              "body": "Set it here:\nhttp://portal.example/invite/AAAtoken-one_1\n"})
        conn.execute(insert, {"to": "b@example.test", "status": "pending",
                              "body": "Set it here:\nhttp://portal.example/invite/BBBtoken-two_2\n"})
        conn.execute(insert, {"to": "c@example.test", "status": "pending", "body": "Your request is due."})
    upgrade(url, AFTER)
    with get_engine(url).connect() as conn:
        rows = conn.execute(text("SELECT \"to\", body, status FROM outgoing_email ORDER BY id")).all()
    assert [(r[0], r[2]) for r in rows] == [("a@example.test", "logged"), ("b@example.test", "failed"),
                                            ("c@example.test", "pending")]
    assert all("token" not in r[1] for r in rows)
    assert rows[0][1] == "Set it here:\n[link sent to the recipient]\n" and rows[2][1] == "Your request is due."
