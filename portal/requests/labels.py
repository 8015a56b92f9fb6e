"""Stable status codes -> words people understand, with a tone for the badge colour."""

from __future__ import annotations

from datetime import date

DECLARATION_LABELS = {
    "draft": ("Draft — not submitted", "pending"),
    "submitted": ("Submitted, waiting for review", "pending"),
    "in_review": ("In review", "pending"),
    "approved": ("Approved", "ok"),
    "changes_requested": ("Changes requested", "warn"),
}
REQUEST_LABELS = {
    "open": ("Open", "pending"),
    "submitted": ("Submitted", "pending"),
    "in_review": ("In review", "pending"),
    "approved": ("Approved", "ok"),
    "changes_requested": ("Changes requested", "warn"),
    "cancelled": ("Cancelled", "muted"),
    "overdue": ("Overdue", "error"),
}
ANSWERED = {"submitted", "in_review", "approved", "cancelled"}


def is_overdue(status: str, due: date, today: date | None = None) -> bool:
    """Overdue is derived, never stored: past the due date and not answered."""
    return status not in ANSWERED and due < (today or date.today())


def declaration_label(status: str) -> tuple[str, str]:
    return DECLARATION_LABELS.get(status, (status, "pending"))


def request_label(status: str, due: date, today: date | None = None) -> tuple[str, str]:
    if is_overdue(status, due, today):
        return REQUEST_LABELS["overdue"]
    return REQUEST_LABELS.get(status, (status, "pending"))
