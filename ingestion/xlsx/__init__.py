"""Spreadsheet primitives: guarded opening, A1 cell reading, value and country normalisation."""

from .countries import country_code
from .normalise import answer, email, iso_date, number, percent_text, text
from .package import Package, measure_extent
from .workbook import Sheet, Workbook, a1, parse_a1

__all__ = ["Package", "Sheet", "Workbook", "a1", "answer", "country_code", "email", "iso_date",
           "measure_extent", "number", "parse_a1", "percent_text", "text"]
