"""Areas of the portal (one package each) must not import each other in a circle: a circle makes
an area impossible to change or test alone and forces late imports to dodge it. Registries
(portal.requests.hooks, portal.suppliers.sections, portal.mail.send.SECRET_MINTERS,
portal.model_registry) let a feature plug into another without the other importing it; rows several
areas need get an area of their own (portal.clients: API keys, OAuth clients, idempotent answers),
and helpers every area needs a top-level module (portal.streams: reading a posted file within a limit).

The circles that remain are listed here, so the list can only shrink: a new circle fails."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"

# Known, each through a view or model that both sides need; remove a pair when it is broken.
REMAINING = {
    frozenset({"auth", "mail"}),          # invitations are e-mailed; the E-mails page needs roles
    frozenset({"documents", "requests"}), # a finished extraction prefills the declaration
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> set[str]:
    """Every portal module this file imports, at the top or inside a function."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            else:
                found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("portal.")}


def area_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PORTAL.rglob("*.py"):
        area = _module_name(path).split(".")[1] if "." in _module_name(path) else "portal"
        for name in _imported(path):
            other = name.split(".")[1]
            if other != area:
                graph[area].add(other)
    return graph


def test_no_new_import_circle_between_areas() -> None:
    graph = area_imports()
    circles = {frozenset({a, b}) for a in graph for b in graph[a] if a in graph.get(b, ())}
    assert circles - REMAINING == set(), f"areas importing each other: {sorted(map(sorted, circles - REMAINING))}"
    assert REMAINING - circles == set(), f"broken, take off the list: {sorted(map(sorted, REMAINING - circles))}"


def test_the_check_sees_a_circle() -> None:
    """The walk finds imports inside functions and relative ones (a check that cannot fail is none)."""
    graph = area_imports()
    assert "requests" in graph["certificates"]   # portal.certificates.register → portal.requests.hooks
    assert "passports" in graph["resolver"]       # portal/resolver/views.py → portal.passports.lookup
