"""Webhook subscriptions, the events that happened, and one delivery per (event, subscription)."""

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow

# the DPP-Tool events (passport.*, qr.ready, compliance.alert), then ours
EVENT_TYPES = ("passport.created", "passport.updated", "passport.status_changed", "passport.published", "qr.ready",
               "compliance.alert", "passport.lifecycle_event", "declaration.approved", "batch.completed",
               "certificate.expiring", "certificate.expired")


class WebhookSubscription(SQLModel, table=True):
    __tablename__ = "webhook_subscription"

    id: Optional[int] = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    events: Any = Field(sa_column=Column(JSON, nullable=False))       # list of event types
    secret: str = Field(max_length=100)    # kept in clear: it signs every delivery (HMAC-SHA256)
    description: Optional[str] = Field(default=None, max_length=200)
    created_by: str = Field(max_length=254)
    created_at: datetime = Field(default_factory=utcnow)
    disabled_at: Optional[datetime] = None
    # set when made through /api/v1/webhooks: that key alone sees and deletes it
    api_key_id: Optional[int] = Field(default=None, foreign_key="api_key.id", index=True)
    # a sandbox key's subscription hears only sandbox events, a live one only live events
    sandbox: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # made for one bulk job's `webhook_url`: hears only that job's batch.completed, listed nowhere
    bulk_job_id: Optional[str] = Field(default=None, max_length=32, index=True)


class Event(SQLModel, table=True):
    __tablename__ = "event"

    id: Optional[int] = Field(default=None, primary_key=True)
    type: str = Field(max_length=60, index=True)
    payload: Any = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class WebhookDelivery(SQLModel, table=True):
    """The delivery log: one row per event and subscription, updated after every attempt."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("event_id", "subscription_id"),
                      Index("ix_webhook_delivery_status_next", "status", "next_attempt_at"))

    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    subscription_id: int = Field(foreign_key="webhook_subscription.id", index=True)
    status: str = Field(default="pending", max_length=20)   # pending | retrying | delivered | failed
    attempts: int = 0
    next_attempt_at: Optional[datetime] = None
    last_status_code: Optional[int] = None
    last_error: Optional[str] = Field(default=None, max_length=500)
    last_duration_ms: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)
    delivered_at: Optional[datetime] = None
