"""Procurement: send declaration requests (to one supplier or a campaign to many) and follow
them in a list that stays fast with tens of thousands of rows (filters, sort, pages, export)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import Session, func, select

from ingestion import document_types
from portal import audit
from portal.i18n import gettext as _, ngettext
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.exports import tabular_response
from portal.suppliers.models import Supplier
from portal.suppliers.sections import SupplierSection, on_supplier_page
from portal.timeutil import minute
from portal.web import db

from . import entry_words, labels
from .labels import ANSWERED, request_label
from .models import Campaign, DeclarationRequest, RequestStatus
from .notifications import notify_new_requests

bp = Blueprint("requests", __name__, url_prefix="/requests")
STAFF = (Role.procurement, Role.admin)
PAGE_SIZE = 50
SORTS = {"due": DeclarationRequest.due_date, "created": DeclarationRequest.created_at,
         "supplier": Supplier.name, "status": DeclarationRequest.status, "type": DeclarationRequest.document_type}


def _filtered(args) -> tuple:  # noqa: ANN001
    """The list query for the filters in `args`, shared by the page and the export."""
    query = select(DeclarationRequest, Supplier).join(Supplier, Supplier.id == DeclarationRequest.supplier_id)
    status = args.get("status", "")
    if status == "overdue":
        query = query.where(DeclarationRequest.status.not_in(ANSWERED), DeclarationRequest.due_date < date.today())
    elif status:
        query = query.where(DeclarationRequest.status == status)
    if args.get("supplier", type=int):
        query = query.where(DeclarationRequest.supplier_id == args.get("supplier", type=int))
    if args.get("type"):
        query = query.where(DeclarationRequest.document_type == args["type"])
    for bound, op in (("due_from", "__ge__"), ("due_to", "__le__")):
        try:
            if args.get(bound):
                query = query.where(getattr(DeclarationRequest.due_date, op)(date.fromisoformat(args[bound])))
        except ValueError:
            flash(_("“%(value)s” is not a date (YYYY-MM-DD); that filter is ignored.", value=args[bound]), "warn")
    sort = args.get("sort", "due")
    column = SORTS.get(sort.lstrip("-"), DeclarationRequest.due_date)
    query = query.order_by(column.desc() if sort.startswith("-") else column, DeclarationRequest.id)
    return query


def supplier_requests(session: Session, supplier: Supplier) -> SupplierSection:
    """The supplier page's Requests section: the latest 50, newest due date first."""
    requests = session.exec(select(DeclarationRequest).where(DeclarationRequest.supplier_id == supplier.id)
                            .order_by(DeclarationRequest.due_date.desc()).limit(50)).all()
    return SupplierSection("requests/_supplier_section.html", {"requests": requests})


on_supplier_page(supplier_requests)


@bp.app_context_processor
def label_helpers() -> dict:
    """The words for codes, on every page (portal/requests/labels.py is their one home)."""
    return {"type_title": labels.type_title, "type_noun": labels.type_noun, "event_label": labels.event_label,
            "field_label": labels.field_label, "field_title": labels.field_title, "display_value": labels.display_value,
            "enum_label": labels.enum_label, "declaration_label": labels.declaration_label,
            "request_status_words": labels.request_status_words, "human_findings": labels.human_findings,
            "human_message": labels.human_message, "role_words": labels.role_label,
            "check_label": labels.check_label, "value_choices": labels.choices,
            "request_label": labels.request_label, "reminder_label": labels.reminder_label,
            "change_lines": labels.change_lines, "change_where": labels.change_where,
            "actor_label": entry_words.actor_label,
            "breaks_between_parts": entry_words.breaks_between_parts,
            "minute": minute, "country_name": labels.country_name}


@bp.get("/")
@roles_required(*STAFF)
def index():  # noqa: ANN201
    query = _filtered(request.args)
    page = max(1, request.args.get("page", 1, type=int))
    total = db().exec(select(func.count()).select_from(query.order_by(None).subquery())).one()
    rows = db().exec(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    suppliers = db().exec(select(Supplier.id, Supplier.name).order_by(Supplier.name).limit(2000)).all()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("requests/index.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), args=args, suppliers=suppliers,
                           types=document_types(), statuses=[s.value for s in RequestStatus] + ["overdue"],
                           label=request_label, today=date.today())


@bp.get("/export.<fmt>")
@roles_required(*STAFF)
def export(fmt: str):  # noqa: ANN201
    rows = db().exec(_filtered(request.args).limit(100_000)).all()
    header = ["id", "supplier", "type", "status", "overdue", "due_date", "created_at", "message"]
    today = date.today()
    data = [[r.id, s.name, r.document_type, r.status, "yes" if labels.is_overdue(r.status, r.due_date, today) else "no",
             r.due_date.isoformat(), r.created_at.strftime("%Y-%m-%d %H:%M"), r.message or ""]
            for r, s in rows]
    return tabular_response(fmt, "requests", header, data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():  # noqa: ANN201
    suppliers = db().exec(select(Supplier).order_by(Supplier.name).limit(5000)).all()
    titles = {t: labels.type_title(t) for t in document_types()}
    form = request.form
    if request.method == "POST":
        problems, created = _create(form, titles)
        if not problems:
            flash(ngettext("Sent %(num)d request.", "Sent %(num)d requests.", created), "success")
            return redirect(url_for(".index"), code=303)
        for p in problems:
            flash(p, "error")
    return render_template("requests/new.html", suppliers=suppliers, titles=titles, form=form,
                           default_due=(date.today() + timedelta(days=30)).isoformat())


def _parse_products(text: str) -> tuple[list[dict], list[str]]:
    """One product per line: "PART-NUMBER; optional name; optional GTIN" (the passport store
    matches approved declarations to passports by GTIN or part number)."""
    from portal.passports.gtin import normalise_gtin
    products, problems = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        number, name, gtin = (part.strip() for part in (line.split(";") + ["", ""])[:3])
        if not number:
            continue
        product = {"part_number": number[:100], **({"name": name[:200]} if name else {})}
        if gtin:
            try:
                product["gtin"] = normalise_gtin(gtin)
            except ValueError as exc:
                problems.append(_("Product line %(number)d: %(problem)s", number=n, problem=exc))
        products.append(product)
    return products, problems


def _create(form, titles: dict) -> tuple[list[str], int]:  # noqa: ANN001
    problems = []
    document_type = form.get("document_type", "")
    if document_type not in titles:
        problems.append(_("Choose what to ask for."))
    try:
        due = date.fromisoformat(form.get("due_date", ""))
        if due < date.today():
            problems.append(_("The due date is in the past."))
    except ValueError:
        problems.append(_("Give the due date as YYYY-MM-DD."))
    supplier_ids = sorted({int(v) for v in form.getlist("supplier_ids") if v.isdigit()})
    if not supplier_ids:
        problems.append(_("Choose at least one supplier."))
    products, product_problems = _parse_products(form.get("products", ""))
    problems += product_problems
    if problems:
        return problems, 0
    found = db().exec(select(Supplier.id).where(Supplier.id.in_(supplier_ids))).all()
    campaign = None
    if len(found) > 1:
        campaign = Campaign(name=form.get("campaign_name", "").strip()[:200] or f"{titles[document_type]} {due.isoformat()}",
                            document_type=document_type, due_date=due, message=form.get("message", "")[:4000] or None,
                            created_by_id=current_user.id)
        db().add(campaign)
        db().flush()
    products = products or None
    for supplier_id in found:
        req = DeclarationRequest(supplier_id=supplier_id, document_type=document_type, due_date=due,
                                 message=form.get("message", "").strip()[:4000] or None, products=products,
                                 campaign_id=campaign.id if campaign else None, created_by_id=current_user.id)
        db().add(req)
        db().flush()
        audit.record(db(), actor=current_user.email, actor_user_id=current_user.id, action="request.created",
                     entity="request", entity_id=req.id, after={"type": document_type, "due": due.isoformat(),
                                                                "supplier_id": supplier_id})
    db().commit()
    notify_new_requests([supplier_id for supplier_id in found], document_type, due)  # after the commit: the rows are the truth
    return [], len(found)
