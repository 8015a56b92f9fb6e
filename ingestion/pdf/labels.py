"""The wording data (data/*.json) as Python objects: field labels, statement cues, schemes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .layout import fold, match_key

DATA = Path(__file__).resolve().parent / "data"
ROLES = ("labels", "phrases", "captions")   # "negations" is not a role: see negations_for


@dataclass(frozen=True)
class Label:
    field: str
    role: str           # "labels" | "phrases" | "captions" (see data/labels.json)
    text: str
    key: str            # match_key of the whole wording, spaces removed


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def labels_for(field: str) -> tuple[Label, ...]:
    """All wordings of a field, longest first (so the most specific wins an overlap)."""
    entry = load("labels")[field]
    found = {
        Label(field, role, text, match_key(text))
        for role in ROLES
        for texts in entry.get(role, {}).values()
        for text in texts
        if match_key(text)
    }
    return tuple(sorted(found, key=lambda lb: (-len(lb.key), lb.role, lb.text)))


@lru_cache(maxsize=None)
def all_labels() -> tuple[Label, ...]:
    """Every key-value label of every field: where one value ends, the next label starts."""
    fields = [f for f in load("labels") if not f.startswith("_")]
    return tuple(lb for f in fields for lb in labels_for(f) if lb.role == "labels" and len(lb.key) >= 4)


@lru_cache(maxsize=None)
def cues(name: str) -> tuple[str, ...]:
    """A cue list from data/cues.json, folded; per-language lists are merged, longest first."""
    entry = load("cues")[name]
    if isinstance(entry, dict):
        texts = [t for lang, ts in entry.items() if not lang.startswith("_") for t in ts]
    else:
        texts = list(entry)
    return tuple(sorted({fold(t) for t in texts}, key=len, reverse=True))


def country_aliases() -> dict[str, str]:
    return {k: v for k, v in load("cues")["country_aliases"].items() if not k.startswith("_")}


@lru_cache(maxsize=None)
def negations_for(field: str) -> tuple[str, ...]:
    """Words that, right before a label, make it another field's ("initial" certification date)."""
    entry = load("labels")[field].get("negations", {})
    return tuple(match_key(t) for texts in entry.values() for t in texts)
