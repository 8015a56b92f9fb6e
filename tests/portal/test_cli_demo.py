from sqlmodel import select

from portal.auth.models import User
from portal.requests.models import DeclarationRequest


def test_demo_seeds_every_role_and_requests_idempotently(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0
    for role in ("supplier", "procurement", "quality", "admin"):
        assert role in first.output
    assert {u.role for u in session.exec(select(User)).all()} == {"supplier", "procurement", "quality", "admin"}
    assert len(session.exec(select(DeclarationRequest)).all()) == 4
