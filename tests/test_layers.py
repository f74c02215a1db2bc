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
    """Every module ``path`` imports: ``from helpdesk_desktop import storage`` counts as
    ``helpdesk_desktop.storage`` (the form that would otherwise slip past a prefix check)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def hidden_imports(path: Path) -> list[str]:
    """Imports the layer check cannot follow: relative ones and imports by name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            found.append(f"line {node.lineno}: relative import")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            names = [alias.name for alias in node.names]
            if module == "importlib" or "importlib" in names or any(
                    n.startswith("importlib.") for n in names):
                found.append(f"line {node.lineno}: importlib")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "__import__":
            found.append(f"line {node.lineno}: __import__()")
    return found


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


#: Imports modules by name for the others: each name it is given is checked below to be
#: imported (under ``TYPE_CHECKING``) by the file that gives it, where the layer check sees it.
LAZY_IMPORTER = PACKAGE / "application" / "lazy.py"


@pytest.mark.parametrize("path", sorted(set(PACKAGE.rglob("*.py")) - {LAZY_IMPORTER}),
                         ids=lambda value: str(value).split("helpdesk_desktop/")[-1])
def test_no_import_hides_from_the_layer_check(path: Path) -> None:
    assert not hidden_imports(path), f"{path.relative_to(PACKAGE)}: {hidden_imports(path)}"


def lazy_names(path: Path) -> list[str]:
    """The modules ``path`` asks ``lazy.module("...")`` for."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "module" and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "lazy" and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]


def test_modules_imported_on_first_use_are_seen_by_the_layer_check() -> None:
    users = {path: lazy_names(path) for path in PACKAGE.rglob("*.py") if lazy_names(path)}
    assert PACKAGE / "application" / "desk.py" in users  # guards the walker itself
    for path, names in users.items():
        unseen = [name for name in names if name not in imported_modules(path)]
        assert not unseen, f"{path.relative_to(PACKAGE)}: {unseen}"


def test_the_walker_sees_the_forms_that_could_slip_past(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from helpdesk_desktop import storage\nfrom . import sibling\n"
                      "import importlib\nfrom importlib import import_module\n"
                      "x = __import__('helpdesk_desktop.ui')\n", encoding="utf-8")
    assert "helpdesk_desktop.storage" in imported_modules(sample)
    assert hidden_imports(sample) == ["line 2: relative import", "line 3: importlib",
                                      "line 4: importlib", "line 5: __import__()"]


def test_the_walker_sees_every_layer() -> None:
    # Guards the test itself: a renamed folder would otherwise silently check nothing.
    layers_with_files = {layer for layer, _ in layer_files()}
    assert set(FORBIDDEN) <= layers_with_files
