"""OCR of image-only pages and images with the Tesseract command-line tool (Debian `tesseract-ocr`).

A subprocess rather than a binding: nothing to compile, and a hung or crashing Tesseract is
bounded by a timeout instead of taking the worker down with it.

What keeps a page near the cost of one bare `tesseract -l eng` run (issue 13):
- one pass in English first; a page whose words say it is German, French, Spanish, Portuguese,
  Italian, Turkish, Polish, Dutch, Czech, Romanian, Hungarian, Swedish, Danish, Finnish or
  Vietnamese (cue words in data/ocr_languages.json) is read again in that one language (running
  eng+deu+fra on every page cost ~1.9x); a page in another script (Chinese, Japanese, Korean…)
  reads as unsure junk in English, which sends it to orientation detection, and OSD names the
  script (Chinese, Japanese, Korean, Russian, Greek…): the page is read again in that script's language;
- the bitmap goes to Tesseract as PGM on stdin (encoding a PNG cost ~350 ms a page, PGM ~6 ms);
- orientation detection (OSD) runs only when the first pass reads too little to trust, or much of
  what it reads is unsure (another script);
- a scan is read at its own resolution (200-300 dpi), not upsampled to 300 dpi;
- pages run in parallel, as many as the job may use cores, one Tesseract thread each.
A page tilted by more than a degree is straightened first (skew.py: ~0.1 s a page); Tesseract's
own layout analysis copes with less. Word boxes come back in the straightened, upright image's
coordinates and are mapped back onto the page as stored for the review screen.
"""

from __future__ import annotations

import contextvars
import csv
import io
import json
import logging
import os
import re
import shutil
import subprocess
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import pypdfium2 as pdfium
from PIL import Image

from . import render
from .garbled import STAMP_CHARS
from .skew import skew_angle, straighten, unskew_box
from .layout import Page, Word, build_lines, fold, page_ranges
from ..errors import N_

PAGE_TIMEOUT_S = 60
#: Pages OCR'd at once by default (Limits.ocr_parallel_pages): one Tesseract thread per page.
PARALLEL_PAGES = max(1, min(2, os.cpu_count() or 1))
FIRST_LANGUAGE = "eng"
_LANGUAGES = json.loads((Path(__file__).parent / "data" / "ocr_languages.json").read_text("utf-8"))
#: Latin-script languages a page's words may call for after the English pass (their cue words).
MORE_LANGUAGES = tuple(_LANGUAGES["cues"])
#: A first pass with fewer words than this, or this unsure, may be a page on its side: ask OSD.
POOR_WORDS, POOR_CONFIDENCE = 12, 0.55
#: ... or in another script: English reads Chinese as junk words of low confidence ("MEA HA:
#: 2024573148"), among the sure ones of a bilingual page's English. This share of the words below
#: UNSURE_WORD, and at least UNSURE_MIN_WORDS of them, and OSD is asked for the script too.
UNSURE_SHARE, UNSURE_WORD, UNSURE_MIN_WORDS = 0.3, 0.5, 8
#: ... or in Cyrillic (or Greek), which English reads surely as look-alike Latin letters, their case
#: changing inside words ("3aperUCTpUpoBaH B peecTpe AaHHbIx"): this share of such words, and at
#: least LOOKALIKE_MIN_WORDS of them, and OSD is asked too. A Latin page's camel-case brand or two
#: stays below it.
LOOKALIKE_SHARE, LOOKALIKE_MIN_WORDS = 0.15, 4
_CASE_INSIDE_WORD = re.compile(r"[a-z][A-Z]|[A-Za-z][0-9][a-z]|[a-z][0-9][A-Za-z]")
#: Characters OSD classifies (it tries up to 5x this many): Tesseract's default of 50 spent ~1 s a
#: page; at 30 every page measured (English and German turned 90/180/270, a noisy one, Chinese
#: upright and on its side, the real corpus's) got the same rotation and script, ~25 % faster,
#: its orientation confidence still 4.8-11 (turned when >= 2).
OSD_CHARACTERS = 30
_SCRIPT = re.compile(r"Script:\s*(\w+)")
#: Han, kana and full-width forms: scripts written without spaces, which Tesseract splits into
#: one "word" per character or two ("有 效 期 至"); such neighbours are joined back into one word.
_UNSPACED = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_log = logging.getLogger(__name__)
#: A "word" of only these is an underline, a table rule or a speck read as text: never a value.
_RULE_MARKS = " _|~`'‘’"
_LEADING_SPECKS = "\"'‘’“”-.,;:_|~`"
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENTATION_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")

#: Where OCR progress goes ("Reading page 2 of 5 by OCR…"): set by the caller, e.g. the worker job.
_progress: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar("ocr_progress",
                                                                                       default=None)


@contextmanager
def progress_to(report: Callable[[str], None]) -> Iterator[None]:
    """Within this block, OCR reports each page it starts to `report` (errors in it are ignored)."""
    token = _progress.set(report)
    try:
        yield
    finally:
        _progress.reset(token)


def _report(message: str) -> None:
    report = _progress.get()
    if report is not None:
        try:
            report(message)
        except Exception:  # noqa: BLE001 - a progress note must never fail the extraction
            pass


def tesseract_binary() -> str | None:
    return shutil.which("tesseract")


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    try:
        out = subprocess.run([tesseract_binary() or "tesseract", "--list-langs"], capture_output=True,
                             text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset({FIRST_LANGUAGE})
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


@dataclass(frozen=True)
class Bitmap:
    """A grey page image ready for Tesseract, and how it maps to page points."""

    pgm: bytes
    width: int                   # pixels
    height: int
    scale: float                 # pixels per point

    @classmethod
    def of(cls, image: Image.Image, scale: float) -> "Bitmap":
        grey = image if image.mode == "L" else image.convert("L")
        out = io.BytesIO()
        grey.save(out, "PPM")     # mode L saves as binary PGM (P5)
        return cls(out.getvalue(), grey.width, grey.height, scale)

    def image(self) -> Image.Image:
        return Image.open(io.BytesIO(self.pgm))


@dataclass
class _Reading:
    words: list[Word]
    languages: str
    missing: str = ""             # a language the page called for that is not installed

    @property
    def confidence(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0

    @property
    def poor(self) -> bool:
        """Too little read, or too unsure, to trust: a page on its side, or in another script."""
        if len(self.words) < POOR_WORDS or self.confidence < POOR_CONFIDENCE:
            return True
        unsure = sum(1 for w in self.words if w.conf < UNSURE_WORD)
        if unsure >= UNSURE_MIN_WORDS and unsure >= UNSURE_SHARE * len(self.words):
            return True
        lookalike = sum(1 for w in self.words if _CASE_INSIDE_WORD.search(w.text))
        return lookalike >= LOOKALIKE_MIN_WORDS and lookalike >= LOOKALIKE_SHARE * len(self.words)

    @property
    def sure_width(self) -> float:
        """How much of the page's text this reading is sure of: each word's width, times its confidence."""
        return sum(w.conf * (w.x1 - w.x0) for w in self.words)

    def better_than(self, other: "_Reading") -> bool:
        # Compared by the width of text read surely, not by words: Chinese joined into words gives
        # few long "words" where the English pass splits the same glyphs into many junk ones, and a
        # pass that reads 3 sure words of a page whose other pass reads 300 still loses.
        return self.sure_width > other.sure_width


def ocr_bitmap(bitmap: Bitmap, number: int, width_pt: float, height_pt: float,
               timeout: float = PAGE_TIMEOUT_S) -> Page:
    """Read one page image; an OCR failure gives an empty page (the caller says so)."""
    deadline = time.monotonic() + timeout
    skew = skew_angle(bitmap.image())
    if skew:
        bitmap = Bitmap.of(straighten(bitmap.image(), skew), bitmap.scale)
    reading = _read(bitmap, number, FIRST_LANGUAGE, deadline)
    angle, missing = 0, ""
    if reading.poor:
        turned, by, script = _orientation_and_script(bitmap, deadline)
        language, missing = _available(_LANGUAGES["scripts"].get(script, FIRST_LANGUAGE))
        if turned is not None or language != FIRST_LANGUAGE:
            candidate = turned or bitmap
            rereading = _read(candidate, number, language, deadline)
            if rereading.better_than(reading):
                bitmap, reading, angle = candidate, rereading, by if turned is not None else 0
                width_pt, height_pt = bitmap.width / bitmap.scale, bitmap.height / bitmap.scale
    if reading.languages == FIRST_LANGUAGE:
        # The cued language alone: its model reads the page's English words (names, "ISO") as well,
        # and one model is ~1.5x faster than two.
        language, cue_missing = _available(_cued_language(reading))
        missing = missing or cue_missing
        if language != FIRST_LANGUAGE:
            rereading = _read(bitmap, number, language, deadline)
            if rereading.better_than(reading):
                reading = rereading
    return Page(number=number, width=width_pt, height=height_pt, lines=build_lines(reading.words, scanned=True),
                ocr=True, turned=angle, skew=skew, missing_language=missing)


def _read(bitmap: Bitmap, number: int, languages: str, deadline: float) -> _Reading:
    out = _tesseract(bitmap.pgm, ["-l", languages, "--psm", "3", "--dpi", str(round(bitmap.scale * 72)), "tsv"],
                     deadline)
    return _Reading(_words_from_tsv(out, number, bitmap.scale), languages)


def _tesseract(pgm: bytes, args: list[str], deadline: float) -> str:
    remaining = deadline - time.monotonic()
    if remaining <= 0.5:
        return ""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one thread per page: pages run in parallel instead
    try:
        proc = subprocess.run([tesseract_binary() or "tesseract", "stdin", "stdout", *args], input=pgm,
                              capture_output=True, timeout=remaining, env=env)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.decode("utf-8", "replace")


def _orientation_and_script(bitmap: Bitmap, deadline: float) -> tuple[Bitmap | None, int, str]:
    """What OSD says of the page: the page turned upright when it is sure the page lies on its side
    or upside down, and the angle (degrees clockwise), else (None, 0); and the script it is
    written in ("Latin", "Han", …; "" when OSD is not installed or says nothing)."""
    if "osd" not in installed_languages():
        return None, 0, ""
    # At full resolution: at half, OSD's confidence on a page on its side fell from ~15 to ~1.
    out = _tesseract(bitmap.pgm, ["--psm", "0", "-l", "osd", "-c", f"min_characters_to_try={OSD_CHARACTERS}"],
                     deadline)
    rotate, conf, script = _ROTATE.search(out), _ORIENTATION_CONF.search(out), _SCRIPT.search(out)
    # The script's own confidence is no guide (0.4 on a clean Chinese page): the page is read
    # again in the script's language and that reading is kept only if it is the better one.
    name = script.group(1) if script else ""
    if not rotate or not conf or int(rotate.group(1)) % 360 == 0 or float(conf.group(1)) < 2.0:
        return None, 0, name
    angle = int(rotate.group(1)) % 360
    # OSD's "Rotate: 90" is clockwise; PIL rotates counter-clockwise.
    return Bitmap.of(bitmap.image().rotate(-angle, expand=True), bitmap.scale), angle, name


def _available(language: str) -> tuple[str, str]:
    """(the language(s) to read in, the one wanted but not installed or ""): English when its pack
    is missing. "rus+eng" reads a Cyrillic page whose numbers and names are in Latin letters."""
    missing = [part for part in language.split("+") if part != FIRST_LANGUAGE and part not in installed_languages()]
    if not missing:
        return language, ""
    _warn_missing(missing[0])
    return FIRST_LANGUAGE, missing[0]


@lru_cache(maxsize=None)
def _warn_missing(language: str) -> None:
    # Once per process and language: the operator should install the pack (scripts/system-deps.sh).
    _log.warning("A page is in %s but Tesseract's %s language is not installed (Debian package %s): "
                 "read in English instead", language_name(language), language, pack_name(language))


def language_name(language: str) -> str:
    return _LANGUAGES["names"].get(language, language)


def pack_name(language: str) -> str:
    """The Debian package that brings a Tesseract language ("chi_sim" -> "tesseract-ocr-chi-sim")."""
    return "tesseract-ocr-" + language.replace("_", "-")


def language_notes(pages: list[Page]) -> list[str]:
    """Warnings for pages read without the language pack they called for (marked for the
    catalogue: the portal shows them in the reader's language, the language's name too)."""
    by_language: dict[str, list[int]] = {}
    for page in pages:
        if page.missing_language:
            by_language.setdefault(page.missing_language, []).append(page.number)
    return [N_("Read by OCR without %(language)s, whose pack %(pack)s is not installed on this server "
               "(pages %(pages)s): check every value")
            % {"language": language_name(language), "pack": pack_name(language), "pages": page_ranges(sorted(numbers))}
            for language, numbers in sorted(by_language.items())]


def boxes_on_stored_pages(result: dict, pages: list[Page]) -> dict:
    """Map the source boxes of values read on pages OCR turned upright or straightened back onto
    the page as stored, which is what the review screen shows (words are read, and lines built,
    upright and level)."""
    moved = {p.number: p for p in pages if p.turned or p.skew}
    for entry in result.get("fields", {}).values():
        source = entry.get("source") if isinstance(entry, dict) else None
        if not source or source.get("page") not in moved or len(source.get("bbox") or ()) != 4:
            continue
        page = moved[source["page"]]
        box = _unturn(source["bbox"], page.turned, page.width, page.height)
        if page.skew:
            # straightened before it was turned: the level page has the stored page's size
            width, height = (page.height, page.width) if page.turned in (90, 270) else (page.width, page.height)
            box = unskew_box(list(box), page.skew, width, height)
        source["bbox"] = [round(v, 2) for v in box]
    return result


def _unturn(bbox: list[float], angle: int, width: float, height: float) -> tuple[float, float, float, float]:
    """A box on the upright page (width x height) -> the same box on the page before turning."""
    x0, top, x1, bottom = bbox
    if angle == 90:       # turned clockwise: the stored page is `width` tall
        return top, width - x1, bottom, width - x0
    if angle == 180:
        return width - x1, height - bottom, width - x0, height - top
    if angle == 270:
        return height - bottom, x0, height - top, x1
    return x0, top, x1, bottom


def _cued_language(reading: _Reading) -> str:
    """The Latin-script language the English pass's words say the page is in (English if none).

    Not merely because the English pass was unsure: on the scans measured, an unsure pass was a
    photo, a poor scan or another script, which the other Latin-script models do not read better,
    and a second pass with three languages costs twice the first. Languages whose pack is missing
    are counted too, so the page can say which pack it lacked.
    """
    words = {fold(w.text).strip(".,:;'’()") for w in reading.words}
    hits = {lang: len(words & set(cues)) for lang, cues in _LANGUAGES["cues"].items()}
    cued = [lang for lang in MORE_LANGUAGES if hits[lang] >= _LANGUAGES["min_hits"]]
    # the one language the page speaks most: one model is faster than several, and reads names too
    return max(cued, key=lambda lang: hits[lang]) if cued else FIRST_LANGUAGE


def _words_from_tsv(tsv: str, number: int, scale: float) -> list[Word]:
    rows = _unspaced_joined([r for r in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
                             if r.get("level") == "5" and (r.get("text") or "").strip(_RULE_MARKS)])
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
        text = r["text"].strip()
        # A speck or a table rule in front of a word is read as a mark glued to it
        # ('"Valid until:', '-Certificate No.'): it would hide the label from the extractor.
        text = text.lstrip(_LEADING_SPECKS) or text
        conf = max(float(r["conf"]), 0.0) / 100
        colon_date = COLON_READ_AS_ONE.match(text)
        if colon_date and 1 <= int(colon_date.group(2)) <= 31 and 1 <= int(colon_date.group(3)) <= 12:
            # "Tescil Tarihi :07.07.2025" read as "107.07.2025": a three-digit day is no date;
            # the colon (or a rule) glued to it was read as a one
            cut = left + w / len(text)
            left, w, text = cut, w - (cut - left), text[1:]
        glued = GLUED_LABEL.match(text)
        if glued:
            # "No:244-24-QQ-01663", "validity:2027-01-30": a label set without a space after its
            # colon reads as one word with its value, hiding both; split where the colon is
            cut = left + w * (len(glued.group(1)) + 1) / len(text)
            words.append(Word(text=glued.group(1) + ":", x0=left, top=top, x1=cut, bottom=top + h,
                              page=number, size=size, conf=conf))
            words.append(Word(text=glued.group(2), x0=cut, top=top, x1=left + w, bottom=top + h,
                              page=number, size=size, conf=conf))
            continue
        words.append(Word(text=text, x0=left, top=top, x1=left + w, bottom=top + h,
                          page=number, size=size, conf=conf))
    return words


#: A day-first date with one more character in front ("107.07.2025", "|07.07.2025").
COLON_READ_AS_ONE = re.compile(r"^[1lI|]((\d{2})[./-](\d{2})[./-]\d{4})$")
#: A word of letters, a colon and a value opening with a digit ("Date:2024-01-31").
GLUED_LABEL = re.compile(r"^([^\W\d_]{2,}\.?):(\d\S*)$")


def _unspaced_joined(rows: list[dict]) -> list[dict]:
    """TSV word rows with neighbours in one line joined where either side of the join is Chinese
    or Japanese ("2024 年 3 月 14 日" -> "2024年3月14日"): these scripts put no space between words,
    and a label ("有效期至") must stay one word for the extractor to find it."""
    joined: list[dict] = []
    for r in rows:
        prev = joined[-1] if joined else None
        if (prev is not None and all(prev[k] == r[k] for k in ("block_num", "par_num", "line_num"))
                and (_UNSPACED.match(prev["text"].strip()[-1:]) or _UNSPACED.match(r["text"].strip()[:1]))
                # a gap of a character or less: a wider one is a column's, not the script's
                and int(r["left"]) - int(prev["left"]) - int(prev["width"]) <= max(int(prev["height"]), int(r["height"]))):
            right = max(int(prev["left"]) + int(prev["width"]), int(r["left"]) + int(r["width"]))
            top = min(int(prev["top"]), int(r["top"]))
            bottom = max(int(prev["top"]) + int(prev["height"]), int(r["top"]) + int(r["height"]))
            joined[-1] = dict(prev, text=prev["text"].strip() + r["text"].strip(), width=str(right - int(prev["left"])),
                              top=str(top), height=str(bottom - top), conf=str(min(float(prev["conf"]), float(r["conf"]))))
            continue
        joined.append(r)
    return joined


def ocr_bitmaps(bitmaps: Iterator[tuple[int, Bitmap, float, float]], total: int, budget_s: float,
                parallel: int = PARALLEL_PAGES) -> list[Page]:
    """OCR (number, bitmap, width_pt, height_pt) pages, `parallel` at a time, within the budget.

    Bitmaps are pulled from the iterator only when a slot is free, so at most parallel + 1
    page images are held in memory however many pages the document has.
    """
    deadline = time.monotonic() + budget_s
    done: dict[int, Page] = {}
    running: set[Future] = set()
    started = 0
    parallel = max(1, parallel)
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="ocr") as pool:
        for number, bitmap, width_pt, height_pt in bitmaps:
            remaining = deadline - time.monotonic()
            if remaining <= 1:
                break
            started += 1
            _report(N_("Reading page %(page)d of %(total)d by OCR…") % {"page": started, "total": total})
            running.add(pool.submit(ocr_bitmap, bitmap, number, width_pt, height_pt,
                                    min(PAGE_TIMEOUT_S, remaining)))
            if len(running) >= parallel:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                done.update((p.number, p) for p in (f.result() for f in finished))
        for future in running:
            page = future.result()
            done[page.number] = page
    return [done[n] for n in sorted(done)]


def ocr_pages(path: Path, numbers: list[int], budget_s: float, parallel: int = PARALLEL_PAGES) -> list[Page]:
    """OCR the given pages (1-based) of a PDF, stopping when the time budget is spent."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return ocr_bitmaps(_rendered(doc, numbers), len(numbers), budget_s, parallel)
    finally:
        doc.close()


def _rendered(doc: pdfium.PdfDocument, numbers: list[int]) -> Iterator[tuple[int, Bitmap, float, float]]:
    # PDFium is not thread-safe: pages are rendered here, in the calling thread, one at a time.
    for number in numbers:
        page = doc[number - 1]
        try:
            width, height = page.get_size()
            image, scale = render.render_page(page, render.ocr_budget(page), grayscale=True)
        finally:
            page.close()
        yield number, Bitmap.of(image, scale), width, height


#: An OCR word that overlaps a text-layer word by this share of its own box is the same word
#: (or a misreading of it): the text layer's is kept. Boxes differ by a point or two between the
#: two readers, so any real overlap of two words on one line is far above this.
SAME_WORD_OVERLAP = 0.2
#: Below this Tesseract is reading a logo's strokes or a seal as letters ("h:" 45 pt tall): such a
#: word adds no value, and its box would join two of the text layer's lines into one.
MIN_ADDED_CONF = 0.5


def merge_words(text_page: Page, ocr_page: Page) -> Page:
    """The text layer's page with the OCR'd words that no text-layer word covers added.

    Only words that are in the image alone are added (a logo, a footer set as a graphic);
    a word the text layer has is never replaced by OCR's reading of it. Added words keep their
    OCR confidence, so values read from them score as OCR values do. A page OCR had to turn or
    straighten is not merged (its words are placed on the upright, level image): the text layer
    alone is kept, unless it was only a stamp, where OCR's reading is the page as before.
    """
    text_words = [w for line in text_page.lines for w in line.words]
    if ocr_page.turned or ocr_page.skew:
        return ocr_page if _stamp_only(text_words) else text_page
    added = [w for w in (w for line in ocr_page.lines for w in line.words)
             if w.conf >= MIN_ADDED_CONF and not any(_overlap(w, t) > SAME_WORD_OVERLAP * _area(w) for t in text_words)]
    if not added:
        return text_page
    return Page(number=text_page.number, width=text_page.width, height=text_page.height,
                lines=build_lines(text_words + added, scanned=True))


def _stamp_only(words: list[Word]) -> bool:
    return sum(len(w.text) for w in words) < STAMP_CHARS


def _area(word: Word) -> float:
    return max(word.x1 - word.x0, 0.1) * max(word.bottom - word.top, 0.1)


def _overlap(a: Word, b: Word) -> float:
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.bottom, b.bottom) - max(a.top, b.top))
