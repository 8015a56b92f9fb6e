"""The company's own filled RMI template: an admin uploads RMI's blank CMRT/EMRT/CRT once, and
procurement downloads it filled from the company roll-up (routes on the Products blueprint)."""

from __future__ import annotations

import datetime as dt
import re

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from portal import audit
from portal.auth.models import Role
from portal.auth.views import roles_required
from portal.documents import storage
from portal.i18n import gettext
from portal.streams import TooLarge, read_limited
from portal.timeutil import utcnow
from portal.web import db

from . import minerals, rmi_fill, rmi_jobs
from .models import RmiFillJob, RmiTemplate
from .views import STAFF, bp

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def templates_on_file() -> dict[str, RmiTemplate]:
    return {t.kind: t for t in db().exec(select(RmiTemplate)).all()}


def minerals_page(form: dict[str, str] | None = None, errors: dict[str, str] | None = None, status: int = 200):  # noqa: ANN201
    defaults = {"contact_email": current_user.email, "effective_date": dt.date.today().isoformat()}
    return render_template("products/minerals.html", rollup=minerals.for_company(db()),
                           exports={fmt: url_for(".export_company_minerals", fmt=fmt) for fmt in ("csv", "xlsx")},
                           rmi_templates=templates_on_file(), kinds=rmi_fill.KINDS, form=form or defaults,
                           errors=errors or {}, can_upload=current_user.role == Role.admin.value,
                           recent_jobs=db().exec(select(RmiFillJob).order_by(RmiFillJob.id.desc()).limit(5)).all(),
                           job_label=lambda job: rmi_jobs.status_view(job)["label"]), status


@bp.get("/minerals")
@roles_required(*STAFF)
def company_minerals():  # noqa: ANN201
    return minerals_page()


@bp.post("/minerals/templates")
@roles_required(Role.admin)
def upload_rmi_template():  # noqa: ANN201
    kind = request.form.get("kind", "")
    upload = request.files.get("file")
    if kind not in rmi_fill.KINDS or upload is None or not upload.filename:
        flash(gettext("Choose the kind of template and RMI's blank .xlsx file."), "error")
        return redirect(url_for(".company_minerals"), code=303)
    try:
        content, sha256 = read_limited(upload.stream, rmi_fill.MAX_TEMPLATE_BYTES)
        version = rmi_fill.check_template(content, kind)
    except TooLarge:
        flash(gettext("Not kept: the file is larger than RMI's blank templates (at most %(mb)d MB).",
                      mb=rmi_fill.MAX_TEMPLATE_BYTES // (1024 * 1024)), "error")
        return redirect(url_for(".company_minerals"), code=303)
    except rmi_fill.TemplateError as exc:
        flash(gettext("Not kept: %(reason)s.", reason=exc), "error")
        return redirect(url_for(".company_minerals"), code=303)
    storage.put(db(), content, sha256)
    template = db().get(RmiTemplate, kind) or RmiTemplate(kind=kind, sha256=sha256, filename="", uploaded_by="")
    before = {"sha256": template.sha256, "version": template.version} if template.filename else None
    template.sha256, template.version = sha256, version
    template.filename, template.uploaded_by, template.uploaded_at = (storage.display_name(upload.filename),
                                                                     current_user.email, utcnow())
    db().add(template)
    audit.record(db(), actor=current_user.email, actor_user_id=current_user.id, action="rmi_template.uploaded",
                 entity="rmi_template", entity_id=kind, before=before, after={"sha256": sha256, "version": version},
                 source_sha256=sha256)
    db().commit()
    flash(gettext("Kept RMI's %(template)s %(version)s: the company's own %(template)s can be downloaded below.",
                  template=kind.upper(), version=version), "success")
    return redirect(url_for(".company_minerals"), code=303)


@bp.post("/minerals/rmi/<kind>")
@roles_required(*STAFF)
def download_rmi(kind: str):  # noqa: ANN201
    """Check the form and hand the filling to the worker; the job's page shows its progress."""
    template = db().get(RmiTemplate, kind) if kind in rmi_fill.KINDS else None
    form = {key: " ".join(request.form.get(key, "").split())[:200] for key in (
        "company_name", "contact_name", "contact_email", "contact_phone", "authorizer_name", "authorizer_title",
        "effective_date")}
    errors = _check(form)
    if template is None:
        errors["kind"] = gettext("No blank %(template)s has been uploaded yet: an admin uploads RMI's template first.",
                                 template=kind.upper())
    if errors:
        return minerals_page(form, errors, 400)
    job = rmi_jobs.request_fill(db(), current_app.config["SETTINGS"], template, form, current_user.email)
    return redirect(url_for(".rmi_job", job_id=job.id), code=303)


def _job(job_id: int) -> RmiFillJob:
    job = db().get(RmiFillJob, job_id)
    if job is None:
        abort(404)
    return rmi_jobs.give_up_if_lost(db(), job)


@bp.get("/minerals/rmi/jobs/<int:job_id>")
@roles_required(*STAFF)
def rmi_job(job_id: int):  # noqa: ANN201
    job = _job(job_id)
    return render_template("products/rmi_job.html", job=job, view=rmi_jobs.status_view(job))


@bp.get("/minerals/rmi/jobs/<int:job_id>/status")
@roles_required(*STAFF)
def rmi_job_status(job_id: int):  # noqa: ANN201
    """Polled by status.js; the page reloads once the job is done or failed."""
    return rmi_jobs.status_view(_job(job_id))


@bp.get("/minerals/rmi/jobs/<int:job_id>/file")
@roles_required(*STAFF)
def rmi_job_file(job_id: int):  # noqa: ANN201
    job = _job(job_id)
    if job.status != "done" or not job.result_sha256:
        abort(404)
    name = f"{job.kind.upper()}-{job.company['effective_date']}.xlsx"
    return Response(storage.get_bytes(db(), job.result_sha256), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _check(form: dict[str, str]) -> dict[str, str]:
    errors = {}
    if not form["company_name"]:
        errors["company_name"] = gettext("Enter the company's name as your customers know it.")
    if not form["contact_name"]:
        errors["contact_name"] = gettext("Enter the name of the person your customers can ask.")
    if not EMAIL.match(form["contact_email"]):
        errors["contact_email"] = gettext("Enter the contact's e-mail address, like name@example.com.")
    if not form["authorizer_name"]:
        errors["authorizer_name"] = gettext("Enter the name of the person who authorises this declaration.")
    try:
        if dt.date.fromisoformat(form["effective_date"]) > dt.date.today():
            errors["effective_date"] = gettext("The effective date cannot be in the future.")
    except ValueError:
        errors["effective_date"] = gettext("Enter the effective date as a date, like 2026-11-30.")
    return errors
