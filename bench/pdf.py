"""Text PDFs: our text layer and our whole extraction per page against pypdfium2's text
extraction alone, paired in one run.

    .venv/bin/python bench/pdf.py [FILES or folders …] [--runs 15]

The floor opens the document with pypdfium2 and reads each page's whole text in one call (the
least any reader of the text layer does); "text layer" is our words with boxes, fonts and lines;
"extraction" is `extract_file` (text layer, detection, fields, validation). Scanned PDFs (no
text layer) are left out: OCR has its own benchmark. Defaults: the PDFs of ../shared/corpus/dev
when it exists, else tests/fixtures/pdf/dev.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import pypdfium2 as pdfium
from _paired import line, paired_ms, p95

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingestion import ExtractionError, extract_file  # noqa: E402
from ingestion.pdf.textlayer import read_text_layer  # noqa: E402

DEFAULTS = [ROOT.parent / "shared/corpus/dev", ROOT / "tests/fixtures/pdf/dev"]
MAX_PAGES = 30


def pdfium_text(path: Path) -> int:
    doc = pdfium.PdfDocument(str(path))
    chars = 0
    for index in range(min(len(doc), MAX_PAGES)):
        page = doc[index]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    doc.close()
    return chars


def text_pdfs(args: list[str]) -> list[Path]:
    found: list[Path] = []
    for arg in args or [str(p) for p in DEFAULTS if p.exists()][:1]:
        p = Path(arg)
        for path in sorted(p.glob("*.pdf")) if p.is_dir() else [p]:
            if pdfium_text(path) > 200:
                found.append(path)
    return found


def extract(path: Path) -> None:
    try:
        extract_file(path)
    except ExtractionError:
        pass                       # a refused PDF still costs its reading


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    layer: tuple[list[float], list[float]] = ([], [])
    whole: tuple[list[float], list[float]] = ([], [])
    for path in text_pdfs(args.paths):
        pages = min(len(pdfium.PdfDocument(str(path))), MAX_PAGES)
        for into, ours in ((layer, lambda: read_text_layer(path, MAX_PAGES)), (whole, lambda: extract(path))):
            a, b = paired_ms(ours, lambda: pdfium_text(path), args.runs)
            into[0].extend(x / pages for x in a)
            into[1].extend(x / pages for x in b)
    if not layer[0]:
        raise SystemExit("no text PDF found")
    print(line("pdf text layer per page", *layer) + " (target ≤ 2x)")
    print(line("pdf extraction per page", *whole))


if __name__ == "__main__":
    main()
