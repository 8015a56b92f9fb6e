"""Bounds that keep one hostile file from exhausting the worker (SPEC §7)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 25 * 1024 * 1024          # the upload limit; the CLI applies it too
    max_pdf_pages: int = 200                         # a certificate with annexes is < 50 pages
    max_pages_to_extract: int = 30                   # text/OCR only this many pages
    max_xlsx_uncompressed_bytes: int = 200 * 1024 * 1024  # RMI templates unpack to ~20 MB
    max_xlsx_compression_ratio: int = 200            # zip-bomb guard, per member
    max_sheet_cells: int = 2_000_000                 # cells read from one sheet
    max_image_pixels: int = 60_000_000               # a 50-megapixel phone photo fits; a PNG bomb does not
    max_image_side: int = 20_000                     # pixels on the longest side of an image
    ocr_parallel_pages: int = 2                      # pages OCR'd at once: the job's share of cores
    max_smelter_rows: int = 1_000                    # filled Smelter List rows; real CMRTs list < 500
    max_sheet_seconds: float = 10.0                  # reading one sheet's rows; a real CMRT takes < 0.1 s


DEFAULT_LIMITS = Limits()
