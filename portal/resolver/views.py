"""The public resolver, a GS1-Conformant Resolver for /01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}].

A person (the browser asks for HTML) gets the passport page; a machine gets the UNTP credential
(application/ld+json) or the linkset (application/linkset+json, ?linkType=linkset); a machine that
states no preference is redirected to the default link, and ?linkType=gs1:X to that link (?context=,
Accept and Accept-Language choosing among several of that type). Every
answer allows any origin (CORS) and names the linkset in its Link header."""

from __future__ import annotations

import base64
from typing import Optional

from flask import Blueprint, Response, abort, jsonify, make_response, redirect, render_template, request, session
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.clients.models import find_key
from portal.i18n import gettext
from portal.passports import lifecycle, store
from portal.passports.access import Audience, key_audience, visible
from portal.passports.gtin import digital_link_path, level
from portal.passports.lookup import merged, published_levels, resolve
from portal.timeutil import utcnow
from portal.web import db, settings

from .carriers import CarrierError, code_image, qr_image
from .compressed import SAFE64_RE, CompressionError, Decompressed, decompress
from .credential import credential
from .digital_link import DigitalLink, DigitalLinkError, code_request, parse
from .linkset import access_request_url, choose, description_file, link_header, linkset, page_url, relation, with_query

bp = Blueprint("resolver", __name__)
HTML, XHTML, JSONLD, LINKSET, JSON = ("text/html", "application/xhtml+xml", "application/ld+json",
                                      "application/linkset+json", "application/json")
METHODS = ["GET", "HEAD", "OPTIONS"]
STAFF = ("procurement", "admin")   # the portal's people who own the passports


@bp.route("/01/", defaults={"rest": ""}, methods=METHODS)
@bp.route("/01/<path:rest>", methods=METHODS)
def resolve_link(rest: str) -> Response:
    code_of = code_request(rest)
    if code_of is not None:
        return _code(code_of)
    args = request.args
    try:
        dl = parse(rest)
    except DigitalLinkError as error:
        # /01/{gtin}/{compressed qualifiers}: a partly compressed link (the key left readable)
        gtin, _, tail = rest.rstrip("/").partition("/")
        if not tail or "/" in tail or not SAFE64_RE.match(tail):
            return _error(400, "VALIDATION", str(error), "Not a valid GS1 Digital Link")
        try:
            dl, args = _decompressed(decompress(tail), gtin)
        except CompressionError as reason:
            # a short word ("/foo") was no attempt at compression: the plain reason reads better
            message = f"Not a valid compressed GS1 Digital Link: {reason}" if len(tail) >= 8 else str(error)
            return _error(400, "VALIDATION", message, "Not a valid GS1 Digital Link")
        except DigitalLinkError as reason:
            return _error(400, "VALIDATION", f"Not a valid compressed GS1 Digital Link: {reason}",
                          "Not a valid GS1 Digital Link")
    if dl.canonical_gtin != dl.gtin:   # GTIN-8/12/13: one canonical URL per product
        path = request.path.replace(f"/01/{dl.gtin}", f"/01/{dl.canonical_gtin}", 1)
        response = redirect(path + (f"?{request.query_string.decode()}" if request.query_string else ""), code=301)
        response.headers["Link"] = link_header(_link(dl))
        return response
    return _answer(dl, args)


@bp.route("/<token>", methods=METHODS)
def resolve_compressed(token: str) -> Response:
    """A compressed Digital Link (/ARHKVAdpQg) answers as its uncompressed form. A single path word
    that does not even decompress is the site's ordinary 404 page: a mistyped page name is no bad link."""
    try:
        found = decompress(token) if len(token) >= 8 else None
    except CompressionError:
        found = None
    if found is None:
        abort(404)
    try:
        dl, args = _decompressed(found)
    except CompressionError as reason:   # a compressed link, but to something we do not resolve
        return _error(404, "NOT_FOUND", f"“{token[:40]}” is a compressed GS1 Digital Link, but {reason}",
                      "Not found")
    except DigitalLinkError as error:   # a compressed GTIN link, with a wrong value inside
        return _error(400, "VALIDATION", f"Not a valid compressed GS1 Digital Link: {error}",
                      "Not a valid GS1 Digital Link")
    return _answer(dl, args)


def _decompressed(found: Decompressed, gtin: Optional[str] = None) -> tuple[DigitalLink, MultiDict]:
    """The link decompressed elements stand for (with `gtin` when the link kept it readable), and
    their data attributes and other pairs put before the request's own query string."""
    if gtin is not None:
        if "01" in found.elements:
            raise CompressionError("the GTIN is given twice")
        found.elements = {"01": gtin, **found.elements}
    dl = parse(found.path().removeprefix("/01/"))
    if dl.canonical_gtin != dl.gtin:
        dl = DigitalLink(dl.canonical_gtin, dl.canonical_gtin, dl.lot, dl.serial)
    return dl, MultiDict(found.query() + list(request.args.items(multi=True)))


def _code(rest: str) -> Response:
    """GET …/code?format=qr|datamatrix&type=svg|png: the data carrier of a published link."""
    try:
        dl = parse(rest)
    except DigitalLinkError as error:
        return _error(400, "VALIDATION", str(error), "Not a valid GS1 Digital Link")
    if not published_levels(db(), dl.canonical_gtin, dl.lot, dl.serial):
        return _error(404, "NOT_FOUND", "No published passport for this link.", "Not found")
    try:
        content, mimetype = code_image(request.args.get("format", "qr"), request.args.get("type", "svg"), _link(dl),
                                       dl.canonical_gtin, dl.lot, dl.serial)
    except CarrierError as error:
        return _error(400, "VALIDATION", str(error), "No such code")
    response = make_response(content)
    response.mimetype = mimetype
    response.headers["Cache-Control"] = "public, max-age=86400"   # a link's code never changes
    response.headers["Link"] = link_header(_link(dl))
    return response


@bp.get("/passport/01/<path:rest>")
def passport_page(rest: str) -> Response:
    """The target of gs1:defaultLink and gs1:pip: always the page, whatever the Accept header says."""
    try:
        dl = parse(rest)
    except DigitalLinkError as error:
        return _error(400, "VALIDATION", str(error), "Not a valid GS1 Digital Link", wanted=HTML)
    found = resolve(db(), dl.canonical_gtin, dl.lot, dl.serial)
    if found is None:
        return _error(404, "NOT_FOUND", "No published passport for this link.", "Not found", wanted=HTML)
    passport, data, revision = found
    audience = reader_audience(passport.gtin)
    link = store.digital_link(settings().public_url, passport)
    return _private(_page(passport, visible(data, audience), revision, link, audience,
                          _lifecycle(passport, dl.serial)), audience)


@bp.get("/.well-known/gs1resolver")
def resolver_description() -> Response:
    response = jsonify(description_file(settings().public_url))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.after_request
def _cors(response: Response) -> Response:
    """GS1-Conformant Resolver: SHALL support CORS, on every answer (errors and redirects included)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = ", ".join(METHODS)
    response.headers["Access-Control-Allow-Headers"] = ("Accept, Accept-Language, If-None-Match, If-Modified-Since, "
                                                        "X-API-Key")
    response.headers["Access-Control-Expose-Headers"] = "Link, Location"
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers.setdefault("Link", link_header(None))
    response.vary.update(("Accept", "Accept-Language"))
    return response


def _link(dl: DigitalLink) -> str:
    return f"{settings().public_url.rstrip('/')}/{digital_link_path(dl.canonical_gtin, dl.lot, dl.serial)}"


def _answer(dl: DigitalLink, args: MultiDict) -> Response:
    if request.method == "OPTIONS":   # CORS preflight: no lookup needed
        response = make_response("", 204)
        response.headers["Link"] = link_header(_link(dl))
        return response
    public_url = settings().public_url
    wanted = _negotiate()
    levels = published_levels(db(), dl.canonical_gtin, dl.lot, dl.serial)
    found = merged(levels)
    if found is None:
        return _error(404, "NOT_FOUND", "No published passport for this link.", "Not found", wanted)
    passport, data, revision = found
    audience = reader_audience(passport.gtin)
    data = visible(data, audience)
    link = store.digital_link(public_url, passport)
    name = (data.get("product") or {}).get("name") or f"GTIN {passport.gtin}"
    link_type = args.get("linkType", "")
    if link_type in ("linkset", "all") or (not link_type and wanted == LINKSET):
        response = jsonify(_links(levels, name, audience))
        response.mimetype = LINKSET
    elif link_type or wanted is None:
        targets = choose(_links(levels, name, audience)["linkset"], link_type or "gs1:defaultLink",
                         request.accept_languages, request.accept_mimetypes if link_type else None,
                         args.get("context"))
        if not targets:
            return _error(404, "NOT_FOUND", f"This item has no link of type “{link_type[:80]}”.",
                          "No such link", wanted or JSON, link)
        if len(targets) > 1:
            response = _choices(targets, relation(link_type or "gs1:defaultLink"), link, name, wanted)
        else:
            response = redirect(with_query(targets[0]["href"], list(args.items(multi=True))), code=307)
    elif wanted in (JSONLD, JSON):
        response = jsonify(credential(passport, revision, data, public_url, link, _lifecycle(passport, dl.serial)))
        response.mimetype = JSONLD
    else:
        response = _page(passport, data, revision, link, audience, _lifecycle(passport, dl.serial))
    response.headers["Link"] = link_header(link)
    response.headers["Cache-Control"] = "public, max-age=60"
    return _private(response, audience)


def reader_audience(gtin: Optional[str]) -> Audience:
    """Who reads: a valid X-API-Key says (restricted readers, owners); procurement staff and admins
    signed in to the portal own the passports; everyone else is the public. A wrong or expired key
    reads as the public: the public page is never refused."""
    raw = request.headers.get("X-API-Key")
    if raw:
        key = find_key(db(), raw)
        if key is not None and key.refusal(utcnow()) is None:
            return key_audience(key, gtin=gtin)
    if "_user_id" in session and current_user.is_authenticated and current_user.role in STAFF:
        return "owner"
    return "public"


def _private(response: Response, audience: Audience) -> Response:
    """What a restricted reader or an owner sees must never sit in a shared cache."""
    response.vary.add("X-API-Key")
    if audience != "public":
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _links(levels: list, name: str, audience: Audience) -> dict:
    """Built only for the answers that need it: the page and the credential are the hot path."""
    public_url = settings().public_url
    return linkset([(store.digital_link(public_url, p), page_url(public_url, p.dl_key), _describe(name, p.lot, p.serial),
                     visible(r.data, audience)) for p, r in levels])


def _choices(targets: list, rel: str, link: str, name: str, wanted: Optional[str]) -> Response:
    """300 Multiple Choices: the links nothing in the request could choose between (GS1 resolver),
    as a list for a person and as a one-entry linkset for a machine."""
    if wanted == HTML:
        return make_response(render_template("passports/choices.html", title=name, links=targets), 300)
    response = jsonify({"linkset": [{"anchor": link, "itemDescription": name, rel: targets}]})
    response.status_code, response.mimetype = 300, LINKSET
    return response


def _lifecycle(passport, serial: Optional[str]) -> lifecycle.Timeline:  # noqa: ANN001
    """The lifecycle to show: an item's own, or one unit's when a lot or model passport answers
    a link with a serial number (every unit's without one)."""
    return lifecycle.timeline(db(), passport, serial)


def _page(passport, data, revision, link: Optional[str], audience: Audience,  # noqa: ANN001
          line: lifecycle.Timeline) -> Response:
    svg, _ = qr_image(link, "svg")
    response = make_response(render_template(
        "passports/page.html", passport=passport, data=data, revision=revision, link=link, audience=audience,
        access_url=access_request_url(settings().public_url, passport.dl_key),
        lifecycle=line, event_label=lifecycle.label,
        level=level(passport.lot, passport.serial), title=(data.get("product") or {}).get("name") or gettext("Product passport"),
        qr_data_uri="data:image/svg+xml;base64," + base64.b64encode(svg).decode()))
    response.headers["Link"] = link_header(link)
    return response


def _describe(name: str, lot: Optional[str], serial: Optional[str]) -> str:
    return name + (f", lot {lot}" if lot else "") + (f", serial number {serial}" if serial else "")


def _negotiate() -> Optional[str]:
    """The format the client named itself; None when it named none of ours (curl's */*): then the
    resolver redirects to the default link. No Accept header at all is read as a person."""
    if not request.headers.get("Accept"):
        return HTML
    named = {value.lower(): quality for value, quality in request.accept_mimetypes if quality > 0}
    ours = [m for m in (HTML, XHTML, JSONLD, LINKSET, JSON) if m in named]
    if not ours:
        return None
    best = max(ours, key=lambda m: named[m])
    return HTML if best == XHTML else best


def _error(status: int, code: str, message: str, title: str, wanted: Optional[str] = "", link: Optional[str] = None
           ) -> Response:
    """The reason in plain words: a page for a person, the API's error shape for a machine."""
    if wanted == "":
        wanted = _negotiate()
    if wanted == HTML:
        response = make_response(render_template("error.html", title=title, message=message), status)
    else:
        response = jsonify({"error": {"code": code, "message": message, "details": None}})
        response.status_code = status
    if link:
        response.headers["Link"] = link_header(link)
    return response
