"""GET /api/docs/: the API reference, a page rendered here from /api/v1/openapi.json (reference.py)
that reads well with a screen reader, on a phone and with the keyboard.

GET /api/docs/try/: the interactive console (Swagger UI) over the same document, for "Try it out"
with a key given under Authorize. Swagger UI's files come from the flask-swagger-ui package and are
served from here: the page loads nothing from another site, and its start-up script is a file too,
so the portal's Content-Security-Policy (script-src 'self') holds."""

from __future__ import annotations

import json
from pathlib import Path

from functools import lru_cache
from typing import Any

import flask_swagger_ui
from flask import Blueprint, Response, abort, render_template, send_from_directory, url_for

from .openapi import openapi_document
from .reference import Reference

ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"
SERVED = {"swagger-ui.css", "index.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
          "favicon-32x32.png", "favicon-16x16.png"}
docs_bp = Blueprint("api_docs", __name__, url_prefix="/api/docs")


@lru_cache(maxsize=1)
def _reference() -> dict[str, Any]:
    return Reference(openapi_document()).page()   # the document is fixed for the process's life


@docs_bp.get("/")
def reference():  # noqa: ANN201
    return render_template("api/reference.html", ref=_reference())


@docs_bp.get("/try/")
def console():  # noqa: ANN201
    return render_template("api/console.html")


@docs_bp.get("/start.js")
def start_script() -> Response:
    # no deep links: Swagger UI puts each one, a link, inside the operation's button (nested
    # controls a screen reader cannot reach); the reference page has an anchor per operation
    # no syntax colours: several of its token colours are below 4.5:1 on its dark ground
    settings = json.dumps({"url": url_for("api.openapi"), "dom_id": "#swagger-ui", "deepLinking": False,
                           "persistAuthorization": True, "layout": "BaseLayout",
                           "syntaxHighlight": {"activated": False}})
    script = ("window.onload = function () {\n"
              f"  var settings = {settings};\n"
              "  settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];\n"
              "  window.ui = SwaggerUIBundle(settings);\n"
              "};\n")
    return Response(script, mimetype="text/javascript")


@docs_bp.get("/assets/<name>")
def asset(name: str):  # noqa: ANN201
    if name not in SERVED:
        abort(404)
    return send_from_directory(ASSETS, name, max_age=86400)
