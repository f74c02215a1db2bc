"""Values of a list row computed in Python, shared by the ORM's rows (``list_rows``) and the
first page read without it (``first_page``). Stdlib and enums only."""

from __future__ import annotations

import datetime as dt

SNIPPET_LENGTH = 140


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
