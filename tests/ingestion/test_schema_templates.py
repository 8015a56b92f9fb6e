"""The schema-generated XLSX templates: generate, fill as a supplier would, read back, validate.

The files are filled through what the workbook itself says (the JSON Pointers in the hidden
column A, the property names in each list sheet's hidden first row), so a template whose
layout and reader disagree fails here.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from ingestion import ExtractionError, extract_file, load_schema, validate_record
from ingestion.__main__ import main
from ingestion.registry import EXTRACTORS
from ingestion.xlsx import schema_template
from ingestion.xlsx.probe import probe_workbook
from ingestion.xlsx.schema_template import build_schema_template, schema_layout
from ingestion.xlsx.workbook import Workbook
from tests.samples import VALID_RECORDS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CMRT_FILE = FIXTURES / "xlsx" / "cmrt-6.5-101.xlsx"
TYPES = ["certificate", "cmrt", "crt", "emrt", "reach_svhc", "rohs"]

# the smallest valid records (tests/samples.py); material composition has its own template
MINIMAL: dict[str, dict[str, Any]] = {k: v for k, v in VALID_RECORDS.items() if k != "material_composition"}
for _type in ("emrt", "crt"):   # the cmrt-shaped record with their own template name and metal
    MINIMAL[_type] = {**MINIMAL["cmrt"], "template": {"name": _type.upper(), "version": "2.1"},
                      "answers": {"q1": {load_schema(_type)["$defs"]["metal"]["enum"][0]: "yes"}}, "smelters": []}

# Every kind of cell at least once: nested objects, enum maps, list sheets, nulls, numbers.
FULL: dict[str, dict[str, Any]] = {
    "certificate": {"scheme": "iso_14001", "standard": "ISO 14001:2015", "certificate_number": "00042-EMS",
                    "holder": {"name": "Acme GmbH", "address": "Hauptstr. 1, 70173 Stuttgart", "country_code": "DE"},
                    "issuer": {"name": "TÜV SÜD"}, "scope": "Design and manufacture of hinges",
                    "issue_date": "2025-01-01", "expiry_date": "2028-01-01"},
    "cmrt": {**MINIMAL["cmrt"],
             "company": {**MINIMAL["cmrt"]["company"], "declaration_scope": "product", "scope_description": "Hinges",
                         "address": "Hauptstr. 1", "contact": {"name": "A B", "email": "a@acme.test", "phone": "+49 1"},
                         "authorizer": {"name": "C D", "title": "CEO", "email": "c@acme.test"}},
             "answers": {"q1": {"tin": "yes", "gold": "no"}, "q2": {"tin": "100%"}},
             "company_questions": {"a": {"answer": "yes", "comment": "see policy", "per_metal": {"gold": "yes"}}},
             "smelters": [{"metal": "tin", "name": "X", "smelter_id": "CID000001", "country_code": "CN"},
                          {"metal": "gold", "name": "Unknown refiner", "smelter_id": None}],
             "products": [{"number": "P-1", "name": "Hinge"}, {"number": "0002"}]},
    "emrt": {**MINIMAL["emrt"], "minerals_in_scope": ["cobalt", "mica"],
             "mines": [{"metal": "mica", "name": "Mine A", "country_code": "IN"}]},
    "reach_svhc": {**MINIMAL["reach_svhc"], "svhc_above_threshold": True, "signatory": {"name": "E F", "title": "QM"},
                   "products": [{"part_number": "P-1", "name": "Hinge"}, {"part_number": "P-2"}],
                   "substances": [{"name": "Lead", "cas_number": "7439-92-1", "ec_number": "231-100-4",
                                   "concentration_percent": 0.15}]},
    "rohs": {**MINIMAL["rohs"], "exemptions": ["6(c)", "7(a)"], "signatory": {"name": "E F", "title": "QM"}},
}
SAMPLES = [(t, "minimal", MINIMAL[t]) for t in TYPES] + [(t, "full", FULL[t]) for t in sorted(FULL)]


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _as_typed(kind: str, value: Any) -> Any:
    """What a supplier's Excel stores: real dates, Yes/No from the dropdown."""
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "boolean":
        return "Yes" if value else "No"
    return value


def _fill(tmp_path: Path, document_type: str, record: dict[str, Any], *,
          typed: dict[str, Any] | None = None, gap: bool = False) -> Path:
    """The template with `record` typed in; `typed` overrides cells by pointer with raw values."""
    book = load_workbook(io.BytesIO(build_schema_template(document_type)))
    layout = schema_layout(document_type)
    declaration = book["Declaration"]
    rows = {declaration.cell(r, 1).value: r for r in range(2, declaration.max_row + 1)}
    for where, leaf in layout.fields.items():
        value = _get(record, leaf.path)
        if value is not None:
            declaration.cell(rows[where], 3, _as_typed(leaf.kind, value))
    for where, value in (typed or {}).items():
        declaration.cell(rows[where], 3, value)
    for table in layout.tables:
        sheet = book[table.sheet]
        columns = {sheet.cell(1, c).value: c for c in range(1, sheet.max_column + 1)}
        for i, item in enumerate(_get(record, table.path) or []):
            row = 3 + i + (1 if gap and i else 0)          # a blank row between entries
            for leaf in table.columns:
                value = item if table.scalar else _get(item, leaf.path)
                if value is not None:
                    col = columns["/".join(leaf.path)] if leaf.path else 1
                    sheet.cell(row, col, _as_typed(leaf.kind, value))
    path = tmp_path / f"{document_type}.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(("document_type", "name", "record"), SAMPLES, ids=[f"{t}-{n}" for t, n, _ in SAMPLES])
def test_filled_template_round_trips(tmp_path: Path, document_type: str, name: str, record: dict[str, Any]) -> None:
    assert validate_record(document_type, record) == [], "the test's sample must be valid"
    result = extract_file(_fill(tmp_path, document_type, record, gap=name == "full"))
    assert result["document_type"] == document_type and result["schema"] == f"{document_type}/1"
    assert result["record"] == record
    assert result["errors"] == [] and result["warnings"] == []
    for where, field in result["fields"].items():
        assert set(field["source"]) == {"sheet", "cell"}, where
        assert field["confidence"] in (0.95, 1.0), where


def test_fields_point_at_the_typed_cell(tmp_path: Path) -> None:
    result = extract_file(_fill(tmp_path, "reach_svhc", FULL["reach_svhc"]))
    sheet = load_workbook(tmp_path / "reach_svhc.xlsx")["Declaration"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "/supplier/name")
    assert result["fields"]["/supplier/name"] == {"value": "Acme", "confidence": 0.95,
                                                 "source": {"sheet": "Declaration", "cell": f"C{row}"}}
    assert result["fields"]["/substances/0/concentration_percent"]["source"] == {"sheet": "Substances", "cell": "D3"}
    assert result["fields"]["/svhc_above_threshold"]["value"] is True


def test_values_typed_loosely_are_converted(tmp_path: Path) -> None:
    record = {**MINIMAL["certificate"], "scheme": None, "issue_date": None, "expiry_date": None}
    path = _fill(tmp_path, "certificate", record, typed={
        "/scheme": " ISO 9001 ", "/issue_date": "31.12.2025", "/expiry_date": 46753, "/certificate_number": 12345})
    result = extract_file(path)
    assert result["errors"] == []
    assert {k: result["record"][k] for k in ("scheme", "issue_date", "expiry_date", "certificate_number")} == {
        "scheme": "iso_9001", "issue_date": "2025-12-31", "expiry_date": "2028-01-01", "certificate_number": "12345"}
    rohs = extract_file(_fill(tmp_path, "rohs", {**MINIMAL["rohs"], "rohs_compliant": None},
                              typed={"/rohs_compliant": "no "}))
    assert rohs["record"]["rohs_compliant"] is False and rohs["errors"] == []


def test_values_that_do_not_convert_are_reported_where_they_are(tmp_path: Path) -> None:
    record = {**FULL["reach_svhc"], "substances": [{"name": "Lead", "concentration_percent": "lots"}]}
    result = extract_file(_fill(tmp_path, "reach_svhc", {**record, "declaration_date": None},
                                typed={"/declaration_date": "someday", "/svhc_above_threshold": "perhaps"}))
    paths = {e["path"] for e in result["errors"]}
    assert {"/declaration_date", "/svhc_above_threshold", "/substances/0/concentration_percent"} <= paths
    assert result["fields"]["/declaration_date"] == {"value": "someday", "confidence": 0.5,
                                                     "source": result["fields"]["/declaration_date"]["source"]}


@pytest.mark.parametrize("document_type", TYPES)
def test_blank_template_gives_required_field_errors(tmp_path: Path, document_type: str) -> None:
    path = tmp_path / "blank.xlsx"
    path.write_bytes(build_schema_template(document_type))
    result = extract_file(path)
    assert result["document_type"] == document_type
    schema = load_schema(document_type)
    paths = [e["path"] for e in result["errors"]]
    for name in schema["required"]:
        if schema["properties"][name].get("type") != "array":    # an empty list sheet is a valid "none"
            assert any(p == f"/{name}" or p.startswith(f"/{name}/") for p in paths), (name, paths)
    for path_, value, _ in schema_layout(document_type).consts:
        assert _get(result["record"], path_) == value


def test_template_is_typed_and_protected() -> None:
    book = load_workbook(io.BytesIO(build_schema_template("rohs")))
    assert book.sheetnames == ["Instructions", "Declaration", "Products covered", "Exemptions applied"]
    assert book.security.lockStructure
    sheet = book["Declaration"]
    assert sheet["A1"].value == "schema-template:rohs/1" and sheet.column_dimensions["A"].hidden
    assert sheet.protection.sheet
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    date = sheet.cell(rows["/declaration_date"], 3)
    assert sheet.cell(rows["/declaration_date"], 2).value == "Declaration date *"
    assert date.number_format == "yyyy-mm-dd" and not date.protection.locked
    # yes/no rows (RoHS compliant, SVHC above 0.1 %) may share one list validation
    lists = {cell: dv.formula1 for dv in sheet.data_validations.dataValidation for cell in str(dv.sqref).split()}
    assert lists[f"C{rows['/rohs_compliant']}"] == '"Yes,No"'
    products = book["Products covered"]
    assert products.row_dimensions[1].hidden and [c.value for c in products[1]] == ["part_number", "name"]
    assert [c.value for c in products[2]] == ["Part number *", "Product name"]
    cert = load_workbook(io.BytesIO(build_schema_template("certificate")))["Declaration"]
    scheme = next(dv for dv in cert.data_validations.dataValidation if dv.type == "list")
    assert scheme.formula1.startswith('"iso_9001,iso_14001')


def test_enum_maps_become_one_row_per_key() -> None:
    fields = schema_layout("cmrt").fields
    assert {"/answers/q1/tantalum", "/answers/q8/tungsten", "/company_questions/j/per_metal/gold"} <= set(fields)
    assert "/template/name" not in fields                   # a const: implied by the type


def test_long_dropdowns_go_to_a_hidden_list_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_template, "_INLINE_LIST_MAX", 10)
    book = load_workbook(io.BytesIO(build_schema_template("certificate")))
    assert book.sheetnames[-1] == "Lists" and book["Lists"].sheet_state == "hidden"
    scheme = next(dv for dv in book["Declaration"].data_validations.dataValidation if dv.type == "list")
    assert scheme.formula1 == "'Lists'!$A$1:$A$9"


def test_rmi_file_still_goes_to_the_rmi_extractor() -> None:
    with Workbook(CMRT_FILE) as book:
        assert EXTRACTORS["schema_template"].detect(probe_workbook(book)) == 0.0
    result = extract_file(CMRT_FILE)
    assert result["document_type"] == "cmrt"
    assert result["fields"]["/smelters/0/smelter_id"]["source"] == {"sheet": "Smelter List", "cell": "F5"}


def test_material_composition_keeps_its_own_template(tmp_path: Path) -> None:
    path = tmp_path / "composition.xlsx"
    path.write_bytes(build_schema_template("material_composition"))
    assert load_workbook(path).sheetnames == ["Composition"]
    with Workbook(path) as book:
        assert EXTRACTORS["schema_template"].detect(probe_workbook(book)) == 0.0
    result = extract_file(path)
    assert result["document_type"] == "material_composition"
    assert result["fields"]["/product/part_number"]["source"]["sheet"] == "Composition"


def test_forced_type_reads_the_template(tmp_path: Path) -> None:
    path = _fill(tmp_path, "cmrt", MINIMAL["cmrt"])
    result = extract_file(path, document_type="cmrt")
    assert result["record"] == MINIMAL["cmrt"] and result["fields"]["/company/name"]["source"]["sheet"] == "Declaration"
    with pytest.raises(ExtractionError) as info:      # a certificate template is not a PDF RoHS declaration
        extract_file(_fill(tmp_path, "certificate", MINIMAL["certificate"]), document_type="rohs")
    assert info.value.code == "unsupported_type"


def test_marker_decides(tmp_path: Path) -> None:
    book = load_workbook(io.BytesIO(build_schema_template("certificate")))
    book["Declaration"]["A1"] = "schema-template:certificate/0"
    book.save(tmp_path / "old.xlsx")
    result = extract_file(tmp_path / "old.xlsx")
    assert result["document_type"] == "certificate" and "certificate/0" in result["warnings"][0]["message"]
    book["Declaration"]["A1"] = "schema-template:nonsense/1"
    book.save(tmp_path / "unknown.xlsx")
    with pytest.raises(ExtractionError) as info:
        extract_file(tmp_path / "unknown.xlsx")
    assert info.value.code == "unsupported_type"


def test_cli_writes_the_template_of_a_type(tmp_path: Path) -> None:
    assert main(["template", "rohs", str(tmp_path / "rohs.xlsx")]) == 0
    assert extract_file(tmp_path / "rohs.xlsx")["document_type"] == "rohs"
    assert main(["template", str(tmp_path / "composition.xlsx")]) == 0
    assert extract_file(tmp_path / "composition.xlsx")["document_type"] == "material_composition"
    with pytest.raises(SystemExit):
        main(["template", "nonsense", str(tmp_path / "x.xlsx")])
