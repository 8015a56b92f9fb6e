"""Photos and image scans (JPEG, PNG, TIFF) are read like scanned pages; hostile ones are refused
quickly with a reason a supplier can act on (issue 15, SPEC §4 and §7)."""

from __future__ import annotations

import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from ingestion import ExtractionError, extract_file
from ingestion.image import PAGE_LONG_SIDE_PT, preflight_image
from ingestion.limits import Limits

from .scans import ENGLISH, certificate_pdf, scan_image


@pytest.fixture(scope="module")
def certificate_scan(tmp_path_factory: pytest.TempPathFactory) -> Image.Image:
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is needed for the OCR tests: `make system-deps` installs it.", pytrace=False)
    tmp = tmp_path_factory.mktemp("scan")
    return scan_image(certificate_pdf(tmp / "c.pdf", ENGLISH), dpi=250, skew=1.5, noise=15)


def refused(path: Path, limits: Limits = Limits()) -> ExtractionError:
    start = time.perf_counter()
    with pytest.raises(ExtractionError) as info:
        extract_file(path, limits=limits)
    assert time.perf_counter() - start < 2, "a hostile image must be refused before it is decoded"
    return info.value


def test_a_photographed_certificate_is_extracted_with_boxes_on_the_page(certificate_scan: Image.Image,
                                                                          tmp_path: Path) -> None:
    path = tmp_path / "certificate.upload"          # the name says nothing: the content does
    certificate_scan.convert("RGB").save(path, "JPEG", quality=80)
    result = extract_file(path)
    assert result["document_type"] == "certificate"
    assert result["record"]["certificate_number"] == "Q73-897926"
    assert result["record"]["expiry_date"] == "2027-03-13"
    source = result["fields"]["/certificate_number"]["source"]
    assert source["page"] == 1
    x0, top, x1, bottom = source["bbox"]
    # Points on an A4-sized page: the number sits in the left half, a third of the way down.
    assert 0 < x0 < x1 < PAGE_LONG_SIDE_PT * 0.6 and 0.2 < top / PAGE_LONG_SIDE_PT < 0.6
    assert any("OCR" in w["message"] for w in result["warnings"])


def test_a_phone_photo_taken_sideways_is_read_upright_by_its_exif_orientation(certificate_scan: Image.Image,
                                                                              tmp_path: Path) -> None:
    sideways = certificate_scan.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6                                   # "rotate 90° clockwise to view"
    path = tmp_path / "photo.jpg"
    sideways.convert("RGB").save(path, "JPEG", quality=85, exif=exif)
    probe = preflight_image(path, Limits())
    page = probe.document.pages[0]
    assert page.height > page.width                    # portrait, as the certificate is
    assert "q73-897926" in probe.text


def test_each_page_of_a_multi_page_tiff_is_a_page(certificate_scan: Image.Image, tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    blank = Image.new("L", (400, 560), 255)
    certificate_scan.save(path, "TIFF", save_all=True, append_images=[blank], compression="tiff_lzw")
    probe = preflight_image(path, Limits())
    assert [p.number for p in probe.document.pages] == [1, 2]
    assert probe.document.pages[0].lines and not probe.document.pages[1].lines


def test_a_transparent_png_is_read_on_white(certificate_scan: Image.Image, tmp_path: Path) -> None:
    # Black type on a transparent background, as exported from a drawing tool.
    ink = certificate_scan.point(lambda v: 255 - v)
    rgba = Image.new("RGBA", certificate_scan.size, (0, 0, 0, 0))
    rgba.putalpha(ink)
    path = tmp_path / "export.png"
    rgba.save(path)
    assert "q73-897926" in preflight_image(path, Limits()).text


def test_a_16_bit_scan_is_read(certificate_scan: Image.Image, tmp_path: Path) -> None:
    # Black ink at 15 % of full scale, as a 16-bit scanner gives it: not 0..255 of 65,535.
    deep = certificate_scan.convert("I").point(lambda v: v * 200 + 10_000).convert("I;16")
    path = tmp_path / "deep.png"
    deep.save(path)
    assert Image.open(path).mode.startswith("I")
    assert "q73-897926" in preflight_image(path, Limits()).text


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width x height pixels (a decompression bomb's shape)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024, 9))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize(("width", "height", "size"), [(100_000, 100_000, "far too many"),
                                                      (9_000, 9_000, "9,000 × 9,000"),
                                                      (30_000, 100, "30,000 × 100")])
def test_a_png_bomb_is_refused_from_its_header(tmp_path: Path, width: int, height: int, size: str) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_declaring(width, height))
    assert path.stat().st_size < 200
    err = refused(path)
    assert err.code == "too_large"
    assert err.reason.startswith(f"The image has {size} pixels; at most 60 megapixels are accepted")


def test_limits_apply_to_images(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("L", (3000, 2000), 255).save(path)
    assert refused(path, Limits(max_image_pixels=5_000_000)).code == "too_large"


def test_a_truncated_jpeg_is_damaged_not_a_crash(certificate_scan: Image.Image, tmp_path: Path) -> None:
    whole = tmp_path / "whole.jpg"
    certificate_scan.save(whole, "JPEG")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[:600])
    err = refused(cut)
    assert err.code == "corrupt" and "damaged or incomplete" in err.reason


def test_a_photo_with_no_text_says_what_to_do(tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is needed for the OCR tests.", pytrace=False)
    path = tmp_path / "grey.png"
    Image.new("L", (800, 600), 180).save(path)
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    assert info.value.code == "needs_ocr" and "sharper, well-lit photo" in info.value.reason
