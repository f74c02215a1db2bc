"""The ticket list model: ids in the database's order and the rows near the view, paged lazily.

Pages come from the facade by key (``PageCursor``) and only when the view scrolls near the end
(``canFetchMore``/``fetchMore``). A new query's first page is read off the UI thread and shown
when it arrives (``loaded``). Only the rows near where the view looks keep their data
(:mod:`.held_rows`); a row scrolled far away is read again by id when shown again. Writes
reported on ``bridge.changed`` refresh only the rows they name; rows are removed when they
leave the view and the list is re-read (keeping its length, selection and scroll position)
when tickets are created.

Once the query's count is known (``set_total``: the window's "N matching"), a long list is
*positional*: it has every row, by position, and reads the rows the view paints where it looks
(:mod:`.positional`). The board's columns, never given a count, page forward only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import (
    PageCursor,
    TicketQuery,
    TicketRow,
)
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.jobs import Job
from helpdesk_desktop.ui.models import labels
from helpdesk_desktop.ui.models.change_following import ChangeFollowing
from helpdesk_desktop.ui.models.checking import Checking
from helpdesk_desktop.ui.models.columns import (
    COLUMN_SORT,
    COLUMN_TITLES,
    TICKET_MIME,
    Column,
    Role,
)
from helpdesk_desktop.ui.models.held_rows import HELD, SLACK, HeldRows
from helpdesk_desktop.ui.models.list_reads import ListReads
from helpdesk_desktop.ui.models.positional import (
    FILL_AT_ONCE,
    PLACEHOLDER,
    SLICE_ROWS,
    PositionalRows,
)
from helpdesk_desktop.ui.models.read_ahead import ReadAhead
from helpdesk_desktop.ui.models.row_cells import CellMaker, Cells, PaintedCells, PreparedCells
from helpdesk_desktop.ui.models.row_ids import RowIds

ModelIndex = QModelIndex | QPersistentModelIndex
# The hot path of ``data`` and ``flags`` compares plain ints and returns prepared flags.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_CHECK_STATE = int(Qt.ItemDataRole.CheckStateRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TICKET_ID, _ROW, _UNREAD, _PURGE_NOTE = (int(Role.TICKET_ID), int(Role.ROW), int(Role.UNREAD),
                                          int(Role.PURGE_NOTE))
_ANSWERED_ROLES = frozenset({_DISPLAY, _FONT, _CHECK_STATE, _FOREGROUND, _TOOLTIP, _ACCESSIBLE,
                             _TICKET_ID, _ROW, _UNREAD, _PURGE_NOTE})
_CHECK, _NAME, _STATUS, _PRIORITY = (int(Column.CHECK), int(Column.NAME), int(Column.STATUS),
                                     int(Column.PRIORITY))
_CREATED, _LAST_ACTIVITY = int(Column.CREATED), int(Column.LAST_ACTIVITY)
_COLUMN_COUNT = len(Column)  # Qt asks for it hundreds of times per board load
#: The roles ``QStyledItemDelegate.initStyleOption`` asks a cell for, in one ``multiData``
#: call (Qt 6), in this order.
_DELEGATE_ROLES = (_FONT, int(Qt.ItemDataRole.TextAlignmentRole), _FOREGROUND, _CHECK_STATE,
                   int(Qt.ItemDataRole.DecorationRole), _DISPLAY,
                   int(Qt.ItemDataRole.BackgroundRole))
_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
_CELL_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
               | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren)
_CHECK_FLAGS = _CELL_FLAGS | Qt.ItemFlag.ItemIsUserCheckable
_HORIZONTAL = Qt.Orientation.Horizontal


class TicketListModel(ChangeFollowing, Checking, QAbstractTableModel):
    """Tickets of one :class:`TicketQuery`, loaded a page at a time.

    ``row_filter`` says whether a refreshed row still belongs (e.g. a board column keeps only
    its status); rows that fail it are removed. About ``held`` rows near the view keep their
    data (``held_slack`` more before the far ones are dropped). With ``auto_refresh`` the model follows
    ``bridge.changed`` itself; otherwise its owner calls :meth:`apply_rows`. With
    ``read_ahead`` (a long list) pages are read ahead and a new query's first page is read in
    the background; without (a short list such as a board column) it is read at once.
    """

    checkedChanged = Signal()  # (emitted by Checking)
    queryChanged = Signal(object)  # TicketQuery
    loaded = Signal()  # the first page of the query set last is shown
    failed = Signal(str)  # a refusal while reading (e.g. a view the user may not open)

    def __init__(self, bridge: DeskBridge, query: TicketQuery | None = None, *,
                 page_size: int = 100, auto_refresh: bool = True,
                 row_filter: Callable[[TicketRow], bool] | None = None,
                 read_ahead: bool = True, held: int = HELD, held_slack: int = SLACK,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.page_size = page_size
        # A positional list reads by pages of its own, smaller: a jump reads the rows shown
        # (a viewport is ~30 rows) and a page each side, not two pages of a hundred.
        self.slice_rows = min(page_size, SLICE_ROWS)
        self.row_filter = row_filter
        self._query = query or TicketQuery()
        self._ids = RowIds()  # by position; holes where a long list has not read its rows
        self._counted: tuple[TicketQuery, int] | None = None  # the last count given
        self._held = HeldRows(held, held_slack)
        self._rows = self._held.rows  # the rows whose data is held, by id
        self._cursor: PageCursor | None = None
        self._more = False
        self._checked: set[int] = set()
        self._bold = QFont()
        self._bold.setBold(True)
        self._started = False
        self._refreshes = 0
        self._asked: dict[int, int] = {}  # ticket id -> the latest refresh asking for it
        # The next page, read in the background (None: each page is read when asked for).
        self._reads = ListReads(bridge, self)  # first pages, pages ahead, rows read again
        self._ahead = ReadAhead(self._reads) if read_ahead else None
        # Once counted (``set_total``): every row by position, read where the view looks.
        self._positional = PositionalRows(self, self._ids, self._held, self._reads)
        self._fetch_when_read = False  # the view asked for the page being read ahead
        self._inserting = False  # rows being inserted by fetchMore (a view's call meanwhile waits)
        self._scrolled = False  # the view asked for a second page of this query
        self._background = read_ahead
        self._generation = 0  # of the query set last: a read for an older one is dropped
        self._loading: Job[Any] | None = None  # the first page being read
        self._named_while_loading: set[int] = set()
        self._looked_at = 0  # the last row the view asked data for
        self._missing: set[int] = set()  # dropped rows shown again, to read
        # What a painted row shows, made once per row (not once per cell and role at each
        # repaint); a first page's rows get theirs with the read, on the list's thread.
        self._cells = PaintedCells(CellMaker(bridge.user.time_zone, self.tr("Unassigned"),
                                             self.tr("{0} · erased {1}"), self._bold))
        #: How many rows of a first page get their texts with the read: those a view shows
        #: at once (the table sets it from its height); the rest when first painted.
        self.rows_shown = 40
        self._header: dict[tuple[int, int], Any] = {}  # (section, role) -> its header data
        self._reading: set[int] = set()  # ... being read
        if auto_refresh:
            bridge.changed.connect(self._on_changed)
        bridge.userUpdated.connect(self._redraw_times)

    # -- what it shows ----------------------------------------------------------------------

    @property
    def query(self) -> TicketQuery:
        return self._query

    def set_query(self, query: TicketQuery, *, background: bool | None = None) -> None:
        """Show another query. Its first page is read on the lists' thread (``list_reads``),
        ahead of the reads waiting, and replaces the rows shown when it arrives (``loaded``);
        meanwhile the old rows stay (no empty flash) but do not page, and a read made stale by
        a later query is dropped. ``background=False`` reads it at once; so does a model's
        first query (the window opens with its rows) and a list without read-ahead."""
        if background is None:
            background = self._started and self._background
        generation = self._begin_query(query)
        if not background:
            self._cancel_loading()
            self._show_first_page(generation, self._fetch(None, self.page_size))
        else:
            page_size, maker, shown = self.page_size, self._cells.maker(self._zone()), \
                self.rows_shown

            def read(desk: Desk) -> tuple[list[TicketRow], PageCursor | None, PreparedCells]:
                page = desk.list_tickets(query, limit=page_size)
                rows = list(page.rows)  # (their texts too: the UI thread only swaps them in)
                return rows, page.next_cursor, maker.make(rows[:shown])

            def refused(message: str) -> None:
                if generation == self._generation:
                    self.failed.emit(message)
                    self._show_first_page(generation, ([], None))

            self._loading = self._reads.run(
                read, lambda page: self._show_first_page(generation, page), refused,
                replaces=self._loading)
        self.queryChanged.emit(query)

    def is_loading(self) -> bool:
        """Whether the first page of the query set last is still being read."""
        return self._loading is not None

    def _show_first_page(self, generation: int,
                         page: tuple[list[TicketRow], PageCursor | None]
                         | tuple[list[TicketRow], PageCursor | None, PreparedCells]) -> None:
        if generation != self._generation:  # a later query was set meanwhile
            return
        self._loading = None
        rows, cursor = page[0], page[1]
        self.beginResetModel()
        self._checked = set()
        self._held.clear()
        self._cells.clear()  # (the day's texts are made again with each page's)
        if len(page) == 3:
            self._cells.adopt(page[2], self._zone())
        self._missing, self._reading = set(), set()
        self._looked_at = 0
        self._positional.reset()
        self._ids.reset(r.id for r in rows)  # (a re-sorted row may come twice)
        for row in rows:
            self._rows.setdefault(row.id, row)
        self._cursor, self._more = cursor, cursor is not None
        if cursor is not None:
            self._positional.keys[cursor.ticket_id] = cursor
        self.endResetModel()
        self.checkedChanged.emit()
        self.loaded.emit()
        if self._counted is not None and self._counted[0] == self._query:
            self.set_total(*self._counted)  # counted while its first page was read
        named, self._named_while_loading = self._named_while_loading, set()
        if named:  # changes reported while the page was read: it may hold them as they were
            self._read_named(sorted(named))
        self._read_ahead()

    def show_page(self, query: TicketQuery, rows: Sequence[TicketRow],
                  cursor: PageCursor | None) -> None:
        """Show ``query`` with its first page read already (a board column, read with the
        whole board in one job): as :meth:`set_query`, without reading; later pages are read
        from ``cursor`` as the view scrolls."""
        generation = self._begin_query(query)
        self._cancel_loading()
        self._show_first_page(generation, (list(rows), cursor))
        self.queryChanged.emit(query)

    def _begin_query(self, query: TicketQuery) -> int:
        """Make ``query`` the model's; the generation a page read for it must carry."""
        self._query = query
        self._generation += 1
        if self._ahead is not None:
            self._ahead.drop()
        self._started = True
        self._scrolled = False
        self._fetch_when_read = False
        self._more = False  # the rows still shown are not paged further (nor read by position)
        self._positional.active = False
        self._counted = None
        self._named_while_loading = set()
        return self._generation

    def _cancel_loading(self) -> None:
        if self._loading is not None:
            self._reads.take_back(self._loading)
            self._loading = None

    def _read_ahead(self) -> None:
        """Read the page after the last one loaded, once the rows just added are painted: a
        read on a worker thread while the table paints would slow the paint down (both need
        Python's interpreter lock), so it starts when the event loop is idle. Only once the
        view has scrolled past the first page: a view change, sort or search the user does not
        scroll would otherwise run its query twice."""
        if self._ahead is not None and self._more and self._scrolled:
            QTimer.singleShot(0, self, self._start_read_ahead)

    def _start_read_ahead(self) -> None:
        ahead = self._ahead
        if ahead is not None and self._more and not ahead.targets(self._query, self._cursor):
            generation = self._generation
            ahead.start(self._query, self._cursor, self.page_size,
                        lambda: self._page_read(generation),
                        maker=self._cells.maker(self._zone()))

    def _page_read(self, generation: int) -> None:
        """The page read ahead is ready: shown now if the view asked for it meanwhile."""
        if self._fetch_when_read and generation == self._generation:
            self._fetch_when_read = False
            self.fetchMore(QModelIndex())

    def is_fetching(self) -> bool:
        """Whether the view asked for the next page and waits for its read (ahead)."""
        return self._fetch_when_read

    def set_query_later(self, query: TicketQuery) -> None:
        """Make ``query`` the model's without reading it yet (a model that has read nothing):
        :meth:`start` reads it. A window opening on its board shows no list until the table
        or split is first shown."""
        if self._started:
            self.set_query(query)
            return
        self._query = query
        self.queryChanged.emit(query)

    def start(self) -> bool:
        """Load the first page unless already loaded; whether it did."""
        if self._started:
            return False
        self.set_query(self._query)
        return True

    def _fetch(self, after: PageCursor | None, limit: int) -> tuple[list[TicketRow],
                                                                    PageCursor | None]:
        try:
            page = self.bridge.desk.list_tickets(self._query, limit=limit, after=after)
        except HelpDeskError as exc:
            self.failed.emit(str(exc))
            return [], None
        return list(page.rows), page.next_cursor

    def _redraw_times(self) -> None:
        """The user chose another time zone: every shown time is drawn again (no read)."""
        self._cells.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(Column) - 1))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMN_COUNT

    def canFetchMore(self, parent: ModelIndex) -> bool:
        # Not while the page asked for is read (a loop of fetchMore would spin: its rows
        # come in through the event loop).
        return not parent.isValid() and self._more and not self._fetch_when_read

    def fetchMore(self, parent: ModelIndex) -> None:
        if parent.isValid() or not self._more or self._inserting:
            return
        self._scrolled = True
        ahead = self._ahead
        if ahead is not None and ahead.reading(self._query, self._cursor):
            self._fetch_when_read = True  # inserted when the read reports: no wait here
            return
        page = ahead.take(self._query, self._cursor) if ahead is not None else None
        if page is None and ahead is not None:
            # Nothing read ahead (the first scroll of this query, or a read taken back
            # before it started): read now off the UI thread, first in line, and inserted
            # when it reports (a read here stalled the window: 55-112 ms on PostgreSQL).
            self._fetch_when_read = True
            generation = self._generation
            ahead.start(self._query, self._cursor, self.page_size,
                        lambda: self._page_read(generation), urgent=True,
                        maker=self._cells.maker(self._zone()))
            return
        self._fetch_when_read = False
        if page is None:  # a short list without read-ahead (a board column): read at once
            rows, cursor = self._fetch(self._cursor, self.page_size)
        elif page.error is not None:
            self.failed.emit(page.error)
            rows, cursor = [], None
        else:
            rows, cursor = page.rows, page.next_cursor
            self._cells.adopt(page.cells, self._zone())
        new = list({r.id: r for r in rows if r.id not in self._ids}.values())
        self._cursor, self._more = cursor, cursor is not None
        if cursor is not None:
            self._positional.keys[cursor.ticket_id] = cursor
        if new:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for row in new:
                self._rows[row.id] = row
            self._ids.extend(r.id for r in new)
            self._inserting = True  # (a slot of rowsInserted asking for more: not nested)
            try:
                self.endInsertRows()
            finally:
                self._inserting = False
            self._trim()
        self._read_ahead()

    def has_more(self) -> bool:
        return self._more

    # -- every row by position (the count known) --------------------------------------------

    def set_total(self, query: TicketQuery, total: int) -> None:
        """The count of ``query`` (the window's "N matching", read off the UI thread): a list
        with pages still to read then has all its rows, read where the view looks (jumping
        to the middle or the end reads only there). Until the count is known the list pages
        forward as the view scrolls; a count that changed reads the rows shown again."""
        if query != self._query or not self._background or total < 0:
            return
        if query.sort is SortKey.NEWEST_HIT and query.search.strip():
            return  # a search's newest-match order is read forward only (no positions)
        self._counted = (query, total)
        if self._loading is not None:  # applied once its first page is shown
            return
        if self._positional.active:
            if total != len(self._ids):
                self._positional.reload(total)
            return
        if not self._more or total <= len(self._ids):
            return  # every row is here already (or the count is older than the rows)
        self._more = False
        self._fetch_when_read = False
        if self._ahead is not None:
            self._ahead.drop()
        self._positional.start(total)

    # -- reading it -------------------------------------------------------------------------

    def ticket_id(self, row: int) -> int:
        """The ticket at ``row`` (a row not read yet is read now; IndexError: none)."""
        ticket_id = self._ids.get(row)
        if ticket_id is None:
            self._positional.fill_now([row])
            ticket_id = self._ids.get(row)
            if ticket_id is None:
                raise IndexError(row)
        return ticket_id

    def loaded_count(self) -> int:
        """How many rows are read (all of them, unless the list is positional)."""
        return self._ids.known_count()

    def id_at(self, row: int) -> int | None:
        """The ticket at ``row`` if known (None: not read yet), without reading."""
        return self._ids.get(row)

    def row_of(self, ticket_id: int) -> int:
        """The model row of ``ticket_id`` or -1 (not listed, or not read yet)."""
        return self._ids.position(ticket_id)

    def is_positional(self) -> bool:
        """Whether every row of the query is in the model (the count known), read where the
        view looks, rather than appended page after page."""
        return self._positional.active

    def ticket_row(self, row: int) -> TicketRow:
        """The row at ``row`` (read now if its data was dropped; KeyError if it is gone)."""
        ticket_id = self.ticket_id(row)
        found = self._rows_for([ticket_id])
        if not found:
            raise KeyError(ticket_id)
        return found[0]

    def rows_at(self, rows: Iterable[int]) -> list[TicketRow]:
        """The rows at these positions (those whose data was dropped read at once, together:
        a selection of the whole list is one read, not one per row). In a positional list,
        rows never read are read now up to :data:`FILL_AT_ONCE` of them (a selection of a
        million rows is not read row by row on the UI thread: "Select all N matching" is the
        action on a whole view); past that, only the rows read count."""
        positions = [r for r in rows if 0 <= r < len(self._ids)]
        holes = [p for p in positions if self._ids.get(p) is None]
        self._positional.fill_now(holes[:FILL_AT_ONCE])
        ids = (self._ids.get(r) for r in positions)
        return self._rows_for([i for i in ids if i is not None])

    def row_for_id(self, ticket_id: int) -> TicketRow | None:
        """The data held for ``ticket_id`` (None: not listed, or scrolled far away)."""
        return self._rows.get(ticket_id)

    def held_count(self) -> int:
        """How many rows hold their data (the others only their id)."""
        return len(self._held)

    def _rows_for(self, ids: list[int]) -> list[TicketRow]:
        """These listed tickets' rows; those whose data was dropped are read again now (a
        user's action on rows far from the view: rare, and one indexed read)."""
        missing = [i for i in ids if i not in self._rows]
        if missing:
            self._held.put_many(self.bridge.desk.rows(missing).values())
        return [self._rows[i] for i in ids if i in self._rows]

    def _trim(self) -> None:
        """Drop the data of rows far from where the view looks (checked rows stay); in a
        positional list, their ids and keys too (they are holes again)."""
        if self._positional.active:
            self._positional.trim()
            return
        if self._held.trim(self._ids, self._looked_at, self._checked):
            self._cells.keep_only(self._rows)

    def _want(self, ticket_id: int) -> None:
        """A row shown again after its data was dropped: read it (with the others asked for
        in the same paint) off the UI thread."""
        if ticket_id in self._reading or ticket_id in self._missing:
            return
        if not self._missing:
            QTimer.singleShot(0, self, self._read_missing)
        self._missing.add(ticket_id)

    def _read_missing(self) -> None:
        ids = [i for i in self._missing if i in self._ids and i not in self._rows]
        self._missing = set()
        if not ids:
            return
        self._reading.update(ids)
        query, generation = self._query, self._generation

        def done(fresh: dict[int, TicketRow]) -> None:
            self._reading.difference_update(ids)
            if generation == self._generation:
                self.apply_rows(ids, fresh)  # those no longer in the query leave
                self._trim()

        self._reads.run(lambda desk: desk.rows_in(query, ids), done,
                        lambda _message: self._reading.difference_update(ids))

    def ids(self) -> list[int]:
        """The ids known, in order (every row's, unless the list is positional)."""
        return self._ids.known()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for roles the view's delegate does not ask through ``multiData`` (tool
        # tips, accessibility, the ticket id and row for actions, tests): roles it does not
        # answer leave first, and roles and columns are compared as plain ints (making an
        # enum member per call cost more than the rest).
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        position = index.row()
        if not 0 <= position < len(self._ids):
            return None
        self._looked_at = position
        ticket_id = self._ids.get(position)
        if ticket_id is None:  # a row of a positional list not read yet: a placeholder
            self._positional.want(position)
            return PLACEHOLDER if role == _DISPLAY and index.column() == _NAME else None
        row = self._rows.get(ticket_id)
        if row is None:  # scrolled far away and back: read again, empty until then
            if role == _TICKET_ID:
                return ticket_id
            self._want(ticket_id)
            return None
        column = index.column()
        if role == _DISPLAY:
            return self._cells_of(row)[1][column]
        if role == _FONT:
            return self._bold if row.unread else None
        if role == _CHECK_STATE:
            if column != _CHECK:
                return None
            return _CHECKED if row.id in self._checked else _UNCHECKED
        if role == _FOREGROUND:
            return self._cells_of(row)[3] if column == _PRIORITY else None
        if role == _TICKET_ID:
            return row.id
        if role == _ROW:
            return row
        if role == _UNREAD:
            return row.unread
        if role == _PURGE_NOTE:
            return self._purge_note(row)
        if role == _TOOLTIP:
            if column == _CREATED:
                return labels.full_time(row.created_at, self.bridge.user.time_zone)
            if column == _LAST_ACTIVITY:
                return labels.full_time(row.last_activity_at, self.bridge.user.time_zone)
            if column == _NAME:
                tip = row.snippet or row.name
                return tip if row.purge_at is None else \
                    f"{tip}\n{self._purge_explanation(row.purge_at)}"
            if column == _STATUS and row.purge_at is not None:
                return self._purge_explanation(row.purge_at)
            return None
        # the accessible text
        text = (self._cells_of(row)[1][column] or "") if column != _CHECK else row.name
        return text + " (" + self.tr("unread") + ")" if row.unread else text

    def multiData(self, index: ModelIndex,
                  roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """The roles of one cell in one call. The table's delegate asks each painted cell for
        seven roles at once (``_DELEGATE_ROLES``): answered from the row's cells made once
        (about 250 Python calls for a page painted, where ``data`` took 1,700). Any other
        set of roles is answered by ``data``, one role at a time."""
        span: Any = roleDataSpan  # (the stubs do not say it is indexable)
        if isinstance(span, QModelRoleData):  # one role
            span.setData(self.data(index, span.role()))
            return
        # (Two roles checked: each look at the span costs about what a ``data`` call does.)
        if len(span) != 7:
            self._each_role(index, span)
            return
        text_data, check_data = span[5], span[3]
        if text_data.role() != _DISPLAY or check_data.role() != _CHECK_STATE:
            self._each_role(index, span)
            return
        # The delegate passes the same span for every cell it paints, so each role answered
        # here is set (``None`` clears it) or the cell would show what the cell before it
        # showed. Its other three roles (alignment, decoration, background) are never set:
        # only ``_each_role`` could, and ``data`` answers none of them. Setting the four
        # directly, not clearing all seven first, is ~1 ms of a page's paint (seven
        # wrappers and calls fewer per cell).
        font_data, color_data = span[0], span[2]
        position = index.row()
        ids = self._ids
        ticket_id = ids.get(position)
        row = None if ticket_id is None else self._rows.get(ticket_id)
        if row is None or not index.isValid():
            font_data.setData(None)
            color_data.setData(None)
            check_data.setData(None)
            text_data.setData(None)
            if 0 <= position < ids.total and index.isValid():
                self._looked_at = position
                if ticket_id is None:  # a row of a positional list not read yet
                    self._positional.want(position)
                    if index.column() == _NAME:
                        text_data.setData(PLACEHOLDER)
                else:  # scrolled far away and back: read again, empty until then
                    self._want(ticket_id)
            return
        self._looked_at = position
        positional = self._positional
        if positional.active and position // self.slice_rows != positional.looked_page:
            positional.look_ahead(position // self.slice_rows)
        _row, texts, font, color = self._cells_of(row)
        column = index.column()
        font_data.setData(font)
        color_data.setData(color if column == _PRIORITY else None)
        check_data.setData(None if column != _CHECK
                           else _CHECKED if ticket_id in self._checked else _UNCHECKED)
        text_data.setData(texts[column])

    def _each_role(self, index: ModelIndex, span: Any) -> None:
        """Any other set of roles: each answered by ``data``."""
        for role_data in span:
            role_data.setData(self.data(index, role_data.role()))

    def painted_cells(self, position: int) -> Cells | None:
        """What the row at ``position`` shows (its row, texts by column, font and priority
        colour) for a view painting whole rows; None for a row not read yet or whose data
        was dropped (the view then paints through ``multiData``, which asks for it)."""
        ids = self._ids
        if not 0 <= position < len(ids):
            return None
        ticket_id = ids.get(position)
        if ticket_id is None:
            return None
        self._looked_at = position
        positional = self._positional
        if positional.active and position // self.slice_rows != positional.looked_page:
            positional.look_ahead(position // self.slice_rows)
        row = self._rows.get(ticket_id)
        return None if row is None else self._cells_of(row)

    def hole_painted(self, position: int) -> bool:
        """Whether the row at ``position`` is a row of a positional list not read yet, which a
        view painting whole rows shows as a placeholder; it is asked for then, as a painted
        cell's ``multiData`` asks for it."""
        ids = self._ids
        if (not self._positional.active or not 0 <= position < len(ids)
                or ids.get(position) is not None):
            return False
        self._looked_at = position
        self._positional.want(position)
        return True

    def _cells_of(self, row: TicketRow) -> Cells:
        """What ``row`` shows: its texts by column, font and priority colour (made once per
        row, again for a fresh row, another zone or after midnight)."""
        return self._cells.of(row, self.bridge.user.time_zone)

    def _zone(self) -> str | None:
        return self.bridge.user.time_zone

    def _purge_explanation(self, purge_at: dt.datetime) -> str:
        return self.tr("Deleted for good on {0} (90 days after it was put here)."
                       ).replace("{0}", labels.full_time(purge_at, self.bridge.user.time_zone))

    def _purge_note(self, row: TicketRow) -> str | None:
        if row.purge_at is None:
            return None
        return self.tr("erased {0}").replace(
            "{0}", labels.short_time(row.purge_at, time_zone=self.bridge.user.time_zone))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked ~100 times a reset (each section's size and paint, role by role): answered
        # from a dict of what was answered before (the language is set once, at start).
        if orientation is not _HORIZONTAL:
            return None
        key = (section, int(role))
        try:
            return self._header[key]
        except KeyError:
            value = self._header[key] = self._header_value(section, key[1])
            return value

    def _header_value(self, section: int, role: int) -> Any:
        if not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == _DISPLAY:
            return self.tr(COLUMN_TITLES[column]) if column is not Column.CHECK else ""
        if role == _TOOLTIP and column is Column.CHECK:
            return self.tr("Check tickets for bulk actions (click to check all loaded)")
        if role == _ACCESSIBLE:
            return self.tr("Checked") if column is Column.CHECK else self.tr(
                COLUMN_TITLES[column])
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return _CHECK_FLAGS if index.column() == _CHECK else _CELL_FLAGS

    # -- sorting (by the database) ----------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMN_SORT.get(Column(column)) if 0 <= column < len(Column) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort and descending == self._query.descending and self._started:
            return
        query = dataclasses.replace(self._query, sort=key, descending=descending)
        if not self._started:  # a header's saved sort, restored before the first read
            self.set_query_later(query)
            return
        counted = self._counted
        self.set_query(query)
        if counted is not None and dataclasses.replace(
                counted[0], sort=key, descending=descending) == query:
            self.set_total(query, counted[1])  # the same tickets in another order

    # -- drag and drop (board) --------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [TICKET_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        known = (self._ids.get(i.row()) for i in indexes if i.isValid())
        ids = list(dict.fromkeys(i for i in known if i is not None))
        mime = QMimeData()
        mime.setData(TICKET_MIME, QByteArray(",".join(map(str, ids)).encode()))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction
