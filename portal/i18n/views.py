"""The language switch: in every page's footer (anyone) and on the settings page (signed in)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from portal import audit
from portal.web import db

from . import COOKIE, LANGUAGES, gettext, language, normalise

bp = Blueprint("i18n", __name__)
ONE_YEAR_S = 365 * 24 * 3600


def _back_to(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("auth.root")


@bp.post("/language")
def choose():  # noqa: ANN201
    chosen = normalise(request.form.get("language"))
    back = _back_to(request.form.get("next"))
    if chosen is None:
        flash(gettext("Choose one of the languages in the list."), "error")
        return redirect(back, 303)
    if current_user.is_authenticated:
        user = db().merge(current_user._get_current_object())
        if user.language != chosen:
            audit.record(db(), actor=user.email, actor_user_id=user.id, action="user.language_changed",
                         entity="user", entity_id=user.id, before=LANGUAGES.get(user.language or "", None),
                         after=LANGUAGES[chosen])
            user.language = chosen
            db().commit()
    response = redirect(back, 303)
    response.set_cookie(COOKIE, chosen, max_age=ONE_YEAR_S, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    with language(chosen):  # the confirmation in the language just chosen
        flash(gettext("The portal is now in English."), "success")
    return response
