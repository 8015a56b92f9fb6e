"""What each event type's `data` holds, as JSON Schemas (data/payloads.json): the OpenAPI
document's `webhooks` object is built from them, and the tests check real events against them."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .models import EVENT_TYPES

_FILE = Path(__file__).parent / "data" / "payloads.json"
COMPONENTS_KEY = "$components"   # shared schemas, referenced as #/components/schemas/<name>


@lru_cache(maxsize=1)
def payload_schemas() -> dict[str, Any]:
    """{event type: {"label", "summary", "data": JSON Schema}, "$components": {...}}; every type described."""
    described = json.loads(_FILE.read_text(encoding="utf-8"))
    missing = set(EVENT_TYPES) - set(described)
    if missing:
        raise RuntimeError(f"{_FILE} does not describe the webhook event types {sorted(missing)}")
    return described


def event_labels() -> dict[str, str]:
    """{event type: its name in words}, for the admin pages."""
    return {event_type: payload_schemas()[event_type]["label"] for event_type in EVENT_TYPES}


def envelope_schema(event_type: str) -> dict[str, Any]:
    """The body of a delivery of `event_type` (see delivery.body_of)."""
    return {"type": "object", "required": ["id", "type", "created_at", "data"], "properties": {
        "id": {"type": "integer", "description": "The event's id (the same in every delivery of this event)"},
        "type": {"const": event_type},
        "created_at": {"type": "string", "format": "date-time"},
        "data": payload_schemas()[event_type]["data"]}}
