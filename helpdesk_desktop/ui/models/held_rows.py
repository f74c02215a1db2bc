"""The rows of a long list whose data the model holds: those near where the view looks.

A list scrolled 20,000 rows deep keeps every ticket's id (its order is the list), but only
about :data:`HELD` rows keep their :class:`TicketRow`; a row scrolled far away drops its data
and is read again by id (``Desk.rows_in``, off the UI thread) if it is shown again. Memory then
stays flat however far the user scrolls (goal M3 of docs/PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from helpdesk_desktop.services.dto import TicketRow

if TYPE_CHECKING:
    from helpdesk_desktop.ui.models.row_ids import RowIds

HELD = 1000  # rows kept around the last row shown
SLACK = 500  # how far past HELD the rows grow before the far ones are dropped


class HeldRows:
    """Ticket rows by id, trimmed to a window around a position of the list."""

    def __init__(self, held: int = HELD, slack: int = SLACK) -> None:
        self.held = held
        self.slack = slack
        # The one dict, never replaced: the model's ``data`` reads it directly.
        self.rows: dict[int, TicketRow] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self.rows

    def get(self, ticket_id: int) -> TicketRow | None:
        return self.rows.get(ticket_id)

    def put(self, row: TicketRow) -> None:
        self.rows[row.id] = row

    def put_many(self, rows: Iterable[TicketRow]) -> None:
        self.rows.update((r.id, r) for r in rows)

    def update_held(self, rows: Iterable[TicketRow]) -> None:
        """Fresh data for the rows held now (the others stay dropped)."""
        held = self.rows
        for row in rows:
            if row.id in held:
                held[row.id] = row

    def drop(self, ticket_id: int) -> None:
        self.rows.pop(ticket_id, None)

    def clear(self) -> None:
        self.rows.clear()

    def trim(self, ids: RowIds, around: int, pinned: Collection[int] = ()) -> int:
        """Drop the data of the rows of ``ids`` more than ``held / 2`` rows from ``around``
        (except ``pinned`` ones, e.g. checked tickets) once more than ``held + slack`` rows are
        held; returns how many were dropped."""
        rows = self.rows
        if len(rows) <= self.held + self.slack:
            return 0
        first = max(0, min(around - self.held // 2, len(ids) - self.held))
        keep = set(ids.between(first, first + self.held - 1))
        far = [i for i in rows if i not in keep and i not in pinned]
        for ticket_id in far:
            del rows[ticket_id]
        return len(far)
