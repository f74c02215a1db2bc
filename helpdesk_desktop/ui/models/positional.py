"""A counted ticket list's rows by position, read where the view looks.

Once its count is known (``TicketListModel.set_total``), a long list has every row, by
position (:mod:`.row_ids`). The rows the view paints that are not read yet show a placeholder
and are read off the UI thread (on the lists' own thread, :mod:`.list_reads`), by key from the
nearest row read or from either end with an OFFSET (``Desk.list_slice``), then the pages
around them; rows far from the view are forgotten, ids included.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QTimer

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import PageCursor, Slice
from helpdesk_desktop.ui.models.held_rows import HeldRows
from helpdesk_desktop.ui.models.list_reads import ListReads
from helpdesk_desktop.ui.models.row_ids import RowIds

if TYPE_CHECKING:
    from helpdesk_desktop.ui.models.ticket_model import TicketListModel

#: What a row of a positional list shows in its Name column until its page is read.
PLACEHOLDER = "…"
#: How long after rows read by position are shown the pages around them are read.
AROUND_AFTER_MS = 10
#: How many pages each side of the page painted a positional list keeps read ahead.
AHEAD_PAGES = 2
#: The longest OFFSET a read ahead may take (rows between it and the nearest known row).
AHEAD_REACH = 200
#: The rows of one page of a positional list (``slice_rows``).
SLICE_ROWS = 50
#: The most rows one read of a positional list asks for (the services' page limit).
MOST_ROWS = 1000
#: The most rows never read that an action on the selection reads at once (``rows_at``).
FILL_AT_ONCE = 5000


class PositionalRows:
    """The positional half of a :class:`TicketListModel`, owned by it: fills the model's
    ``ids`` and ``held`` rows by position with ``reads`` on the lists' thread, and tells the
    view through the model's signals. It works on the model's own state (its query's
    generation, the row the view looks at, checked rows, painted cells) as the model does:
    the two are one list, split for reading."""

    def __init__(self, model: TicketListModel, ids: RowIds, held: HeldRows,
                 reads: ListReads) -> None:
        self._model = model
        self._ids = ids
        self._held = held
        self._rows = held.rows
        self._reads = reads
        # Every row of the query is counted in (``start``), its pages read where the view
        # looks (by key from the nearest known row) instead of appended.
        self.active = False
        self.keys: dict[int, PageCursor] = {}  # ticket id -> its keyset position (if known)
        self.epoch = 0  # positions move (rows removed, inserted, reset): older reads dropped
        self.looked_page = -1  # the page of the last row painted
        self._wanted: set[int] = set()  # positions the view painted not read, to read
        self._reading_pages: set[int] = set()  # ... being read
        self._ahead_pending = False  # the pages around ``looked_page`` to read, after the paint

    def reset(self) -> None:
        """A new first page is shown: the list pages forward again, no row read by position."""
        self.active, self.keys = False, {}
        self._wanted, self._reading_pages = set(), set()
        self.epoch += 1

    def start(self, total: int) -> None:
        """Count the list in: it has ``total`` rows from now on, those not read yet holes
        (the model stops paging forward)."""
        self.active = True
        model = self._model
        model.beginInsertRows(QModelIndex(), len(self._ids), total - 1)
        self._ids.set_total(total)
        model.endInsertRows()

    def want(self, position: int) -> None:
        """The view painted a row not read yet: it is read (with the others painted in the
        same pass) once the paint is done."""
        if not self.active or position // self._model.slice_rows in self._reading_pages:
            return
        if not self._wanted:
            QTimer.singleShot(0, self._model, self._read_wanted)
        self._wanted.add(position)

    def _read_wanted(self) -> None:
        """Read the rows painted as placeholders: just those (a jump paints ~30 rows; a
        read costs by the row), in runs, then the rest of their pages and the pages beside
        them once they are painted (``_read_around``)."""
        at, size = self._ids.get, self._model.slice_rows
        positions = sorted(p for p in self._wanted if at(p) is None
                           and p // size not in self._reading_pages and p < len(self._ids))
        self._wanted = set()
        if not self.active or self._model.is_loading() or not positions:
            return
        first = last = positions[0]
        for position in positions[1:]:
            if position - last <= size and position - first < MOST_ROWS:
                last = position
            else:
                self._read_rows(first, last)
                first = last = position
        self._read_rows(first, last)

    def _page_known(self, page: int) -> bool:
        size = self._model.slice_rows
        first = page * size
        at = self._ids.get
        return all(at(p) is not None for p in range(first, min(len(self._ids), first + size)))

    def _plan(self, first: int, last: int) -> tuple[PageCursor | None, bool, int]:
        """How to read rows ``first .. last``: from the nearest row whose key is known
        (after it forward, before it backward) or from either end of the list, skipping the
        rows between (an OFFSET, as short as that makes it). (after, backward, skip)."""
        total = len(self._ids)
        best: tuple[int, PageCursor | None, bool] = (first, None, False)
        if total - 1 - last < best[0]:
            best = (total - 1 - last, None, True)
        # Outward from the rows asked for, to the first known row with a key each way (a
        # walk of every known row, ~1,000 while scrolling, cost a page down ~0.5 ms twice).
        keys, at = self.keys, self._ids.get
        known = self._ids.known_positions()
        for index in range(bisect_left(known, first) - 1, -1, -1):
            position = known[index]
            if first - position - 1 >= best[0]:
                break
            key = keys.get(at(position))  # type: ignore[arg-type]
            if key is not None:
                best = (first - position - 1, key, False)
                break
        for index in range(bisect_right(known, last), len(known)):
            position = known[index]
            if position - last - 1 >= best[0]:
                break
            key = keys.get(at(position))  # type: ignore[arg-type]
            if key is not None:
                best = (position - last - 1, key, True)
                break
        return best[1], best[2], best[0]

    def _read_pages(self, first_page: int, last_page: int) -> None:
        """Read pages ``first_page .. last_page`` (in the background, behind other reads)."""
        size = self._model.slice_rows
        self._read_rows(first_page * size, min(len(self._ids), (last_page + 1) * size) - 1,
                        around=False)

    def _read_rows(self, first: int, last: int, *, around: bool = True) -> None:
        """Read rows ``first .. last`` on the lists' thread; ``around``: rows the view
        shows, read first, then the rest of their pages and a page each side."""
        if first > last:
            return
        model = self._model
        after, backward, skip = self._plan(first, last)
        query, generation, epoch = model.query, model._generation, self.epoch
        size = model.slice_rows
        pages = set(range(first // size, last // size + 1))
        self._reading_pages |= pages
        limit = last - first + 1

        def read(desk: Desk) -> Slice:
            return desk.list_slice(query, after=after, backward=backward, skip=skip,
                                   limit=limit)

        def done(found: Slice) -> None:
            if generation != model._generation:
                return
            self._reading_pages -= pages
            if epoch != self.epoch or not self.active:  # rows moved meanwhile
                self._repaint(first, min(last, len(self._ids) - 1))
                return
            if len(found.rows) != limit:  # fewer rows than counted: the list changed
                self.recount()
                return
            self._place(first, found)
            if around:  # once these rows are painted (a read beside the paint slows it:
                # both need Python's interpreter lock). A timer, not a zero-time call: the
                # paint is a posted event of low priority, which a zero timer overtakes.
                QTimer.singleShot(AROUND_AFTER_MS, model, lambda: self._read_around(
                    first // size, last // size, generation))

        def refused(message: str) -> None:
            if generation == model._generation:
                self._reading_pages -= pages
                model.failed.emit(message)

        self._reads.run(read, done, refused, urgent=around)

    def look_ahead(self, page: int) -> None:
        """The view paints rows of another page: the pages around it are read (once it
        is painted) where not read, so that scrolling on finds its rows read."""
        self.looked_page = page
        if not self._ahead_pending:
            self._ahead_pending = True
            generation = self._model._generation

            def read() -> None:
                self._ahead_pending = False
                self._read_around(self.looked_page, self.looked_page, generation, AHEAD_PAGES)

            QTimer.singleShot(AROUND_AFTER_MS, self._model, read)

    def _read_around(self, first_page: int, last_page: int, generation: int,
                     margin: int = 1) -> None:
        """Read these pages where not read, and ``margin`` pages before and after them
        (the next ones as the view scrolls either way)."""
        if generation != self._model._generation or not self.active:
            return
        size = self._model.slice_rows
        missing = [page for page in range(first_page - margin, last_page + margin + 1)
                   if 0 <= page * size < len(self._ids)
                   and not self._page_known(page) and page not in self._reading_pages
                   # read ahead only next to a known row: no long OFFSET in the background
                   and self._plan(page * size, min(len(self._ids), (page + 1) * size) - 1)[2]
                   <= AHEAD_REACH]
        while missing:
            run = [missing.pop(0)]
            while missing and missing[0] == run[-1] + 1:
                run.append(missing.pop(0))
            self._read_pages(run[0], run[-1])

    def _place(self, first: int, found: Slice, *, trim: bool = True) -> None:
        """Show rows read for positions from ``first``; ``trim``: then forget the rows far
        from the view."""
        rows = found.rows
        self._ids.put(first, [r.id for r in rows])
        for row, key in zip(rows, found.keys, strict=True):
            self._rows[row.id] = row
            self.keys[row.id] = key
        self._repaint(first, first + len(rows) - 1)
        if trim:
            self._model._trim()

    def _repaint(self, first: int, last: int) -> None:
        if first <= last:
            model = self._model
            model.dataChanged.emit(model.index(first, 0),
                                   model.index(last, model.columnCount() - 1))

    def trim(self) -> None:
        """Forget the rows (ids, keys and data) far from where the view looks, once more
        than ``held + slack`` are known; checked rows and the view's current and selected
        rows (its persistent indexes) stay."""
        model, held = self._model, self._held
        if self._ids.known_count() <= held.held + held.slack:
            return
        pinned = set(model._checked)
        for index in model.persistentIndexList():
            ticket_id = self._ids.get(index.row())
            if ticket_id is not None:
                pinned.add(ticket_id)
        around = model._looked_at
        dropped = self._ids.keep_only(around - held.held // 2, around + held.held // 2,
                                      pinned)
        for ticket_id in dropped:
            self._rows.pop(ticket_id, None)
            self.keys.pop(ticket_id, None)
            model._cells.pop(ticket_id)

    def fill_now(self, positions: Iterable[int]) -> None:
        """Read now (on the UI thread) the rows of these positions not read yet: an action
        on rows the user selected but never saw (rare; one read per run of rows)."""
        model = self._model
        holes = sorted(p for p in set(positions) if self._ids.get(p) is None
                       and 0 <= p < len(self._ids))
        size = model.slice_rows
        while holes and self.active:
            # Whole pages: the row the view moved to (Ctrl+End selects the last one) comes
            # with the rows around it, which the view shows next and would read anyway.
            first = holes[0] // size * size
            last = first
            while holes and holes[0] < first + MOST_ROWS - size:
                last = holes.pop(0)
            last = min(len(self._ids), (last // size + 1) * size) - 1
            after, backward, skip = self._plan(first, last)
            try:
                found = model.bridge.desk.list_slice(model.query, after=after,
                                                     backward=backward, skip=skip,
                                                     limit=last - first + 1)
            except HelpDeskError as exc:
                model.failed.emit(str(exc))
                return
            if len(found.rows) != last - first + 1:
                self.recount()
                return
            # Not trimmed: these rows are far from the view, and the caller reads them next
            # (the next read placed trims them, ``FILL_AT_ONCE`` at most).
            self._place(first, found, trim=False)

    def recount(self) -> None:
        """The list is not as long as it was counted (it changed meanwhile): count it again,
        and read the rows shown again if it is not."""
        model = self._model
        query, generation = model.query, model._generation

        def counted(total: int) -> None:
            if generation == model._generation:
                model.set_total(query, total)

        self._reads.run(lambda desk: desk.count_tickets(query), counted,
                        lambda _message: None)

    def reload(self, total: int | None = None) -> None:
        """Read the list again where the view looks and around its current and selected
        rows (and count it, unless ``total`` is given): those rows replace every row known
        (a reset: the layouts keep the current and selected tickets by id)."""
        model = self._model
        query, generation = model.query, model._generation
        reach = model.page_size
        places = sorted({model._looked_at, *(i.row() for i in model.persistentIndexList()[:8]
                                             if i.isValid())})

        def read(desk: Desk) -> tuple[int, list[tuple[int, Slice]]]:
            count = desk.count_tickets(query) if total is None else total
            ranges: list[list[int]] = []
            for place in places:  # a page each way: rows moved by the change stay in reach
                first, last = max(0, place - reach), min(count - 1, place + reach)
                if ranges and first <= ranges[-1][1] + 1:
                    ranges[-1][1] = max(ranges[-1][1], last)
                elif first <= last:
                    ranges.append([first, last])
            found = []
            for first, last in ranges:
                while first <= last:
                    end = min(last, first + MOST_ROWS - 1)
                    backward = count - 1 - end < first
                    skip = count - 1 - end if backward else first
                    found.append((first, desk.list_slice(query, backward=backward, skip=skip,
                                                         limit=end - first + 1)))
                    first = end + 1
            return count, found

        def apply(outcome: tuple[int, list[tuple[int, Slice]]]) -> None:
            if generation != model._generation or not self.active:
                return
            count, found = outcome
            model.beginResetModel()
            self.epoch += 1
            self._wanted, self._reading_pages = set(), set()
            self._ids.reset((), count)
            self._held.clear()
            self.keys = {}
            model._cells.clear()
            for first, part in found:
                self._ids.put(first, [r.id for r in part.rows])
                for row, key in zip(part.rows, part.keys, strict=True):
                    self._rows[row.id] = row
                    self.keys[row.id] = key
            model.endResetModel()
            model.checkedChanged.emit()

        self._reads.run(read, apply, model.failed.emit)
