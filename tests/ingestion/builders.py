"""Build small workbooks shaped like RMI templates, as a tool other than Excel saves them.

openpyxl writes no cached formula results, so these files exercise the hard path: labels
absent, smelters given by ID only, the template named only by its language table.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

TITLES = {"CMRT": "Conflict Minerals Reporting Template (CMRT)",
          "EMRT": "Extended Minerals Reporting Template (EMRT)",
          "CRT": "Cobalt Reporting Template (CRT)"}

LOOKUP = [
    ("Gold", "Dowa", "Dowa", "JAPAN", "CID000401", "RMI", "", "Kosaka", "Akita"),
    ("Gold", "AKITA Seiren", "Dowa", "JAPAN", "CID000401", "RMI", "", "Kosaka", "Akita"),
    ("Tin", "China Tin Group Co., Ltd.", "China Tin Group Co., Ltd.", "CHINA", "CID001070", "RMI", "", "Laibin", ""),
    ("Tin", "Nghe Tinh Non-Ferrous Metals Joint Stock Company", "Nghe Tinh Non-Ferrous Metals Joint Stock Company",
     "VIET NAM", "CID002573", "RMI", "", "Nghe An", ""),
    ("Tantalum", "TANIOBIS Japan Co., Ltd.", "TANIOBIS Japan Co., Ltd.", "JAPAN", "CID002549", "RMI", "", "", ""),
    ("Tungsten", "A.L.M.T. Corp.", "A.L.M.T. Corp.", "JAPAN", "CID000004", "RMI", "", "Toyama", ""),
    ("Gold", "Samduck Precious Metals", "Samduck Precious Metals", "KOREA, REPUBLIC OF", "CID001555", "RMI", "", "", ""),
    ("Cobalt", "Ecopro Materials Co., Ltd.", "Ecopro Materials Co., Ltd.", "KOREA, REPUBLIC OF", "CID004492", "RMI",
     "", "Cheongju-si", ""),
    ("Cobalt", "Kamoto Copper Company", "Kamoto Copper Company", "CONGO, DEMOCRATIC REPUBLIC OF THE",
     "CID003261", "RMI", "", "Kolwezi", ""),
    ("Mica", "Super Market Fort Dauphin", "Super Market Fort Dauphin", "MADAGASCAR", "CID004744", "RMI", "", "", ""),
]

COMPANY = {"D8": "Acme Magnetics GmbH", "D9": "A. Company", "D12": "DUNS 123456789", "D13": "DUNS",
           "D14": "1 Example Street, Berlin", "D15": "Ana Example", "D16": "ana@acme.example",
           "D17": "+49 30 1234", "D18": "Ben Example", "D19": "Compliance Lead", "D20": "ben@acme.example",
           "D21": "+49 30 5678", "D22": "2026-03-31"}


def rmi_workbook(path: Path, *, template: str = "CMRT", version: str | None = "6.5",
                 declaration: dict[str, Any] | None = None, smelters: list[dict[str, Any]] | None = None,
                 products: list[tuple[Any, ...]] | None = None, lookup: list[tuple[Any, ...]] | None = None,
                 title_cached: bool = False, mines: list[tuple[Any, ...]] | None = None,
                 labels: dict[str, str] | None = None) -> Path:
    """Write a minimal RMI-shaped workbook; `smelters` rows map column letters to values."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Declaration"
    sheet["D3"] = "中文 Chinese"             # the language choice must not matter
    if version is not None:
        sheet["J3"] = f"Revision {version}\nApril 25, 2025"
    if title_cached:
        sheet["D2"] = TITLES[template]
    for ref, value in (declaration if declaration is not None else COMPANY).items():
        sheet[ref] = value
    smelter_list = book.create_sheet("Smelter List")
    for offset, row in enumerate(smelters or []):
        for col, value in row.items():
            smelter_list[f"{col}{5 + offset}"] = value
    if mines is not None:
        mine_list = book.create_sheet("Mine List")
        for offset, row in enumerate(mines):
            for col, value in enumerate(row, start=1):
                mine_list.cell(5 + offset, col, value)
    product_list = book.create_sheet("Product List")
    for offset, row in enumerate(products or []):
        for col, value in enumerate(row, start=2):
            product_list.cell(6 + offset, col, value)
    look_up = book.create_sheet("Smelter Look-up")
    for offset, row in enumerate(LOOKUP if lookup is None else lookup):
        for col, value in enumerate(row, start=1):
            look_up.cell(5 + offset, col, value or None)
    table = book.create_sheet("L")
    table.append(["", "Sheets", "Cells", "English", "中文 Chinese"])
    table.append(["", "Declaration", "D2", TITLES[template], "..."])
    for cell, english in (labels or {}).items():      # the language table: sheet, cell, English text
        table.append(["", "Declaration", cell, english, "..."])
    book.save(path)
    return path


def zip_with(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def declare_size(path: Path, member: str, size: int) -> Path:
    """Rewrite the uncompressed size a member declares, in its local header and directory entry:
    a size lie, its stream inflating to more than the zip directory admits."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + name_len] == member.encode():
            struct.pack_into("<I", data, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    return path


def minimal_xlsx_parts(sheet_xml: bytes | None = None, shared_strings: bytes | None = None) -> dict[str, bytes]:
    """The few parts a valid XLSX needs, so a test can swap in a hostile one."""
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships"><sheets><sheet name="Declaration" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet_xml or (
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hello</t></is></c>'
            b'</row></sheetData></worksheet>'),
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return parts


def as_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
