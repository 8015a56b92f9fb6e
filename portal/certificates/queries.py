"""Read-side of the register: counts per state, the expiry timeline, filtered lists, the
suppliers to flag. Each is one query, sized for 100,000 certificates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Optional

from sqlalchemy import Select, or_
from sqlmodel import Session, func, select

from portal.i18n import gettext, ngettext
from portal.requests.hooks import StartPagePanel, on_supplier_start_page
from portal.settings import Settings
from portal.suppliers.models import Supplier

from .checks import number_key
from .models import SCHEME_TITLES, Certificate
from .states import State, current, state_case, state_condition, state_of, window_days

WINDOWS = (30, 60, 90, 180, 365)      # "expires within N days" choices
SORTS = {"expiry": (Certificate.expiry_date, False), "-expiry": (Certificate.expiry_date, True),
         "supplier": (Supplier.name, False), "scheme": (Certificate.scheme, False),
         "-registered": (Certificate.id, True)}


@dataclass(frozen=True)
class ExpiringCertificate:
    label: str
    expiry_date: date
    state: str


def expiring_for_supplier(session: Session, supplier_id: int, today: Optional[date] = None,
                          settings: Optional[Settings] = None) -> list[ExpiringCertificate]:
    """The supplier's current certificates that are expiring or expired (their dashboard)."""
    from portal.settings import load_settings
    settings, today = settings or load_settings(), today or date.today()
    horizon = today + timedelta(days=max(settings.cert_expiring_days, *dict(settings.cert_expiring_windows).values(), 0))
    rows = session.exec(select(Certificate).where(Certificate.supplier_id == supplier_id, current(),
                                                  Certificate.expiry_date <= horizon)
                        .order_by(Certificate.expiry_date).limit(50)).all()
    out = []
    for cert in rows:
        state = state_of(cert, today, settings)
        if state in (State.expiring, State.expired):
            label = gettext("%(certificate)s (expired)", certificate=cert.label) if state is State.expired else cert.label
            out.append(ExpiringCertificate(label, cert.expiry_date, state.value))
    return out



def start_page_panel(session: Session, supplier_id: int) -> Optional[StartPagePanel]:
    """Certificates expiring soon, on the supplier's start page."""
    expiring = expiring_for_supplier(session, supplier_id)
    if not expiring:
        return None
    return StartPagePanel(gettext("Certificates expiring soon"),
                          [gettext("%(certificate)s — expires %(date)s", certificate=c.label, date=c.expiry_date.isoformat())
                           for c in expiring])


on_supplier_start_page(start_page_panel)

def counts_with_findings(session: Session, today: date, settings: Settings) -> tuple[dict[str, int], int]:
    """({state: count}, current certificates with findings), in one pass over the table."""
    column = state_case(today, settings).label("state")
    rows = session.exec(select(column, func.count(), func.count(Certificate.findings))
                        .select_from(Certificate).group_by(column)).all()
    counts = {s.value: 0 for s in State}
    counts.update({state: n for state, n, _ in rows})
    current_states = (State.valid.value, State.expiring.value, State.expired.value)
    return counts, sum(flagged for state, _, flagged in rows if state in current_states)


def counts_by_state(session: Session, today: date, settings: Settings) -> dict[str, int]:
    return counts_with_findings(session, today, settings)[0]


def month_start(day: date, months_ahead: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return date(index // 12, index % 12 + 1, 1)


def timeline(session: Session, today: date, settings: Settings, months: int = 12) -> list[dict[str, Any]]:
    """Current certificates expiring in each month from this one on: [{month, expired, expiring,
    valid}]. Grouped by day and scheme in SQL (a few thousand rows at most), by month here."""
    first, end = month_start(today), month_start(today, months)
    buckets = [{"month": month_start(today, i), "expired": 0, "expiring": 0, "valid": 0} for i in range(months)]
    rows = session.exec(select(Certificate.expiry_date, Certificate.scheme, func.count())
                        .where(current(), Certificate.expiry_date >= first, Certificate.expiry_date < end)
                        .group_by(Certificate.expiry_date, Certificate.scheme)).all()
    for expiry, scheme, n in rows:
        index = (expiry.year - first.year) * 12 + expiry.month - first.month
        if expiry < today:
            buckets[index]["expired"] += n
        elif expiry <= today + timedelta(days=window_days(scheme, settings)):
            buckets[index]["expiring"] += n
        else:
            buckets[index]["valid"] += n
    return buckets


def _date_arg(args: Mapping[str, str], name: str, problems: list[str]) -> Optional[date]:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(gettext("“%(value)s” is not a date (YYYY-MM-DD); that filter is ignored.", value=value))
        return None


def filtered(args: Mapping[str, str], today: date, settings: Settings) -> tuple[Select, list[str]]:
    """The list query for the filters in `args` (shared by the page and the export), and the
    problems with those filters, said to the user."""
    problems: list[str] = []
    query = select(Certificate, Supplier).join(Supplier, Supplier.id == Certificate.supplier_id)
    state = args.get("state") or ""
    if state == "current":
        query = query.where(current())
    elif state in State.__members__:
        query = query.where(state_condition(state, today, settings))
    supplier_id = args.get("supplier") or ""
    if supplier_id.isdigit():
        query = query.where(Certificate.supplier_id == int(supplier_id))
    if args.get("scheme") in SCHEME_TITLES:
        query = query.where(Certificate.scheme == args["scheme"])
    window = args.get("window") or ""
    if window.isdigit():
        query = query.where(Certificate.expiry_date >= today, Certificate.expiry_date <= today + timedelta(days=int(window)))
    since, until = _date_arg(args, "expires_from", problems), _date_arg(args, "expires_to", problems)
    if since:
        query = query.where(Certificate.expiry_date >= since)
    if until:
        query = query.where(Certificate.expiry_date <= until)
    if args.get("flagged") == "1":
        query = query.where(Certificate.findings.is_not(None))
    text = (args.get("q") or "").strip()[:100]
    if text:
        # Matching ids first: otherwise SQLite walks the whole expiry index in order, fetching
        # every row to test it (160 ms at 100,000 certificates instead of 25 ms).
        like, key = f"%{text}%", number_key(text)
        matches = [Certificate.supplier_id.in_(select(Supplier.id).where(Supplier.name.ilike(like))),
                   Certificate.holder_name.ilike(like)]
        if key:
            matches.append(Certificate.number_key.contains(key))
        query = query.where(Certificate.id.in_(select(Certificate.id).where(or_(*matches))))
    column, descending = SORTS.get(args.get("sort") or "expiry", SORTS["expiry"])
    # the tie-breaker runs the same way, so that an index on the column serves the whole order
    query = query.order_by(*((column.desc(), Certificate.id.desc()) if descending else (column, Certificate.id)))
    return query, problems


def count(session: Session, query: Select) -> int:
    return session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()


def flagged_suppliers(session: Session, today: date, supplier_ids: Optional[Iterable[int]] = None) -> dict[int, str]:
    """{supplier_id: flag text} for suppliers with a current certificate past its expiry date;
    among `supplier_ids` only, when a page knows which suppliers it shows."""
    query = select(Certificate.supplier_id, func.count()).where(current(), Certificate.expiry_date < today)
    if supplier_ids is not None:
        query = query.where(Certificate.supplier_id.in_(set(supplier_ids)))
    rows = session.exec(query.group_by(Certificate.supplier_id)).all()
    return {sid: ngettext("Expired certificate", "%(num)d expired certificates", n) for sid, n in rows}


def line_history(session: Session, cert: Certificate) -> list[Certificate]:
    """Every certificate of this supplier and scheme, newest expiry first: the renewal history."""
    query = select(Certificate).where(Certificate.supplier_id == cert.supplier_id, Certificate.scheme == cert.scheme)
    rows = session.exec(query.order_by(Certificate.expiry_date.desc(), Certificate.id.desc()).limit(200)).all()
    if cert.scheme == "other":
        rows = [r for r in rows if (r.standard or "").lower() == (cert.standard or "").lower()]
    return rows
