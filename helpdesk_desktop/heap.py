"""Freed heap memory handed back to the system (glibc's ``malloc_trim``).

glibc keeps what a program frees in its arenas, one per thread that allocated (the list's
reader and the job threads each have theirs): SQLite's page caches and a search's sorting, for
instance, are freed into them and stay resident until reused. ``malloc_trim(0)`` returns the
free pages of every arena; it takes 0.05–0.5 ms at the window's heap sizes
(docs/PERFORMANCE.md, session 28), so it runs when the background work has all reported, at
most once a second (:mod:`helpdesk_desktop.ui.jobs`). Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_looked_up = False


def _glibc() -> bool:
    # confstr, not platform.libc_ver(), which reads the interpreter's binary (~10 ms).
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (ValueError, OSError):
        return False


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        if sys.platform.startswith("linux") and _glibc():
            import ctypes

            function = getattr(ctypes.CDLL(None), "malloc_trim", None)
            if function is not None:
                function.argtypes = [ctypes.c_size_t]
                function.restype = ctypes.c_int
                _trim = function
    return _trim


def available() -> bool:
    """Whether this process's allocator can give memory back (glibc)."""
    return _malloc_trim() is not None


def trim() -> bool:
    """Give the allocator's free pages back to the system; whether any were (False where
    the allocator is not glibc's)."""
    function = _malloc_trim()
    return bool(function(0)) if function is not None else False
