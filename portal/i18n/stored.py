"""Messages written down in English when they were made — a file's refusal reason, an extraction
finding, a register check, a renewal request's text — read in the reader's language when shown.

The worker and the extraction library write these sentences once, for whoever reads them later
and in whatever language that person uses; so they are stored in English and translated at
display time. Each is a catalogue msgid (marked with N_ where it is written), filled with
%(name)s values; `translate_stored` finds the msgid a stored sentence was made from — exactly,
or by matching it against the msgids with placeholders — and fills the translation with the
same values. A sentence no msgid matches (a typed note, a wording from before the catalogue knew
it) is shown as it was stored: old messages still display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel.messages.pofile import read_po

from . import DEFAULT, TRANSLATIONS_DIR, current_language, translations_for

_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?([sdif])")
# a template with less fixed text than this ("%(what)s %(when)s") would match any sentence
_MIN_FIXED_CHARS = 12


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    msgid: str | tuple[str, str]
    numbers: frozenset[str]       # placeholders written with %d: given back as int


def _compile(english: str) -> tuple[re.Pattern[str], frozenset[str]] | None:
    parts, numbers, seen, pos = [], set(), set(), 0
    for match in _PLACEHOLDER.finditer(english):
        parts.append(re.escape(english[pos:match.start()].replace("%%", "%")))
        name, kind = match.groups()
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.+?)")
            if kind == "d":
                numbers.add(name)
        pos = match.end()
    parts.append(re.escape(english[pos:].replace("%%", "%")))
    fixed = len(_PLACEHOLDER.sub("", english))
    if not seen or fixed < _MIN_FIXED_CHARS:
        return None
    return re.compile("".join(parts), re.DOTALL), frozenset(numbers)


@lru_cache(maxsize=None)
def _templates(code: str) -> tuple[_Template, ...]:
    """The catalogue's msgids with placeholders (singular and plural English forms), most fixed
    text first so that the most specific wins."""
    po = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return ()
    with po.open("rb") as source:
        catalog = read_po(source, locale=code)
    found: list[tuple[int, _Template]] = []
    for message in catalog:
        forms = [message.id] if isinstance(message.id, str) else list(message.id)
        for english in forms:
            compiled = english and _compile(english)
            if compiled:
                found.append((len(english), _Template(compiled[0], message.id, compiled[1])))
    found.sort(key=lambda item: -item[0])
    return tuple(template for _length, template in found)


def translate_stored(text: str | None, code: str | None = None) -> str | None:
    """`text`, written in English by the code that stored it, in `code` (default: the language
    being written in); unchanged when no catalogue entry made it."""
    code = code or current_language()
    if not text or code == DEFAULT:
        return text
    translations = translations_for(code)
    exact = translations.gettext(text)
    if exact != text:
        return exact
    for template in _templates(code):
        match = template.pattern.fullmatch(text)
        if match is None:
            continue
        # a value that is itself a catalogue word ("a Word document", a scheme's name) is translated too
        values: dict[str, object] = {name: int(value) if name in template.numbers else translations.gettext(value)
                                     for name, value in match.groupdict().items()}
        if isinstance(template.msgid, tuple):
            singular, plural = template.msgid
            num = values.get("num")
            translated = translations.ngettext(singular, plural, num if isinstance(num, int) else 2)
        else:
            translated = translations.gettext(template.msgid)
        try:
            return translated % values
        except (KeyError, TypeError, ValueError):
            return text   # a translation that does not fit its values: the English is still right
    return text
