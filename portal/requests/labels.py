"""Words people see for the portal's codes: document types, statuses, events, field names, enum
values and validation findings. Every page asks here; the words themselves are data — the
schemas' own keywords (`title`, `description`, `x-enum-labels`, `x-message`) first, then
data/labels.json.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingestion import load_schema
from babel import Locale

from portal.i18n import N_, current_language
from portal.i18n import gettext as _
from portal.i18n.stored import translate_stored

ANSWERED = {"submitted", "in_review", "approved", "cancelled"}
_DATA_FILE = Path(__file__).parent / "data" / "labels.json"


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    return json.loads(_DATA_FILE.read_text(encoding="utf-8"))


def humanize(code: str) -> str:
    """Last resort for a code nobody labelled: "user_defined" -> "User defined"."""
    return re.sub(r"[_.]+", " ", str(code)).strip().capitalize()


# --- statuses, types, events -----------------------------------------------------------------

def is_overdue(status: str, due: date, today: date | None = None) -> bool:
    """Overdue is derived, never stored: past the due date and not answered."""
    return status not in ANSWERED and due < (today or date.today())


def declaration_label(status: str) -> tuple[str, str]:
    """(words, badge tone) of a declaration status."""
    words, tone = data()["declaration_status"].get(status, (humanize(status), "pending"))
    return _(words), tone


def request_label(status: str, due: date, today: date | None = None) -> tuple[str, str]:
    table = data()["request_status"]
    words, tone = table["overdue"] if is_overdue(status, due, today) else table.get(status, (humanize(status), "pending"))
    return _(words), tone


def request_status_words(status: str) -> str:
    return _(data()["request_status"].get(status, (humanize(status),))[0])


def type_title(document_type: str | None) -> str:
    """"Certificate", "Conflict Minerals Reporting Template (CMRT)" — for headings and lists."""
    entry = data()["document_types"].get(document_type or "")
    return _(entry[0]) if entry else humanize(document_type or "document")


def type_noun(document_type: str | None) -> str:
    """"certificate", "conflict minerals report (CMRT)" — inside a sentence."""
    entry = data()["document_types"].get(document_type or "")
    return _(entry[1]) if entry else humanize(document_type or "document").lower()


def role_label(role: str | None) -> str:
    return _(data()["roles"].get(role or "", humanize(role or "")))


def check_label(code: str | None) -> str:
    """A certificate register check ("holder_mismatch") in a few words, for its badge."""
    return _(data()["certificate_checks"].get(code or "", humanize(code or "")))


def event_label(code: str | None) -> str:
    return _(data()["events"].get(code or "", humanize(code or "")))


def reminder_label(key: str | None) -> str:
    """A certificate reminder's key ("before-30", "expired", "after-2") in words."""
    kind, _sep, n = (key or "").partition("-")
    if kind == "before" and n.isdigit():
        return _("Reminder %(n)s days before expiry", n=n)
    if kind == "after" and n.isdigit():
        return _("Reminder no. %(n)s after expiry", n=n)
    return _("Expiry notice") if kind == "expired" else humanize(key or "")


# --- the schema's words ------------------------------------------------------------------------

def _resolve(node: dict, root: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _overlay(document_type: str, pattern_path: str) -> dict:
    return data()["schemas"].get(document_type, {}).get(pattern_path, {})


def schema_node(document_type: str, path: str) -> dict | None:
    """The schema of the value at a record path (/smelters/3/metal), with the overlay's keywords;
    None where the schema does not describe it."""
    try:
        root = load_schema(document_type)
    except Exception:  # noqa: BLE001 - an unknown type simply has no labels
        return None
    node, pattern = _resolve(root, root), ""
    for part in [p for p in path.split("/") if p]:
        if part.isdigit() and "items" in node:
            node, pattern = _resolve(node["items"], root), pattern + "/*"
        elif part in node.get("properties", {}):
            node, pattern = _resolve(node["properties"][part], root), f"{pattern}/{part}"
        elif isinstance(node.get("additionalProperties"), dict):
            names = _resolve(node.get("propertyNames", {}), root)
            node, pattern = keyed_node(node, part, _resolve(node["additionalProperties"], root)), f"{pattern}/{part}"
            node = {**node, "title": node.get("title") or enum_label(part, names)}
        else:
            return None
    return {**node, **_overlay(document_type, pattern)}


def keyed_node(map_node: dict, key: str, value_node: dict) -> dict:
    """The schema of one key's value in an open map (CMRT question "e"): the map's shared value
    schema with what the map's `x-key-overlays` says for that key (e.g. that question's choices),
    merged one level into `properties`."""
    overlay = map_node.get("x-key-overlays", {}).get(key)
    if not isinstance(overlay, dict):
        return value_node
    merged = {**value_node, **{k: v for k, v in overlay.items() if k != "properties"}}
    if "properties" in overlay:
        merged["properties"] = {**value_node.get("properties", {})}
        for name, extra in overlay["properties"].items():
            merged["properties"][name] = {**merged["properties"].get(name, {}), **extra}
    return merged


def enum_label(value: Any, node: dict | None = None) -> str:
    """One enum value in words: the schema's x-enum-labels, then the shared table, then humanized."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    text = str(value)
    own = (node or {}).get("x-enum-labels", {})
    words = own.get(text) or data()["enum_values"].get(text)
    return _(words) if words else humanize(text)


def field_title(document_type: str, path: str) -> str:
    """The title of the field alone ("Metal")."""
    parts = [p for p in path.split("/") if p]
    node = schema_node(document_type, path)
    if node and node.get("title"):
        return _(node["title"])
    return enum_label(parts[-1]) if parts else type_title(document_type)


def field_label(document_type: str, path: str) -> str:
    """Where a value sits, in words: /smelters/3/metal -> "Smelter list › row 4 › Metal"."""
    parts = [p for p in path.split("/") if p]
    words = []
    for i, part in enumerate(parts):
        if part.isdigit():
            words.append(_("row %(n)d", n=int(part) + 1))
        else:
            words.append(field_title(document_type, "/" + "/".join(parts[:i + 1])))
    return trail(words) or _("The whole declaration")


def trail(words: list[str]) -> str:
    """Words of a path joined with "›", a word said twice in a row said once: a group and its only
    field often share a title ("Certification body › Certification body")."""
    kept = [w for i, w in enumerate(words) if i == 0 or w.casefold() != words[i - 1].casefold()]
    return " › ".join(kept)


def change_where(document_type: str, path: str) -> str:
    """Where a change happened, as people say it: /smelters/3/country -> "Smelter 4 — Country",
    /company/name -> "Company › Name". A list row is named by its item title and number."""
    parts = [p for p in path.split("/") if p]
    groups: list[str] = []
    words: list[str] = []
    for i, part in enumerate(parts):
        here = "/" + "/".join(parts[:i + 1])
        if part.isdigit():
            node = schema_node(document_type, here) or {}
            # a row with its own name ("Smelter 4") stands for its list ("Smelter list")
            item = words.pop() if not node.get("title") and words else _(node.get("title") or "Row")
            if node.get("title") and words:
                words.pop()
            if words:
                groups.append(trail(words))
                words = []
            groups.append(f"{item} {int(part) + 1}")
        else:
            words.append(field_title(document_type, here))
    if words:
        groups.append(trail(words))
    return " — ".join(groups) or _("The whole declaration")


def change_lines(document_type: str, path: str | None, before: Any, after: Any) -> list[dict[str, str]]:
    """An audit entry's change as lines of {where, before, after} in words: one per leaf that
    differs, so a whole object changed at once reads "Smelter 4 — Country: Peru → Bolivia"
    rather than as a structure."""
    if not path:  # an entry about the declaration as a whole: its keys are the entry's own words
        return _entry_lines(document_type, before, after)
    return _leaf_lines(document_type, _leaves(before, path), _leaves(after, path))


def record_lines(document_type: str, before: Any, after: Any) -> list[dict[str, str]]:
    """A change of the whole record (a prefill's one audit entry) as change_lines words it, one
    line per leaf that differs; an empty record before it is no value."""
    return _leaf_lines(document_type, *(_leaves(v, "") if v else {} for v in (before, after)))


def _leaf_lines(document_type: str, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    lines = []
    for leaf in sorted(old.keys() | new.keys(), key=_natural):
        if old.get(leaf) == new.get(leaf):
            continue
        was, now = old.get(leaf), new.get(leaf)
        if leaf.startswith("note:"):  # a reviewer's note on one field
            where = _("Note on “%(field)s”", field=field_label(document_type, leaf[5:]))
        else:
            where = change_where(document_type, leaf) if leaf.strip("/") else ""
        if leaf.rsplit("/", 1)[-1] in ("document_type", "type"):
            was, now = (type_title(v) if isinstance(v, str) else v for v in (was, now))
        lines.append({"path": leaf if not leaf.startswith("note:") else leaf[5:], "where": where,
                      "before": display_value(was, document_type, leaf), "after": display_value(now, document_type, leaf)})
    return lines


def _entry_lines(document_type: str, before: Any, after: Any) -> list[dict[str, str]]:
    """Lines of an entry without a field path (approved, attested, pushed…): one per top-level
    key, named by enum_label (never looked up in the schema: "answers" of a push are the
    target's answers, not the CMRT's questions); reviewer notes one line per field."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        return [] if before == after else [{"path": "", "where": "", "before": display_value(before),
                                            "after": display_value(after)}]
    old, new = (v if isinstance(v, dict) else {} for v in (before, after))
    lines = []
    for key in [*old, *(k for k in new if k not in old)]:
        was, now = old.get(key), new.get(key)
        if was == now:
            continue
        if key == "field_notes" and isinstance(now or was, dict):
            for field, note in (now or {}).items():
                lines.append({"path": field, "where": _("Note on “%(field)s”", field=field_label(document_type, field)),
                              "before": "—", "after": str(note)})
            continue
        if key in ("document_type", "type"):
            was, now = (type_title(v) if isinstance(v, str) else v for v in (was, now))
        lines.append({"path": "", "where": enum_label(key), "before": display_value(was), "after": display_value(now)})
    return lines


def _leaves(node: Any, path: str) -> dict[str, Any]:
    if isinstance(node, dict) and isinstance(node.get("field_notes"), dict):
        notes = {f"note:{p}": n for p, n in node["field_notes"].items()}
        return {**_leaves({k: v for k, v in node.items() if k != "field_notes"}, path), **notes}
    if isinstance(node, dict) and node:
        return {k: v for key, value in node.items() for k, v in _leaves(value, f"{path}/{key}").items()}
    if isinstance(node, list) and node and any(isinstance(v, (dict, list)) for v in node):
        return {k: v for i, value in enumerate(node) for k, v in _leaves(value, f"{path}/{i}").items()}
    return {path: node}


def _natural(path: str) -> list:
    """/smelters/10 after /smelters/9."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in path.split("/")]


def choices(document_type: str, path: str) -> list[tuple[str, str]] | None:
    """(value as the correction form sends it, words) for a field with a fixed set of values — an
    enum or yes/no — so a reviewer picks words instead of typing a code; None for free text."""
    node = schema_node(document_type, path) or {}
    kinds = node.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "boolean" in kinds and "enum" not in node:
        return [("Yes", _("Yes")), ("No", _("No"))]
    values = [v for v in node.get("enum") or [] if isinstance(v, str)]
    return [(v, enum_label(v, node)) for v in values] or None


def display_value(value: Any, document_type: str | None = None, path: str = "") -> str:
    """A stored value as people read it: enum labels, Yes/No, lists and objects spelt out."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    node = schema_node(document_type, path) if document_type else None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return "; ".join(f"{enum_label(k)}: {_keyed_value(k, v, document_type, path)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(display_value(v, document_type, f"{path}/{i}") for i, v in enumerate(value))
    if isinstance(value, str) and node and ("enum" in node or node.get("x-enum-labels")):
        return enum_label(value, node)
    if isinstance(value, str) and node is None:  # a code inside an audit entry, not a typed text
        if value in data()["declaration_status"]:
            return declaration_label(value)[0]
        if value in data()["enum_values"]:
            return enum_label(value)
        if value in data()["certificate_checks"]:
            return check_label(value)
    return str(value)


def _keyed_value(key: str, value: Any, document_type: str | None, path: str) -> str:
    """A value inside an audit entry's before/after object, worded by what its key is."""
    if key in ("document_type", "type") and isinstance(value, str):
        return type_title(value)
    if key == "field_notes" and isinstance(value, dict):
        return "; ".join(f"{field_label(document_type, p) if document_type else p} — {n}" for p, n in value.items()) or "—"
    return display_value(value, document_type, f"{path}/{key}")


# --- findings ------------------------------------------------------------------------------------

_REQUIRED = re.compile(r"^'(?P<name>[^']+)' is a required property$")
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^[^ ]+ is required but missing$"), "required"),   # ingestion's schema_findings
    (re.compile(r" does not match "), "pattern"),
    (re.compile(r" is not a '(?P<format>[\w-]+)'$"), "format"),
    (re.compile(r" is not one of "), "enum"),
    (re.compile(r" is not of type '(?P<type>\w+)'"), "type"),
    (re.compile(r" is less than (or equal to )?the minimum of (?P<n>\S+)$"), "minimum"),
    (re.compile(r" is greater than (or equal to )?the maximum of (?P<n>\S+)$"), "maximum"),
    (re.compile(r"(should be non-empty|is too short|\[\] should be non-empty)$"), "empty"),
    (re.compile(r" has non-unique elements$"), "unique"),
    (re.compile(r"^Additional properties are not allowed"), "extra"),
    (re.compile(r" is not valid under any of the given schemas$|^.* is not allowed for "), "invalid"),
]
_TYPE_WORDS = {"number": N_("Enter a number, e.g. 12.5."), "integer": N_("Enter a whole number."),
               "boolean": N_("Choose Yes or No."), "string": N_("Enter text."), "array": N_("Add one or more rows."),
               "object": N_("Fill in this section.")}


def _schema_kind(message: str) -> tuple[str, dict[str, str]] | None:
    for pattern, kind in _RULES:
        match = pattern.search(message)
        if match:
            return kind, {k: v for k, v in match.groupdict().items() if v}
    return None


def human_message(document_type: str, path: str, message: str) -> str:
    """A validator's finding in words a supplier can act on; business-rule findings, already
    written for people (in English, by the extraction), in the reader's language."""
    found = _schema_kind(message)
    if found is None:
        return translate_stored(message) or message
    kind, parts = found
    if kind == "required":  # the path is the missing field's own; its x-message is about its form
        return _("Fill in “%(field)s”.", field=field_title(document_type, path))
    node = schema_node(document_type, path) or {}
    if node.get("x-message"):
        return _(node["x-message"])
    if kind == "pattern":
        return _(data()["patterns"].get(node.get("pattern", ""), N_("This is not in the expected form; check it against the document.")))
    if kind == "format":
        return _(data()["formats"].get(parts.get("format", ""), N_("This is not in the expected form.")))
    if kind == "enum":
        choices = [enum_label(v, node) for v in node.get("enum", [])]
        return _("Choose one of: %(choices)s.", choices=", ".join(choices)) if choices else _("Choose one of the listed answers.")
    if kind == "type":
        return _(_TYPE_WORDS.get(parts.get("type", ""), N_("This value has the wrong form.")))
    if kind == "minimum":
        return _("Enter %(n)s or more.", n=parts["n"]) if "equal" not in message else _("Enter more than %(n)s.", n=parts["n"])
    if kind == "maximum":
        return _("Enter %(n)s or less.", n=parts["n"]) if "equal" not in message else _("Enter less than %(n)s.", n=parts["n"])
    if kind == "empty":
        return _("Fill this in.")
    if kind == "unique":
        return _("Each entry may appear only once; remove the repeated one.")
    if kind == "extra":
        return _("This part of the record has entries the form does not know; remove them.")
    return _("This value is not accepted here; check it against the document.")


def human_findings(document_type: str, findings: list[dict] | None) -> list[dict]:
    """Findings with a `label` (where, in words), a `message` for people and the `path` of the
    field they are about (a missing field's own path, not its parent's)."""
    out = []
    for finding in findings or []:
        path, message = finding.get("path") or "/", finding.get("message", "")
        missing = _REQUIRED.match(message)
        if missing:
            path = path.rstrip("/") + "/" + missing.group("name")
            text = _("Fill in “%(field)s”.", field=field_title(document_type, path))
        else:
            text = human_message(document_type, path, message)
        out.append({**finding, "path": path, "message": text, "raw": message,
                    "label": field_label(document_type, path)})
    return out


# --- coded findings: short badges ---------------------------------------------------------------

def country_name(code: str | None, fallback: str = "") -> str:
    """A country in the reader's language ("PE" -> "Peru", "Pérou"), else the text as given."""
    if not code:
        return fallback
    return Locale.parse(current_language()).territories.get(code.upper()) or fallback or code


def finding_badge(document_type: str, finding: dict) -> str | None:
    """The few words of a coded finding's badge ("Country differs from RMI's list (RMI: Peru)");
    None for a finding without a known code, which is shown by its message alone."""
    words = data()["finding_kinds"].get(finding.get("code") or "")
    if words is None:
        return None
    params = dict(finding.get("params") or {})
    if "listed" in params:
        listed = params["listed"]
        params["listed"] = (country_name(params.get("listed_code"), listed) if "listed_code" in params
                            else display_value(listed, document_type, finding.get("path", "")))
    quoted = {key: value for key, value in params.items() if "%(" + key + ")s" in words}
    return _(words, **quoted)
