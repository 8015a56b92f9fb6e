"""Sections other areas add to a supplier's page in procurement (its requests, say), so that the
suppliers area imports none of the areas that build on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from sqlmodel import Session

from .models import Supplier


@dataclass(frozen=True)
class SupplierSection:
    """A part of the supplier page: its template (owned by the area that adds it) and what it shows."""
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionProvider = Callable[[Session, Supplier], SupplierSection]
_PROVIDERS: list[SectionProvider] = []


def on_supplier_page(provider: SectionProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def supplier_sections(session: Session, supplier: Supplier) -> list[SupplierSection]:
    """In the order the areas registered (the app registers its blueprints in a fixed order)."""
    return [provider(session, supplier) for provider in _PROVIDERS]
