"""Two-factor sign-in pages: the code after the password, and setting up an authenticator app.
An admin without it (REQUIRE_ADMIN_TOTP) is sent to the set-up page before anything else."""

from __future__ import annotations

import time

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.i18n import gettext, lazy_gettext
from portal.web import db, settings

from . import throttle, totp
from .views import PENDING_SECOND_STEP, bp, client_address, home_for, load_user, sign_in

SECOND_STEP_TTL_S = 300
ENROL_SECRET = "totp_enrol_secret"
# what an admin who still has to set up two-factor sign-in may open
OPEN_DURING_ENROLMENT = {"auth.two_factor", "auth.logout", "auth.login", "static", "healthz"}


class CodeForm(FlaskForm):
    code = StringField(lazy_gettext("6-digit code from your authenticator app"),
                       validators=[DataRequired(), Length(max=12)])


@bp.route("/login/code", methods=["GET", "POST"])
def second_step():  # noqa: ANN201
    pending = session.get(PENDING_SECOND_STEP) or {}
    user = load_user(pending.get("user", ""))
    if user is None or time.time() - pending.get("since", 0) > SECOND_STEP_TTL_S:
        session.pop(PENDING_SECOND_STEP, None)
        flash(gettext("Log in again: the sign-in took too long."), "error")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        wait = throttle.locked_for(settings(), user.email, client_address())
        if wait:
            flash(throttle.lockout_message(wait), "error")
            return render_template("auth/second_step.html", form=form), 429
        if totp.accept_code(user, form.code.data):
            db().commit()  # the code's time step: the same code cannot sign in twice
            return sign_in(user)
        throttle.record_failure(settings(), user.email, client_address())
        form.code.errors.append(gettext("That code is not right or was used already. Enter the current code from your app."))
    return render_template("auth/second_step.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():  # noqa: ANN201
    user = current_user._get_current_object()
    if not totp.offered_to(user):
        abort(404)
    if user.totp_secret:
        return render_template("auth/two_factor.html", enrolled=True)
    secret = session.get(ENROL_SECRET) or totp.new_secret()
    session[ENROL_SECRET] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if totp.accept_code(user, form.code.data, secret):
            user.totp_secret = secret
            user.revoke_sessions()  # sessions opened without the second factor end here
            db().commit()
            session.pop(ENROL_SECRET, None)
            login_user(user)
            flash(gettext("Two-factor sign-in is on. From now on you enter a code from your app after your "
                          "password."), "success")
            return redirect(home_for(user))
        form.code.errors.append(gettext("That code is not right. Check the app's clock and enter the current code."))
    return render_template("auth/two_factor.html", enrolled=False, form=form, secret=totp.spaced(secret),
                           qr=totp.qr_svg_data_uri(secret, user.email),
                           required=totp.required_for(settings(), user))


@bp.before_app_request
def admins_set_up_two_factor_first():  # noqa: ANN201
    if request.endpoint in OPEN_DURING_ENROLMENT or request.blueprint == "api":
        return None
    if current_user.is_authenticated and not current_user.totp_secret \
            and totp.required_for(settings(), current_user):
        return redirect(url_for("auth.two_factor"))
    return None
