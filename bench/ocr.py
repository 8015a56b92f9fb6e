"""OCR of scanned pages: ours against the floor, measured in the same run.

    .venv/bin/python bench/ocr.py [--repeat 1] [--real ../shared/corpus/real/docs]

floor = render each page at 300 dpi -> PGM -> `tesseract -l eng` (one page after the other, the
bare minimum any OCR of these pages costs). ours = ingestion.pdf.ocr.ocr_pages on the same
pages: per page alone (latency, p50/p95) and per document (all its pages, as a job runs them).
Pages are generated scans of certificates (clean, noisy, skewed, German, a page fed sideways);
with --real (default: ../shared/corpus/real/docs when it exists) the image-only pages of the
PDFs found there are added.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ingestion"))

import pypdfium2 as pdfium  # noqa: E402

from ingestion.pdf import ocr, render  # noqa: E402
from ingestion.pdf.textlayer import read_text_layer  # noqa: E402
from scans import ENGLISH, GERMAN, certificate_pdf, scan_image, scanned_pdf  # noqa: E402

DEFAULT_REAL = ROOT.parent / "shared" / "corpus" / "real" / "docs"
MAX_REAL_PAGES = 3


def generated(tmp: Path) -> Path:
    english, german = certificate_pdf(tmp / "en.pdf", ENGLISH), certificate_pdf(tmp / "de.pdf", GERMAN)
    images = [scan_image(english), scan_image(english, noise=20), scan_image(english, skew=2.5),
              scan_image(german), scan_image(english, turn=90)]
    return scanned_pdf(images, tmp / "generated-scans.pdf")


def image_only_pages(folder: Path) -> list[tuple[Path, list[int]]]:
    """PDFs under `folder` with pages that have no text layer (what OCR is for)."""
    found = []
    for path in sorted(folder.rglob("*.pdf")):
        try:
            _, empty = read_text_layer(path, MAX_REAL_PAGES)
        except Exception:  # noqa: BLE001 - a broken sample is simply not benched
            continue
        if empty:
            found.append((path, empty))
    return found


def floor_page(path: Path, number: int) -> float:
    start = time.perf_counter()
    doc = pdfium.PdfDocument(str(path))
    image, _ = render.render_page(doc[number - 1], render.OCR, grayscale=True)
    doc.close()
    pgm = io.BytesIO()
    image.save(pgm, "PPM")
    subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng", "tsv"], input=pgm.getvalue(),
                   capture_output=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=False)
    return time.perf_counter() - start


def ours_pages(path: Path, numbers: list[int]) -> tuple[float, int]:
    start = time.perf_counter()
    pages = ocr.ocr_pages(path, numbers, budget_s=600)
    return time.perf_counter() - start, sum(len(line.words) for p in pages for line in p.lines)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL if DEFAULT_REAL.is_dir() else None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        docs = [(generated(Path(tmp)), [1, 2, 3, 4, 5])]
        if args.real:
            docs += image_only_pages(args.real)
        floor_each, ours_each, floor_docs, ours_docs = [], [], 0.0, 0.0
        for _ in range(args.repeat):
            for path, numbers in docs:
                floor_times = [floor_page(path, n) for n in numbers]
                floor_each += floor_times
                floor_docs += sum(floor_times)
                for n in numbers:
                    ours_each.append(ours_pages(path, [n])[0])
                elapsed, words = ours_pages(path, numbers)
                ours_docs += elapsed
                print(f"  {path.name[:40]:40} {len(numbers)} p  floor {sum(floor_times):6.2f} s  "
                      f"ours {elapsed:6.2f} s  ({words} words)")
    pages = len(floor_each)
    print(f"OCR, {pages} scanned pages, {ocr.PARALLEL_PAGES} at a time")
    print(f"{'':24}{'ours':>10}{'floor':>10}{'ratio':>8}")
    print(f"{'per document, total':24}{ours_docs:9.2f}s{floor_docs:9.2f}s{ours_docs / floor_docs:7.2f}x")
    for name, fn in (("per page, p50", statistics.median), ("per page, p95", p95)):
        ours_v, floor_v = fn(ours_each), fn(floor_each)
        print(f"{name:24}{ours_v:9.2f}s{floor_v:9.2f}s{ours_v / floor_v:7.2f}x")


if __name__ == "__main__":
    main()
