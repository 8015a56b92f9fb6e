"""Procurement: supplier companies, their contacts, invitations and bulk import."""

from __future__ import annotations

from typing import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import func, select

from portal.auth.models import Role, User
from portal.auth.views import roles_required
from portal.i18n import gettext
from portal.mail.notify import enqueue_delivery
from portal.streams import TooLarge, read_limited
from portal.web import db, get_or_404, settings

from . import service
from .models import Supplier
from .sections import supplier_sections

bp = Blueprint("suppliers", __name__, url_prefix="/suppliers")
STAFF = (Role.procurement, Role.admin)
PAGE_SIZE = 50
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@bp.get("/")
@roles_required(*STAFF)
def index():  # noqa: ANN201
    q = request.args.get("q", "").strip()
    page = max(1, request.args.get("page", 1, type=int))
    query = select(Supplier)
    if q:
        query = query.where(Supplier.name.ilike(f"%{q}%"))
    total = db().exec(select(func.count()).select_from(query.subquery())).one()
    suppliers = db().exec(query.order_by(Supplier.name).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return render_template("suppliers/index.html", suppliers=suppliers, q=q, page=page, total=total,
                           pages=max(1, -(-total // PAGE_SIZE)))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():  # noqa: ANN201
    if request.method == "POST":
        try:
            supplier = service.save_supplier(db(), current_user, request.form.get("name", ""),
                                             request.form.get("country", ""))
            db().commit()
            flash(gettext("Added %(supplier)s.", supplier=supplier.name), "success")
            return redirect(url_for(".detail", supplier_id=supplier.id), code=303)
        except service.SupplierError as exc:
            db().rollback()
            flash(gettext("Not saved: %(reason)s.", reason=exc), "error")
    return render_template("suppliers/edit.html", supplier=None, form=request.form)


@bp.route("/<int:supplier_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def detail(supplier_id: int):  # noqa: ANN201
    supplier = get_or_404(Supplier, supplier_id)
    if request.method == "POST":
        try:
            service.save_supplier(db(), current_user, request.form.get("name", ""), request.form.get("country", ""),
                                  supplier)
            db().commit()
            flash(gettext("Saved."), "success")
            return redirect(url_for(".detail", supplier_id=supplier.id), code=303)
        except service.SupplierError as exc:
            db().rollback()
            flash(gettext("Not saved: %(reason)s.", reason=exc), "error")
    contacts = db().exec(select(User).where(User.supplier_id == supplier.id).order_by(User.email)).all()
    return render_template("suppliers/edit.html", supplier=supplier, contacts=contacts,
                           sections=supplier_sections(db(), supplier), form=request.form)


@bp.post("/<int:supplier_id>/contacts")
@roles_required(*STAFF)
def invite(supplier_id: int):  # noqa: ANN201
    supplier = get_or_404(Supplier, supplier_id)
    try:
        user = service.invite_contact(db(), settings(), current_user, supplier, request.form.get("email", ""))
        db().commit()
        enqueue_delivery(settings())
        flash(gettext("Invitation sent to %(email)s.", email=user.email), "success")
    except service.SupplierError as exc:
        db().rollback()
        flash(gettext("Not invited: %(reason)s.", reason=exc), "error")
    return redirect(url_for(".detail", supplier_id=supplier.id), code=303)


@bp.post("/<int:supplier_id>/contacts/<int:user_id>/active")
@roles_required(*STAFF)
def set_contact_active(supplier_id: int, user_id: int):  # noqa: ANN201
    """Switch a contact's access off (someone left the company) or on again."""
    supplier = get_or_404(Supplier, supplier_id)
    contact = get_or_404(User, user_id)
    if contact.supplier_id != supplier.id:
        abort(404)
    active = request.form.get("active") == "1"
    service.set_contact_active(db(), current_user, contact, active)
    db().commit()
    flash(gettext("%(email)s can log in again.", email=contact.email) if active
          else gettext("%(email)s can no longer log in.", email=contact.email), "success")
    return redirect(url_for(".detail", supplier_id=supplier.id), code=303)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def bulk_import():  # noqa: ANN201
    results = run_import(lambda content: service.import_suppliers(db(), settings(), current_user, content),
                         service.SupplierError)
    if results is not None:
        enqueue_delivery(settings())
    return render_template("suppliers/import.html", results=results)


def run_import(importer: Callable[[bytes], list], error: type[Exception]) -> list | None:
    """A posted CSV/XLSX file through `importer` (row-by-row results), committed; None when nothing
    was posted or the file as a whole was refused (the reason is flashed)."""
    if request.method != "POST":
        return None
    file = request.files.get("file")
    try:
        if file is None or not file.filename:
            raise error(gettext("Choose a CSV or Excel file."))
        content, _ = read_limited(file.stream, MAX_IMPORT_BYTES)
        results = importer(content)
        db().commit()
        return results
    except TooLarge:
        flash(gettext("The file is larger than %(mb)d MB.", mb=MAX_IMPORT_BYTES // (1024 * 1024)), "error")
    except error as exc:
        db().rollback()
        flash(str(exc), "error")
    return None
