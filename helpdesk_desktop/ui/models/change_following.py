"""How the ticket list follows writes: the rows a change names read again, the list reloaded.

:class:`ChangeFollowing` is a part of :class:`~.ticket_model.TicketListModel` (a mixin): a write
reported on ``bridge.changed`` refreshes only the rows it names, off the UI thread (or from what
the operation's own job read already, ``change_reader``); rows leave when they no longer match,
and the list is read again (keeping its length, selection and scroll position) when tickets
entered it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Signal

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import OpResult, PageCursor, TicketQuery, TicketRow
from helpdesk_desktop.ui.bridge import NOT_READ

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractTableModel

    from helpdesk_desktop.ui.bridge import DeskBridge
    from helpdesk_desktop.ui.jobs import Job
    from helpdesk_desktop.ui.models.held_rows import HeldRows
    from helpdesk_desktop.ui.models.positional import PositionalRows
    from helpdesk_desktop.ui.models.read_ahead import ReadAhead
    from helpdesk_desktop.ui.models.row_cells import PaintedCells
    from helpdesk_desktop.ui.models.row_ids import RowIds

    _Model = QAbstractTableModel
else:
    _Model = object


class ChangeFollowing(_Model):
    """Following the writes that name this list's tickets (see the module docstring)."""

    if TYPE_CHECKING:  # provided by TicketListModel
        bridge: DeskBridge
        page_size: int
        row_filter: Callable[[TicketRow], bool] | None
        _query: TicketQuery
        _ids: RowIds
        _held: HeldRows
        _rows: dict[int, TicketRow]
        _cells: PaintedCells
        _checked: set[int]
        _positional: PositionalRows
        _ahead: ReadAhead | None
        _cursor: PageCursor | None
        _more: bool
        _started: bool
        _loading: Job[Any] | None
        _named_while_loading: set[int]
        _refreshes: int
        _asked: dict[int, int]

        def _trim(self) -> None: ...
        def _read_ahead(self) -> None: ...
        checkedChanged: Signal
        failed: Signal

    def change_reader(self) -> Callable[[Desk, OpResult[Any]], object] | None:
        """For an operation of this model's window (see ``DeskBridge.follow``): read, in the
        operation's job, the rows of the tickets it names, and the list again as far as it is
        loaded when one of them entered it."""
        if not self._started or self._loading is not None:
            return None  # (a first page being read: the model reads the change itself)
        query, loaded, want = self._query, set(self._ids.known()), self._reload_size()
        page_size, positional = self.page_size, self._positional.active

        def read(desk: Desk, result: OpResult[Any]) -> Prefetched:
            named = named_ids(result)
            fresh = desk.rows_in(query, named) if named else {}
            entered = any(i not in loaded for i in fresh) and not positional
            return query, fresh, (read_loaded(desk, query, want, page_size) if entered
                                  else None)

        return read

    def _on_changed(self, result: OpResult[Any]) -> None:
        """Ask the database which of the tickets the write named this query matches now (off
        the UI thread): loaded rows are refreshed or leave; tickets that entered (restored,
        no longer spam, edited into the view) bring a reload that puts them in sort order.
        For an operation of this model's window, that was read in its job already."""
        if not self._started:
            return
        named = named_ids(result)
        if not named:
            return
        if self._ahead is not None:
            self._ahead.drop_if_named(set(named))
        if self._loading is not None:  # read again once the first page is shown
            self._named_while_loading.update(named)
            return
        query = self._query
        self._refreshes += 1
        stamp = self._refreshes
        self._asked.update(dict.fromkeys(named, stamp))
        prefetched = self.bridge.prefetched(self)
        if prefetched is not NOT_READ:
            read: Prefetched = prefetched
            if read[0] == query:
                self._refresh(query, named, stamp, read[1], read[2])
                return

        self._read_named(named, stamp)

    def _read_named(self, named: list[int], stamp: int | None = None) -> None:
        """Read the rows of these tickets that the query matches now, off the UI thread."""
        if stamp is None:
            self._refreshes += 1
            stamp = self._refreshes
            self._asked.update(dict.fromkeys(named, stamp))
        query = self._query

        def done(fresh: dict[int, TicketRow]) -> None:
            self._refresh(query, named, stamp, fresh, None)

        self.bridge.run(lambda desk, _p: desk.rows_in(query, named), done,
                        lambda _message: None, owner=self)

    def _refresh(self, query: TicketQuery, named: list[int], stamp: int,
                 fresh: dict[int, TicketRow],
                 reloaded: tuple[list[TicketRow], PageCursor | None] | None) -> None:
        if query != self._query:  # another query meanwhile: it was read fresh anyway
            return
        # A later refresh of the same ticket may have finished first: keep its answer.
        latest = [i for i in named if self._asked.get(i) == stamp]
        for ticket_id in latest:
            del self._asked[ticket_id]
        fresh = {i: row for i, row in fresh.items() if i in latest}
        self.apply_rows([i for i in latest if i in self._ids], fresh)
        if any(i not in self._ids for i in fresh):
            if self._positional.active:  # in the list before, not read yet, or new in it
                self._positional.recount()
            elif reloaded is not None:
                self._apply_reload(*reloaded)
            else:
                self.reload()

    def apply_rows(self, asked: Iterable[int], fresh: dict[int, TicketRow],
                   gone: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        """Put fresh rows in place; drop those ``asked`` for that came back missing (no longer
        in the query), that fail ``row_filter``, or are ``gone``."""
        drop = set(gone)
        kept = []
        for ticket_id in asked:
            if ticket_id not in self._ids:
                continue
            row = fresh.get(ticket_id)
            if row is None or not self._keeps(row):
                drop.add(ticket_id)
                continue
            self._rows[ticket_id] = row
            kept.append(ticket_id)
        if kept:
            positions = self._positions(kept).values()
            self.dataChanged.emit(self.index(min(positions), 0),
                                  self.index(max(positions), self.columnCount() - 1))
        self.remove_ids(drop)

    def _positions(self, ids: Iterable[int]) -> dict[int, int]:
        """The model rows of these listed tickets (one pass over the list)."""
        position = self._ids.position
        return {i: position(i) for i in set(ids) if i in self._ids}

    def _keeps(self, row: TicketRow) -> bool:
        return self.row_filter is None or self.row_filter(row)

    def remove_ids(self, ids: Iterable[int]) -> None:
        """Remove these tickets' rows (contiguous runs at a time)."""
        listed = {i for i in ids if i in self._ids}
        positions = sorted(self._positions(listed).values(), reverse=True) if listed else []
        if positions:
            self._positional.epoch += 1  # a page being read would land one row off
        while positions:
            last = first = positions.pop(0)
            while positions and positions[0] == first - 1:
                first = positions.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            for ticket_id in self._ids.remove(first, last):
                self._rows.pop(ticket_id, None)
                self._cells.pop(ticket_id)
                self._positional.keys.pop(ticket_id, None)
                self._checked.discard(ticket_id)
            self.endRemoveRows()
        self.checkedChanged.emit()

    def insert_row(self, row: TicketRow, position: int = 0) -> None:
        """Show a ticket that moved into this list (e.g. dropped on a board column)."""
        if row.id in self._ids:
            self._rows[row.id] = row
            return
        position = max(0, min(position, len(self._ids)))
        self._positional.epoch += 1
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows[row.id] = row
        self._ids.insert(position, row.id)
        self.endInsertRows()

    def reload(self) -> None:
        """Read the query again as far as it was loaded, keeping selection and scroll: rows
        that left are removed, new ones inserted and the rest re-ordered in place. A long
        list is read off the UI thread."""
        if not self._started or self._loading is not None:  # (that read is fresh)
            return
        if self._positional.active:
            self._positional.reload()
            return
        want, query, page_size = self._reload_size(), self._query, self.page_size

        def read(desk: Desk, _progress: object = None) -> tuple[list[TicketRow],
                                                                 PageCursor | None]:
            return read_loaded(desk, query, want, page_size)

        def apply(outcome: tuple[list[TicketRow], PageCursor | None]) -> None:
            if query == self._query:  # not meanwhile replaced by another query
                self._apply_reload(*outcome)

        if want <= 2 * self.page_size:
            try:
                apply(read(self.bridge.desk))
            except HelpDeskError as exc:
                self.failed.emit(str(exc))
        else:
            self.bridge.run(read, apply, self.failed.emit, owner=self)

    def _reload_size(self) -> int:
        # A little more than was loaded, so that newly created tickets are not cut off.
        return max(len(self._ids) + 50, self.page_size)

    def _apply_reload(self, rows: list[TicketRow], cursor: PageCursor | None) -> None:
        fresh = {r.id: r for r in rows}
        order = list(fresh)
        self.remove_ids([i for i in self._ids.known() if i not in fresh])
        added = [i for i in order if i not in self._ids]
        if added:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._ids.extend(added)
            self._rows.update((i, fresh[i]) for i in added)
            self.endInsertRows()
        self._held.update_held(rows)
        self._cursor, self._more = cursor, cursor is not None
        self._positional.keys = {} if cursor is None else {cursor.ticket_id: cursor}
        self._read_ahead()
        old_ids = self._ids.known()
        if old_ids != order:
            self._positional.epoch += 1
            self.layoutAboutToBeChanged.emit()
            old = self.persistentIndexList()
            moved_to = {ticket_id: position for position, ticket_id in enumerate(order)}
            self._ids.reset(order)
            self.changePersistentIndexList(
                old, [self.index(moved_to[old_ids[i.row()]], i.column()) for i in old])
            self.layoutChanged.emit()
        self._trim()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, self.columnCount() - 1))


# What a list reads for its window's operation: its query, the named rows, the list reloaded.
Prefetched = tuple[TicketQuery, dict[int, TicketRow],
                   tuple[list[TicketRow], PageCursor | None] | None]


def named_ids(result: OpResult[Any]) -> list[int]:
    """The tickets a change names, each once."""
    return list(dict.fromkeys((*result.changed_ticket_ids, *result.created_ticket_ids,
                               *result.removed_ticket_ids)))


def read_loaded(desk: Desk, query: TicketQuery, want: int,
                 page_size: int) -> tuple[list[TicketRow], PageCursor | None]:
    """The first ``want`` rows of ``query`` (or all), and the cursor after them."""
    rows: list[TicketRow] = []
    cursor: PageCursor | None = None
    while True:
        page = desk.list_tickets(query, limit=min(500, max(page_size, want - len(rows))),
                                 after=cursor)
        rows.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None or len(rows) >= want:
            return rows, cursor
