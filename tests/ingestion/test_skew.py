"""A photo or scan tilted by hand is straightened before OCR, and the boxes shown on the review
screen still land on the words of the image as stored (issue 15: "orientation and skew corrected")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from ingestion import extract_file
from ingestion.image import PAGE_LONG_SIDE_PT
from ingestion.pdf.skew import skew_angle, straighten, unskew_box

from .scans import ENGLISH, certificate_pdf, scan_image


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is needed for the OCR tests: `make system-deps` installs it.", pytrace=False)
    return certificate_pdf(tmp_path_factory.mktemp("skew") / "c.pdf", ENGLISH)


@pytest.mark.parametrize("tilt", [-12.0, -4.5, 1.0, 7.0])
def test_the_tilt_of_a_scan_is_measured(certificate: Path, tilt: float) -> None:
    image = scan_image(certificate, dpi=150, skew=tilt, noise=10)
    assert skew_angle(image) == pytest.approx(-tilt, abs=0.4)


def test_a_level_page_and_a_page_without_text_are_left_alone(certificate: Path) -> None:
    assert skew_angle(scan_image(certificate, dpi=150)) == 0.0
    assert skew_angle(Image.new("L", (800, 1100), 255)) == 0.0
    assert skew_angle(Image.effect_noise((800, 1100), 60)) == 0.0     # grey speckle, no lines


def test_a_box_on_the_straightened_page_maps_back_onto_the_stored_one() -> None:
    # a small dark square on a tilted page: straightened, found, and mapped back, it covers the original
    page = Image.new("L", (600, 800), 255)
    page.paste(0, (100, 150, 130, 180))
    level = straighten(page, 9.0)
    x0, top, x1, bottom = level.point(lambda v: 255 if v < 128 else 0).getbbox()
    back = unskew_box([x0, top, x1, bottom], 9.0, 600, 800)
    assert back[0] <= 101 and back[1] <= 151 and back[2] >= 129 and back[3] >= 179
    assert back[2] - back[0] < 60 and back[3] - back[1] < 60


def test_a_photo_tilted_eight_degrees_is_read_and_its_boxes_sit_on_the_stored_image(certificate: Path,
                                                                                    tmp_path: Path) -> None:
    photo = scan_image(certificate, dpi=250, skew=8)     # no speckle: the same photo every run
    path = tmp_path / "tilted.jpg"
    photo.convert("RGB").save(path, "JPEG", quality=85)
    result = extract_file(path)
    record = result["record"]
    assert record["certificate_number"] == "Q73-897926"
    assert record["expiry_date"] == "2027-03-13"
    assert record["holder"]["name"] == "Northwind Components Ltd."
    assert record["issuer"]["name"] == "Example Certification Services Ltd."
    # the number's box, in points on the stored image, holds the number when cut out and read
    per_point = max(photo.size) / PAGE_LONG_SIDE_PT
    x0, top, x1, bottom = (v * per_point for v in result["fields"]["/certificate_number"]["source"]["bbox"])
    crop = photo.crop((int(x0) - 4, int(top) - 4, int(x1) + 4, int(bottom) + 4)).rotate(-8, expand=True,
                                                                                         fillcolor=255)
    crop_path = tmp_path / "crop.png"
    crop.save(crop_path)
    read = subprocess.run(["tesseract", str(crop_path), "stdout", "--psm", "7"], capture_output=True, text=True)
    assert "897926" in read.stdout.replace(" ", "")
