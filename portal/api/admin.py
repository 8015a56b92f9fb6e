"""Admin pages for the integration API: API keys (created, shown once, scoped, revoked) and
webhook subscriptions with their delivery log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from portal import audit
from portal.auth.models import Role
from portal.passports.access import RESTRICTED_SCOPE
from portal.auth.views import roles_required
from portal.timeutil import utcnow
from portal.web import db, get_or_404, settings
from portal.webhooks import new_secret
from portal.webhooks.delivery import enqueue_delivery
from portal.webhooks.models import EVENT_TYPES, Event, WebhookDelivery, WebhookSubscription
from portal.webhooks.payloads import event_labels
from portal.webhooks.urls import target_problem
from portal.i18n import gettext as _

from portal.clients.models import ApiKey, OAuthClient

bp = Blueprint("api_admin", __name__, url_prefix="/admin")
NO_STORE = {"Cache-Control": "no-store"}   # pages that show a secret once
SCOPES = ("read", RESTRICTED_SCOPE, "write")


def _actor() -> str:
    return current_user.email


def _keys() -> list[ApiKey]:
    """Keys made as keys: an OAuth2 client's own api_key row is listed with the client instead."""
    return db().exec(select(ApiKey).where(ApiKey.id.not_in(select(OAuthClient.api_key_id)))
                     .order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())).all()


@bp.get("/api-keys")
@roles_required(Role.admin)
def api_keys():  # noqa: ANN201
    return render_template("api/keys.html", keys=_keys(), new_key=None, form={},
                           default_limit=settings().api_rate_limit_per_minute)


@bp.post("/api-keys")
@roles_required(Role.admin)
def create_api_key():  # noqa: ANN201
    name = request.form.get("name", "").strip()
    scope = request.form.get("scope", "read")
    limit_text = request.form.get("rate_limit", "").strip()
    problems = []
    if not name or len(name) > 100:
        problems.append(_("a name of 1 to 100 characters (say who uses the key)"))
    if scope not in SCOPES:
        problems.append(_("a scope: read, restricted passport data, or write"))
    if limit_text and (not limit_text.isdigit() or not 1 <= int(limit_text) <= 100_000):
        problems.append(_("a rate limit from 1 to 100000 requests a minute, or none for the default"))
    if problems:
        flash(_("To create a key, give %(missing)s.", missing="; ".join(problems)), "error")
        return render_template("api/keys.html", keys=_keys(), new_key=None, form=request.form,
                               default_limit=settings().api_rate_limit_per_minute), 400
    sandbox = request.form.get("sandbox") == "1"
    row, key = ApiKey.generate(name, scope, sandbox=sandbox, created_by=_actor(),
                               rate_limit_per_minute=int(limit_text) if limit_text else None)
    db().add(row)
    db().flush()
    audit.record(db(), actor=_actor(), actor_user_id=current_user.id, action="apikey.created", entity="api_key",
                 entity_id=row.id, after={"name": name, "scope": scope, "prefix": row.prefix, "sandbox": sandbox,
                                          "rate_limit_per_minute": row.rate_limit_per_minute})
    db().commit()
    keys = _keys()
    # rendered, not redirected: the key must not travel through the session cookie or a flash
    return render_template("api/keys.html", keys=keys, new_key=(row, key), form={},
                           default_limit=settings().api_rate_limit_per_minute), 201, NO_STORE


@bp.post("/api-keys/<int:key_id>/revoke")
@roles_required(Role.admin)
def revoke_api_key(key_id: int):  # noqa: ANN201
    row = get_or_404(ApiKey, key_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(db(), actor=_actor(), actor_user_id=current_user.id, action="apikey.revoked",
                     entity="api_key", entity_id=row.id, before={"revoked": False}, after={"revoked": True})
        db().commit()
        flash(_("Key “%(name)s” (%(prefix)s…) is revoked: it is refused from now on.", name=row.name,
                prefix=row.prefix), "success")
    return redirect(url_for(".api_keys"), code=303)


@bp.post("/sandbox/wipe")
@roles_required(Role.admin)
def wipe_sandbox():  # noqa: ANN201
    from portal.passports.sandbox import wipe
    counts = wipe(db(), _actor(), current_user.id)
    db().commit()
    flash(_("Sandbox wiped: %(passports)d passports, %(revisions)d revisions, %(jobs)d bulk jobs, %(answers)d "
            "stored answers. Live data is untouched.", passports=counts["passports"], revisions=counts["revisions"],
            jobs=counts["bulk jobs"], answers=counts["stored answers"]), "success")
    return redirect(url_for(".api_keys"), code=303)


@bp.get("/webhooks")
@roles_required(Role.admin)
def webhooks():  # noqa: ANN201
    return _webhooks_page()


def _webhooks_page(new_secret: tuple[WebhookSubscription, str] | None = None, form=None, status: int = 200):  # noqa: ANN001, ANN202
    subscriptions = db().exec(select(WebhookSubscription).order_by(WebhookSubscription.created_at.desc())).all()
    log = db().exec(select(WebhookDelivery, Event, WebhookSubscription)
                    .join(Event, Event.id == WebhookDelivery.event_id)
                    .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
                    .order_by(WebhookDelivery.id.desc()).limit(100)).all()
    headers = NO_STORE if new_secret else {}
    return render_template("api/webhooks.html", subscriptions=subscriptions, log=log, event_types=EVENT_TYPES,
                           event_labels=event_labels(),
                           new_secret=new_secret, form=form or {}), status, headers


@bp.post("/webhooks")
@roles_required(Role.admin)
def create_webhook():  # noqa: ANN201
    url = request.form.get("url", "").strip()
    events = [e for e in request.form.getlist("events") if e in EVENT_TYPES]
    problem = _("give its URL") if not url else (_("URLs are at most 2000 characters") if len(url) > 2000 else
                                                 target_problem(url, settings().webhook_allowed_hosts))
    if problem or not events:
        flash(_("Not saved: %(problem)s.", problem=problem or _("choose at least one event")), "error")
        return _webhooks_page(form=request.form, status=400)
    sub = WebhookSubscription(url=url, events=events, secret=new_secret(),
                              description=request.form.get("description", "").strip()[:200] or None,
                              created_by=_actor())
    db().add(sub)
    db().flush()
    audit.record(db(), actor=_actor(), actor_user_id=current_user.id, action="webhook.created",
                 entity="webhook_subscription", entity_id=sub.id, after={"url": url, "events": events})
    db().commit()
    return _webhooks_page(new_secret=(sub, sub.secret), status=201)


@bp.post("/webhooks/<int:subscription_id>/disable")
@roles_required(Role.admin)
def disable_webhook(subscription_id: int):  # noqa: ANN201
    sub = get_or_404(WebhookSubscription, subscription_id)
    if sub.disabled_at is None:
        sub.disabled_at = utcnow()
        audit.record(db(), actor=_actor(), actor_user_id=current_user.id, action="webhook.disabled",
                     entity="webhook_subscription", entity_id=sub.id)
        db().commit()
        flash(_("The subscription is disabled; nothing more is sent to it."), "success")
    return redirect(url_for(".webhooks"), code=303)


@bp.post("/webhooks/deliveries/<int:delivery_id>/retry")
@roles_required(Role.admin)
def retry_delivery(delivery_id: int):  # noqa: ANN201
    delivery = get_or_404(WebhookDelivery, delivery_id)
    if delivery.status == "failed":
        delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, None
        db().commit()
        enqueue_delivery(delivery.id)
        flash(_("Delivery %(id)d is sent again.", id=delivery.id), "success")
    return redirect(url_for(".webhooks"), code=303)


from . import oauth_admin  # noqa: E402,F401  (its routes register on the same blueprint)
