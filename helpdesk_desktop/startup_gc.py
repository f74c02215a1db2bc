"""The cyclic garbage collector paused while the program starts.

Start-up allocates hundreds of thousands of objects that live as long as the process (modules,
classes, SQLAlchemy's mappers and compiled statements, the window's wrappers): each allocation
threshold crossed starts a collection, and the older generations' collections walk all of them
again, to find no garbage. The entry point pauses the collector before importing the program;
the first window resumes it once its objects are frozen out of the collector's walks
(``gc.freeze`` in ``MainWindow``), and a command resumes it before it runs. Start-up leaves
next to no cyclic garbage (+0.3 MB at the first frame).
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collections until :func:`resume` (nothing when they are already off:
    whoever turned them off keeps them off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Turn automatic collections back on if :func:`pause` turned them off."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def paused() -> bool:
    return _paused
