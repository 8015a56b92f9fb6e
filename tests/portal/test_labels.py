"""The words for codes (portal/requests/labels.py): every enum value in every schema, every status
and every audited action has a label, and validator findings come out in plain words."""

import re

import pytest

from ingestion import document_types, load_schema, validate_record
from portal.requests import labels
from tests.samples import VALID_RECORDS


def _enum_nodes(node, path=""):  # noqa: ANN001, ANN202
    if isinstance(node, dict):
        if "enum" in node:
            yield path, node
        for key, value in node.items():
            yield from _enum_nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _enum_nodes(value, path)


@pytest.mark.parametrize("document_type", document_types())
def test_every_enum_value_has_a_label_and_every_field_a_title(document_type):
    schema = load_schema(document_type)
    unlabelled = []
    for where, node in _enum_nodes(schema):
        own = node.get("x-enum-labels") or {}
        siblings = {}
        parent = schema
        for part in [p for p in where.split("/") if p][:-1]:
            parent = parent.get(part, {}) if isinstance(parent, dict) else {}
        if where.endswith("/propertyNames") and isinstance(parent, dict):
            siblings = parent.get("propertyNames", {}).get("x-enum-labels", {})
        unlabelled += [f"{where}: {v}" for v in node["enum"] if isinstance(v, str)
                       and v not in own and v not in siblings and v not in labels.data()["enum_values"]]
    assert not unlabelled
    for path in labels_paths(VALID_RECORDS.get(document_type, {})):
        title = labels.field_label(document_type, path)
        assert not re.search(r"[a-z0-9]_[a-z0-9]|^/", title), (path, title)


def labels_paths(record, path=""):  # noqa: ANN001, ANN201
    if isinstance(record, dict):
        for key, value in record.items():
            yield from labels_paths(value, f"{path}/{key}")
    elif isinstance(record, list):
        for i, value in enumerate(record):
            yield from labels_paths(value, f"{path}/{i}")
    else:
        yield path


def test_statuses_and_audited_actions_have_words():
    from pathlib import Path
    source = "\n".join(p.read_text() for p in Path(labels.__file__).parents[1].rglob("*.py"))
    actions = set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', source))
    assert actions and not [a for a in actions if a not in labels.data()["events"]]
    assert labels.event_label("certificate.superseded") == "Replaced by a newer certificate"
    assert labels.declaration_label("in_review") == ("In review", "pending")


@pytest.mark.parametrize(("document_type", "change", "path", "words"), [
    ("rohs", {"exemptions": ["seven(c)-I"]}, "/exemptions/0",
     "Use the exemption number as listed in Annex III or IV, e.g. 7(c)-I or 6(c)."),
    ("cmrt", {"company": {"contact": {"email": "not-an-email"}}}, "/company/contact/email",
     "Enter an e-mail address like name@company.com."),
    ("certificate", {"scheme": "iso_14000"}, "/scheme", "Choose one of: ISO 9001 (quality), ISO 14001 (environment)"),
    ("certificate", {"expiry_date": "31.12.2027"}, "/expiry_date", "Enter a date like 2026-03-31"),
    ("material_composition", {"materials": [{"name": "Cu", "percentage": 140}]}, "/materials/0/percentage",
     "Enter 100 or less."),
])
def test_validator_findings_in_plain_words(document_type, change, path, words):
    record = _merge(dict(VALID_RECORDS[document_type]), change)
    findings = labels.human_findings(document_type, validate_record(document_type, record))
    about = [f for f in findings if f["path"] == path]
    assert about and about[0]["message"].startswith(words), findings
    assert "'" not in about[0]["message"] and "^" not in about[0]["message"]


def test_missing_field_and_labels_read_as_words():
    record = dict(VALID_RECORDS["certificate"])
    del record["certificate_number"]
    [finding] = labels.human_findings("certificate", validate_record("certificate", record))
    assert (finding["path"], finding["label"], finding["message"]) == (
        "/certificate_number", "Certificate number", "Fill in “Certificate number”.")
    assert labels.field_label("cmrt", "/smelters/3/metal") == "Smelter list › row 4 › Metal"
    assert labels.field_label("cmrt", "/answers/q1/tin") == "Answers per metal › 1) Is any 3TG intentionally added or used in the product(s) or in the production process? › Tin"
    assert labels.field_label("cmrt", "/company_questions/b/answer") == "Company-level questions › B. Is your responsible minerals sourcing policy publicly available on your website? (If yes, give the address in the comment.) › Answer"
    assert labels.display_value("oeko_tex_100", "certificate", "/scheme") == "OEKO-TEX STANDARD 100"
    assert labels.display_value({"status": "in_review", "document_type": "cmrt"}) == \
        "Status: In review; Document type: Conflict Minerals Reporting Template (CMRT)"
    assert labels.display_value("other", "certificate", "/scope") == "other"  # typed text stays as typed
    assert labels.type_noun("certificate") == "certificate"


def _merge(base, change):  # noqa: ANN001, ANN202
    for key, value in change.items():
        base[key] = _merge(dict(base.get(key) or {}), value) if isinstance(value, dict) else value
    return base


def test_a_change_reads_as_row_field_and_values_in_words():
    assert labels.change_where("cmrt", "/smelters/3/country") == "Smelter 4 — Country (as written)"
    assert labels.change_lines("cmrt", "/smelters/3/country", "Peru", "Bolivia") == [
        {"path": "/smelters/3/country", "where": "Smelter 4 — Country (as written)", "before": "Peru", "after": "Bolivia"}]
    # a whole object changed at once becomes one line per value that differs, codes in words
    lines = labels.change_lines("cmrt", None, {"status": "in_review", "document_type": "cmrt"},
                                {"status": "approved", "document_type": "cmrt",
                                 "field_notes": {"/company/name": "Use the legal name"}})
    assert [(line["where"], line["before"], line["after"]) for line in lines] == [
        ("Status", "In review", "Approved"),
        ("Note on “Company information › Company name”", "—", "Use the legal name")]
    assert not any("_" in line["before"] + line["after"] or "{" in line["after"] for line in lines)


def test_change_words_follow_the_language():
    from portal import create_app
    from portal.i18n import language
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    with app.test_request_context(), language("de"):
        assert labels.change_where("cmrt", "/smelters/3/country").startswith("Schmelzhütte 4 — ")


def test_a_group_and_its_only_field_of_the_same_title_are_named_once():
    # the certificate's issuer is a group "Certification body" whose one field is "Certification body"
    assert labels.field_label("certificate", "/issuer/name") == "Certification body"
    assert labels.change_where("certificate", "/issuer/name") == "Certification body"
    assert labels.field_label("certificate", "/holder/name") == "Certificate holder › Holder name"
    assert labels.trail(["Smelter list", "Smelter list", "Metal", "metal"]) == "Smelter list › Metal"


def test_a_push_to_the_passport_store_reads_as_where_when_and_what_the_store_did():
    from portal.requests import entry_words
    answer = {"applied": None, "document_type": "certificate", "id": 2, "passports": [{"gtin": "04006381333931", "passport_id": 7}],
              "received_at": "2026-12-02T02:45:46.800759Z", "source_declaration_id": "declaration-2-v2",
              "source_system": "supplier-portal", "unmatched": {"gtins": [], "part_numbers": ["PN-9"]}}
    lines = entry_words.history_lines("certificate", "passport.pushed", None, None, {"target": "portal", "answers": [answer]})
    assert [(line["where"], line["after"]) for line in lines] == [
        ("Target", "This portal's passport store"), ("Received", "2026-12-02 02:45 UTC"), ("Record in the store", "2"),
        ("Passports updated", "04006381333931"), ("Part numbers not found", "PN-9")]
    assert not any("_" in line["where"] + line["after"] or "{" in line["after"] for line in lines)
    two = entry_words.history_lines("certificate", "passport.pushed", None, None, {"target": "dppespr", "answers": [answer, answer]})
    assert two[0]["after"] == "The DPP platform" and two[1]["where"] == "Answer 1 — Received"


def test_who_and_when_in_a_history_are_words_and_minutes():
    from datetime import datetime, timezone

    from portal.requests import entry_words
    assert entry_words.actor_label("worker") == "The portal (automatic)"
    assert entry_words.actor_label("api:ERP") == "API key “ERP”"
    assert entry_words.actor_label("buyer@oem.example") == "buyer@oem.example"
    assert entry_words.minute(datetime(2026, 12, 2, 2, 45, 46, 800759, tzinfo=timezone.utc)) == "2026-12-02 02:45"
    assert entry_words.minute("2026-12-02T03:45:46+01:00") == "2026-12-02 02:45"
    assert entry_words.minute("12 104 55120") == "12 104 55120"  # not a time: as it is
    # an empty record replaced (the first extraction's "/": {} → nothing) says nothing
    assert entry_words.history_lines("certificate", "field.extracted", "/", {}, None) == []


def test_an_email_in_a_history_breaks_between_its_parts_and_stays_escaped():
    from portal.requests import entry_words
    assert str(entry_words.breaks_between_parts("procurement1@example.test")) == "procurement1<wbr>@example<wbr>.test"
    assert str(entry_words.breaks_between_parts("<b>x</b>@evil.example")) == "&lt;b&gt;x&lt;/b&gt;<wbr>@evil<wbr>.example"
    assert str(entry_words.breaks_between_parts("The portal (automatic)")) == "The portal (automatic)"
