"""What other areas do when a declaration is approved, registered per document type.

The certificate register, for example, registers `on_approved("certificate", add_to_register)`.
Handlers run inside the approval's transaction, so a failure rolls the approval back.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

from sqlmodel import Session

from .models import Declaration

ApprovalHandler = Callable[[Session, Declaration], None]
_HANDLERS: dict[str, list[ApprovalHandler]] = defaultdict(list)


def on_approved(document_type: str, handler: ApprovalHandler) -> None:
    if handler not in _HANDLERS[document_type]:
        _HANDLERS[document_type].append(handler)


def run_approval_handlers(session: Session, decl: Declaration) -> None:
    for handler in _HANDLERS.get(decl.document_type, []):
        handler(session, decl)
