"""Errors the ingestion library raises.

`reason` is shown to the supplier as is, so it must say what to do next.
"""


def N_(message: str) -> str:
    """Marks a sentence for the portal's translation catalogue (scripts/i18n_catalog.py collects
    it). The library writes English; the portal shows the sentence in the reader's language,
    matching it back to this msgid and its %(name)s values (portal/i18n/stored.py) — so a
    sentence with values is written as N_("... %(name)s ...") % {...}, never as an f-string."""
    return message


class ExtractionError(Exception):
    """The document cannot be extracted; `reason` is one line a supplier can act on."""

    #: Transient errors (a resource briefly unavailable) may be retried; everything else is final.
    transient: bool = False

    def __init__(self, reason: str, *, code: str = "unreadable") -> None:
        super().__init__(reason)
        self.reason = reason
        #: stable machine code: unsupported_type, encrypted, corrupt, too_large, needs_ocr, unsupported_version, unreadable,
        #: not_a_declaration (a datasheet, safety data sheet, test report or photo)
        self.code = code
