"""Where labels are spelled in a line, found in one walk per word for every field at once.

A label's key is its wording folded to letters and digits ("Cert. No." -> "certno"); a line
spells it where the keys of consecutive words join up to it ("cert" + "no"). Trying each label
at each word cost most of a text PDF's extraction (~800 labels, ~20 fields each walking every
line). Here each index holds its keys and every prefix of them, so one walk from a word finds
all the labels starting there and stops at the first word no label continues with; and a
line's walks against every label of every field are made once and kept for the fields after.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Sequence

from .labels import Label, labels_for, load
from .layout import Line, Word, match_key

#: (start, end, key): the words [start, end) of a segment spell the label key.
Spelled = tuple[int, int, str]


class LabelIndex:
    """A set of labels looked up by key, with every prefix of every key."""

    def __init__(self, labels: Sequence[Label]) -> None:
        self.labels = labels
        self.positions: dict[str, list[int]] = {}
        for position, label in enumerate(labels):
            self.positions.setdefault(label.key, []).append(position)
        self.prefixes = frozenset(k[:n] for k in self.positions for n in range(1, len(k) + 1))
        #: Are these all labels of the fields (labels_for's)? Then a line's walk for every field serves.
        self.of_fields: bool | None = None

    def ends(self, seg: Sequence[Word], i: int, acc: str = "") -> Iterator[tuple[str, int]]:
        """(key, end) for each label key the words from i spell after `acc` (what a word before
        i spelled of it), as `anchors.match_at` finds it for each label (words without letters
        or digits are passed over)."""
        prefixes, keys = self.prefixes, self.positions
        if acc:
            if acc not in prefixes:
                return
            if acc in keys:
                yield acc, i
        for j in range(i, len(seg)):
            key = seg[j].key
            if not key:
                continue
            acc += key
            if acc not in prefixes:
                return
            if acc in keys:
                yield acc, j + 1

    def spelled(self, seg: Sequence[Word]) -> list[Spelled]:
        """Every label of this index the segment spells, by start."""
        prefixes = self.prefixes
        found = [(i, end, key) for i, w in enumerate(seg) if w.key in prefixes for key, end in self.ends(seg, i)]
        for i, w in enumerate(seg):
            second = after_slash(w.text)
            if second:     # "Sertifika No/Certificate No": the second language's label starts inside the word
                found += [(i, end, key) for key, end in self.ends(seg, i + 1, second)]
        return found


def after_slash(text: str) -> str | None:
    """The key of what follows the slash of a bilingual label written as one word
    ("Sertifika No/Certificate", "Data/Date"): letters on both sides of the last slash."""
    cut = text.rfind("/")
    if cut <= 0 or not text[cut - 1].isalpha() or not text[cut + 1:cut + 2].isalpha():
        return None
    return match_key(text[cut + 1:])


_INDEXES: dict[int, tuple[Sequence[Label], LabelIndex]] = {}


def label_index(labels: Sequence[Label]) -> LabelIndex:
    """The index of a label tuple (labels_for's and all_labels' are cached, so built once each)."""
    kept = _INDEXES.get(id(labels))
    if kept is None or kept[0] is not labels:
        if len(_INDEXES) >= 64:          # a caller building its own label lists: stay bounded
            _INDEXES.clear()
        kept = _INDEXES[id(labels)] = (labels, LabelIndex(labels))
    return kept[1]


@lru_cache(maxsize=1)
def _every_label() -> LabelIndex:
    fields = [f for f in load("labels") if not f.startswith("_")]
    return LabelIndex(tuple(lb for f in fields for lb in labels_for(f)))


def spelled_in(line: Line, index: LabelIndex) -> Iterator[tuple[int, list[tuple[int, int, int]]]]:
    """(segment number, [(label position in the index, start, end)]) for each segment spelling
    a label of the index, positions in the index's order and each one's starts left to right.

    Lines are not changed once built (a stacked label makes a new line), so a line's walk
    against every label serves each field that asks after it.
    """
    if index.of_fields is None:
        index.of_fields = set(index.positions) <= set(_every_label().positions)
    if not index.of_fields:
        every = [index.spelled(seg) for seg in line.segments]
    else:
        if line.spelled is None:
            line.spelled = [_every_label().spelled(seg) for seg in line.segments]
        every = line.spelled
    positions = index.positions
    for s, spelled in enumerate(every):
        found = [(position, i, end) for i, end, key in spelled if key in positions for position in positions[key]]
        if found:
            found.sort()
            yield s, found
