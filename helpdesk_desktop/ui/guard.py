"""Callbacks of background work that outlive their widget.

A job started by a window may finish after the window was closed and deleted; its callback
must then do nothing instead of touching a deleted Qt object. Widgets pass themselves as the
``owner`` of :meth:`DeskBridge.run`; these helpers are for callbacks that must partly run anyway
(e.g. reporting a change to the other windows).
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


def for_host(host: object, callback: Callable[..., Any]) -> Callable[..., None]:
    """``callback``, run only while ``host`` (an action host, usually a window) exists."""
    return while_alive(host, callback) if isinstance(host, QObject) else callback
