"""A certificate's state, computed from a given day — in Python for one row, in SQL for lists and
counts. Both derive from the same rules, so the dashboard and the daily job never disagree.

A certificate is valid through its expiry date; it is expired from the day after.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from sqlalchemy import and_, case, false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from portal.i18n import N_, gettext
from portal.settings import Settings

from .models import Certificate


class State(str, Enum):
    valid = "valid"
    expiring = "expiring"
    expired = "expired"
    superseded = "superseded"
    revoked = "revoked"


STATE_LABELS = {  # words and badge tone
    State.valid: (N_("Valid"), "ok"), State.expiring: (N_("Expiring soon"), "warn"),
    State.expired: (N_("Expired"), "error"), State.superseded: (N_("Superseded"), "muted"),
    State.revoked: (N_("Revoked"), "error"),
}


def window_days(scheme: str, settings: Settings) -> int:
    return dict(settings.cert_expiring_windows).get(scheme, settings.cert_expiring_days)


def longest_window(settings: Settings) -> int:
    return max([settings.cert_expiring_days, *dict(settings.cert_expiring_windows).values()])


def state_of(cert: Certificate, today: date, settings: Settings) -> State:
    if cert.revoked_at is not None:
        return State.revoked
    if cert.superseded_by_id is not None:
        return State.superseded
    if cert.expiry_date < today:
        return State.expired
    if cert.expiry_date <= today + timedelta(days=window_days(cert.scheme, settings)):
        return State.expiring
    return State.valid


def label_of(state: State) -> tuple[str, str]:
    """(words in the page's language, badge tone)."""
    words, tone = STATE_LABELS[state]
    return gettext(words), tone


# --- the same rules in SQL ---------------------------------------------------------------------

def current() -> ColumnElement[bool]:
    return and_(Certificate.superseded_by_id.is_(None), Certificate.revoked_at.is_(None))


def _within_window(today: date, settings: Settings) -> ColumnElement[bool]:
    """expiry_date <= today + the scheme's window. The plain bound on the longest window comes
    first so that the database can use the expiry_date index."""
    windows = dict(settings.cert_expiring_windows)
    default_end = today + timedelta(days=settings.cert_expiring_days)
    per_scheme = [and_(Certificate.scheme == scheme, Certificate.expiry_date <= today + timedelta(days=days))
                  for scheme, days in windows.items()]
    others = and_(Certificate.scheme.not_in(list(windows)) if windows else true(),
                  Certificate.expiry_date <= default_end)
    return and_(Certificate.expiry_date <= today + timedelta(days=longest_window(settings)),
                or_(others, *per_scheme))


def state_condition(state: State | str, today: date, settings: Settings) -> ColumnElement[bool]:
    state = State(state)
    if state is State.revoked:
        return Certificate.revoked_at.is_not(None)
    if state is State.superseded:
        return and_(Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_not(None))
    if state is State.expired:
        return and_(current(), Certificate.expiry_date < today)
    if state is State.expiring:
        return and_(current(), Certificate.expiry_date >= today, _within_window(today, settings))
    if state is State.valid:
        return and_(current(), Certificate.expiry_date >= today, ~_within_window(today, settings))
    return false()


def state_case(today: date, settings: Settings) -> ColumnElement[str]:
    """The state as one SQL expression, for counting all states in one query."""
    return case(
        (Certificate.revoked_at.is_not(None), State.revoked.value),
        (Certificate.superseded_by_id.is_not(None), State.superseded.value),
        (Certificate.expiry_date < today, State.expired.value),
        (_within_window(today, settings), State.expiring.value),
        else_=State.valid.value)


# --- reminders ---------------------------------------------------------------------------------

def reminder_key(expiry: date, today: date, settings: Settings) -> str | None:
    """Which reminder is due today: the latest offset crossed ("before-30"), the expiry notice
    ("expired"), then one every repeat period ("after-2"), until the stop day. Catching up after a
    missed day sends only the latest reminder, never the ones skipped."""
    days_left = (expiry - today).days
    if days_left >= 0:
        crossed = [offset for offset in settings.cert_reminder_offsets if days_left <= offset]
        return f"before-{min(crossed)}" if crossed else None
    days_over = -days_left
    if days_over > settings.cert_reminder_stop_days:
        return None
    period = days_over // settings.cert_reminder_repeat_days
    return "expired" if period == 0 else f"after-{period}"


def first_reminder_horizon(settings: Settings) -> int:
    """How many days before expiry the register starts caring: the first reminder, or the
    expiring window when that is longer."""
    return max([longest_window(settings), *settings.cert_reminder_offsets])
