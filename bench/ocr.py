"""OCR of scanned pages: ours against the floor, measured in the same run.

    .venv/bin/python bench/ocr.py [--repeat 1] [--real ../shared/corpus/real/docs]

floor = render each page at 300 dpi -> PGM -> `tesseract -l eng` (one page after the other, the
bare minimum any OCR of these pages costs). Wall time depends on what else the machine runs;
CPU time (this process and its Tesseract children) is what a page costs on an idle core. ours = ingestion.pdf.ocr.ocr_pages on the same
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
            empty = read_text_layer(path, MAX_REAL_PAGES).unreadable
        except Exception:  # noqa: BLE001 - a broken sample is simply not benched
            continue
        if empty:
            found.append((path, empty))
    return found


def timed(fn, *args):  # noqa: ANN001, ANN002, ANN201
    """(result, wall seconds, CPU seconds of this process and its Tesseract children)."""
    before, start = os.times(), time.perf_counter()
    result = fn(*args)
    after = os.times()
    cpu = sum(after[i] - before[i] for i in range(4))
    return result, time.perf_counter() - start, cpu


def floor_page(path: Path, number: int) -> None:
    doc = pdfium.PdfDocument(str(path))
    image, _ = render.render_page(doc[number - 1], render.OCR, grayscale=True)
    doc.close()
    pgm = io.BytesIO()
    image.save(pgm, "PPM")
    subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng", "tsv"], input=pgm.getvalue(),
                   capture_output=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=False)


def ours_pages(path: Path, numbers: list[int]) -> int:
    pages = ocr.ocr_pages(path, numbers, budget_s=600)
    return sum(len(line.words) for p in pages for line in p.lines)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL if DEFAULT_REAL.is_dir() else None)
    args = parser.parse_args()
    floor_wall, floor_cpu, ours_wall, ours_cpu = [], [], [], []
    docs_ours = docs_floor = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        docs = [(generated(Path(tmp)), [1, 2, 3, 4, 5])]
        if args.real:
            docs += image_only_pages(args.real)
        for _ in range(args.repeat):
            for path, numbers in docs:
                doc_floor = 0.0
                for n in numbers:   # floor and ours page by page, so both see the same machine load
                    _, wall, cpu = timed(floor_page, path, n)
                    floor_wall.append(wall), floor_cpu.append(cpu)
                    doc_floor += wall
                    _, wall, cpu = timed(ours_pages, path, [n])
                    ours_wall.append(wall), ours_cpu.append(cpu)
                words, doc_ours, _ = timed(ours_pages, path, numbers)
                docs_ours, docs_floor = docs_ours + doc_ours, docs_floor + doc_floor
                print(f"  {path.name[:40]:40} {len(numbers)} p  floor {doc_floor:6.2f} s  ours {doc_ours:6.2f} s"
                      f"  ({words} words)")
    print(f"OCR, {len(floor_wall)} scanned pages; a document's pages {ocr.PARALLEL_PAGES} at a time; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'':28}{'ours':>9}{'floor':>9}{'ratio':>8}")
    rows = [("documents, wall, total", docs_ours, docs_floor),
            ("page alone, CPU, total", sum(ours_cpu), sum(floor_cpu)),
            ("page alone, CPU, p50", statistics.median(ours_cpu), statistics.median(floor_cpu)),
            ("page alone, CPU, p95", p95(ours_cpu), p95(floor_cpu)),
            ("page alone, wall, p50", statistics.median(ours_wall), statistics.median(floor_wall)),
            ("page alone, wall, p95", p95(ours_wall), p95(floor_wall))]
    for name, ours_v, floor_v in rows:
        print(f"{name:28}{ours_v:8.2f}s{floor_v:8.2f}s{ours_v / floor_v:7.2f}x")


if __name__ == "__main__":
    main()
