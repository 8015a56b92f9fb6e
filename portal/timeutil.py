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
