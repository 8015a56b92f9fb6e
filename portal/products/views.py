"""Procurement's Products page: the catalogue, each product's suppliers, requests, contributions and
passport, CSV/XLSX import, and linking a reviewed declaration to products."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import func, or_, select

from portal.i18n import gettext, ngettext
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.exports import tabular_response
from portal.passports import contributions, serials, store
from portal.passports.errors import StoreError
from portal.passports.models import Contribution
from portal.resolver.carriers import codes_zip
from portal.requests.models import Declaration
from portal.suppliers.views import run_import
from portal.web import db, get_or_404, settings

from . import linking, minerals, service
from .models import Product

bp = Blueprint("products", __name__, url_prefix="/products")
STAFF = (Role.procurement, Role.admin)
PAGE_SIZE = 50
DATALIST_SIZE = 500


@bp.app_template_global()
def catalogue_choices() -> list[Product]:
    """Products offered by the review screen's "link to products" control (typed ahead)."""
    return list(db().exec(select(Product).order_by(Product.name).limit(DATALIST_SIZE)).all())


@bp.get("/")
@roles_required(*STAFF)
def index():  # noqa: ANN201
    q = request.args.get("q", "").strip()[:100]
    page = max(1, request.args.get("page", 1, type=int))
    query = select(Product)
    if q:
        like = f"%{q}%"
        query = query.where(or_(Product.name.ilike(like), Product.part_number.ilike(like), Product.gtin.ilike(like)))
    total = db().exec(select(func.count()).select_from(query.subquery())).one()
    products = db().exec(query.order_by(Product.name).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    passports = {p.id: service.passport_for(db(), p) for p in products}
    return render_template("products/index.html", products=products, passports=passports, q=q, page=page,
                           total=total, pages=max(1, -(-total // PAGE_SIZE)), labels=service.labels())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():  # noqa: ANN201
    return _edit(None)


@bp.route("/<int:product_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(product_id: int):  # noqa: ANN201
    return _edit(get_or_404(Product, product_id))


def _edit(product: Product | None):  # noqa: ANN202
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            product = service.save_product(db(), current_user, form.get("name", ""), form.get("gtin", ""),
                                           form.get("part_number", ""), product)
            db().commit()
            flash(gettext("Saved %(product)s.", product=product.name), "success")
            return redirect(url_for(".detail", product_id=product.id), code=303)
        except service.ProductError as exc:
            db().rollback()
            flash(gettext("Not saved: %(reason)s.", reason=exc), "error")
    return render_template("products/edit.html", product=product, form=form)


@bp.get("/<int:product_id>")
@roles_required(*STAFF)
def detail(product_id: int):  # noqa: ANN201
    product = get_or_404(Product, product_id)
    view = service.overview(db(), product)
    public_url = store.digital_link(settings().public_url, view.passport) if view.passport else None
    revision = store.current_revision(db(), view.passport) if view.passport else None
    rows = service.provenance_rows(revision.data, revision.owners or {}) if revision else []
    rollup = product_rollup(view) if view.passport else None
    return render_template("products/detail.html", view=view, product=product, public_url=public_url, rows=rows,
                           rollup=rollup, exports={fmt: url_for(".export_product_minerals", product_id=product.id, fmt=fmt)
                                                   for fmt in ("csv", "xlsx")},
                           labels=service.labels())


@bp.post("/<int:product_id>/passport")
@roles_required(*STAFF)
def create_passport(product_id: int):  # noqa: ANN201
    """A draft passport for a catalogue product, with the approved declarations that name it."""
    product = get_or_404(Product, product_id)
    if not product.gtin:
        flash(gettext("A passport needs the product's GTIN: add it first."), "error")
    elif service.passport_for(db(), product) is not None:
        flash(gettext("This product has a passport already."), "info")
    else:
        body = {"gtin": product.gtin, "data": {"product": {
            "name": product.name, **({"part_number": product.part_number} if product.part_number else {})}}}
        try:
            passport, _revision = store.create(db(), body, store.Change(current_user.email, "portal"),
                                               settings().public_url)
            db().commit()
        except StoreError as exc:
            db().rollback()
            flash(gettext("No passport created: %(reason)s", reason=exc.message), "error")
            return redirect(url_for(".detail", product_id=product.id), code=303)
        try:
            picked = contributions.pick_up(db(), passport, current_user.email)
            db().commit()
            flash(ngettext("Created a draft passport with %(num)d approved declaration.",
                           "Created a draft passport with %(num)d approved declarations.", len(picked)), "success")
        except StoreError as exc:   # the passport stands; what did not fit is named here
            db().rollback()
            flash(gettext("Created a draft passport, but the approved declarations could not be added: %(reason)s",
                          reason=exc.message), "error")
    return redirect(url_for(".detail", product_id=product.id), code=303)


@bp.post("/<int:product_id>/contributions/<int:contribution_id>/withdraw")
@roles_required(*STAFF)
def withdraw(product_id: int, contribution_id: int):  # noqa: ANN201
    product = get_or_404(Product, product_id)
    passport = service.passport_for(db(), product)
    contribution = db().get(Contribution, contribution_id)
    if passport is None or contribution is None or contribution.passport_id != passport.id:
        return render_template("error.html", code=404, message=gettext("No such contribution.")), 404
    reason = " ".join(request.form.get("reason", "").split())
    if len(reason) < 3:
        flash(gettext("Say why the contribution is withdrawn (it is kept with the passport's history)."), "error")
    elif contribution.status != "current":
        flash(gettext("That contribution is no longer part of the passport."), "info")
    else:
        try:
            contributions.withdraw(db(), contribution, reason, current_user.email)
            db().commit()
            flash(gettext("Withdrawn: the passport has a new revision without it."), "success")
        except StoreError as exc:
            db().rollback()
            flash(gettext("Not withdrawn: %(reason)s", reason=exc.message), "error")
    return redirect(url_for(".detail", product_id=product.id), code=303)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def bulk_import():  # noqa: ANN201
    results = run_import(lambda content: service.import_products(db(), current_user, content), service.ProductError)
    return render_template("products/import.html", results=results)


@bp.post("/link/<int:declaration_id>")
@roles_required(*STAFF)
def link_declaration(declaration_id: int):  # noqa: ANN201
    """The review screen's "link to products": the declaration names these products from now on."""
    decl = get_or_404(Declaration, declaration_id)
    try:
        outcome = linking.link_products(db(), decl, request.form.get("products", ""), current_user)
        db().commit()
        flash(outcome, "success")
    except (linking.LinkError, StoreError) as exc:
        db().rollback()
        flash(gettext("Not linked: %(reason)s", reason=getattr(exc, "message", exc)), "error")
    return redirect(url_for("review.detail", declaration_id=decl.id), code=303)



@bp.get("/minerals.<fmt>")
@roles_required(*STAFF)
def export_company_minerals(fmt: str):  # noqa: ANN201
    rollup = minerals.for_company(db())
    return tabular_response(fmt, "smelters-company", minerals.EXPORT_HEADER, rollup.export_rows())


@bp.get("/<int:product_id>/minerals.<fmt>")
@roles_required(*STAFF)
def export_product_minerals(fmt: str, product_id: int):  # noqa: ANN201
    product = get_or_404(Product, product_id)
    view = service.overview(db(), product)
    rows = product_rollup(view).export_rows() if view.passport else []
    return tabular_response(fmt, f"smelters-product-{product.id}", minerals.EXPORT_HEADER, rows)


def product_rollup(view: service.Overview) -> minerals.Rollup:
    return minerals.for_passport(db(), view.passport.id, minerals.asked_for_product(view.requests))


@bp.post("/<int:product_id>/serials")
@roles_required(*STAFF)
def serial_batch(product_id: int):  # noqa: ANN201
    """Procurement's serial-number batch: item passports under the product's passport (or under one
    of its lots, created on the way) and the ZIP of their QR and GS1 DataMatrix codes as the answer."""
    product = get_or_404(Product, product_id)
    back = redirect(url_for(".detail", product_id=product.id) + "#serials", code=303)
    parent = service.passport_for(db(), product)
    if parent is None:
        flash(gettext("Create the product's passport first."), "error")
        return back
    form = request.form
    fmt = form.get("type") if form.get("type") in ("svg", "png") else "svg"
    try:
        upload = request.files.get("csv")
        if upload is not None and upload.filename:
            serial_list = serials.from_csv(upload.read())
        else:
            serial_list = serials.counted_from_form(form)
        lot = form.get("lot", "").strip()
        if lot:
            parent = store.live_passport(db(), parent.gtin, lot) or store.create(
                db(), {"gtin": parent.gtin, "lot": lot, "status": parent.status, "data": {}},
                store.Change(current_user.email, "portal"), settings().public_url)[0]
        rows = serials.create_items(db(), parent, serial_list, current_user.email, settings().public_url)
        db().commit()
    except StoreError as exc:
        db().rollback()
        details = "; ".join([d["message"] for d in exc.details if isinstance(d, dict) and d.get("message")][:5]
                            if isinstance(exc.details, list) else [])
        flash(gettext("No serial numbers created: %(reason)s", reason=exc.message) + (f" ({details})" if details else ""),
              "error")
        return back
    response = make_response(codes_zip(serials.code_rows(parent, rows, settings().public_url), fmt))
    response.mimetype = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{serials.zip_name(parent)}"'
    return response
