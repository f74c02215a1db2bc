"""Callbacks of background work that outlive their widget.

A job started by a window may finish after the window was closed and deleted; its callback
must then do nothing instead of touching a deleted Qt object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject


def alive(obj: QObject) -> bool:
    """Whether the C++ side of ``obj`` still exists."""
    return shiboken6.isValid(obj)


def while_alive(owner: QObject, callback: Callable[..., Any]) -> Callable[..., None]:
    """``callback``, run only while ``owner`` exists."""

    def call(*args: Any) -> None:
        if alive(owner):
            callback(*args)

    return call
