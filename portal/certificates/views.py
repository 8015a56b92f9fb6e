"""The quality team's certificate register: dashboard (counts, expiry timeline), filtered list
with export, a certificate with its renewal history; and the supplier flag shown wherever
procurement sees a supplier."""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from portal.i18n import gettext, ngettext
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.documents.models import Document
from portal.exports import tabular_response
from portal.requests.models import Declaration, DeclarationRequest
from portal.suppliers.models import Supplier
from portal.web import db, get_or_404, settings

from . import chart, queries
from . import register as register_module  # registers the approval hook at app start
from . import warnings as _warnings  # noqa: F401  (registers the warnings before submit and approval)
from .checks import check_record
from .models import SCHEME_TITLES, Certificate, CertificateEvent
from .states import STATE_LABELS, label_of, state_of

bp = Blueprint("certificates", __name__, url_prefix="/certificates", static_folder="static",
               static_url_path="/static")
VIEWERS = (Role.quality, Role.procurement, Role.admin)
KEEPERS = (Role.quality, Role.admin)           # may revoke
PAGE_SIZE = 50
FILTERS = ("state", "supplier", "scheme", "window", "expires_from", "expires_to", "flagged", "q", "sort")


def _state(cert: Certificate, today: date) -> tuple[str, str, str]:
    state = state_of(cert, today, settings())
    return (state.value, *label_of(state))


@bp.get("/")
@roles_required(*VIEWERS)
def dashboard():  # noqa: ANN201
    today = date.today()
    counts, flagged = queries.counts_with_findings(db(), today, settings())
    buckets = queries.timeline(db(), today, settings())

    def month_link(bucket: dict[str, Any]) -> str:
        month = bucket["month"]
        end = queries.month_start(month, 1).toordinal() - 1
        return url_for(".index", state="current", expires_from=month.isoformat(),
                       expires_to=date.fromordinal(end).isoformat())

    soonest = db().exec(queries.filtered({"state": "expiring"}, today, settings())[0].limit(10)).all()
    lapsed = db().exec(queries.filtered({"state": "expired", "sort": "-expiry"}, today, settings())[0].limit(10)).all()
    events = db().exec(select(CertificateEvent, Certificate).join(Certificate)
                       .where(CertificateEvent.event_type.in_(("certificate.expiring", "certificate.expired",
                                                               "certificate.superseded", "certificate.revoked")))
                       .order_by(CertificateEvent.id.desc()).limit(10)).all()
    return render_template("certificates/dashboard.html", counts=counts, states=STATE_LABELS, today=today,
                           chart=chart.layout(buckets, month_link), buckets=buckets, soonest=soonest,
                           lapsed=lapsed, events=events, flagged=flagged)


def _args() -> dict[str, str]:
    return {k: request.args[k] for k in FILTERS if request.args.get(k)}


@bp.get("/list")
@roles_required(*VIEWERS)
def index():  # noqa: ANN201
    today, args = date.today(), _args()
    query, problems = queries.filtered(args, today, settings())
    for problem in problems:
        flash(problem, "warn")
    page = max(1, request.args.get("page", 1, type=int))
    total = queries.count(db(), query)
    rows = db().exec(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    supplier = db().get(Supplier, int(args["supplier"])) if args.get("supplier", "").isdigit() else None
    # this page knows its suppliers: flag just those (cheaper than every flagged supplier)
    g.certificate_flags = queries.flagged_suppliers(db(), today, {s.id for _, s in rows} | ({supplier.id} if supplier else set()))
    return render_template("certificates/list.html", rows=rows, total=total, page=page, args=args,
                           pages=max(1, -(-total // PAGE_SIZE)), today=today, supplier=supplier,
                           other_args={k: v for k, v in args.items() if k != "supplier"},
                           schemes=SCHEME_TITLES, states=STATE_LABELS, windows=queries.WINDOWS,
                           state_of=lambda c: _state(c, today))


@bp.get("/export.<fmt>")
@roles_required(*VIEWERS)
def export(fmt: str):  # noqa: ANN201
    today = date.today()
    query, _ = queries.filtered(_args(), today, settings())
    rows = db().exec(query.limit(100_000)).all()
    header = ["id", "supplier", "state", "scheme", "standard", "certificate_number", "holder", "holder_country",
              "issuer", "scope", "issue_date", "expiry_date", "days_left", "superseded_by", "renewal_request",
              "findings", "source_sha256"]
    data = [[c.id, s.name, state_of(c, today, settings()).value, c.scheme, c.standard or "", c.certificate_number,
             c.holder_name or "", c.holder_country_code or "", c.issuer_name or "", c.scope or "",
             c.issue_date.isoformat() if c.issue_date else "", c.expiry_date.isoformat(), (c.expiry_date - today).days,
             c.superseded_by_id or "", c.renewal_request_id or "",
             "; ".join(f["message"] for f in c.findings or []), c.source_sha256 or ""]
            for c, s in rows]
    return tabular_response(fmt, f"certificates-{today.isoformat()}", header, data)


@bp.get("/<int:certificate_id>")
@roles_required(*VIEWERS)
def detail(certificate_id: int):  # noqa: ANN201
    cert = get_or_404(Certificate, certificate_id)
    today = date.today()
    history = queries.line_history(db(), cert)
    events = db().exec(select(CertificateEvent).where(CertificateEvent.certificate_id.in_([c.id for c in history]))
                       .order_by(CertificateEvent.id.desc()).limit(200)).all()
    reminders = [e for e in events if e.event_type == "certificate.reminder_sent" and e.certificate_id == cert.id]
    events = [e for e in events if e.event_type != "certificate.reminder_sent"]
    renewal = db().get(DeclarationRequest, cert.renewal_request_id) if cert.renewal_request_id else None
    return render_template("certificates/detail.html", cert=cert, state=_state(cert, today), today=today,
                           supplier=db().get(Supplier, cert.supplier_id), history=history, events=events,
                           reminders=reminders, renewal=renewal,
                           document=db().get(Document, cert.document_id) if cert.document_id else None,
                           declaration=db().get(Declaration, cert.declaration_id) if cert.declaration_id else None,
                           state_of=lambda c: _state(c, today),
                           can_review=current_user.role in (Role.procurement.value, Role.admin.value),
                           can_revoke=current_user.role in {r.value for r in KEEPERS})


@bp.post("/<int:certificate_id>/revoke")
@roles_required(*KEEPERS)
def revoke(certificate_id: int):  # noqa: ANN201
    cert = get_or_404(Certificate, certificate_id)
    try:
        register_module.revoke(db(), cert, current_user, request.form.get("reason", ""))
        db().commit()
        flash(gettext("Revoked. The certificate stays in the register as revoked."), "success")
    except register_module.RegisterError as exc:
        db().rollback()
        flash(str(exc), "error")
    return redirect(url_for(".detail", certificate_id=cert.id), code=303)


# --- for templates of other areas -------------------------------------------------------------

def supplier_flags(supplier_id: int) -> Optional[str]:
    """"Expired certificate" for a supplier with a lapsed current certificate, else None. One
    query per page, whatever the number of suppliers shown."""
    if "certificate_flags" not in g:
        g.certificate_flags = queries.flagged_suppliers(db(), date.today())
    return g.certificate_flags.get(supplier_id)


def certificate_checks(decl: Declaration) -> list[dict[str, str]]:
    """The register's checks on a certificate declaration, for the review screen."""
    if decl.document_type != "certificate" or not decl.record:
        return []
    supplier = db().get(Supplier, decl.supplier_id)
    return check_record(db(), decl.record, supplier, exclude_declaration_id=decl.id)


@bp.app_context_processor
def template_helpers() -> dict[str, Any]:
    return {"supplier_flags": supplier_flags, "certificate_checks": certificate_checks}


@bp.cli.command("demo")
def demo_command() -> None:
    """Demo certificates for the demo suppliers (`flask --app wsgi certificates demo`)."""
    from portal.db import session_scope

    from .demo import seed_demo_certificates
    with session_scope(settings().database_url) as session:
        added = seed_demo_certificates(session)
        print(ngettext("%(num)d demo certificate added.", "%(num)d demo certificates added.", added))
