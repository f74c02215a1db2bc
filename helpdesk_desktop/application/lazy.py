"""Modules imported on first use: the facade names every service module, but the window's
first frame calls a few reads that need none of them (``services.first_page``), so the
services — and with them the 28 mapped classes and their mapper configuration — are imported
when an operation first reaches them, or by the window's warm-up after its first frame
(docs/PERFORMANCE.md, "The first page without the ORM").

Stdlib only. :func:`module` gives a stand-in whose attributes are the module's, imported by
the first attribute read (``importlib.import_module``: thread-safe, once); type checkers see
the real modules through ``if TYPE_CHECKING`` imports beside it.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


class LazyModule:
    """A module's attributes, the module imported on the first read (then read from it
    every time, so a test's ``monkeypatch`` of the module is seen)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def _module(self) -> ModuleType:
        name: str = object.__getattribute__(self, "_name")
        loaded = sys.modules.get(name)
        # A module being imported by another thread is in sys.modules already: importing it
        # waits for that import to finish instead of reading a half-made module.
        if loaded is None or getattr(getattr(loaded, "__spec__", None), "_initializing", False):
            loaded = importlib.import_module(name)
        return loaded

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._module(), attribute)

    def __setattr__(self, attribute: str, value: Any) -> None:
        setattr(self._module(), attribute, value)

    def __delattr__(self, attribute: str) -> None:
        delattr(self._module(), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {object.__getattribute__(self, '_name')!r}>"


def module(name: str) -> Any:
    """A stand-in for the module ``name``, imported when one of its attributes is first read."""
    return LazyModule(name)


def load(stand_in: Any) -> ModuleType:
    """The module behind ``stand_in`` (a module itself is returned as it is), imported now."""
    if isinstance(stand_in, LazyModule):
        return stand_in._module()
    loaded: ModuleType = stand_in
    return loaded
