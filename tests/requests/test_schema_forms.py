"""The form generator against every schema in schemas/: render, submit valid data, submit invalid."""

import pytest
from werkzeug.datastructures import MultiDict

from ingestion import document_types, load_schema, validate_record
from portal.requests.labels import human_findings
from portal.schema_forms import attach_errors, consts, find_field, form_class, to_form_data, to_record
from tests.samples import VALID_RECORDS

VALID = VALID_RECORDS


def _formdata(form) -> MultiDict:  # noqa: ANN001
    """What a browser would post for this form as rendered."""
    from wtforms import FieldList, FormField
    data = MultiDict()

    def walk(f) -> None:  # noqa: ANN001
        for field in f:
            if isinstance(field, FormField):
                walk(field.form)
            elif isinstance(field, FieldList):
                for entry in field:
                    walk(entry.form) if isinstance(entry, FormField) else data.add(entry.name, entry._value())
            elif field.type == "SelectField":
                data.add(field.name, "" if field.data is None else str(field.data).lower()
                         if isinstance(field.data, bool) else str(field.data))
            else:
                data.add(field.name, field._value())
    walk(form)
    return data


@pytest.mark.parametrize("document_type", document_types())
def test_every_schema_renders_and_round_trips(app, document_type):
    with app.test_request_context():
        form = form_class(document_type)()
        assert list(form), f"{document_type}: no fields"
        for field in form:
            assert field.label.text and field()  # renders to HTML
        record = VALID.get(document_type)
        if record is None:  # emrt, crt: the cmrt-shaped record with their own template name
            metal = load_schema(document_type)["$defs"]["metal"]["enum"][0]
            record = {**VALID["cmrt"], "template": {**consts(document_type)["template"], "version": "2.1"},
                      "answers": {"q1": {metal: "yes"}}, "smelters": []}
        assert validate_record(document_type, record) == [], "the test's sample must be valid"
        filled = form_class(document_type)(data=to_form_data(record))
        posted = form_class(document_type)(_formdata(filled))
        rebuilt = to_record(posted.data)
        for key, value in consts(document_type).items():
            rebuilt[key] = {**value, **rebuilt.get(key, {})}
        assert validate_record(document_type, rebuilt) == []
        # an empty list field comes back as [] (a valid "none"); otherwise the record is unchanged
        assert {k: v for k, v in rebuilt.items() if v != []} == {k: v for k, v in record.items() if v != []}


@pytest.mark.parametrize("document_type", ["certificate", "material_composition", "rohs"])
def test_invalid_submission_puts_messages_next_to_fields(app, document_type):
    with app.test_request_context():
        record = dict(VALID[document_type])
        if document_type == "certificate":
            record["expiry_date"] = "31.12.2027"
        elif document_type == "material_composition":
            record = {"product": {"part_number": "P"}, "materials": [{"name": "Cu", "percentage": 140}]}
        else:
            record["exemptions"] = ["not an exemption"]
        findings = validate_record(document_type, record)
        assert findings
        form = form_class(document_type)(data=to_form_data(record))
        placed = [f for f in attach_errors(form, human_findings(document_type, findings)) if f["field_id"]]
        assert placed, findings
        for finding in placed:
            errors = find_field(form, finding["path"]).errors
            assert errors and not any("'" in e or "^" in e for e in errors), errors  # words, not a validator's


def test_missing_required_field_is_marked_on_that_field(app):
    with app.test_request_context():
        record = dict(VALID["certificate"])
        del record["certificate_number"]
        form = form_class("certificate")(data=to_form_data(record))
        placed = attach_errors(form, human_findings("certificate", validate_record("certificate", record)))
        assert [(f["field_id"], f["label"]) for f in placed] == [("certificate_number", "Certificate number")]
        assert form.certificate_number.errors == ["Fill in “Certificate number”."]


def test_enum_and_boolean_become_selects_and_numbers_have_ranges(app):
    with app.test_request_context():
        cert = form_class("certificate")()
        assert cert.scheme.type == "SelectField" and ("iso_9001", "ISO 9001 (quality)") in [
            (c.value, c.label) for c in cert.scheme.choices]
        assert form_class("rohs")().rohs_compliant.type == "SelectField"
        composition = form_class("material_composition")(data={"materials": [{}]})
        percentage = composition.materials.entries[0].form.percentage
        assert percentage.type == "NumberText" and any(v.__class__.__name__ == "NumberRange" for v in percentage.validators)
        assert 'max="100"' in percentage()


def test_numbers_typed_with_a_comma_or_as_text_are_kept(app):
    from werkzeug.datastructures import MultiDict
    with app.test_request_context():
        posted = form_class("material_composition")(MultiDict({
            "product-part_number": "P-1", "materials-0-name": "Copper", "materials-0-percentage": "62,5",
            "materials-1-name": "PA6", "materials-1-percentage": "about forty"}))
        record = to_record(posted.data)
        assert record["materials"][0]["percentage"] == 62.5
        assert record["materials"][1]["percentage"] == "about forty"  # kept, and reported by the schema:
        findings = validate_record("material_composition", record)
        assert any(f["path"] == "/materials/1/percentage" for f in findings)
        assert form_class("certificate")().expiry_date.type == "DateKeepingText"


def test_a_group_whose_only_field_has_its_title_is_one_field(app):
    """The certificate's "Certification body" group holds one field, "Certification body": the form
    shows the field alone, not a box titled as the field it holds."""
    from flask import render_template_string
    with app.test_request_context():
        form = form_class("certificate")()
        page = render_template_string('{% from "requests/_schema_form.html" import render_field %}'
                                      "{% for f in form %}{{ render_field(f, {}, true) }}{% endfor %}", form=form)
    assert page.count("Certification body") == 1 and 'name="issuer-name"' in page
    assert "<legend>Certificate holder</legend>" in page  # a group of several fields keeps its title
