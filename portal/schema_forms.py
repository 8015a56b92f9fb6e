"""WTForms built from a document type's JSON Schema.

The schema is the one source of truth: it gives the fields, labels (`title`), help
(`description`), types, ranges and enums here; validation stays with jsonschema
(`ingestion.validate_record`) and its findings are put back next to the fields.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from wtforms import Form
from wtforms.fields import DateField, Field, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import NumberRange, Optional

from ingestion import load_schema
from portal.i18n import current_language
from portal.i18n import gettext as _
from portal.requests import labels

SEP = "-"  # WTForms joins nested names with "-": smelters-0-metal  <->  /smelters/0/metal


def resolve(node: dict, root: dict) -> dict:
    """Inline local $refs (keeping sibling keywords like title) and drop "null" from type lists."""
    while "$ref" in node:
        ref = node["$ref"]
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    kind = node.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        node = {**node, "type": non_null[0] if len(non_null) == 1 else non_null, "nullable": "null" in kind}
    return node


def _label(name: str, node: dict) -> str:
    return _(node["title"]) if node.get("title") else labels.enum_label(name)


def _enum_choices(node: dict) -> list[SelectChoice]:
    return [SelectChoice("", "—")] + [SelectChoice(str(v), labels.enum_label(v, node)) for v in node["enum"]]


def _coerce_bool(value: Any) -> Any:
    return {"true": True, "false": False, "": None}.get(value, value) if isinstance(value, str) else value


class NumberText(StringField):
    """A number typed as text: "12,5" and "12.5" become 12.5; text that is no number is kept as
    typed, so the schema reports it next to the field and nothing the supplier wrote is lost."""

    def __init__(self, *args: Any, integer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.integer = integer

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = parse_number(text, self.integer) if text else None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class DateKeepingText(DateField):
    """A date; text that is no ISO date is kept as typed, so the schema words the problem next
    to the field and nothing the supplier wrote is lost."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        try:
            self.data = dt.date.fromisoformat(text) if text else None
        except ValueError:
            self.data = text

    def _value(self) -> str:
        return self.data.isoformat() if isinstance(self.data, dt.date) else (self.data or "")


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)  # SelectField's default, str, makes a blank "None"


class ChoiceKeepingSelect(SelectField):
    """The template's dropdown choices (a string's `x-enum-labels`, which the schema does not
    enforce); a value read from a file that is none of them is kept and offered as read, so
    nothing the supplier sent is lost or silently replaced."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, validate_choice=False, coerce=_text_or_none, **kwargs)

    def iter_choices(self):  # noqa: ANN201
        choices = list(super().iter_choices())
        if self.data and all(choice.value != self.data for choice in choices):
            choices.insert(0, Choice(value=self.data, label=_("%(value)s (as in the file)", value=self.data), selected=True, render_kw={}))
        return choices

    def _value(self) -> str:
        return self.data or ""


def parse_number(text: str, integer: bool = False) -> Any:
    cleaned = text.replace("\u00a0", "").replace(" ", "").rstrip("%")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        return text
    if not value.is_finite():
        return text
    if integer and value != value.to_integral_value():
        return text
    return value


def field_for(name: str, node: dict, root: dict) -> Field | None:
    node = resolve(node, root)
    label, help_text = _label(name, node), _(node.get("description", ""))
    kw: dict[str, Any] = {"label": label, "description": help_text}
    kind = node.get("type")
    if "const" in node:
        return None  # fixed by the type itself, set when the record is built
    if "enum" in node:
        return SelectField(choices=_enum_choices(node), validators=[Optional()], **kw)
    if kind == "object":
        return FormField(form_for(node, root), **kw)
    if kind == "array":
        items = resolve(node.get("items", {}), root)
        inner = field_for("item", items, root) or StringField()
        if items.get("type") == "object":
            inner = FormField(form_for(items, root), label=_(items.get("title") or "Row"))
        return FieldList(inner, min_entries=0, **kw)
    if kind == "boolean":
        return SelectField(choices=[SelectChoice("", "—"), SelectChoice("true", _("Yes")), SelectChoice("false", _("No"))],
                           coerce=_coerce_bool,
                           validators=[Optional()], **kw)
    if kind in ("number", "integer"):
        lo = node.get("minimum", node.get("exclusiveMinimum"))
        hi = node.get("maximum", node.get("exclusiveMaximum"))
        validators = [Optional()] + ([NumberRange(min=lo, max=hi)] if lo is not None or hi is not None else [])
        render = {"inputmode": "decimal" if kind == "number" else "numeric"}
        if lo is not None:
            render["min"] = lo
        if hi is not None:
            render["max"] = hi
        return NumberText(validators=validators, render_kw=render, integer=kind == "integer", **kw)
    if kind == "string" and node.get("x-enum-labels"):
        return ChoiceKeepingSelect(choices=[SelectChoice("", "—")] + [
            SelectChoice(value, _(label)) for value, label in node["x-enum-labels"].items()], **kw)
    if kind == "string" and node.get("format") == "date":
        return DateKeepingText(validators=[Optional()], **kw)
    if kind == "string" and node.get("maxLength", 0) > 300:
        return TextAreaField(validators=[Optional()], **kw)
    return StringField(validators=[Optional()], **kw)


def form_for(node: dict, root: dict) -> type[Form]:
    node = resolve(node, root)
    attrs: dict[str, Any] = {}
    names = list(node.get("properties", {}))
    props = dict(node.get("properties", {}))
    # an open map whose keys are an enum (e.g. answers per metal) becomes one field per key
    names_schema = resolve(node.get("propertyNames", {}), root)
    if not props and "enum" in names_schema and isinstance(node.get("additionalProperties"), dict):
        names = list(names_schema["enum"])
        answers = {"x-enum-labels": node["x-enum-labels"]} if "x-enum-labels" in node else {}  # the map's values' words
        props = {n: {**labels.keyed_node(node, n, node["additionalProperties"]), **answers,
                     "title": labels.enum_label(n, names_schema)} for n in names}
    for name in names:
        field = field_for(name, props[name], root)
        if field is not None:
            attrs[name] = field
    return type("SchemaForm", (Form,), attrs)


def form_class(document_type: str) -> type[Form]:
    """The form of a type, with its words in the page's language."""
    return _form_class(document_type, current_language())


@lru_cache(maxsize=None)
def _form_class(document_type: str, language: str) -> type[Form]:  # noqa: ARG001 - the cache key
    schema = load_schema(document_type)
    return form_for(schema, schema)


def consts(document_type: str) -> dict[str, Any]:
    """Values fixed by the schema (e.g. template.name = "CMRT"), merged into every record."""
    schema = load_schema(document_type)
    out: dict[str, Any] = {}

    def walk(node: dict, target: dict) -> None:
        node = resolve(node, schema)
        for name, sub in node.get("properties", {}).items():
            sub = resolve(sub, schema)
            if "const" in sub:
                target[name] = sub["const"]
            elif sub.get("type") == "object":
                child: dict[str, Any] = {}
                walk(sub, child)
                if child:
                    target[name] = child

    walk(schema, out)
    return out


def to_record(data: Any) -> Any:
    """form.data -> JSON record: empty values dropped, dates as ISO, decimals as numbers."""
    if isinstance(data, dict):
        cleaned = {k: to_record(v) for k, v in data.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", {}) and k != "csrf_token"}
    if isinstance(data, list):
        items = [to_record(v) for v in data]
        return [v for v in items if v not in (None, "", {})]
    if isinstance(data, dt.date):
        return data.isoformat()
    if isinstance(data, Decimal):
        return int(data) if data == data.to_integral_value() and abs(data) < 10**15 else float(data)
    if isinstance(data, str):
        return data.strip()
    return data


def to_form_data(record: Any) -> Any:
    """Record -> data WTForms can show: ISO dates as dates, booleans as the select's strings."""
    if isinstance(record, dict):
        return {k: to_form_data(v) for k, v in record.items()}
    if isinstance(record, list):
        return [to_form_data(v) for v in record]
    if isinstance(record, bool):
        return "true" if record else "false"
    if isinstance(record, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", record):
        try:
            return dt.date.fromisoformat(record)
        except ValueError:
            return record
    return record


def field_path(field: Field) -> str:
    """WTForms name -> JSON Pointer: smelters-0-metal -> /smelters/0/metal."""
    return "/" + field.name.replace(SEP, "/")


def find_field(form: Form, path: str) -> Field | None:
    node: Any = form
    for part in path.strip("/").split("/"):
        if isinstance(node, FormField):
            node = node.form
        if isinstance(node, FieldList):
            node = node.entries[int(part)] if part.isdigit() and int(part) < len(node.entries) else None
        elif isinstance(node, Form):
            node = node._fields.get(part)
        else:
            node = None
        if node is None:
            return None
    return node


def attach_errors(form: Form, findings: list[dict]) -> list[dict]:
    """Put findings (as labels.human_findings words them) on their fields; each finding gets the
    `field_id` it is shown at, or none (then it is only in the summary at the top)."""
    placed = []
    for finding in findings:
        field = find_field(form, finding["path"])
        target = field.form if isinstance(field, FormField) else field
        if field is None or isinstance(target, Form):
            placed.append({**finding, "field_id": None})
            continue
        message = finding["message"]
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        placed.append({**finding, "field_id": field.id})
    return placed
