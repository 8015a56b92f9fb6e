"""Every user's own notifications: the e-mails sent to them, and how they want to get them."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlmodel import select

from portal import audit
from portal.i18n import gettext
from portal.mail.models import OutgoingEmail
from portal.mail.notify import enqueue_delivery
from portal.mail.redact import redact
from portal.web import db

from . import STATUS_WORDS, release_held

bp = Blueprint("notify_prefs", __name__)
CHOICES = {"immediately": False, "daily": True}
WORDS = {False: "immediately", True: "daily digest"}  # the audit trail's words


@bp.get("/notifications")
@login_required
def notifications():  # noqa: ANN201
    emails = db().exec(select(OutgoingEmail).where(OutgoingEmail.to == current_user.email)
                       .order_by(OutgoingEmail.id.desc()).limit(100)).all()
    return render_template("notify_prefs/list.html", emails=emails, redact=redact, status_words=STATUS_WORDS)


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():  # noqa: ANN201
    if request.method == "POST":
        choice = request.form.get("delivery", "")
        if choice not in CHOICES:
            flash(gettext("Choose how you want to get e-mails: immediately or in a daily digest."), "error")
            return render_template("notify_prefs/settings.html", choice=None), 400
        user, before = current_user._get_current_object(), current_user.email_digest
        user = db().merge(user)
        user.email_digest = CHOICES[choice]
        if before != user.email_digest:
            audit.record(db(), actor=user.email, actor_user_id=user.id, action="user.notifications_changed",
                         entity="user", entity_id=user.id, before=WORDS[before],
                         after=WORDS[user.email_digest])
        released = 0 if user.email_digest else release_held(db(), user.email)
        db().commit()
        if released:
            enqueue_delivery(current_app.config["SETTINGS"])
        flash(gettext("Saved. You get one e-mail a day with all updates.") if user.email_digest
              else gettext("Saved. You get each e-mail as it happens."), "success")
        return redirect(url_for("notify_prefs.settings"), 303)
    return render_template("notify_prefs/settings.html", choice="daily" if current_user.email_digest else "immediately")
