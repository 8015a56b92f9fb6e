"""Admin page for OAuth2 clients: created (secret shown once), their tokens ended, revoked."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from portal import audit
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.i18n import gettext as _, ngettext

from portal.web import db, get_or_404

from .admin import NO_STORE, bp
from portal.clients.models import ApiKey, OAuthClient
from .oauth import SCOPES, TOKEN_TTL_S, create_client, revoke_client, revoke_tokens


def _page(new_client: tuple[OAuthClient, str] | None = None, form=None, status: int = 200):  # noqa: ANN001, ANN202
    clients = db().exec(select(OAuthClient, ApiKey).join(ApiKey, ApiKey.id == OAuthClient.api_key_id)
                        .order_by(OAuthClient.revoked_at.is_not(None), OAuthClient.created_at.desc())).all()
    return (render_template("api/oauth_clients.html", clients=clients, new_client=new_client, form=form or {},
                            ttl_minutes=TOKEN_TTL_S // 60), status, NO_STORE if new_client else {})


@bp.get("/oauth-clients")
@roles_required(Role.admin)
def oauth_clients():  # noqa: ANN201
    return _page()


@bp.post("/oauth-clients")
@roles_required(Role.admin)
def create_oauth_client():  # noqa: ANN201
    name = request.form.get("name", "").strip()
    scope = request.form.get("scope", "read")
    problems = []
    if not name or len(name) > 90:
        problems.append(_("a name of 1 to 90 characters (say which system uses it)"))
    if scope not in SCOPES:
        problems.append(_("a scope: read, restricted passport data or write"))
    if problems:
        flash(_("To create a client, give %(missing)s.", missing="; ".join(problems)), "error")
        return _page(form=request.form, status=400)
    sandbox = request.form.get("sandbox") == "1"
    row, secret = create_client(db(), name, scope, sandbox=sandbox, created_by=current_user.email)
    audit.record(db(), actor=current_user.email, actor_user_id=current_user.id, action="oauth_client.created",
                 entity="oauth_client", entity_id=row.id,
                 after={"name": name, "scope": scope, "client_id": row.client_id, "sandbox": sandbox})
    db().commit()
    # rendered, not redirected: the secret must not travel through the session cookie or a flash
    return _page(new_client=(row, secret), status=201)


@bp.post("/oauth-clients/<int:client_pk>/revoke")
@roles_required(Role.admin)
def revoke_oauth_client(client_pk: int):  # noqa: ANN201
    row = get_or_404(OAuthClient, client_pk)
    if row.revoked_at is None:
        ended = revoke_client(db(), row)
        audit.record(db(), actor=current_user.email, actor_user_id=current_user.id, action="oauth_client.revoked",
                     entity="oauth_client", entity_id=row.id, before={"revoked": False},
                     after={"revoked": True, "tokens_ended": ended})
        db().commit()
        flash(ngettext("Client “%(name)s” is revoked: it gets no new tokens, and its %(num)d live token is "
                       "refused from now on.",
                       "Client “%(name)s” is revoked: it gets no new tokens, and its %(num)d live tokens are "
                       "refused from now on.", ended, name=row.name), "success")
    return redirect(url_for(".oauth_clients"), code=303)


@bp.post("/oauth-clients/<int:client_pk>/end-tokens")
@roles_required(Role.admin)
def end_oauth_tokens(client_pk: int):  # noqa: ANN201
    """A token may have leaked: end them all; the client itself may ask for new ones."""
    row = get_or_404(OAuthClient, client_pk)
    ended = revoke_tokens(db(), row)
    audit.record(db(), actor=current_user.email, actor_user_id=current_user.id, action="oauth_client.tokens_revoked",
                 entity="oauth_client", entity_id=row.id, after={"tokens_ended": ended})
    db().commit()
    flash(ngettext("%(num)d live token of “%(name)s” ended.", "%(num)d live tokens of “%(name)s” ended.", ended,
                   name=row.name), "success")
    return redirect(url_for(".oauth_clients"), code=303)
