"""Flask CLI commands: db upgrade, demo, users create, apikeys create, passports verify, worker."""

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
oauth_cli = AppGroup("oauth-clients", help="OAuth2 clients (client credentials) of the integration API.")
sandbox_cli = AppGroup("sandbox", help="The sandbox namespace of sandbox API keys and clients.")


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
@click.option("--sandbox", is_flag=True, help="A sandbox key (sdp_test_…): its data is never public.")
def apikeys_create(name: str, scope: str, sandbox: bool) -> None:
    """Create an API key; the key is printed alone on the last line (it is not stored)."""
    from portal.clients.models import ApiKey
    with session_scope(_settings().database_url) as session:
        key_row, key = ApiKey.generate(name, scope, sandbox=sandbox)
        session.add(key_row)
    kind = "sandbox API key" if sandbox else "API key"
    click.echo(f"{kind} {name!r} ({scope}) created. Store it now; it cannot be shown again:")
    click.echo(key)


@oauth_cli.command("create")
@click.option("--name", required=True)
@click.option("--scope", default="read", type=click.Choice(["read", "write", "passport:restricted"]))
@click.option("--sandbox", is_flag=True, help="A sandbox client: its data is never public.")
def oauth_create(name: str, scope: str, sandbox: bool) -> None:
    """Create an OAuth2 client; its ID and secret are printed on the last two lines."""
    from portal.api.oauth import create_client
    if not name.strip() or len(name) > 90:
        raise click.ClickException("give a name of 1 to 90 characters")
    with session_scope(_settings().database_url) as session:
        row, secret = create_client(session, name.strip(), scope, sandbox=sandbox, created_by="cli")
        client_id = row.client_id
    click.echo(f"OAuth2 client {name!r} ({scope}) created. Store the secret now; it cannot be shown again:")
    click.echo(f"client_id     {client_id}")
    click.echo(f"client_secret {secret}")


@sandbox_cli.command("wipe")
def sandbox_wipe() -> None:
    """Delete every passport, bulk job and sandbox webhook subscription in the sandbox."""
    from portal.passports.sandbox import wipe
    with session_scope(_settings().database_url) as session:
        counts = wipe(session, actor="cli")
    click.echo("Sandbox wiped: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")


passports_cli = AppGroup("passports", help="Passport hash chains, Merkle roots and verification.")


@passports_cli.command("chain")
def passports_chain() -> None:
    """Chain the revisions and lifecycle events that have no link yet (after upgrading from a
    version without chains); new ones are chained as they are written."""
    from portal.passports.chain import backfill
    with session_scope(_settings().database_url) as session:
        count = backfill(session)
    click.echo(f"Chained {count} revisions and lifecycle events.")


@passports_cli.command("merkle-root")
def passports_merkle_root() -> None:
    """Compute and store a Merkle root over every passport's chain now (the worker does it daily)."""
    from portal.passports.merkle import compute_root
    with session_scope(_settings().database_url) as session:
        row = compute_root(session)
        click.echo(f"Merkle root {row.root} over {row.leaf_count} passports.")


@passports_cli.command("verify")
@click.option("--gtin", help="Check only the passports of this GTIN (all its lots and serials).")
def passports_verify(gtin: str | None) -> None:
    """Check every passport's history against its hash chain, the latest Merkle root and the heads
    every earlier root holds; exits with status 1 when any passport does not match."""
    from sqlmodel import select

    from portal.passports.gtin import GtinError, normalise_gtin
    from portal.passports.merkle import EarlierRoots, latest_root, verify
    from portal.passports.models import Passport
    with session_scope(_settings().database_url) as session:
        query = select(Passport).order_by(Passport.gtin, Passport.dl_key)
        if gtin:
            try:
                query = query.where(Passport.gtin == normalise_gtin(gtin))
            except GtinError as exc:
                raise click.ClickException(f"--gtin: {exc}") from None
        root, earlier = latest_root(session), EarlierRoots(session)
        checked, failed = 0, 0
        for passport in session.exec(query).all():
            verdict = verify(session, passport, root)
            older = earlier.problems(verdict.chain)
            checked += 1
            # a passport newer than the root is not a mismatch: it has no leaf to compare yet
            newer = root is not None and verdict.proof is None and verdict.matches_current_data
            if verdict.matches_current_data and not older and (verdict.proof_valid or newer or root is None):
                continue
            failed += 1
            click.echo(f"MISMATCH {passport.dl_key or passport.id} (passport {passport.id}): "
                       + "; ".join(verdict.problems + older), err=True)
    if gtin and not checked:
        raise click.ClickException(f"no passport with GTIN {gtin}")
    root_text = f"Merkle root {root.root} of {root.day}" if root else "no Merkle root yet"
    click.echo(f"Checked {checked} passports against their chains and {root_text}: {failed} mismatched.")
    if failed:
        raise SystemExit(1)


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
    for command in (db_cli, users_cli, apikeys_cli, oauth_cli, sandbox_cli, passports_cli, demo_command, worker_command):
        app.cli.add_command(command)
