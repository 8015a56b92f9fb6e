"""/api/v1/webhooks: an API key's own webhook subscriptions (create, list, read, delete) and their
delivery log. A key sees only the subscriptions it made; the admin page sees them all."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from sqlmodel import select

from portal import audit
from portal.timeutil import iso, utcnow
from portal.web import db, settings
from portal.webhooks import new_secret
from portal.webhooks.models import EVENT_TYPES, Event, WebhookDelivery, WebhookSubscription
from portal.webhooks.urls import target_problem

from .blueprint import actor, bp, json_body, write_endpoint
from .errors import ApiError
from .schemas import check_body

MAX_INT = 2**31 - 1


def subscription_json(sub: WebhookSubscription) -> dict[str, Any]:
    return {"id": sub.id, "url": sub.url, "events": sub.events, "description": sub.description,
            "created_at": iso(sub.created_at)}


def subscription_or_404(subscription_id: int) -> WebhookSubscription:
    """The one place that answers 404 for subscriptions: unknown, another key's, or deleted."""
    sub = db().get(WebhookSubscription, subscription_id) if subscription_id <= MAX_INT else None
    if sub is None or sub.api_key_id != g.api_key.id or sub.disabled_at is not None or sub.bulk_job_id:
        raise ApiError("NOT_FOUND", f"This key has no webhook subscription {subscription_id}.")
    return sub


@bp.post("/webhooks")
@write_endpoint
def create_subscription() -> tuple[dict[str, Any], int]:
    body = json_body()
    check_body("WebhookCreate", body)
    problem = target_problem(body["url"].strip(), settings().webhook_allowed_hosts)
    if problem:
        raise ApiError("VALIDATION", f"This URL cannot receive webhooks: {problem}.",
                       [{"path": "/url", "message": problem}])
    events = [e for e in EVENT_TYPES if e in body["events"]]
    sub = WebhookSubscription(url=body["url"].strip(), events=events, secret=new_secret(),
                              description=(body.get("description") or "").strip() or None,
                              created_by=actor(), api_key_id=g.api_key.id, sandbox=bool(g.api_key.sandbox))
    db().add(sub)
    db().flush()
    audit.record(db(), actor=actor(), action="webhook.created", entity="webhook_subscription", entity_id=sub.id,
                 after={"url": sub.url, "events": events, "api_key": g.api_key.prefix})
    # the secret is shown in this answer only: receivers verify signatures with it
    return {**subscription_json(sub), "secret": sub.secret}, 201


@bp.get("/webhooks")
def list_subscriptions():  # noqa: ANN201
    subs = db().exec(select(WebhookSubscription).where(WebhookSubscription.api_key_id == g.api_key.id,
                                                       WebhookSubscription.bulk_job_id.is_(None),
                                                       WebhookSubscription.disabled_at.is_(None))
                     .order_by(WebhookSubscription.id)).all()
    return jsonify({"items": [subscription_json(s) for s in subs]})


@bp.get("/webhooks/<int:subscription_id>")
def get_subscription(subscription_id: int):  # noqa: ANN201
    return jsonify(subscription_json(subscription_or_404(subscription_id)))


@bp.delete("/webhooks/<int:subscription_id>")
@write_endpoint
def delete_subscription(subscription_id: int) -> tuple[dict[str, Any], int]:
    sub = subscription_or_404(subscription_id)
    sub.disabled_at = utcnow()   # the delivery log stays; nothing more is sent
    db().add(sub)
    audit.record(db(), actor=actor(), action="webhook.disabled", entity="webhook_subscription", entity_id=sub.id)
    return {"id": sub.id, "deleted": True}, 200


@bp.get("/webhooks/<int:subscription_id>/deliveries")
def list_deliveries(subscription_id: int):  # noqa: ANN201
    """Newest first; `before` (next_before of the previous page) pages back."""
    sub = subscription_or_404(subscription_id)
    limit = int(request.args.get("limit", 50))   # limit and before are checked against the document
    query = (select(WebhookDelivery, Event).join(Event, Event.id == WebhookDelivery.event_id)
             .where(WebhookDelivery.subscription_id == sub.id).order_by(WebhookDelivery.id.desc()).limit(limit))
    if "before" in request.args:
        query = query.where(WebhookDelivery.id < min(int(request.args["before"]), MAX_INT))
    rows = db().exec(query).all()
    items = [delivery_json(d, e) for d, e in rows]
    return jsonify({"items": items, "next_before": items[-1]["id"] if len(items) == limit else None})


def delivery_json(delivery: WebhookDelivery, evt: Event) -> dict[str, Any]:
    return {"id": delivery.id, "event_id": evt.id, "event_type": evt.type, "status": delivery.status,
            "attempts": delivery.attempts, "last_status_code": delivery.last_status_code,
            "last_error": delivery.last_error, "last_duration_ms": delivery.last_duration_ms,
            "created_at": iso(delivery.created_at), "delivered_at": iso(delivery.delivered_at),
            "next_attempt_at": iso(delivery.next_attempt_at)}
