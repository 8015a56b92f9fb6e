"""The RFC 9264 linkset of a Digital Link, shaped as GS1's linkset schema wants it: one entry per
level that has a published passport (item, then lot, then product), each with its `anchor`, an
`itemDescription` and only ratified GS1 link types (plus IANA relations for what GS1 has no type
for); and the choice of one link when a client asks for a link type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote, urlencode

from werkzeug.datastructures import LanguageAccept, MIMEAccept

GS1_DATA = json.loads((Path(__file__).parent / "data" / "gs1.json").read_text(encoding="utf-8"))
GS1 = GS1_DATA["namespace"]
DOC_LINK_TYPES: dict[str, str] = GS1_DATA["document_link_types"]


def page_url(public_url: str, dl_path: str) -> str:
    """The passport page of a level: the target of its gs1:pip and gs1:defaultLink. It has a URL of its
    own so a resolver redirect to the default link never points back at itself."""
    return f"{public_url.rstrip('/')}/passport/{dl_path}"


def access_request_url(public_url: str, dl_path: str) -> str:
    """The form asking for a level's restricted fields (portal/access); not under the page's own path,
    where a serial number "access" would be read as the form."""
    return f"{public_url.rstrip('/')}/passport/access/{dl_path}"


def _entry(link: str, page: str, description: str, data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "anchor": link, "itemDescription": description,
        # the default link carries a title and nothing else (GS1-Conformant Resolver 1.0)
        GS1 + "defaultLink": [{"href": page, "title": f"{description}: product passport"}],
        GS1 + "pip": [{"href": page, "title": f"{description}: product passport", "type": "text/html"}],
    }
    for cert in data.get("certificates") or []:
        if cert.get("url"):
            entry.setdefault(GS1 + GS1_DATA["certificate_link_type"], []).append(
                {"href": cert["url"], "title": f"{cert.get('standard') or cert['scheme']} certificate {cert['number']}"})
    for doc in data.get("documents") or []:
        kind = DOC_LINK_TYPES.get(doc["doc_type"])
        rel = GS1 + kind if kind else GS1_DATA["other_document_relation"]
        target = {"href": doc["url"], "title": doc.get("title") or doc["doc_type"].replace("_", " ").capitalize()}
        if doc.get("language"):
            target["hreflang"] = [doc["language"]]
        if doc.get("media_type"):
            target["type"] = doc["media_type"]
        if doc.get("context"):
            target["context"] = doc["context"]
        entry.setdefault(rel, []).append(target)
    return entry


def linkset(levels: list[tuple[str, str, str, dict[str, Any]]]) -> dict[str, Any]:
    """`levels`: (digital link, page URL, item description, that level's own data), most specific first."""
    return {"linkset": [_entry(link, page, description, data) for link, page, description, data in levels]}


def relation(link_type: str) -> str:
    """gs1:pip, https://gs1.org/voc/pip and https://ref.gs1.org/voc/pip all name one relation."""
    for alias in GS1_DATA["namespace_aliases"]:
        if link_type.startswith(alias):
            return GS1 + link_type[len(alias):]
    return link_type


def choose(entries: list[dict[str, Any]], link_type: str, languages: LanguageAccept,
           media: Optional[MIMEAccept] = None, context: Optional[str] = None) -> list[dict[str, Any]]:
    """The links of that type at the most specific level holding any, narrowed to the media type the
    reader prefers (Accept, among links that say their `type`), then to the `?context=` asked for,
    then to the reader's language (Accept-Language), else to those without a language: one is a
    redirect, several that nothing in the request tells apart are offered as a choice (300), none is
    a 404."""
    rel = relation(link_type)
    for entry in entries:
        links = _by_context(_by_media_type(entry.get(rel) or [], media), context)
        if not links:
            continue
        offered = [lang for link in links for lang in link.get("hreflang", [])]
        best = languages.best_match(offered) if offered and languages else None
        if best:
            return [link for link in links if best in link.get("hreflang", [])]
        return [link for link in links if not link.get("hreflang")] or links
    return []


def _by_media_type(links: list[dict[str, Any]], media: Optional[MIMEAccept]) -> list[dict[str, Any]]:
    """The links whose media type the Accept header ranks highest. A link without a `type` ranks as
    Accept's `*/*`; when Accept tells none apart (`*/*`, or no header) all are kept."""
    if not media or not any(link.get("type") for link in links):
        return links
    anything = max((quality for value, quality in media if value == "*/*"), default=0)
    ranks = [media[link["type"]] if link.get("type") else anything for link in links]
    best = max(ranks)
    if best <= 0 or min(ranks) == best:
        return links
    return [link for link, rank in zip(links, ranks) if rank == best]


def _by_context(links: list[dict[str, Any]], context: Optional[str]) -> list[dict[str, Any]]:
    """GS1 Digital Link's `context` keyword: the links whose `context` names it (case does not
    matter: de is DE). A context no link names, or none asked for, falls back to the links that hold
    for every context; when all are context-specific, all stay and the rest of the request chooses."""
    wanted = (context or "").strip().casefold()
    if wanted:
        named = [link for link in links if wanted in {value.casefold() for value in link.get("context", [])}]
        if named:
            return named
    return [link for link in links if not link.get("context")] or links


def with_query(href: str, query: list[tuple[str, str]]) -> str:
    """The target with the request's query string passed on (GS1: SHALL pass on all key=value pairs)."""
    if not query:
        return href
    return href + ("&" if "?" in href else "?") + urlencode(query)


def link_header(link: Optional[str]) -> str:
    """The linkset (and the credential) of the link, and the JSON-LD context that reads the linkset;
    GS1 deprecated listing every link here, so the linkset is the one place links live."""
    context = f'<{GS1_DATA["linkset_context"]}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
    if link is None:
        return f'</.well-known/gs1resolver>; rel="describedby"; type="application/json", {context}'
    quoted = quote(link, safe=":/%")
    return (f'<{quoted}?linkType=linkset>; rel="linkset"; type="application/linkset+json", '
            f'<{quoted}>; rel="alternate"; type="application/ld+json", {context}')


def description_file(public_url: str) -> dict[str, Any]:
    """/.well-known/gs1resolver (GS1-Conformant Resolver 1.0, resolver description file)."""
    root = public_url.rstrip("/")
    return {"name": GS1_DATA["description_file"]["name"], "resolverRoot": root,
            **{k: v for k, v in GS1_DATA["description_file"].items() if k != "name"},
            "jsonLdContextLocation": GS1_DATA["linkset_context"]}
