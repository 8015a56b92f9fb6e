"""A history entry in words: who did it (a person's e-mail, or the portal's own process named in
labels.json `actors`), when (to the minute, UTC, as every page of the portal shows times), and
what changed — a push to the passport store summarised from its answer (labels.json
`push_targets`, `push_answer`) instead of the store's whole JSON."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from portal.i18n import gettext as _
from portal.timeutil import minute

from . import labels
from .declarations import PREFILLED


def actor_label(actor: str | None) -> str:
    """Who did it: a person's e-mail as it is, the portal's own processes in words, an API key by name."""
    actor = actor or ""
    own = labels.data()["actors"].get(actor)
    if own:
        return _(own)
    kind, sep, name = actor.partition(":")
    if sep and kind == "api":
        return _("API key “%(name)s”", name=name)
    if sep and kind == "public":
        return name
    return actor


def breaks_between_parts(text: str) -> Markup:
    """Text with a line-break opportunity before an e-mail address's "@" and each dot after it, so
    a narrow column wraps "procurement1 | @example.test" rather than "procurement1@exampl | e.test"."""
    local, at, domain = str(text).partition("@")
    if not at:
        return escape(text)
    return escape(local) + Markup("<wbr>@") + Markup("<wbr>.").join(escape(part) for part in domain.split("."))


def history_lines(document_type: str, action: str, path: str | None, before: Any, after: Any,
                  field: str | None = None) -> list[dict[str, Any]]:
    """An audit entry's change as lines of {path, where, before, after} in words; a line whose two
    sides read the same ("—" → "—": an empty record replaced by nothing) says nothing and is left out.
    `words`: the new value is the portal's own words (to translate), not data. `field`: only the
    lines about that field (a prefill's entry holds every field). `linked`: the line is about a
    field of the record (its own history is a link)."""
    if action == "passport.pushed" and isinstance(after, dict) and "answers" in after:
        return _push_lines(after)
    if action == PREFILLED:
        lines = [{**line, "linked": True} for line in labels.record_lines(document_type, before, after)
                 if field is None or _within(line["path"], field)]
    else:
        lines = [{**line, "linked": bool(path)} for line in labels.change_lines(document_type, path, before, after)]
    return [line for line in lines if line["before"] != line["after"]]


def _within(path: str, field: str) -> bool:
    """`path` is `field`, inside it, or holds it (a list of values is one line, one field each)."""
    return path == field or path.startswith(field.rstrip("/") + "/") or field.startswith(path + "/")


def _push_lines(after: dict) -> list[dict[str, Any]]:
    """Where the record went and what the store said: when it received it, its record number, the
    passports it updated and what it did not find — not its ids and bookkeeping."""
    target = after.get("target")
    words = labels.data()["push_targets"].get(target)
    lines = [{**_line(labels.enum_label("target"), _(words) if words else str(target or "—")), "words": bool(words)}]
    answers = [a for a in after.get("answers") or [] if isinstance(a, dict)]
    for n, answer in enumerate(answers, 1):
        prefix = _("Answer %(n)d", n=n) + " — " if len(answers) > 1 else ""
        parts = {**answer, **(answer.get("unmatched") if isinstance(answer.get("unmatched"), dict) else {})}
        for key, label in labels.data()["push_answer"].items():
            value = _answer_value(key, parts.get(key))
            if value:
                lines.append(_line(prefix + _(label), value))
    return lines


def _answer_value(key: str, value: Any) -> str:
    if value in (None, "", [], {}):
        return ""
    if key == "received_at":
        return minute(value) + " UTC"
    if key == "passports" and isinstance(value, list):  # what the store applied: one entry per passport
        return ", ".join(str(p.get("gtin") or p.get("passport_id")) if isinstance(p, dict) else str(p) for p in value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _line(where: str, after: str) -> dict[str, Any]:
    return {"path": "", "where": where, "before": "—", "after": after}
