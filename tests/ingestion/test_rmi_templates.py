"""CMRT / EMRT / CRT extraction from workbooks without cached formula results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingestion import ExtractionError, extract_file

from .builders import COMPANY, rmi_workbook

SMELTERS = [
    {"A": "CID000401"},                                                 # ID only: resolved via Look-up
    {},                                                                 # blank rows between smelters
    {},
    {"B": "tin ", "C": "China Tin Group Co., Ltd."},                    # picked by name, no cached E..G
    {"B": "Gold", "C": "Smelter not listed", "D": "Small Refiner Ltd", "E": "Germany"},
    {"B": "Tungsten", "C": "A.L.M.T. Corp.", "D": "A.L.M.T. Corp.", "E": "JAPAN", "F": "CID000004",
     "G": "RMI"},                                                       # cached results, as Excel saves
    {"A": "CID999999"},                                                 # unknown ID
]


def _cmrt(tmp_path: Path, **kwargs: Any) -> dict[str, Any]:
    declaration = {**COMPANY, "D26": "Yes", "D27": " yes", "D28": "YES ", "D29": "No",
                   "D32": "Yes", "D56": 1, "D57": "100%", "D75": "Yes", "G77": "https://acme.example/policy"}
    declaration.update(kwargs.pop("declaration", {}))
    path = rmi_workbook(tmp_path / "cmrt.xlsx", declaration=declaration,
                        smelters=kwargs.pop("smelters", SMELTERS), **kwargs)
    return extract_file(path)


def test_cmrt_company_answers_and_provenance(tmp_path: Path) -> None:
    result = _cmrt(tmp_path)
    assert result["document_type"] == "cmrt" and result["schema"] == "cmrt/1"
    record = result["record"]
    assert record["template"] == {"name": "CMRT", "version": "6.5"}
    company = record["company"]
    assert company["name"] == "Acme Magnetics GmbH" and company["declaration_scope"] == "company"
    assert company["contact"]["email"] == "ana@acme.example" and company["authorizer"]["name"] == "Ben Example"
    assert company["effective_date"] == "2026-03-31"
    assert record["answers"]["q1"] == {"tantalum": "yes", "tin": "yes", "gold": "yes", "tungsten": "no"}
    assert record["answers"]["q6"] == {"tantalum": "100%", "tin": "100%"}
    assert record["company_questions"]["a"] == {"answer": "yes"}
    assert record["company_questions"]["b"] == {"comment": "https://acme.example/policy"}
    field = result["fields"]["/company/name"]
    assert field["source"] == {"sheet": "Declaration", "cell": "D8"} and field["confidence"] >= 0.9
    assert result["fields"]["/answers/q1/tungsten"]["source"]["cell"] == "D29"


def test_smelters_resolved_through_the_files_own_lookup(tmp_path: Path) -> None:
    result = _cmrt(tmp_path)
    smelters = result["record"]["smelters"]
    assert len(smelters) == 5                          # blank rows skipped
    by_id = {s["smelter_id"]: s for s in smelters}
    dowa = by_id["CID000401"]
    assert (dowa["metal"], dowa["name"], dowa["country"], dowa["country_code"]) == ("gold", "Dowa", "JAPAN", "JP")
    assert result["fields"]["/smelters/0/name"]["source"]["sheet"] == "Smelter Look-up"
    assert result["fields"]["/smelters/0/name"]["confidence"] < result["fields"]["/smelters/3/name"]["confidence"]
    tin = by_id["CID001070"]
    assert tin["metal"] == "tin" and tin["country_code"] == "CN"
    not_listed = smelters[2]
    assert not_listed["name"] == "Small Refiner Ltd" and not_listed["smelter_id"] is None
    assert not_listed["country"] == "Germany" and not_listed["country_code"] == "DE"
    assert by_id["CID000004"]["country_code"] == "JP"
    assert any(w["path"] == "/smelters/2/name" for w in result["warnings"])


def test_unknown_smelter_id_is_an_error(tmp_path: Path) -> None:
    result = _cmrt(tmp_path)
    assert {"path": "/smelters/4/smelter_id",
            "message": "Row 11: smelter ID CID999999 is not in this template's Smelter Look-up list — check the ID",
            "code": "smelter_unknown_id"} in result["errors"]


def test_dates_as_serials_and_future_dates(tmp_path: Path) -> None:
    serial = _cmrt(tmp_path, declaration={"D22": 46082})
    assert serial["record"]["company"]["effective_date"] == "2026-03-01"
    future = _cmrt(tmp_path, declaration={"D22": "2999-01-01"})
    assert any(e["path"] == "/company/effective_date" and "future" in e["message"] for e in future["errors"])


def test_missing_required_fields_point_at_the_field(tmp_path: Path) -> None:
    result = _cmrt(tmp_path, declaration={"D8": None, "D22": None})
    paths = {e["path"] for e in result["errors"]}
    assert {"/company/name", "/company/effective_date"} <= paths


def test_product_scope_needs_products(tmp_path: Path) -> None:
    empty = _cmrt(tmp_path, declaration={"D9": "B. Product (or List of Products)"})
    assert {"path": "/products", "message": "The declaration scope is 'product' but the Product List is empty",
            "related": ["/company/declaration_scope"]} in empty["errors"]
    listed = _cmrt(tmp_path, declaration={"D9": "b. product"}, products=[("P-100", "Magnet", None), (4711, None, None)])
    assert listed["record"]["products"] == [{"number": "P-100", "name": "Magnet"}, {"number": "4711"}]
    assert not [e for e in listed["errors"] if e["path"].startswith("/products")]


def test_other_minor_version_and_missing_version(tmp_path: Path) -> None:
    newer = _cmrt(tmp_path, version="6.6")
    assert newer["record"]["template"]["version"] == "6.6"
    assert newer["record"]["company"]["name"] == "Acme Magnetics GmbH"
    unknown_major = _cmrt(tmp_path, version="7.0")
    assert any(w["path"] == "/template/version" for w in unknown_major["warnings"])
    assert unknown_major["fields"]["/company/name"]["confidence"] < 0.9


def test_legacy_cmrt_fails_with_a_clear_message(tmp_path: Path) -> None:
    path = rmi_workbook(tmp_path / "old.xlsx", version="3.01", title_cached=True)
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    assert info.value.reason == "CMRT version 3.01 is not supported; please use 6.x"
    assert info.value.code == "unsupported_version"


def test_forced_type_that_does_not_match(tmp_path: Path) -> None:
    path = rmi_workbook(tmp_path / "c.xlsx")
    with pytest.raises(ExtractionError) as info:
        extract_file(path, document_type="crt")
    assert "is a CMRT, not a CRT" in info.value.reason
    assert extract_file(path, document_type="cmrt")["document_type"] == "cmrt"


def test_crt(tmp_path: Path) -> None:
    path = rmi_workbook(tmp_path / "crt.xlsx", template="CRT", version="2.2",
                        declaration={**COMPANY, "D26": "Yes", "D32": "No", "D63": "yes"},
                        smelters=[{"A": "CID003261"}, {"B": "Cobalt", "C": "Ecopro Materials Co., Ltd."}])
    result = extract_file(path)
    record = result["record"]
    assert result["document_type"] == "crt" and record["template"] == {"name": "CRT", "version": "2.2"}
    assert record["answers"] == {"q1": {"cobalt": "yes"}, "q2": {"cobalt": "no"}}
    assert record["company_questions"]["a"]["answer"] == "yes"
    assert [(s["smelter_id"], s["country_code"]) for s in record["smelters"]] == [("CID003261", "CD"),
                                                                                  ("CID004492", "KR")]


def test_emrt_2_answers_follow_the_chosen_minerals(tmp_path: Path) -> None:
    """EMRT 2.x lists the chosen minerals alphabetically; without cached labels we do the same."""
    declaration = {"D8": "Acme", "D9": "A. Company", "D12": "Mica", "E12": "Cobalt", "G12": None,
                   "D19": "Ana", "D20": "ana@acme.example", "D22": "Ben", "D26": "2026-01-15",
                   "D30": "Yes", "D31": "No", "D42": "yes", "D120": "No"}
    path = rmi_workbook(tmp_path / "emrt.xlsx", template="EMRT", version="2.1", declaration=declaration,
                        smelters=[{"A": "CID004744"}, {"B": "Cobalt", "C": "Kamoto Copper Company"}],
                        mines=[("Cobalt", "Kamoto Copper Company", "KOV open pit", None, None,
                                "CONGO, DEMOCRATIC REPUBLIC OF THE")])
    result = extract_file(path)
    record = result["record"]
    assert result["document_type"] == "emrt"
    assert record["minerals_in_scope"] == ["cobalt", "mica"]
    assert record["answers"]["q1"] == {"cobalt": "yes", "mica": "no"}
    assert record["answers"]["q2"] == {"cobalt": "yes"}
    assert record["company_questions"]["c"]["per_metal"] == {"cobalt": "no"}
    assert record["company"]["contact"]["email"] == "ana@acme.example"
    assert record["company"]["effective_date"] == "2026-01-15"
    assert [s["metal"] for s in record["smelters"]] == ["mica", "cobalt"]
    assert record["mines"][0]["country_code"] == "CD" and record["mines"][0]["name"] == "KOV open pit"
    assert result["fields"]["/answers/q1/cobalt"]["confidence"] < 0.9     # reconstructed order
    assert not [e for e in result["errors"] if not e["path"].startswith("/company/authorizer")]


def test_legacy_cmrt_with_english_labels_is_read_and_flagged(tmp_path: Path) -> None:
    labels = {"B8": "Company Name (*):", "D8": "Old Co", "B9": "Declaration Scope (*):", "D9": "A. Company Level",
              "B14": "Authorized Company Representative Name (*):", "D14": "Rita Rep",
              "B16": "Representative Email (*):", "D16": "rita@old.example",
              "B18": "Date of Completion (*):", "D18": "31/05/2014",
              "B21": "1) Are any of the following metals necessary (*)", "D22": "Yes", "D23": "no",
              "B59": "A. Do you have a policy in place? (*)", "D59": "Yes", "G59": "see website"}
    path = rmi_workbook(tmp_path / "legacy.xlsx", version="2.03a", title_cached=True, declaration=labels,
                        smelters=[])
    result = extract_file(path)
    record = result["record"]
    assert record["template"] == {"name": "CMRT", "version": "2.03a"}
    assert record["company"]["name"] == "Old Co" and record["company"]["declaration_scope"] == "company"
    assert record["company"]["authorizer"] == {"name": "Rita Rep", "email": "rita@old.example"}
    assert record["company"]["effective_date"] == "2014-05-31"
    assert record["answers"]["q1"] == {"tantalum": "yes", "tin": "no"}
    assert record["company_questions"]["a"] == {"answer": "yes", "comment": "see website"}
    assert result["fields"]["/company/name"]["confidence"] < 0.8
    assert any(e["path"] == "/template/version" and "2.03a is not supported" in e["message"]
               for e in result["errors"])


def test_metal_that_contradicts_the_lookup_is_flagged(tmp_path: Path) -> None:
    result = _cmrt(tmp_path, smelters=[{"A": "CID000401", "B": "Tin"}])
    assert result["record"]["smelters"][0]["metal"] == "tin"
    assert any("is a gold smelter" in w["message"] for w in result["warnings"])


def test_rows_moved_in_an_unseen_minor_version_are_found_by_the_templates_labels(tmp_path: Path) -> None:
    """A 6.6 that inserted a row above the company name: the language table says where things went."""
    shifted = {f"D{int(ref[1:]) + 1}": value for ref, value in COMPANY.items()}
    shifted.update({"D27": "yes", "D28": "no", "D76": "no"})
    labels = {"B9": "Company Name (*):", "B10": "Declaration Scope or Class (*):", "B16": "Contact Name (*):",
              "B17": "Email – Contact (*):", "B19": "Authorizer (*):", "B23": "Effective Date (*):",
              "B26": "1) Is any 3TG intentionally added? (*)", "B76": "A. Do you have a policy? (*)"}
    path = rmi_workbook(tmp_path / "cmrt66.xlsx", version="6.6", declaration=shifted, labels=labels, smelters=[])
    result = extract_file(path)
    company = result["record"]["company"]
    assert company["name"] == "Acme Magnetics GmbH" and company["effective_date"] == "2026-03-31"
    assert company["contact"]["email"] == "ana@acme.example" and company["authorizer"]["name"] == "Ben Example"
    assert result["record"]["answers"]["q1"] == {"tantalum": "yes", "tin": "no"}
    assert result["record"]["company_questions"]["a"] == {"answer": "no"}
    assert result["fields"]["/company/name"]["source"]["cell"] == "D9"
    assert any("located by the template's own labels" in w["message"] for w in result["warnings"])
