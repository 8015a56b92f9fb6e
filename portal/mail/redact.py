"""Secrets never rest in the e-mail record or on the E-mails page: a link that carries a token
(an invitation's /invite/<token>) is replaced by a placeholder before the e-mail is stored and
again when it is shown (rows stored before this rule existed)."""

from __future__ import annotations

import re

LINK_PLACEHOLDER = "[link sent to the recipient]"
KEY_PLACEHOLDER = "[API key sent to the recipient]"
SECRET_LINK = re.compile(r"(?:https?://\S*?)?/invite/[A-Za-z0-9_\-]+")
API_KEY = re.compile(r"\bsdp_[A-Za-z0-9_\-]{20,}")   # an API key (access grants are minted at delivery)


def redact(text: str) -> str:
    return API_KEY.sub(KEY_PLACEHOLDER, SECRET_LINK.sub(LINK_PLACEHOLDER, text or ""))
