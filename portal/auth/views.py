from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from portal.extensions import login_manager
from portal.timeutil import utcnow
from portal.web import db

from .models import Role, User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db().get(User, int(user_id)) if user_id.isdigit() else None
    return user if user and user.active else None


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


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
        email = form.email.data.strip().lower()
        user = db().exec(select(User).where(User.email == email)).first()
        if user is None or not user.active or not user.check_password(form.password.data):
            flash("E-mail or password is not right.", "error")
        else:
            session.clear()  # a fresh session at login: no fixation of a pre-login session
            login_user(user)
            return redirect(home_for(user))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():  # noqa: ANN201
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/")
def root():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password (at least 10 characters)", validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField("The same password again", validators=[DataRequired(), Length(max=200)])


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):  # noqa: ANN201
    from .invitations import find_valid
    invitation = find_valid(db(), token)
    if invitation is None:
        return render_template("error.html", title="Invitation not valid",
                               message="This invitation link has expired or was used already. "
                                       "Ask your contact at the buyer for a new one."), 404
    user = db().get(User, invitation.user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:
            form.confirm.errors.append("The two passwords differ.")
        else:
            user.set_password(form.password.data)
            user.active = True
            invitation.used_at = utcnow()
            db().commit()
            session.clear()
            login_user(user)
            flash("Welcome! Your password is set.", "success")
            return redirect(home_for(user))
    return render_template("auth/set_password.html", form=form, user=user)
