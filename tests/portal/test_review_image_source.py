"""A photographed certificate goes the whole way: upload, OCR in the job (with a progress note),
and the review screen shows the photo as the source with the value's box drawn on it."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from sqlmodel import select

from ingestion.image import PAGE_LONG_SIDE_PT
from portal.documents import status
from portal.documents.jobs import extract_document
from portal.documents.models import Document
from portal.requests.models import Declaration
from portal.settings import load_settings
from tests.conftest import gen_user, login, upload
from tests.ingestion.scans import ENGLISH, certificate_pdf, scan_image
from tests.portal.test_review_source import submit_and_open_source


def test_photo_upload_is_read_and_shown_with_the_box(app, session, tmp_path: Path, monkeypatch) -> None:
    photo = io.BytesIO()
    scan_image(certificate_pdf(tmp_path / "c.pdf", ENGLISH), dpi=220, skew=1).convert("RGB").save(photo, "JPEG")
    supplier = app.test_client()
    login(supplier, gen_user(session).email)
    assert upload(supplier, tmp_path / "x", "IMG_2041.JPG", photo.getvalue()).status_code in (302, 303)
    doc = session.exec(select(Document)).one()
    assert doc.file_kind == "image"

    notes: list[str] = []
    real_write = status.ProgressWriter.__call__

    def recording_write(writer: status.ProgressWriter, note: str) -> None:
        real_write(writer, note)
        notes.append(status.read_progress(writer.settings, writer.document_id))  # as the supplier's page reads it

    monkeypatch.setattr(status.ProgressWriter, "__call__", recording_write)
    assert extract_document(doc.id) in ("extracted", "needs_review")
    assert notes == ["Reading page 1 of 1 by OCR…"]
    assert status.read_progress(load_settings(), doc.id) is None      # cleared when the job ends

    decl = session.exec(select(Declaration)).one()
    assert decl.record["certificate_number"] == "Q73-897926"
    reviewer, src = submit_and_open_source(app, session, supplier, decl, "/certificate_number")
    boxed = reviewer.get(src)
    assert boxed.status_code == 200 and boxed.mimetype == "image/png"
    image = Image.open(io.BytesIO(boxed.data)).convert("RGB")
    assert max(image.size) <= 2000
    plain = Image.open(io.BytesIO(reviewer.get(src.split("?")[0]).data)).convert("RGB")
    assert image.size == plain.size and image.tobytes() != plain.tobytes()
    # The box is drawn where the number is: the changed pixels lie around the value's bbox.
    bbox = [float(v) for v in re.search(r"bbox=([^&]+)", src).group(1).split(",")]
    scale = max(image.size) / PAGE_LONG_SIDE_PT           # pixels per point of the image page
    changed = [(x, y) for y in range(0, image.height, 4) for x in range(0, image.width, 4)
               if image.getpixel((x, y)) != plain.getpixel((x, y))]
    xs, ys = [x for x, _ in changed], [y for _, y in changed]
    assert bbox[0] * scale - 10 <= min(xs) and max(xs) <= bbox[2] * scale + 10
    assert bbox[1] * scale - 10 <= min(ys) and max(ys) <= bbox[3] * scale + 10
    assert reviewer.get(f"/review/{decl.id}/page/2.png").status_code == 404
