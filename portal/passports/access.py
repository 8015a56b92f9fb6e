"""Access levels of passport fields: the one filter every reader goes through (the public page,
the JSON-LD credential, the linkset, and the API's reads).

Each field is public, restricted or private, as schemas/passport/access.json says (data, not
code: a new field is public until a rule there says otherwise). A reader is an audience:
`public` (anyone, and read-scope API keys), `restricted` (keys with the passport:restricted scope:
recyclers, repairers, market surveillance) or `owner` (write-scope keys and portal staff), who
sees everything. No Flask here, so the resolver and the API share it."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Literal, Optional, Protocol

from portal.settings import PROJECT_ROOT

Audience = Literal["public", "restricted", "owner"]
Kind = Literal["data", "passport", "revision"]
ACCESS_PATH = PROJECT_ROOT / "schemas" / "passport" / "access.json"
FIELD_LEVELS = ("public", "restricted", "private")
# how far each audience may see: a field is visible when its level's rank is at most this
AUDIENCE_RANK: dict[str, int] = {"public": 0, "restricted": 1, "owner": 2}
RESTRICTED_SCOPE = "passport:restricted"


class _Key(Protocol):
    scope: str
    restricted_gtin: Optional[str]


@lru_cache(maxsize=1)
def access_map() -> dict[str, dict[tuple[str, ...], int]]:
    """{kind: {path parts: level rank}} from access.json; a level that is not one of ours is a
    bug in the file, found at start-up rather than by showing a field to the wrong reader."""
    raw = json.loads(ACCESS_PATH.read_text(encoding="utf-8"))
    rules: dict[str, dict[tuple[str, ...], int]] = {}
    for kind in ("data", "passport", "revision"):
        rules[kind] = {}
        for path, level in raw.get(kind, {}).items():
            if level not in FIELD_LEVELS or not path.startswith("/"):
                raise ValueError(f"{ACCESS_PATH.name}: {kind} {path!r}: level must be one of {FIELD_LEVELS}")
            rules[kind][tuple(path.strip("/").split("/"))] = FIELD_LEVELS.index(level)
    return rules


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, frozenset[tuple[str, ...]]]:
    """The paths under which some rule lies: the walk descends only into those, so filtering a
    passport costs a few dictionary lookups, not a visit of every value."""
    return {kind: frozenset(path[:i] for path in rules for i in range(len(path)))
            for kind, rules in access_map().items()}


def field_level(kind: Kind, path: str) -> str:
    """The level of one field ("/substances/0/concentration_percent"): the rule nearest above it."""
    parts = tuple("*" if part.isdigit() else part for part in path.strip("/").split("/"))
    rules = access_map()[kind]
    for end in range(len(parts), 0, -1):
        if parts[:end] in rules:
            return FIELD_LEVELS[rules[parts[:end]]]
    return "public"


def visible(document: Any, audience: Audience, kind: Kind = "data") -> Any:
    """A copy of `document` holding only what `audience` may read (the input is never changed)."""
    if audience == "owner":
        return document
    return _walk(document, (), AUDIENCE_RANK[audience], access_map()[kind], _prefixes()[kind])


def _walk(node: Any, path: tuple[str, ...], rank: int, rules: dict, prefixes: frozenset) -> Any:
    if path not in prefixes:   # no rule below here: share the subtree as it is
        return node
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            child = (*path, key)
            if rules.get(child, 0) > rank:
                continue
            out[key] = _walk(value, child, rank, rules, prefixes)
        return out
    if isinstance(node, list):
        child = (*path, "*")
        if rules.get(child, 0) > rank:
            return []
        return [_walk(value, child, rank, rules, prefixes) for value in node]
    return node


def key_audience(key: Optional[_Key], scope: Optional[str] = None, gtin: Optional[str] = None) -> Audience:
    """What an API key may read of the passport(s) of `gtin`: write keys own the store's passports
    (one store, one owner), a key with the passport:restricted scope is an authorised reader, any
    other key reads what the public page shows. No key: the public.

    `scope` is the effective scope when it differs from the key's (an OAuth2 token asked for less
    than its client may do: a `read` token of a `write` client reads like a read key). A grant
    approved from one passport's page (`restricted_gtin`) reads restricted data of that GTIN only
    (all its lots and serials) and the public view of anything else, a list without a GTIN too."""
    if key is None:
        return "public"
    scopes = (key.scope if scope is None else scope).split()
    if "write" in scopes:
        return "owner"
    if RESTRICTED_SCOPE in scopes and (key.restricted_gtin is None or key.restricted_gtin == gtin):
        return "restricted"
    return "public"


def visible_record(body: dict[str, Any], audience: Audience, kind: Kind) -> dict[str, Any]:
    """An API passport or revision (`kind`) with its envelope and its `data` filtered alike."""
    if audience == "owner":
        return body
    out = visible(body, audience, kind)
    if isinstance(out.get("data"), dict):
        out["data"] = visible(out["data"], audience, "data")
    return out


def may_read(audience: Audience, kind: Kind, path: str) -> bool:
    return AUDIENCE_RANK[audience] >= FIELD_LEVELS.index(field_level(kind, path))
