"""Callbacks of background work that outlive their widget.

A job started by a window may finish after the window was closed and deleted; its callback
must then do nothing instead of touching a deleted Qt object. Widgets pass themselves as the
``owner`` of :meth:`DeskBridge.run`; these helpers are for callbacks that must partly run anyway
(e.g. reporting a change to the other windows).
"""

from __future__ import annotations

import inspect
import weakref
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


def weakly(callback: Callable[..., Any]) -> Callable[..., None]:
    """``callback`` without keeping its object alive: a bound method is held by a weak
    reference and does nothing once its object (for a QObject, also its C++ side) is gone;
    any other callable is held as it is. For what an object owned by Qt keeps, such as an
    undo command, which must not hold its window or bridge in a cycle (the garbage collector
    breaks such a cycle in no set order, and a QUndoStack then deletes a command twice)."""
    if not inspect.ismethod(callback):
        return callback
    method = weakref.WeakMethod(callback)

    def call(*args: Any) -> None:
        bound = method()
        if bound is not None and (not isinstance(bound.__self__, QObject)
                                  or alive(bound.__self__)):
            bound(*args)

    return call
