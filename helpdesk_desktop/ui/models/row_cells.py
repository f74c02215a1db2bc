"""What a listed row shows: its texts by column, font and priority colour, made once per row.

The table paints a row from these (``TicketListModel.painted_cells``, ``multiData``), not from
the row's values at each repaint. A page's rows get theirs on the list's thread with the read
(:meth:`CellMaker.make`): the UI thread then only swaps a finished page in. The words they
are made of (the time zone, the translated "Unassigned") are taken on the UI thread when the
read starts (:class:`CellMaker`); texts made for another zone or day are not used
(:meth:`PaintedCells.adopt`), and short times change at midnight ("14:05" today, "Mar 2" the
day after): every row's are made again then.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont

from helpdesk_desktop.domain.rules import local_time, zone_of
from helpdesk_desktop.services.dto import TicketRow
from helpdesk_desktop.ui.models import labels

Texts = tuple[str | None, ...]
#: A row's cells: the row they were made from, its texts by column (none in the check
#: column), its font (bold while unread, else None: the view's) and its priority colour.
Cells = tuple[TicketRow, Texts, QFont | None, QColor]


@dataclass
class CellMaker:
    """Makes rows' cells with the words of the moment it was made (on the UI thread); its
    :meth:`make` may run on another thread (``QLocale``, ``QColor`` and a translated text
    read there are values; the bold font is only handed on)."""

    time_zone: str | None
    unassigned: str
    erased: str  # "{0} · erased {1}", translated
    bold: QFont
    times: labels.ShortTimes = field(init=False)

    def __post_init__(self) -> None:
        self.times = labels.ShortTimes(self.time_zone)

    def texts(self, row: TicketRow) -> Texts:
        """What each column of ``row`` shows, by column (none in the check column)."""
        times = self.times
        status = row.status
        if row.purge_at is not None:
            status = self.erased.replace("{0}", row.status).replace(
                "{1}", times.text(row.purge_at))
        return (None, row.name, status, labels.priority_label(row.priority),
                row.owner or self.unassigned, labels.category_label(row.category),
                row.contact or "", times.text(row.created_at),
                times.text(row.last_activity_at))

    def cells(self, row: TicketRow) -> Cells:
        return (row, self.texts(row), self.bold if row.unread else None,
                labels.priority_color(row.priority))

    def make(self, rows: Iterable[TicketRow]) -> PreparedCells:
        """The cells of ``rows`` (on any thread), for :meth:`PaintedCells.adopt`."""
        return PreparedCells(self.time_zone, self.times.today,
                             {row.id: self.cells(row) for row in rows})


@dataclass
class PreparedCells:
    """Cells made with a read, for the zone and day they were made in."""

    time_zone: str | None
    today: dt.date
    cells: dict[int, Cells]


class PaintedCells:
    """The cells of the rows a list holds, by ticket id (see the module docstring)."""

    def __init__(self, maker: CellMaker) -> None:
        self._maker = maker  # of the zone and day of the cells held
        self._cells: dict[int, Cells] = {}
        self._until = 0.0  # time.time() of the next midnight where the user is

    def of(self, row: TicketRow, time_zone: str | None) -> Cells:
        """What ``row`` shows (made now unless held for this very row, zone and day)."""
        self._check(time_zone)
        cells = self._cells.get(row.id)
        if cells is None or cells[0] is not row:
            cells = self._cells[row.id] = self._maker.cells(row)
        return cells

    def adopt(self, prepared: PreparedCells | None, time_zone: str | None) -> None:
        """Hold cells made with a read, unless made for another zone or day."""
        self._check(time_zone)
        maker = self._maker
        if (prepared is not None and prepared.time_zone == maker.time_zone
                and prepared.today == maker.times.today):
            self._cells.update(prepared.cells)

    def _check(self, time_zone: str | None) -> None:
        maker = self._maker
        if time.time() >= self._until or time_zone != maker.time_zone:
            self._cells.clear()
            self._maker = CellMaker(time_zone, maker.unassigned, maker.erased, maker.bold)
            self._until = next_midnight(time_zone)

    def maker(self, time_zone: str | None) -> CellMaker:
        """A maker for a read about to start (its day's texts shared with the cells held:
        fresh ones for another zone or after midnight)."""
        self._check(time_zone)
        maker = self._maker
        return CellMaker(maker.time_zone, maker.unassigned, maker.erased, maker.bold)

    def get(self, ticket_id: int) -> Cells | None:
        return self._cells.get(ticket_id)

    def pop(self, ticket_id: int) -> None:
        self._cells.pop(ticket_id, None)

    def keep_only(self, ticket_ids: Iterable[int] | dict[int, object]) -> None:
        """Drop the cells of rows no longer held."""
        self._cells = {i: c for i, c in self._cells.items() if i in ticket_ids}

    def clear(self) -> None:
        """Forget every row's cells (a new query, another zone: made again when shown)."""
        self._cells.clear()
        self._until = 0.0  # (the maker, and its day's texts, made again too)

    def __len__(self) -> int:
        return len(self._cells)


def next_midnight(time_zone: str | None) -> float:
    """The ``time.time()`` of the next midnight in ``time_zone`` (where short times change)."""
    zone = zone_of(time_zone)
    today = local_time(dt.datetime.now(dt.UTC), time_zone).date()
    # Without a zone of their own, the computer's (a naive time is read in it, DST included).
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=zone).timestamp()
