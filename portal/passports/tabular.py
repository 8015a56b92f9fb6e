"""Passports as spreadsheet rows: the columns of the CSV/XLSX template, import and export, derived
from schemas/passport/passport.json so that a new schema field becomes a column by itself.

Objects are flattened one level ("Product name"); lists of plain values go in one cell, separated
by ";"; lists of objects get numbered groups of columns ("Material 1 name", "Material 1 %", …).
Elements that do not fit a row (due diligence summaries, documents) stay with the JSON API.
No Flask here: the API, the Products page and the bulk job all use it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Iterable, Optional

from .validation import passport_schema

#: numbered groups per list of objects: enough for a typical bill of materials in one row
GROUPS = {"materials": 5, "substances": 3, "certificates": 2}
LEFT_OUT = ("due_diligence", "documents")
LIST_SEPARATOR = ";"
SINGULAR = {"materials": "Material", "substances": "Substance", "certificates": "Certificate"}
#: elements whose own name adds nothing before their fields' names
UNPREFIXED = ("compliance", "recyclability")
WORDS = {"kg": "(kg)", "eu": "EU", "rohs": "RoHS", "reach": "REACH", "svhc": "SVHC", "cas": "CAS", "ec": "EC",
         "url": "URL", "id": "ID", "percentage": "%", "percent": "%"}
RENAMED = {("recyclability", "instructions"): "Recycling instructions",
           ("recyclability", "instructions_url"): "Recycling instructions URL"}
TRUE_WORDS = {"yes", "y", "true", "1", "x", "ja", "oui"}
FALSE_WORDS = {"no", "n", "false", "0", "nein", "non"}
NUMBER = re.compile(r"^-?[0-9]+([.,][0-9]+)?$")


class TableError(Exception):
    """The file as a whole cannot be read as passports (the message says why, for a person)."""


@dataclass(frozen=True)
class Column:
    header: str                  # what a person reads in the spreadsheet
    path: tuple[Any, ...]        # where the value goes in a PassportCreate body ("data", "materials", 0, "name")
    kind: str                    # text | number | integer | boolean | list | choice | date
    choices: tuple[str, ...] = ()
    hint: str = ""               # what to enter, for the template's guide sheet


def _words(name: str) -> str:
    return " ".join(WORDS.get(part, part) for part in name.split("_"))


def _kind(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = defs[name]
        hint = {"date": "a date, 2026-06-30", "country": "a two-letter country code, DE",
                "percent": "a number from 0 to 100", "cas": "a CAS number, 7440-50-8",
                "url": "a web address starting with https://"}.get(name, "")
        kind, choices, _ = _kind(target, defs)
        return ("date" if name == "date" else kind), choices, hint
    if "enum" in schema:
        return "choice", tuple(schema["enum"]), "one of " + ", ".join(_choice_label(c) for c in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return "list", (), f"several values separated by {LIST_SEPARATOR}"
    if kind == "boolean":
        return "boolean", (), "yes or no"
    if kind in ("number", "integer"):
        return kind, (), schema.get("description", "a number")
    return "text", (), schema.get("description", "")


def _choice_label(code: str) -> str:
    return code.replace("_", " ").upper() if code.startswith("iso_") else code.replace("_", " ")


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    schema = passport_schema()
    defs = schema.get("$defs", {})
    out = [Column("GTIN", ("gtin",), "text", hint="GTIN-8, 12, 13 or 14 with its check digit (required)"),
           Column("Lot", ("lot",), "text", hint="batch or lot number, for a batch passport"),
           Column("Serial", ("serial",), "text", hint="serial number, for an item passport"),
           Column("Status", ("status",), "choice", ("draft", "published"), "draft (default) or published")]
    for element, spec in schema["properties"].items():
        if element in LEFT_OUT:
            continue
        if spec.get("type") == "object":
            prefix = "" if element in UNPREFIXED else _words(element).capitalize() + " "
            for field, field_spec in spec["properties"].items():
                header = RENAMED.get((element, field)) or (prefix + _words(field)).strip()
                out.append(Column(header[0].upper() + header[1:], ("data", element, field),
                                  *_kind(field_spec, defs)))
        elif spec.get("type") == "array" and element in GROUPS:
            item = spec["items"]
            for n in range(GROUPS[element]):
                for field, field_spec in item["properties"].items():
                    if field_spec.get("type") in ("array", "object"):
                        continue
                    out.append(Column(f"{SINGULAR[element]} {n + 1} {_words(field)}", ("data", element, n, field),
                                      *_kind(field_spec, defs)))
    return tuple(out)


def headers() -> list[str]:
    return [c.header for c in columns()]


@lru_cache(maxsize=1)
def _by_header() -> dict[str, Column]:
    """Headers match case- and space-insensitively; the JSON path ("data.product.name") works too."""
    out = {}
    for c in columns():
        out[_fold(c.header)] = c
        out[_fold(".".join(str(p + 1) if isinstance(p, int) else p for p in c.path))] = c
    return out


def _fold(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower())


# ---------------------------------------------------------------- import

def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: whole numbers without ".0" (a GTIN typed as a number), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def header_columns(header: list[str]) -> list[Optional[Column]]:
    """The column of each header cell (None for an empty one); refuses unknown or repeated headers,
    since their values would otherwise be lost without anyone noticing."""
    found: list[Optional[Column]] = []
    unknown, seen = [], set()
    for cell in header:
        if not cell.strip():
            found.append(None)
            continue
        column = _by_header().get(_fold(cell))
        if column is None:
            unknown.append(cell.strip())
        elif column.header in seen:
            raise TableError(f"The column “{column.header}” appears twice.")
        else:
            seen.add(column.header)
        found.append(column)
    if unknown:
        shown = ", ".join(f"“{u}”" for u in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise TableError(f"Unknown columns: {shown}. Use the column names of the template (download it below).")
    if not any(c is not None and c.path == ("gtin",) for c in found):
        raise TableError("The first row must name the columns, with a “GTIN” column. Download the template.")
    return found


def row_item(cols: list[Optional[Column]], row: list[str], source_system: str) -> dict[str, Any]:
    """A PassportCreate body from one row. Values that cannot be converted are kept as typed, so
    that validation reports them against their column instead of losing them."""
    body: dict[str, Any] = {"source_system": source_system}
    for column, raw in zip(cols, row):
        text = raw.strip() if isinstance(raw, str) else cell_text(raw)
        if column is None or not text:
            continue
        node: Any = body
        for key, nxt in zip(column.path, column.path[1:]):
            if isinstance(key, int):
                while len(node) <= key:
                    node.append({})
                node = node[key]
            else:
                node = node.setdefault(key, [] if isinstance(nxt, int) else {})
        node[column.path[-1]] = _convert(column, text)
    for element in GROUPS:   # a group left empty between filled ones is not an item
        items = (body.get("data") or {}).get(element)
        if items is not None:
            body["data"][element] = [i for i in items if i]
    return body


def _convert(column: Column, text: str) -> Any:
    if column.kind in ("number", "integer"):
        cleaned = text.rstrip("%").strip().replace(" ", "")
        if NUMBER.match(cleaned):
            number = float(cleaned.replace(",", "."))
            return int(number) if column.kind == "integer" and number.is_integer() else number
        return text
    if column.kind == "boolean":
        folded = text.lower()
        return True if folded in TRUE_WORDS else False if folded in FALSE_WORDS else text
    if column.kind == "list":
        return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    if column.kind == "choice":
        code = re.sub(r"[\s\-./]+", "_", text.strip().lower())
        return code if code in column.choices else text
    if column.kind == "date" and len(text) > 10 and text[:10].count("-") == 2 and text[10] in " T":
        return text[:10]   # a spreadsheet date-time at midnight
    return text


def grid_items(grid: list[list[str]], source_system: str = "spreadsheet import") -> list[dict[str, Any]]:
    """All data rows of a sheet (first row: headers) as PassportCreate bodies. Trailing empty
    rows are dropped; an empty row in between stays, and fails as a row without GTIN."""
    if not grid:
        raise TableError("The file is empty.")
    cols = header_columns([cell_text(h) for h in grid[0]])
    rows = grid[1:]
    while rows and not any(cell_text(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise TableError("The file has a header row but no passports below it.")
    if any("\x00" in c for row in rows for c in row if isinstance(c, str)):
        # no database text column can hold NUL; a file with them is binary, not a spreadsheet's text
        raise TableError("The file contains NUL characters: save it again as CSV or Excel.")
    return [row_item(cols, row, source_system) for row in rows]


def row_number(index: int) -> int:
    """Spreadsheet row of the `index`-th item: row 1 holds the headers."""
    return index + 2


# ---------------------------------------------------------------- results for people

@lru_cache(maxsize=1)
def _path_headers() -> dict[str, str]:
    return {"/" + "/".join(map(str, c.path)): c.header for c in columns()}


def header_of(pointer: str) -> str:
    """The column a JSON pointer from a validation finding refers to ("/data/materials/0/percentage"
    → "Material 1 %"); the element's name for findings about a whole element."""
    parts = pointer.split("/")
    if len(parts) > 3 and parts[1] == "items" and parts[2].isdigit():
        pointer = "/" + "/".join(parts[3:])   # bulk findings carry "/items/<n>" in front
    if pointer in _path_headers():
        return _path_headers()[pointer]
    parts = [p for p in pointer.split("/") if p]
    if len(parts) >= 2 and parts[0] == "data":
        name = parts[1]
        if len(parts) >= 3 and parts[2].isdigit() and name in SINGULAR:
            return f"{SINGULAR[name]} {int(parts[2]) + 1}"
        return _words(name).capitalize()
    return _words(parts[0]).capitalize() if parts else "Row"


_MESSAGES = (
    (re.compile(r"^(.*) is not of type 'number'$"), "{0} is not a number"),
    (re.compile(r"^(.*) is not of type 'integer'$"), "{0} is not a whole number"),
    (re.compile(r"^(.*) is not of type 'boolean'$"), "{0} is not yes or no"),
    (re.compile(r"^(.*) is greater than the maximum of (.*)$"), "{0} is more than {1}"),
    (re.compile(r"^(.*) is less than the minimum of (.*)$"), "{0} is less than {1}"),
    (re.compile(r"^(.*) is not one of \[(.*)\]$"), "{0} is not one of {1}"),
    (re.compile(r"^(.*) does not match '.*'$"), "{0} is not in the expected form"),
    (re.compile(r"^(.*) is too long$"), "{0} is too long"),
    (re.compile(r"^(.*) is not a '(date)'$"), "{0} is not a date (2026-06-30)"),
)


def human_message(message: str) -> str:
    """A jsonschema message in plain words (regular expressions and type names mean little to a person)."""
    for pattern, words in _MESSAGES:
        m = pattern.match(message)
        if m:
            return words.format(*m.groups())
    return message


REQUIRED = re.compile(r"^'(.*)' is a required property$")


def finding(path: str, message: str) -> str:
    """One validation finding as "<column>: <what is wrong>"."""
    required = REQUIRED.match(message)
    if required:   # reported on the parent object: name the missing column itself
        return f"{header_of(path.rstrip('/') + '/' + required.group(1))}: required"
    return f"{header_of(path)}: {human_message(message)}"


def row_result(result: dict[str, Any]) -> dict[str, Any]:
    """A bulk result ({index, status, id | error}) as an import result: the spreadsheet row,
    and each finding as "<column>: <what is wrong>"."""
    out = {"row": row_number(result["index"]), "status": result["status"]}
    if "id" in result:
        out["id"] = result["id"]
        return out
    error = result.get("error") or {}
    details = error.get("details")
    messages = []
    if isinstance(details, list):
        for d in details:
            if isinstance(d, dict) and "path" in d:
                messages.append(finding(str(d["path"]), str(d.get("message", ""))))
    if not messages:
        messages = [error.get("message", "Not imported.")]
    out["code"] = error.get("code")
    out["messages"] = messages
    return out


# ---------------------------------------------------------------- export

@lru_cache(maxsize=1)
def _export_plan() -> tuple[tuple[int, str, tuple[Any, ...]], ...]:
    """(column index, top-level key, rest of the path) per column: a row skips whole elements a
    passport does not have, which is most of the hundred columns (an export of 10,000 rows walks
    them all)."""
    plan = []
    for i, c in enumerate(columns()):
        top, rest = (c.path[1], c.path[2:]) if c.path[0] == "data" else (c.path[0], ())
        plan.append((i, top, rest))
    return tuple(plan)


def passport_row(identity: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    """One export row in the template's columns (so an export can be edited and imported again);
    None for an empty cell (a spreadsheet writer skips it, CSV writes nothing)."""
    row: list[Any] = [None] * len(columns())
    for i, top, rest in _export_plan():
        node = data.get(top) if rest else identity.get(top)
        for key in rest:
            if node is None:
                break
            if isinstance(key, int):
                node = node[key] if isinstance(node, list) and len(node) > key else None
            else:
                node = node.get(key) if isinstance(node, dict) else None
        if node is not None:
            row[i] = _export_value(node)
    return row


def _export_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    return value


def guide_rows() -> Iterable[list[str]]:
    """The template's second sheet: each column and what to enter in it."""
    for c in columns():
        yield [c.header, c.hint]
