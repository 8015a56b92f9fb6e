"""The outbox's call log (every push attempt to the passport target) and retrying a failed push
from the review screen. Routes on the Products blueprint: procurement's view of where data went."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import func, select

from portal.auth.views import roles_required
from portal.i18n import gettext
from portal.passports.models import OutboxMessage, PushAttempt
from portal.passports.outbox import retry_failed
from portal.web import db, get_or_404, settings

from .service import labels
from .views import STAFF, bp

PAGE_SIZE = 100


# What the call log can be narrowed to (an answer's HTTP status); their words are in data/labels.json.
OUTCOMES = {
    "sent": lambda: PushAttempt.status_code.between(200, 399),
    "failed": lambda: PushAttempt.status_code.is_(None) | (PushAttempt.status_code >= 400),
    "refused": lambda: PushAttempt.status_code.between(400, 499) & (PushAttempt.status_code != 429),
    "unavailable": lambda: (PushAttempt.status_code == 429) | (PushAttempt.status_code >= 500),
    "no_answer": lambda: PushAttempt.status_code.is_(None),
}


@bp.get("/pushes")
@roles_required(*STAFF)
def call_log():  # noqa: ANN201
    page = max(1, request.args.get("page", 1, type=int))
    outcome = "failed" if request.args.get("failed") == "1" else request.args.get("outcome", "")
    outcome = outcome if outcome in OUTCOMES else ""
    target = request.args.get("target", "")
    words = labels()
    targets = sorted(set(db().exec(select(PushAttempt.target).distinct()).all()) | set(words["push_targets"]))
    target = target if target in targets else ""
    query = select(PushAttempt, OutboxMessage).join(OutboxMessage, OutboxMessage.id == PushAttempt.message_id)
    if outcome:
        query = query.where(OUTCOMES[outcome]())
    if target:
        query = query.where(PushAttempt.target == target)
    total = db().exec(select(func.count()).select_from(query.subquery())).one()
    rows = db().exec(query.order_by(PushAttempt.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return render_template("products/pushes.html", rows=rows, page=page, total=total, outcome=outcome,
                           target=target, pages=max(1, -(-total // PAGE_SIZE)),
                           outcomes={k: [gettext(w) for w in words["push_outcomes"][k]] for k in OUTCOMES},
                           targets={t: gettext(words["push_targets"].get(t, t)) for t in targets})


@bp.post("/pushes/<int:message_id>/retry")
@roles_required(*STAFF)
def retry_push(message_id: int):  # noqa: ANN201
    message = get_or_404(OutboxMessage, message_id)
    if retry_failed(settings(), message.id, current_user.email):
        flash(gettext("Sending again: the push state below follows it."), "success")
    else:
        flash(gettext("Only a push that failed can be sent again."), "info")
    return redirect(url_for("review.detail", declaration_id=message.declaration_id), code=303)
