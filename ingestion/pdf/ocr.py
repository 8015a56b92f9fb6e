"""OCR of image-only pages with the Tesseract command-line tool (Debian `tesseract-ocr`).

A subprocess rather than a binding: nothing to compile, and a hung or crashing Tesseract is
bounded by a timeout instead of taking the worker down with it.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium

from .layout import Page, Word, build_lines

#: 300 dpi is what Tesseract is trained for; the pixel cap keeps a poster-sized page from
#: turning into a multi-gigabyte bitmap.
OCR_DPI = 300
MAX_PIXELS = 40_000_000
PAGE_TIMEOUT_S = 60
WANTED_LANGUAGES = ("eng", "deu", "fra")


def tesseract_binary() -> str | None:
    return shutil.which("tesseract")


@lru_cache(maxsize=1)
def languages() -> str:
    """The wanted languages this Tesseract has data for, e.g. "eng+deu" (at least "eng")."""
    try:
        out = subprocess.run([tesseract_binary() or "tesseract", "--list-langs"], capture_output=True,
                             text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "eng"
    have = {line.strip() for line in out.splitlines()[1:]}
    return "+".join(lang for lang in WANTED_LANGUAGES if lang in have) or "eng"


def ocr_page(doc: pdfium.PdfDocument, number: int, workdir: Path, timeout: float = PAGE_TIMEOUT_S) -> Page:
    """Render page `number` (1-based) and read its words; an OCR failure gives an empty page."""
    page = doc[number - 1]
    width, height = page.get_size()
    scale = min(OCR_DPI / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
    image = workdir / f"page-{number}.png"
    page.render(scale=scale, grayscale=True).to_pil().save(image)
    page.close()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one thread per job: the worker runs jobs in parallel
    try:
        proc = subprocess.run(
            [tesseract_binary() or "tesseract", str(image), "stdout", "-l", languages(), "--psm", "3", "tsv"],
            capture_output=True, text=True, timeout=timeout, env=env)
    except (OSError, subprocess.SubprocessError):
        return Page(number=number, width=width, height=height, ocr=True)
    words = _words_from_tsv(proc.stdout, number, scale)
    return Page(number=number, width=width, height=height, lines=build_lines(words), ocr=True)


def _words_from_tsv(tsv: str, number: int, scale: float) -> list[Word]:
    rows = [r for r in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
            if r.get("level") == "5" and (r.get("text") or "").strip()]
    # Letter heights vary inside a line ("scope" vs "Scope"); the line's tallest word is the
    # better stand-in for the font size that column-gap detection needs.
    line_height: dict[tuple[str, str, str], float] = {}
    for r in rows:
        key = (r["block_num"], r["par_num"], r["line_num"])
        line_height[key] = max(line_height.get(key, 0.0), float(r["height"]))
    words = []
    for r in rows:
        left, top, w, h = (float(r[k]) / scale for k in ("left", "top", "width", "height"))
        size = line_height[(r["block_num"], r["par_num"], r["line_num"])] / scale
        words.append(Word(text=r["text"].strip(), x0=left, top=top, x1=left + w, bottom=top + h,
                          page=number, size=size, conf=max(float(r["conf"]), 0.0) / 100))
    return words


def ocr_pages(path: Path, numbers: list[int], budget_s: float) -> list[Page]:
    """OCR the given pages, stopping when the time budget is spent."""
    deadline = time.monotonic() + budget_s
    pages = []
    doc = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
            for number in numbers:
                remaining = deadline - time.monotonic()
                if remaining <= 1:
                    break
                pages.append(ocr_page(doc, number, Path(tmp), timeout=min(PAGE_TIMEOUT_S, remaining)))
    finally:
        doc.close()
    return pages
