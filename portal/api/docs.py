"""GET /api/docs: the interactive API reference (Swagger UI) over /api/v1/openapi.json. Swagger UI's
files come from the flask-swagger-ui package and are served from here: the page loads nothing from
another site, and its start-up script is a file too, so the portal's Content-Security-Policy
(script-src 'self') holds. "Try it out" sends real requests with the key given under Authorize."""

from __future__ import annotations

import json
from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Response, abort, render_template, send_from_directory, url_for

ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"
SERVED = {"swagger-ui.css", "index.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
          "favicon-32x32.png", "favicon-16x16.png"}
docs_bp = Blueprint("api_docs", __name__, url_prefix="/api/docs")


@docs_bp.get("/")
def reference():  # noqa: ANN201
    return render_template("api/docs.html")


@docs_bp.get("/start.js")
def start_script() -> Response:
    settings = json.dumps({"url": url_for("api.openapi"), "dom_id": "#swagger-ui", "deepLinking": True,
                           "persistAuthorization": True, "layout": "BaseLayout"})
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
