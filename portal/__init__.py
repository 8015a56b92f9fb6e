"""Supplier Declaration Portal: the Flask application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from sqlmodel import SQLModel

# Named constraints, so that later Alembic migrations can drop or alter them on every database.
# Set here because every model module is imported through this package first.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from portal.extensions import csrf, login_manager
from portal.settings import PROJECT_ROOT, Settings, load_settings


def create_app(overrides: dict[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "portal" / "static"))
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 1024 * 1024,  # multipart overhead
        # a CMRT form with hundreds of smelters posts thousands of fields; Werkzeug's defaults
        # (1,000 parts, 500 kB) would refuse it
        MAX_FORM_PARTS=50_000,
        MAX_FORM_MEMORY_SIZE=16 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        WTF_CSRF_TIME_LIMIT=None,
    )
    if overrides:
        app.config.update(overrides)

    login_manager.init_app(app)
    csrf.init_app(app)
    from portal import i18n
    i18n.init_app(app)  # page language; builds the .mo catalogues from the .po files if needed
    from portal.auth import security
    security.init_app(app)  # Secure cookies and HSTS behind HTTPS

    from portal import web
    app.teardown_appcontext(web.close_db)

    from portal.api.views import bp as api_bp
    from portal.auth.views import bp as auth_bp
    from portal.certificates.views import bp as certificates_bp
    from portal.documents.views import bp as documents_bp
    from portal.mail.views import bp as mail_bp
    from portal.requests.answer import bp as answer_bp
    from portal.requests.dashboard import bp as dashboard_bp
    from portal.requests.views import bp as requests_bp
    from portal.review.views import bp as review_bp
    from portal.suppliers.views import bp as suppliers_bp
    for blueprint in (auth_bp, documents_bp, review_bp, dashboard_bp, answer_bp, requests_bp, suppliers_bp, mail_bp,
                      certificates_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # token-authenticated (X-API-Key), no cookies
    from portal.api import oauth
    oauth.init_app(app)   # POST /oauth/token and /oauth/revoke (client-authenticated, no cookies)
    csrf.exempt(oauth.bp)
    from portal.api.admin import bp as api_admin_bp
    from portal.api.docs import docs_bp
    app.register_blueprint(docs_bp)  # the interactive API reference, assets served locally
    from portal.api.files import files_bp
    from portal.resolver.views import bp as resolver_bp
    app.register_blueprint(resolver_bp)  # public GS1 Digital Link resolver (GET only)
    app.register_blueprint(files_bp)  # public documents attached to passports
    app.register_blueprint(api_admin_bp)  # admin pages: API keys, webhooks
    from portal.access.views import bp as access_bp
    app.register_blueprint(access_bp)  # access requests for restricted passport data, and the admins' decisions
    from portal.products import pushes as _pushes  # noqa: F401  (its routes join the Products blueprint)
    from portal.products import rmi_views as _rmi_views  # noqa: F401  (likewise: the company's RMI template)
    from portal.products import passport_io as _passport_io  # noqa: F401  (likewise: passports from spreadsheets)
    from portal.products.views import bp as products_bp
    app.register_blueprint(products_bp)  # procurement's product catalogue
    from portal.notify_prefs.views import bp as notify_prefs_bp
    app.register_blueprint(notify_prefs_bp)  # everyone's notifications and how they get them

    from portal.cli import register_cli
    register_cli(app)

    _register_error_pages(app)
    _register_outage_pages(app)
    _register_security_headers(app)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _register_error_pages(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    from portal.i18n import gettext

    @app.errorhandler(404)
    def not_found(_e):  # noqa: ANN001, ANN202
        if request.path.startswith("/api/"):
            # paths the API's own routes cannot even match (e.g. a newline in an id) still get
            # the API's JSON error shape
            from portal.api.errors import ApiError
            return ApiError("NOT_FOUND", "No such resource.").response()
        return render_template("error.html", title=gettext("Not found"),
                               message=gettext("There is nothing here, or you have no access to it.")), 404

    @app.errorhandler(CSRFError)
    def csrf_failed(_e):  # noqa: ANN001, ANN202
        return render_template("error.html", title=gettext("Form expired"),
                               message=gettext("The form was out of date or not sent by this site. "
                                               "Go back, reload the page and try again.")), 400

    @app.errorhandler(413)
    def too_large(_e):  # noqa: ANN001, ANN202
        limit = app.config["SETTINGS"].max_upload_mb
        return render_template("error.html", title=gettext("File too large"),
                               message=gettext("The file is larger than the %(limit)s MB limit. "
                                               "Upload a smaller file.", limit=limit)), 413


RETRY_AFTER_S = 30


def _register_outage_pages(app: Flask) -> None:
    """The database or Redis unreachable (a restart, a failover, a full pool): 503 with
    Retry-After — a page for people, the API's JSON error for machines — never a bare 500."""
    import logging

    from flask import g, jsonify
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from sqlalchemy.exc import InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeoutError

    from portal.extensions import login_manager
    from portal.i18n import gettext

    def unavailable(exc: Exception):  # noqa: ANN202
        logging.getLogger(__name__).warning("503 for %s %s: %s: %s", request.method, request.path,
                                            type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
        if request.path.startswith("/api/"):
            from portal.api.errors import ApiError
            response = jsonify(ApiError("UNAVAILABLE", "The service is briefly unavailable; retry after "
                                        f"{RETRY_AFTER_S} s (with the same Idempotency-Key for writes).",
                                        {"retry_after": RETRY_AFTER_S}).body())
        else:
            g._login_user = login_manager.anonymous_user()  # the page must not ask the database who is logged in
            response = app.make_response(render_template(
                "error.html", title=gettext("Temporarily unavailable"),
                message=gettext("The portal cannot reach its database or queue right now, usually for a "
                                "minute during maintenance. Try again in a minute; if you were sending a form "
                                "or a file, send it again.")))
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    for kind in (OperationalError, InterfaceError, PoolTimeoutError, RedisConnectionError, RedisTimeoutError):
        app.register_error_handler(kind, unavailable)


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):  # noqa: ANN001, ANN202
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'")
        return response
