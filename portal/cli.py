"""Flask CLI commands: db upgrade, demo, users create, apikeys create, worker."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal.db import session_scope


def _settings():  # noqa: ANN202
    return current_app.config["SETTINGS"]


db_cli = AppGroup("db", help="Database migrations (Alembic).")
users_cli = AppGroup("users", help="User accounts.")
apikeys_cli = AppGroup("apikeys", help="Integration API keys.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from portal.migrations import upgrade
    upgrade(_settings().database_url, revision)
    click.echo(f"Database at {revision}.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(["supplier", "procurement", "quality", "admin"]))
@click.option("--supplier", "supplier_name", help="Supplier company (required for --role supplier).")
def users_create(email: str, password: str, role: str, supplier_name: str | None) -> None:
    """Create a user; a supplier user needs --supplier (created if it does not exist)."""
    from portal.accounts import AccountError, create_user
    try:
        with session_scope(_settings().database_url) as session:
            user = create_user(session, email=email, password=password, role=role,
                               supplier_name=supplier_name)
            click.echo(f"Created {user.role} {user.email} (id {user.id}).")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


@users_cli.command("reset-totp")
@click.option("--email", required=True)
def users_reset_totp(email: str) -> None:
    """Turn off a user's two-factor sign-in (a lost phone); they set it up again at next login."""
    from sqlmodel import select

    from portal.auth.models import User
    with session_scope(_settings().database_url) as session:
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if user is None:
            raise click.ClickException(f"no user {email}")
        user.totp_secret, user.totp_last_step = None, None
        user.revoke_sessions()
        click.echo(f"Two-factor sign-in reset for {user.email}; their sessions are ended.")


@apikeys_cli.command("create")
@click.option("--name", required=True)
@click.option("--scope", default="read", type=click.Choice(["read", "write", "passport:restricted"]))
def apikeys_create(name: str, scope: str) -> None:
    """Create an API key; the key is printed alone on the last line (it is not stored)."""
    from portal.api.models import ApiKey
    with session_scope(_settings().database_url) as session:
        key_row, key = ApiKey.generate(name, scope)
        session.add(key_row)
    click.echo(f"API key {name!r} ({scope}) created. Store it now; it cannot be shown again:")
    click.echo(key)


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Seed demo suppliers and users (idempotent) and print the demo logins."""
    from portal.demo import seed_demo
    with session_scope(_settings().database_url) as session:
        logins = seed_demo(session)
    click.echo("Demo logins:")
    for role, email, password in logins:
        click.echo(f"  {role:<12} {email:<32} {password}")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker (extraction, pushes, sweeper) with the parsers preloaded."""
    from portal.worker import run_worker
    run_worker(_settings(), burst=burst)


def register_cli(app: Flask) -> None:
    for command in (db_cli, users_cli, apikeys_cli, demo_command, worker_command):
        app.cli.add_command(command)
