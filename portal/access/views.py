"""The access request form (public, under the passport page) and the admins' page that decides."""

from __future__ import annotations

from typing import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from portal.clients.models import ApiKey
from portal.auth.models import Role
from portal.auth.views import client_address, roles_required
from portal.mail.notify import enqueue_delivery
from portal.passports import store
from portal.i18n import N_, gettext
from portal.requests.labels import enum_label
from portal.resolver.digital_link import DigitalLinkError, parse
from portal.passports.lookup import resolve
from portal.web import db, get_or_404, settings

from . import grants
from .models import ROLES, AccessRequest

bp = Blueprint("access", __name__)


def _published(rest: str):  # noqa: ANN202
    """The published passport of a Digital Link path (with its data), None for a bad or unknown link."""
    try:
        dl = parse(rest)
    except DigitalLinkError:
        return None
    found = resolve(db(), dl.canonical_gtin, dl.lot, dl.serial)
    return found


def _form_page(rest: str, values: dict, problems: dict, status: int = 200):  # noqa: ANN202
    found = _published(rest)
    if found is None:
        return render_template("error.html", title=gettext("Not found"), message=gettext("No published passport for this link.")), 404
    passport, data, _revision = found
    title = (data.get("product") or {}).get("name") or f"GTIN {passport.gtin}"
    return render_template("access/request_form.html", title=gettext("Request access: %(product)s", product=title), product=title, rest=rest,
                           link=store.digital_link(settings().public_url, passport), values=values, problems=problems,
                           roles=[(r, enum_label(r)) for r in ROLES]), status


@bp.get("/passport/access/01/<path:rest>")
def request_form(rest: str):  # noqa: ANN201
    return _form_page(rest, {}, {})


@bp.post("/passport/access/01/<path:rest>")
def submit_request(rest: str):  # noqa: ANN201
    found = _published(rest)
    if found is None:
        return _form_page(rest, {}, {})
    values, problems = grants.check_form(request.form)
    if problems:
        return _form_page(rest, values, problems.fields, 400)
    if grants.too_many(db(), client_address()):
        return render_template("error.html", title=gettext("Too many requests"),
                               message=gettext("We received %(n)d access requests from your network in the last hour; "
                                               "this one was not stored. Please try again in an hour.",
                                               n=grants.REQUESTS_PER_HOUR)), 429
    passport = found[0]
    link = store.digital_link(settings().public_url, passport)
    _request, new = grants.submit(db(), passport, link, values, client_address())
    db().commit()
    return render_template("access/request_sent.html", title=gettext("Request received"), new=new, link=link,
                           email=values["email"])


@bp.get("/admin/access-requests")
@roles_required(Role.admin)
def admin_list():  # noqa: ANN201
    rows = db().exec(select(AccessRequest, ApiKey).outerjoin(ApiKey, ApiKey.id == AccessRequest.api_key_id)
                     .order_by(AccessRequest.status != "pending", AccessRequest.created_at.desc()).limit(500)).all()
    items = [(r, grants.grant_state(r, k), enum_label(r.role)) for r, k in rows]
    return render_template("access/admin.html", title=gettext("Access requests"), items=items,
                           default_days=settings().access_grant_days, max_days=grants.MAX_GRANT_DAYS)


@bp.post("/admin/access-requests/<int:request_id>/approve")
@roles_required(Role.admin)
def approve(request_id: int):  # noqa: ANN201
    text = request.form.get("days", "").strip()
    days = int(text) if text.isdigit() and len(text) < 5 else 0

    def decide(access_request: AccessRequest) -> str:
        grants.approve(db(), access_request, days, current_user.email, current_user.id)
        return gettext("Approved: %(organisation)s can read restricted passport data for %(days)d days. "
                       "The API key goes to %(email)s by e-mail; it is shown nowhere else.",
                       organisation=access_request.organisation, days=days, email=access_request.email)
    return _decide(request_id, N_("Not approved: %(problem)s."), decide)


@bp.post("/admin/access-requests/<int:request_id>/reject")
@roles_required(Role.admin)
def reject(request_id: int):  # noqa: ANN201
    reason = request.form.get("reason", "").strip()

    def decide(access_request: AccessRequest) -> str:
        grants.reject(db(), access_request, reason, current_user.email, current_user.id)
        return gettext("Declined; %(email)s is told why.", email=access_request.email)
    return _decide(request_id, N_("Not declined: %(problem)s."), decide)


def _decide(request_id: int, refused: str, decide: Callable[[AccessRequest], str]):  # noqa: ANN202
    """One decision, committed with its audit entry and e-mail; a refusal says why and changes nothing."""
    access_request = get_or_404(AccessRequest, request_id)
    try:
        message = decide(access_request)
    except ValueError as problem:
        db().rollback()
        flash(gettext(refused, problem=problem), "error")
    else:
        db().commit()
        enqueue_delivery(settings())   # the e-mail (and, for a grant, its key) leaves with the worker
        flash(message, "success")
    return redirect(url_for(".admin_list"), code=303)
