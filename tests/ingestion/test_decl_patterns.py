"""Patterns of real RoHS / REACH statements: letterheads, signature blocks, citation dates,
US dates, standards that look like part numbers, statements of (non-)compliance."""

from __future__ import annotations

from pathlib import Path

from ingestion import extract_file

try:
    from .pdf_writer import PdfWriter
except ImportError:
    from pdf_writer import PdfWriter


def us_letter(tmp_path: Path, date_line: str, statement: str, *, address: str = "West Deptford, NJ 08066, USA",
              extra: str = "", company: str = "Harbor Bumpers, Inc.") -> Path:
    """A letter: address-only letterhead (the logo is an image), a date, a citation, a signature block."""
    w = PdfWriter()
    p = w.page()
    p.text(56, 60, "1607 Harbor Way", 9).text(56, 72, address, 9).text(56, 84, "Phone: (856) 345-7650", 9)
    p.text(56, 130, date_line, 10)
    p.text(56, 160, "Compliance - EU Directive 2015/863 (RoHS 3)", 11, True)
    p.text(56, 190, "Please be advised that the products manufactured by us", 10)
    p.text(56, 204, statement, 10)
    p.text(56, 218, "Directive (EU) 2015/863 of 4 June 2015 amending Annex II to Directive 2011/65/EU.", 10)
    if extra:
        p.text(56, 240, extra, 10)
    p.text(56, 300, "Best Regards,", 10)
    p.text(56, 360, "Joseph Miller", 10).text(56, 374, "Director of Manufacturing", 10)
    p.text(56, 388, company, 10)
    return w.save(tmp_path / "letter.pdf")


def test_supplier_from_the_signature_block_and_date_not_from_the_citation(tmp_path: Path) -> None:
    result = extract_file(us_letter(tmp_path, "March 10, 2022", "are compliant with the RoHS Directive 2011/65/EU"))
    record = result["record"]
    assert result["document_type"] == "rohs"
    assert record["supplier"]["name"] == "Harbor Bumpers, Inc."
    assert record["declaration_date"] == "2022-03-10"          # not 2015-06-04 from the citation
    assert record["rohs_compliant"] is True
    assert "products" not in record or record["products"] == []
    assert record["signatory"] == {"name": "Joseph Miller", "title": "Director of Manufacturing"}
    assert result["fields"]["/signatory/name"]["confidence"] < 0.9      # unlabelled: a guess to check


def test_us_numeric_date_is_month_first_and_not_confident(tmp_path: Path) -> None:
    result = extract_file(us_letter(tmp_path, "07/11/2022", "comply with the RoHS Directive 2011/65/EU"))
    assert result["record"]["declaration_date"] == "2022-07-11"
    assert result["fields"]["/declaration_date"]["confidence"] < 0.9
    assert any(w["path"] == "/declaration_date" for w in result["warnings"])


def test_ambiguous_numeric_date_in_a_european_letter_stays_day_first_with_a_warning(tmp_path: Path) -> None:
    path = us_letter(tmp_path, "07/11/2022", "comply with the RoHS Directive 2011/65/EU",
                     address="Hafenstrasse 3, Bremen, Germany", company="Hafen Puffer GmbH")
    result = extract_file(path)
    assert result["record"]["declaration_date"] == "2022-11-07"
    assert result["fields"]["/declaration_date"]["confidence"] < 0.9
    assert any(w["path"] == "/declaration_date" for w in result["warnings"])


def test_explicit_non_compliance_is_false(tmp_path: Path) -> None:
    result = extract_file(us_letter(tmp_path, "March 10, 2022", "are not RoHS compliant (lead in solder)"))
    assert result["record"]["rohs_compliant"] is False


def test_standards_are_not_products(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.text(56, 50, "Statement on RoHS for Kestrel Semiconductor Products", 12, True)
    p.text(56, 80, "Kestrel Semiconductor Ltd. declares that its products are RoHS compliant with", 10)
    p.text(56, 94, "Directive 2011/65/EU. Products: JESD46, IEC 62321 and J-STD-020 apply to changes.", 10)
    p.text(56, 120, "Date: 2021-09-14", 10)
    result = extract_file(w.save(tmp_path / "standards.pdf"))
    record = result["record"]
    assert record["supplier"]["name"] == "Kestrel Semiconductor Ltd."
    assert record.get("products", []) == []
    assert record["declaration_date"] == "2021-09-14"


def test_letterhead_company_and_a_manufacturers_part_number(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.text(56, 40, "Pelican Components Corp.", 16, True).text(56, 60, "12 Dock Road, Leeds, UK", 8)
    p.text(56, 110, "RoHS Compliance Statement", 13, True)
    p.text(56, 140, "To the best of our knowledge the product below is RoHS compliant.", 10)
    p.text(56, 170, "Distributor Part #:", 10).text(200, 170, "510-PC-630A", 10)
    p.text(56, 184, "Mfr. Part #:", 10).text(200, 184, "PC-630A", 10)
    p.text(56, 210, "Date: 2022-10-10", 10)
    record = extract_file(w.save(tmp_path / "mfr.pdf"))["record"]
    assert record["supplier"]["name"] == "Pelican Components Corp."
    assert record["products"] == [{"part_number": "PC-630A"}]
    assert record["rohs_compliant"] is True


def test_reach_letter_without_the_word_contain(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.text(56, 50, "December 13, 2024", 10)
    p.text(56, 90, "REACH included adding one new substance of very high concern on November 7, 2024.", 10)
    p.text(56, 104, "Osprey Wire Co., Inc. does not intentionally use or add any of the 242 (SVHC) above", 10)
    p.text(56, 118, "0.1% weight, as confirmed with our raw material suppliers.", 10)
    p.text(56, 160, "Sincerely,", 10).text(56, 200, "Mike Rowe", 10).text(56, 214, "Director of Operations", 10)
    result = extract_file(w.save(tmp_path / "reach.pdf"))
    record = result["record"]
    assert result["document_type"] == "reach_svhc"
    assert record["supplier"]["name"] == "Osprey Wire Co., Inc."
    assert record["declaration_date"] == "2024-12-13"
    assert record["svhc_above_threshold"] is False
    # the Candidate List named by its size and its latest addition, not by "Candidate List of <date>"
    assert record["candidate_list_version"] == "242 substances"
    assert record["candidate_list_date"] == "2024-11-07"


def test_text_scaled_by_its_matrix_keeps_its_words_on_one_line(tmp_path: Path) -> None:
    """Some PDF writers set 1 pt type and scale it with the text matrix; the words of a line must
    still form one segment (and so one company name), not a column each."""
    w = PdfWriter()
    p = w.page()
    for top, text in ((60, "March 10, 2022"), (100, "RoHS Compliance Statement"),
                      (130, "The products manufactured by us are compliant with Directive 2011/65/EU."),
                      (200, "Best Regards,"), (240, "Joseph Miller"), (254, "Director of Manufacturing"),
                      (268, "Harbor Bumpers, Inc.")):
        baseline = p.height - top - 8
        p.ops.append(b"BT /F1 1 Tf 10 0 0 10 56 %.2f Tm (%s) Tj ET" % (baseline, text.encode("latin-1")))
    record = extract_file(w.save(tmp_path / "scaled.pdf"))["record"]
    assert record["supplier"]["name"] == "Harbor Bumpers, Inc."
    assert record["declaration_date"] == "2022-03-10"
