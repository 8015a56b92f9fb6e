"""Cookie and transport settings that follow from where the portal is served: behind HTTPS
(PUBLIC_URL https://…) cookies are Secure and browsers are told to use HTTPS only (HSTS)."""

from __future__ import annotations

from flask import Flask

HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    app.config.setdefault("SESSION_COOKIE_SECURE", settings.session_cookie_secure)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    if settings.https:
        @app.after_request
        def strict_transport_security(response):  # noqa: ANN001, ANN202
            response.headers.setdefault("Strict-Transport-Security", HSTS)
            return response
