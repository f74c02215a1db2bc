"""A lighter PySide6 import hook: no module's source kept in memory for it.

PySide6 watches every import made after it is loaded, to know which modules use it (for its
``from __feature__ import …`` switches, PYSIDE-2029). It asks ``inspect.getsource(module)``,
which reads each module's file into :mod:`linecache` and keeps it there for the life of the
process: at the window's first frame 512 modules, 8.8 million characters, ~20 MB of resident
memory, for a yes/no answer ("does the text contain 'PySide6'?"). :func:`install` gives the hook
the same answer from the file's bytes, read and dropped. Nothing here imports Qt: it only
changes the hook when PySide6 is already loaded (the ``ui`` package loads it first and then
calls it; the package root calls it too, for a program that loaded PySide6 before it).
See docs/PERFORMANCE.md ("Start-up: the first frame first").
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_MARK = "_helpdesk_reads_bytes"


def install() -> bool:
    """Make PySide6's hook read a module's file without keeping it; True when it is (or was
    already) installed, False when PySide6 is not loaded or its hook is not the one known."""
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or not callable(original):
        return False
    if getattr(original, _MARK, False):
        return True

    def mod_uses_pyside(module: ModuleType) -> bool:
        """PySide6's question, answered from the file's bytes (its answer for anything that
        is not a plain ``.py`` file)."""
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as file:
                return b"PySide6" in file.read()
        except OSError:
            return original(module)

    setattr(mod_uses_pyside, _MARK, True)
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[attr-defined]
    return True
