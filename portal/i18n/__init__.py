"""Languages: which one a page or an e-mail is in, and the catalogues that translate it.

English is the source language (the words in templates, code, schemas and labels.json); German,
French and Spanish live in translations/<lang>/LC_MESSAGES/messages.po. The .mo files are built
from the .po files when the app starts (and by `make install`), so a fresh clone needs nothing
by hand. Pages follow Flask-Babel's locale (the user's choice, then the language cookie, then the
browser's Accept-Language); e-mails and the worker say which language they want with
`language(code)`, since the recipient's language is not the one of whoever caused the e-mail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
DEFAULT = "en"
COOKIE = "lang"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"
_forced: ContextVar[str | None] = ContextVar("portal_language", default=None)


def normalise(code: str | None) -> str | None:
    """"de-AT", "DE", "de_DE" -> "de"; None for a language we do not ship."""
    base = (code or "").strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def compile_catalogs() -> None:
    """Build each .mo from its .po when it is missing or older (the .mo files are not committed)."""
    for po in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as target:
            write_mo(target, catalog)
        tmp.replace(mo)  # atomic: a second process starting at once never reads half a file
    translations_for.cache_clear()


@lru_cache(maxsize=None)
def translations_for(code: str) -> NullTranslations:
    if code == DEFAULT or normalise(code) is None:
        return NullTranslations()
    mo = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.mo"
    if not mo.exists() or mo.stat().st_mtime < mo.with_suffix(".po").stat().st_mtime:
        compile_catalogs()  # the worker or a script, started without the app, after a catalogue changed
    return Translations.load(str(TRANSLATIONS_DIR), [code])


def current_language() -> str:
    """The language being written in: a forced one (an e-mail), else the page's, else English."""
    forced = _forced.get()
    if forced:
        return forced
    from flask import has_request_context
    if has_request_context():
        from flask_babel import get_locale
        locale = get_locale()
        return normalise(str(locale)) or DEFAULT if locale else DEFAULT
    return DEFAULT


@contextmanager
def language(code: str | None) -> Iterator[str]:
    """Write in `code` (e.g. the recipient's language) inside the block, whatever the page's is."""
    chosen = normalise(code) or DEFAULT
    token = _forced.set(chosen)
    try:
        yield chosen
    finally:
        _forced.reset(token)


def N_(message: str) -> str:
    """Marks a word for the catalogue where it is written down; it is translated where shown."""
    return message


def gettext(message: str, **variables: Any) -> str:
    if not message:
        return message  # gettext("") would answer the catalogue's header
    text = translations_for(current_language()).gettext(message)
    return text % variables if variables else text


def lazy_gettext(message: str, **variables: Any) -> Any:
    """gettext when the words are shown, not when they are written down: for words defined at
    import time (a form's field labels), which would otherwise be fixed in English."""
    from flask_babel import LazyString
    return LazyString(gettext, message, **variables)


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations_for(current_language()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def number(n: int | float) -> str:
    """A number as the reader writes it: 1,000 in English, 1.000 in German, 1 000 in French."""
    from babel.numbers import format_decimal
    return format_decimal(n, locale=current_language())


def choose_locale() -> str:
    """Flask-Babel's locale for a page: the signed-in user's choice, then the language switch's
    cookie, then the browser's Accept-Language, then English."""
    from flask import request
    from flask_login import current_user
    chosen = getattr(current_user, "language", None) if current_user and current_user.is_authenticated else None
    return (normalise(chosen) or normalise(request.cookies.get(COOKIE))
            or request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT)


def init_app(app: Any) -> None:
    from flask_babel import Babel
    compile_catalogs()
    Babel(app, locale_selector=choose_locale, default_translation_directories=str(TRANSLATIONS_DIR))
    from .stored import translate_stored
    app.jinja_env.globals.update(current_language=current_language, LANGUAGES=LANGUAGES, stored_text=translate_stored,
                            number=number)
    from .views import bp
    app.register_blueprint(bp)
