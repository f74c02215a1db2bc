"""Typed refusals. Every face of the program turns these into one clear sentence."""

from __future__ import annotations

from typing import Any


class HelpDeskError(Exception):
    """Base of every expected refusal; ``str(error)`` is the sentence shown to the user."""

    exit_code = 2


class InvalidInput(HelpDeskError):
    """The request itself is wrong: a malformed value, an empty selection, a bad status."""


class NotFound(InvalidInput):
    """An id or name that does not exist, or that the user may not see."""


class PermissionDenied(HelpDeskError):
    """The acting user lacks the capability or the access scope for this operation."""

    exit_code = 3


class Conflict(HelpDeskError):
    """The data changed since the user looked at it (a stale edit)."""

    exit_code = 4

    def __init__(self, message: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        # The values now in the database, so the UI can show what changed.
        self.current = current or {}


class StaleState(Conflict, InvalidInput):
    """A ticket is no longer in the state an operation needs (merged, deleted, spam) — often
    because another operation changed it a moment ago. A conflict (exit 4) that callers may
    also treat as bad input."""


class Stopped(HelpDeskError):
    """A read ended before its answer because the answer was no longer wanted (a count that a
    newer search replaced). Nothing was changed; callers drop it silently."""


class DatabaseError(HelpDeskError):
    """The database cannot be opened or used (locked, unreachable, newer than the program)."""


def database_detail(exc: BaseException) -> str:
    """The first line of what the database driver said (SQLAlchemy wraps it in ``orig``), or
    the error's type name: the part of a database error worth showing in a sentence."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class SchemaTooNew(DatabaseError):
    """The database was written by a newer version of the program."""
