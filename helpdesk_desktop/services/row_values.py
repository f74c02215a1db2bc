"""Values of a list row computed in Python, shared by the ORM's rows (``list_rows``) and the
first page read without it (``first_page``). Stdlib and enums only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

SNIPPET_LENGTH = 140
#: Between the followers' addresses SQLite's ``group_concat`` joins (not in an address).
LIST_SEPARATOR = "\x1f"


def snippet_of(text: str | None) -> str:
    """The start of a message as a row shows it: whitespace flattened, cut with an ellipsis."""
    flat = " ".join((text or "").split())  # the same whitespace as ``\\s``, without a regex
    return flat if len(flat) <= SNIPPET_LENGTH else flat[:SNIPPET_LENGTH - 1].rstrip() + "…"


def is_unread_at(read_at: dt.datetime | None, forced_unread: bool | None,
                 last_activity_at: dt.datetime) -> bool:
    """Whether a ticket is unread from its read state's columns (``None``: no read state)."""
    if read_at is None or forced_unread:
        return True
    return last_activity_at > read_at


def _pg_list(values: list[Any] | None) -> tuple[Any, ...]:
    return tuple(values) if values else ()


def _sqlite_emails(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(text.split(LIST_SEPARATOR))) if text else ()


def _sqlite_ids(text: str | None) -> tuple[int, ...]:
    return tuple(sorted(int(i) for i in text.split(","))) if text else ()


def list_decoders(dialect: str) -> tuple[Callable[[Any], tuple[str, ...]],
                                         Callable[[Any], tuple[int, ...]]]:
    """How a row's followers (addresses) and merged ids come back from ``dialect``: arrays
    on PostgreSQL, ``group_concat`` text on SQLite. Returns ``(emails_of, ids_of)``."""
    if dialect == "postgresql":
        return _pg_list, _pg_list
    return _sqlite_emails, _sqlite_ids
