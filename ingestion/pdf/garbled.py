"""Is a page's text layer garbage? Then the page is read by OCR instead (issue 15).

A text layer can be present and still unreadable: a CID font embedded without a ToUnicode map
gives glyph numbers for letters (control characters, private-use code points, or letters
shifted into nonsense like "3HUIRUPDQFH"), a broken map gives U+FFFD, and a PDF that places
each glyph without spaces runs the words of a sentence together. Extracting from such text
gives confident nonsense; the page's pixels are still right, so OCR reads them.

Each test is a share of the page's characters, never a single odd glyph: a real page may
carry a bullet from a symbol font or one "�" in a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .render import PlacedImage

#: Too little text to judge: a page number, a signature line.
MIN_CHARS = 40
REPLACEMENT_SHARE = 0.02       # U+FFFD
PRIVATE_USE_SHARE = 0.10       # symbol-font glyphs without a map land in U+E000-U+F8FF
CONTROL_SHARE = 0.05           # glyph ids 1-31 read as characters
#: Latin text has ~38 % vowels in any of our languages; glyph-id soup has far fewer.
MIN_VOWEL_SHARE = 0.18
MIN_LATIN_LETTERS = 60
#: Words longer than this are sentences run together ("Thisistocertifythatthecompany").
RUN_TOGETHER_LETTERS = 25
RUN_TOGETHER_SHARE = 0.30
#: A text layer that an earlier OCR pass wrote ("KALITE yöNETlıvı sisTEM sEnririxısı") mixes upper and
#: lower case inside words where no language does. "iPhone", "kWh" or "McDonald" do it too, once or
#: twice a page: the page is judged by the share of its words, and by a few of them at least.
MIXED_CASE_SHARE = 0.08
MIXED_CASE_MIN_WORDS = 6
_WORD = re.compile(r"[^\W\d_]{4,}")
_VOWELS = set("aeiouyAEIOUY")
_TOKEN = re.compile(r"\S+")
#: Addresses, e-mails and file names are long without being sentences run together.
_NOT_PROSE = re.compile(r"[/@_\\]|\.[A-Za-z]{2,4}$")
#: A scan with no more text than this on top (a browser's print header, a scanner's date stamp)
#: is read by OCR: most words are in the image.
STAMP_CHARS = 300
#: A text layer thinner than this (printed characters per 1,000 pt² of a large image under it)
#: leaves words in the image only: a logo, "ISO 9001" set as a graphic, the issuer's legal name
#: in a footer. A full A4 background under 1,000 characters is below it; the real certificates
#: whose text layer carries all their words measured 2.1-2.9.
SPARSE_CHARS_PER_KPT2 = 2.0


STAMP = "a scanned image with only a stamp of text"
SPARSE = "a text layer covering only part of a large image"


def image_only_words(image: PlacedImage | None, text: str) -> str | None:
    """Why the page's large image may hold words its (readable) text layer lacks, or None.

    Such a page is OCR'd as well and the image's words are added to the text layer's
    (ocr.merge_words); the text layer's own words are kept, never replaced.
    """
    if image is None:
        return None
    chars = sum(not c.isspace() for c in text)
    if chars < STAMP_CHARS:
        return STAMP
    if chars / (image.area / 1000) < SPARSE_CHARS_PER_KPT2:
        return SPARSE
    return None


def garbled_reason(text: str) -> str | None:
    """Why this page's text layer cannot be trusted, or None when it reads as text."""
    # Each test weighs distinct characters by their count: a page has a few dozen distinct
    # characters among thousands, so the Unicode look-ups run once per character kind.
    counts = [(c, n) for c, n in Counter(text).items() if not c.isspace()]
    total = sum(n for _, n in counts)
    if total < MIN_CHARS:
        return None
    if sum(n for c, n in counts if c == "\ufffd") / total > REPLACEMENT_SHARE:
        return "replacement characters"
    if sum(n for c, n in counts if 0xE000 <= ord(c) <= 0xF8FF) / total > PRIVATE_USE_SHARE:
        return "private-use glyphs"
    if sum(n for c, n in counts if unicodedata.category(c) == "Cc") / total > CONTROL_SHARE:
        return "glyph numbers instead of letters"
    latin = [(_base(c), n) for c, n in counts if _is_latin(c)]
    latin_count = sum(n for _, n in latin)
    if latin_count >= MIN_LATIN_LETTERS and sum(n for c, n in latin if c in _VOWELS) / latin_count < MIN_VOWEL_SHARE:
        return "letters that spell no words"
    if _mixed_case(text):
        return "letters in random case"
    # Latin letters only: Chinese and Japanese are written without spaces by nature.
    if latin_count >= MIN_CHARS:
        long_words = sum(len(t) for t in _TOKEN.findall(text) if len(t) > RUN_TOGETHER_LETTERS
                         and sum(map(_is_latin, t)) > RUN_TOGETHER_LETTERS and not _NOT_PROSE.search(t))
        if long_words / total > RUN_TOGETHER_SHARE:
            return "words run together"
    return None


def _mixed_case(text: str) -> bool:
    """Do many words switch from lower to upper case and back inside them ("yöNETlıvı")?"""
    words = _WORD.findall(text)
    mixed = sum(1 for w in words if _case_switches(w))
    return mixed >= MIXED_CASE_MIN_WORDS and mixed / len(words) >= MIXED_CASE_SHARE


def _case_switches(word: str) -> bool:
    shape = "".join("u" if c.isupper() else "l" for c in word)
    up = shape.find("lu")
    return up >= 0 and "ul" in shape[up + 1:]


def _is_latin(char: str) -> bool:
    if char < "\x80":           # ASCII, most of any page: no Unicode name look-up
        return char.isalpha()
    return char.isalpha() and "LATIN" in unicodedata.name(char, "")


def _base(char: str) -> str:
    """é -> e: accented vowels count as vowels."""
    return char if char < "\x80" else unicodedata.normalize("NFKD", char)[0]
