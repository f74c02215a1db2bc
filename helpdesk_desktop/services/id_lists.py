"""Lists of ids in an operation: without repeats, in chunks for ``IN (...)``, in a sentence."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _, ngettext

CHUNK = 500  # ids per statement: well under SQLite's bound-parameter limit


def distinct_tickets(ticket_ids: Iterable[int]) -> list[int]:
    """The ids in their first order without repeats; refused when there is none."""
    ids = list(dict.fromkeys(int(i) for i in ticket_ids))
    if not ids:
        raise InvalidInput(_("Select at least one ticket."))
    return ids


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    """``ids`` in slices of at most :data:`CHUNK`."""
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start:start + CHUNK])


def ids_text(ids: Sequence[int]) -> str:
    """``#1, #2, #3, #4, #5 and 7 more``: ids for a sentence."""
    shown = ", ".join(f"#{i}" for i in ids[:5])
    if len(ids) <= 5:
        return shown
    more = len(ids) - 5
    return ngettext("{ids} and {count} more", "{ids} and {count} more", more).format(
        ids=shown, count=more)
