"""The layers point one way: nothing below the UI imports Qt, and the domain, storage and
services never import the application facade, the CLI or the UI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "helpdesk_desktop"

# layer -> packages it must never import
FORBIDDEN = {
    "domain": ("PySide6", "helpdesk_desktop.storage", "helpdesk_desktop.services",
               "helpdesk_desktop.application", "helpdesk_desktop.cli", "helpdesk_desktop.ui"),
    "storage": ("PySide6", "helpdesk_desktop.services", "helpdesk_desktop.application",
                "helpdesk_desktop.cli", "helpdesk_desktop.ui"),
    "services": ("PySide6", "helpdesk_desktop.application", "helpdesk_desktop.cli",
                 "helpdesk_desktop.ui"),
    "application": ("PySide6", "helpdesk_desktop.cli", "helpdesk_desktop.ui"),
    # The CLI and the transcripts work on the facade's data objects, like the UI.
    "cli": ("PySide6", "helpdesk_desktop.ui", "helpdesk_desktop.domain.models",
            "helpdesk_desktop.services.uow", "sqlalchemy.orm"),
    "transcripts": ("PySide6", "helpdesk_desktop.cli", "helpdesk_desktop.ui", "sqlalchemy",
                    "helpdesk_desktop.domain.models", "helpdesk_desktop.storage",
                    "helpdesk_desktop.services.uow"),
    # The UI reaches data only through the facade: no ORM models, sessions or SQL.
    "ui": ("sqlalchemy", "helpdesk_desktop.domain.models", "helpdesk_desktop.storage",
           "helpdesk_desktop.services.uow"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def layer_files() -> list[tuple[str, Path]]:
    return [(layer, path) for layer in FORBIDDEN
            for path in sorted((PACKAGE / layer).rglob("*.py"))]


@pytest.mark.parametrize(("layer", "path"), layer_files(),
                         ids=lambda value: str(value).split("helpdesk_desktop/")[-1])
def test_layer_imports_point_one_way(layer: str, path: Path) -> None:
    bad = sorted(name for name in imported_modules(path)
                 for prefix in FORBIDDEN[layer]
                 if name == prefix or name.startswith(prefix + "."))
    assert not bad, f"{path.relative_to(PACKAGE)} ({layer}) imports {bad}"


def test_the_walker_sees_every_layer() -> None:
    # Guards the test itself: a renamed folder would otherwise silently check nothing.
    layers_with_files = {layer for layer, _ in layer_files()}
    assert set(FORBIDDEN) <= layers_with_files
