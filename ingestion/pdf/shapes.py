"""Shapers: turn the words found at a label into a value of the field's kind, or reject them.

Each takes (words, bare) where `bare` means the words followed the label after a plain space
with no colon or column gap; only kinds that validate themselves (dates, ids) accept those.
"""

from __future__ import annotations

import re
from typing import Any

from .anchors import Shaper, cut_text
from .dates import find_dates
from .identifiers import looks_like_number
from .labels import cues
from .layout import Word, fold

#: How many words after a bare label a self-validating value may start.
BARE_REACH = 3


def date_shaper(pick: str = "first", reach: int = BARE_REACH) -> Shaper:
    """A date; with pick="last" the end of a range ("Validity: 01.04.2025 - 31.03.2026")."""
    def shape(words: list[Word], bare: bool) -> tuple[list[Word], Any] | None:
        hits = find_dates(words)
        if bare:
            hits = [h for h in hits if h.first < reach]
        if not hits:
            return None
        hit = hits[-1] if pick == "last" else hits[0]
        return words[hit.first:hit.last + 1], hit.value
    return shape


def phrase_date_shaper(words: list[Word], bare: bool) -> tuple[list[Word], Any] | None:
    """After running text ("Issued by X on 25.01.2025") the date may come a few words later."""
    return date_shaper(reach=15)(words, True)


def id_shaper(words: list[Word], bare: bool) -> tuple[list[Word], Any] | None:
    """A certificate number: one token ("CU-GOTS-834908") or digit groups ("12 100 4711 TMS")."""
    window = words[:BARE_REACH] if bare else words[:6]
    # "Current certificate: 25 January 2023": a year is part of its date, no number
    in_dates = {i for hit in find_dates(window) for i in range(hit.first, hit.last + 1)}
    for i, word in enumerate(window):
        if i in in_dates:
            continue
        run = _number_run(words, i)
        if not run and not bare and i + 1 < len(words) and PREFIX.fullmatch(word.text) \
                and words[i + 1].x0 - word.x1 < 0.6 * word.size and looks_like_number(words[i + 1].text.strip(" ,;")):
            # "FM 512345", "РОСС RU.ИК32.К00112", "QMS 0525 0010947": capitals open the number
            run = [word] + (_number_run(words, i + 1) or [words[i + 1]])
        # a full stop after the number ends the sentence (or is a speck): no number ends with one
        token = " ".join(w.text for w in run).strip(" ,;:()").rstrip(".")
        if run and looks_like_number(token) and not find_dates(run):
            return run, token
    return None


#: Capitals set before a number as part of it ("FM 512345"); "No"/"Nr" are dropped by the caller.
PREFIX = re.compile(r"[A-ZА-ЯЁ]{2,4}")


def _number_run(words: list[Word], i: int) -> list[Word]:
    """Words from i that belong to one number: digit groups set close, and an upper-case suffix."""
    run: list[Word] = []
    for word in words[i:i + 6]:
        token = word.text.strip(" ,;:()")
        gap_ok = not run or word.x0 - run[-1].x1 < 0.6 * word.size
        if gap_ok and any(c.isdigit() for c in token) and re.fullmatch(r"[A-Za-z0-9А-Яа-яЁё./_-]+", token):
            run.append(word)
            if not token.isdigit():
                break          # a token with letters and digits is a whole number on its own
            continue
        if gap_ok and len(run) >= 2 and all(w.text.isdigit() for w in run) and re.fullmatch(r"[A-Z]{2,4}", token):
            run.append(word)   # "12 100 4711 TMS"
        break
    return run


def text_shaper(*, stops: bool = True, max_words: int = 25) -> Shaper:
    def shape(words: list[Word], bare: bool) -> tuple[list[Word], Any] | None:
        if bare:
            return None
        # "Name: X" under a "Certificate holder" heading: the sub-label is not part of the value.
        colon_at = next((i for i, w in enumerate(words[:3]) if w.text.endswith(":")), None)
        if colon_at is not None and colon_at + 1 < len(words):
            words = words[colon_at + 1:]
        words = cut_text(words, stops=stops)[:max_words]
        while words and not words[-1].key:
            words = words[:-1]
        text = " ".join(w.text for w in words).strip(" ,;:")
        if not text or is_title(text) or find_dates(words) and len(words) <= 4:
            return None
        return words, text
    return shape


def is_title(text: str) -> bool:
    """A document heading ("CERTIFICATE", "Konformitätserklärung") is nobody's name."""
    return fold(text).strip(" .:") in cues("title_words")
