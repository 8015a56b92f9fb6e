"""Refresh the translation catalogues: collect every word people see (gettext calls in portal/,
templates/, the words in portal/requests/data/labels.json, portal/products/data/labels.json and the
JSON Schemas) into messages.pot, then merge it into each language's messages.po, keeping what is
translated.

    .venv/bin/python scripts/i18n_catalog.py          # update the .po files
    .venv/bin/python scripts/i18n_catalog.py --check  # exit 1 if a word lacks a translation

Translators then fill in the empty msgstr entries of portal/i18n/translations/<lang>/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from portal.i18n import LANGUAGES, TRANSLATIONS_DIR  # noqa: E402

KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2), "N_": None, "pgettext": ((1, "c"), 2)}
BADGE_TONES = {"pending", "ok", "warn", "error", "muted"}


def _code_messages(catalog: Catalog) -> None:
    # ingestion writes its refusal reasons and findings in English, marked with N_; the portal
    # shows them translated (portal/i18n/stored.py)
    sources = [("portal", [("**.py", "python")]), ("ingestion", [("**.py", "python")]),
               ("templates", [("**.html", "jinja2.ext:babel_extract")])]
    for folder, method_map in sources:
        options = {"**.html": {"extensions": "jinja2.ext.do", "trimmed": "false"}}
        for filename, lineno, message, comments, context in extract_from_dir(
                ROOT / folder, method_map, options_map=options, keywords=KEYWORDS):
            catalog.add(message, locations=[(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context)


def _schema_words(node: object, out: list[str]) -> None:
    """title, description, x-message and x-enum-labels values, anywhere in a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description", "x-message") and isinstance(value, str):
                out.append(value)
            elif key == "x-enum-labels" and isinstance(value, dict):
                out.extend(v for v in value.values() if isinstance(v, str))
            else:
                _schema_words(value, out)
    elif isinstance(node, list):
        for item in node:
            _schema_words(item, out)


# the word tables: the portal's shared one and the Products pages' own
LABEL_FILES = (ROOT / "portal" / "requests" / "data" / "labels.json", ROOT / "portal" / "products" / "data" / "labels.json")


def _data_messages(catalog: Catalog) -> None:
    for labels_file in LABEL_FILES:
        labels = json.loads(labels_file.read_text(encoding="utf-8"))
        location = str(labels_file.relative_to(ROOT))
        for section, table in labels.items():
            if section.startswith("_"):
                continue
            words: list[str] = []
            if section == "schemas":
                _schema_words(table, words)
            else:
                for value in table.values():
                    words.extend([value] if isinstance(value, str) else [v for v in value if v not in BADGE_TONES])
            for word in words:
                catalog.add(word, locations=[(location, 0)], auto_comments=[f"labels.json: {section}"])
    payloads_file = ROOT / "portal" / "webhooks" / "data" / "payloads.json"  # the webhook events' names
    for event in json.loads(payloads_file.read_text(encoding="utf-8")).values():
        if isinstance(event, dict) and isinstance(event.get("label"), str):
            catalog.add(event["label"], locations=[(str(payloads_file.relative_to(ROOT)), 0)],
                        auto_comments=["webhook event"])
    kinds_file = ROOT / "ingestion" / "pdf" / "data" / "document_kinds.json"  # why a PDF is refused
    kinds = json.loads(kinds_file.read_text(encoding="utf-8"))
    kinds_with_reasons = [*kinds.get("not_declarations", {}).values(), *kinds.get("decisive", {}).values()]
    reasons = [kind["reason"] for kind in kinds_with_reasons if isinstance(kind, dict)
               and isinstance(kind.get("reason"), str)] + [v for k, v in kinds.items() if k.endswith("_reason")]
    for reason in reasons:
        catalog.add(reason, locations=[(str(kinds_file.relative_to(ROOT)), 0)], auto_comments=["refusal reason"])
    languages_file = ROOT / "ingestion" / "pdf" / "data" / "ocr_languages.json"  # named in OCR's notes
    for name in json.loads(languages_file.read_text(encoding="utf-8"))["names"].values():
        catalog.add(name, locations=[(str(languages_file.relative_to(ROOT)), 0)], auto_comments=["a language's name"])
    for schema_file in sorted((ROOT / "schemas").glob("*.json")):
        words = []
        _schema_words(json.loads(schema_file.read_text(encoding="utf-8")), words)
        for word in words:
            catalog.add(word, locations=[(str(schema_file.relative_to(ROOT)), 0)], auto_comments=["schema"])


def template() -> Catalog:
    catalog = Catalog(project="Supplier Declaration Portal", charset="utf-8")
    _code_messages(catalog)
    _data_messages(catalog)
    return catalog


def main(check: bool) -> int:
    pot = template()
    missing_total = 0
    for code in LANGUAGES:
        if code == "en":
            continue
        po_path = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
        if po_path.exists():
            with po_path.open("rb") as f:
                catalog = read_po(f, locale=code)
        else:
            catalog = Catalog(locale=code, project="Supplier Declaration Portal", charset="utf-8")
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # words no longer used are dropped, not kept as comments
        missing = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
        missing_total += len(missing)
        print(f"{code}: {len(catalog)} messages, {len(missing)} without a translation")
        if not check:
            po_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("wb") as f:
                write_po(f, catalog, width=120, sort_output=False, include_lineno=False)
    return 1 if check and missing_total else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
