"""The public resolver: one URL per product, lot and item, answered by content negotiation:
people get the passport page, machines the UNTP credential (application/ld+json) or the
linkset (application/linkset+json); every answer names the others in its Link header."""

from __future__ import annotations

import base64
from typing import Optional

from flask import Blueprint, abort, jsonify, make_response, redirect, render_template, request

from portal.passports import store
from portal.passports.gtin import GtinError, level, normalise_gtin, valid_ai82
from portal.web import db, settings

from .credential import credential, link_header, linkset
from .lookup import resolve
from .qr import qr_image

bp = Blueprint("resolver", __name__)
HTML, JSONLD, LINKSET, JSON = "text/html", "application/ld+json", "application/linkset+json", "application/json"


@bp.get("/01/<gtin>")
@bp.get("/01/<gtin>/10/<lot>")
@bp.get("/01/<gtin>/21/<serial>")
@bp.get("/01/<gtin>/10/<lot>/21/<serial>")
def resolve_link(gtin: str, lot: Optional[str] = None, serial: Optional[str] = None):  # noqa: ANN201
    wanted = _negotiate()
    try:
        canonical = normalise_gtin(gtin)
    except GtinError:
        return _not_found(wanted)
    if (lot is not None and not valid_ai82(lot)) or (serial is not None and not valid_ai82(serial)):
        return _not_found(wanted)
    if canonical != gtin:   # GTIN-8/12/13: one canonical URL per product
        path = request.path.replace(f"/01/{gtin}", f"/01/{canonical}", 1)
        return redirect(path + (f"?{request.query_string.decode()}" if request.query_string else ""), code=301)
    found = resolve(db(), canonical, lot, serial)
    if found is None:
        return _not_found(wanted)
    passport, data, revision = found
    link = store.digital_link(settings().public_url, passport)
    if wanted == LINKSET:
        response = jsonify(linkset(passport, data, link))
        response.mimetype = LINKSET
    elif wanted in (JSONLD, JSON):
        response = jsonify(credential(passport, revision, data, settings().public_url, link))
        response.mimetype = JSONLD
    else:
        svg, _ = qr_image(link, "svg")
        response = render_template(
            "passports/page.html", passport=passport, data=data, revision=revision, link=link,
            level=level(passport.lot, passport.serial), title=(data.get("product") or {}).get("name") or "Product passport",
            qr_data_uri="data:image/svg+xml;base64," + base64.b64encode(svg).decode())
    response = make_response(response)
    response.headers["Link"] = link_header(link)
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _negotiate() -> str:
    link_type = request.args.get("linkType", "")
    if link_type in ("all", "linkset"):
        return LINKSET
    return request.accept_mimetypes.best_match([HTML, JSONLD, LINKSET, JSON], default=HTML) or HTML


def _not_found(wanted: str):  # noqa: ANN202
    if wanted == HTML:
        abort(404)
    response = jsonify({"error": {"code": "NOT_FOUND", "message": "No published passport for this link.",
                                  "details": None}})
    response.status_code = 404
    return response
