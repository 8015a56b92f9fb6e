from __future__ import annotations

import time
from functools import wraps
from typing import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, ValidationError
from wtforms.validators import DataRequired, Length

from portal.extensions import login_manager
from portal.i18n import gettext, lazy_gettext
from portal.timeutil import utcnow
from portal.web import db, settings

from . import throttle
from .credentials import authenticate
from .models import Role, User
from .passwords import MAX_LENGTH, MIN_LENGTH, password_problem

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session holds "id:auth_version" (User.get_id); a session from before a logout or a
    password change carries an older version and no longer signs anyone in."""
    ident, _, version = user_id.partition(":")
    user = db().get(User, int(ident)) if ident.isdigit() and version.isdigit() else None
    if user is None or not user.active or user.auth_version != int(version):
        return None
    return user


class LoginForm(FlaskForm):
    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=200)])


def roles_required(*roles: Role) -> Callable:
    """Only these roles may open the view; everyone else gets 404 (we do not reveal what exists)."""
    allowed = {r.value for r in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if current_user.role not in allowed:
                abort(404)
            return view(*args, **kwargs)
        return wrapped
    return decorator


HOME = {Role.supplier.value: "dashboard.index", Role.procurement.value: "review.queue",
        Role.admin.value: "review.queue", Role.quality.value: "certificates.dashboard"}


def home_for(user: User) -> str:
    return url_for(HOME.get(user.role, "auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email, address = form.email.data.strip().lower(), client_address()
        wait = throttle.locked_for(settings(), email, address)
        if wait:  # refused before the password is even checked: the right one does not help
            flash(throttle.lockout_message(wait), "error")
            return render_template("auth/login.html", form=form), 429
        user = authenticate(db(), email, form.password.data)
        if user is None:
            throttle.record_failure(settings(), email, address)
            flash(gettext("E-mail or password is not right."), "error")
        elif user.totp_secret:
            session.clear()
            session[PENDING_SECOND_STEP] = {"user": user.get_id(), "since": int(time.time())}
            return redirect(url_for("auth.second_step"))
        else:
            return sign_in(user)
    return render_template("auth/login.html", form=form)


PENDING_SECOND_STEP = "pending_second_step"


def client_address() -> str:
    return request.remote_addr or "unknown"


def sign_in(user: User, message: str | None = None):  # noqa: ANN201
    throttle.record_success(settings(), user.email)
    session.clear()  # a fresh session at login: no fixation of a pre-login session
    login_user(user)
    if message:
        flash(message, "success")
    return redirect(home_for(user))


@bp.post("/logout")
@login_required
def logout():  # noqa: ANN201
    user = current_user._get_current_object()
    user.revoke_sessions()  # a copy of this session's cookie stops working too
    db().commit()
    logout_user()
    session.clear()
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/")
def root():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


def meets_password_policy(_form: FlaskForm, field: PasswordField) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class SetPasswordForm(FlaskForm):
    password = PasswordField(lazy_gettext("New password (at least %(n)d characters, not a common one)", n=MIN_LENGTH),
                             validators=[DataRequired(), meets_password_policy])
    confirm = PasswordField(lazy_gettext("The same password again"),
                            validators=[DataRequired(), Length(max=MAX_LENGTH)])


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):  # noqa: ANN201
    from .invitations import find_valid
    invitation = find_valid(db(), token)
    if invitation is None:
        return render_template("error.html", title=gettext("Invitation not valid"),
                               message=gettext("This invitation link has expired or was used already. "
                                               "Ask your contact at the buyer for a new one.")), 404
    user = db().get(User, invitation.user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:
            form.confirm.errors.append(gettext("The two passwords differ."))
        else:
            user.set_password(form.password.data)  # also ends the user's other sessions
            user.active = True
            invitation.used_at = utcnow()
            db().commit()
            if user.totp_secret:  # the second step still applies
                session.clear()
                flash(gettext("Your password is set. Log in with it and a code from your app."), "success")
                return redirect(url_for("auth.login"))
            return sign_in(user, gettext("Welcome! Your password is set."))
    return render_template("auth/set_password.html", form=form, user=user, min_length=MIN_LENGTH)


from portal.auth import two_factor  # noqa: E402,F401  (its views are on this blueprint)
