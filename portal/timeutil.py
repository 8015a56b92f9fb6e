import re
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Aware UTC; SQLModel's UTCDateTime columns store and return UTC on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc)


def iso(value: datetime | None) -> str | None:
    """RFC 3339 with a Z, for JSON."""
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def as_utc(value: datetime) -> datetime:
    """Aware UTC; SQLite hands stored times back without their zone (they were stored as UTC)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


TIME_FORMAT = "%Y-%m-%d %H:%M"  # the portal's times: to the minute, in UTC (columns say "(UTC)")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def minute(value: datetime | str | None) -> str:
    """A time as the portal shows it: "2026-12-02 02:45" (UTC); an ISO text from a stored answer too."""
    if isinstance(value, str):
        if not _ISO_TIME.match(value):
            return value
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value is None:
        return "—"
    return as_utc(value).strftime(TIME_FORMAT)
