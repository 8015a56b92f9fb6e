"""What other areas do when a declaration is approved, and what they warn of before a decision,
registered per document type, so that the requests area imports none of them.

The certificate register, for example, registers `on_approved("certificate", add_to_register)`.
Handlers run inside the approval's transaction, so a failure rolls the approval back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Optional

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


# Warnings shown before a supplier submits (for_reviewer False) and before a reviewer approves:
# (session, declaration, for_reviewer) → sentences in the reader's language. They never block.
WarningProvider = Callable[[Session, Declaration, bool], list[str]]
_WARNINGS: dict[str, WarningProvider] = {}


def warns_before_decision(document_type: str, provider: WarningProvider) -> None:
    _WARNINGS[document_type] = provider


def decision_warnings(session: Session, decl: Declaration, for_reviewer: bool) -> list[str]:
    provider = _WARNINGS.get(decl.document_type)
    return provider(session, decl, for_reviewer) if provider else []


@dataclass(frozen=True)
class StartPagePanel:
    """A section another area adds to the supplier's start page: a heading and its lines."""
    title: str
    lines: list[str]


# (session, supplier id) → a panel, or None when there is nothing to say
StartPageProvider = Callable[[Session, int], Optional[StartPagePanel]]
_START_PAGE: list[StartPageProvider] = []


def on_supplier_start_page(provider: StartPageProvider) -> None:
    if provider not in _START_PAGE:
        _START_PAGE.append(provider)


def start_page_panels(session: Session, supplier_id: int) -> list[StartPagePanel]:
    return [panel for provider in _START_PAGE if (panel := provider(session, supplier_id)) is not None]
