"""The next page of a ticket list, read in the background before the view asks for it.

Each page after a list's first is read ahead on a worker thread as soon as the one before it
is shown, so ``fetchMore`` finds its rows ready and only inserts them. A page is read once:
when the view asks before the read has finished, ``fetchMore`` leaves the rows to be inserted
when that read reports (``on_ready``; the UI thread does not wait); when it has not started
yet (the thread is busy), or no page was read ahead (the first scroll of a query), the page is
read ahead of the reads waiting and inserted when it reports: the UI thread never reads it.

Pages are read on the list's own thread (``list_reads``), after any first page waiting there,
not behind counts on the bridge's threads. A page read ahead belongs to one query and one
keyset cursor; anything that changes either
(another query, a reload, a change naming tickets) drops it, so a stale row is never shown.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import PageCursor, TicketQuery, TicketRow
from helpdesk_desktop.ui.jobs import Job, something_went_wrong
from helpdesk_desktop.ui.models.list_reads import ListReads
from helpdesk_desktop.ui.models.row_cells import CellMaker, PreparedCells

log = logging.getLogger(__name__)
WAIT_SECONDS = 10.0  # for a read already running when the view asks for its page


@dataclass
class Page:
    """One page read for ``query`` after ``after``."""

    query: TicketQuery
    after: PageCursor | None
    rows: list[TicketRow] = field(default_factory=list)
    next_cursor: PageCursor | None = None
    error: str | None = None
    cells: PreparedCells | None = None  # what its rows show, made with the read


class ReadAhead:
    """At most one page of one list read ahead (see the module docstring)."""

    def __init__(self, reads: ListReads) -> None:
        self._reads = reads  # the list's thread (not behind counts on the bridge's)
        self._page: Page | None = None
        self._done = threading.Event()
        self._job: Job[None] | None = None

    def start(self, query: TicketQuery, after: PageCursor | None, limit: int,
              on_ready: Callable[[], None] | None = None, *, urgent: bool = False,
              maker: CellMaker | None = None) -> None:
        """Read the page of ``query`` after ``after`` in the background (``urgent``: the view
        waits for it, ahead of the reads waiting); ``on_ready`` is called on the UI thread
        once it is read (unless taken back before it started). With ``maker``, its rows'
        texts are made with the read (the UI thread only inserts them)."""
        self.drop()
        page = Page(query, after)
        done = self._done = threading.Event()

        def read(desk: Desk) -> None:
            try:
                result = desk.list_tickets(query, limit=limit, after=after)
                page.rows, page.next_cursor = list(result.rows), result.next_cursor
                if maker is not None:
                    page.cells = maker.make(page.rows)
            except HelpDeskError as exc:
                page.error = str(exc)
            except Exception as exc:  # shown as a sentence, as a job's failure is
                log.exception("Reading a page ahead failed")
                page.error = something_went_wrong(exc)
            finally:
                done.set()

        def ready(_none: None) -> None:
            if on_ready is not None:
                on_ready()

        self._page = page
        self._job = self._reads.run(read, ready, lambda _message: ready(None), urgent=urgent)

    def targets(self, query: TicketQuery, after: PageCursor | None) -> bool:
        """Whether the page read ahead (or being read) is that of ``query`` after ``after``."""
        page = self._page
        return page is not None and page.query == query and page.after == after

    def reading(self, query: TicketQuery, after: PageCursor | None) -> bool:
        """Whether that page is being read now (started, not finished): its ``on_ready``
        follows. A read still waiting for a thread is taken back (False: read it now)."""
        if not self.targets(query, after) or self._done.is_set():
            return False
        if self._job is not None and self._reads.take_back(self._job):
            self._page, self._job = None, None
            return False
        return True

    def drop_if_named(self, ticket_ids: set[int]) -> None:
        """A change named these tickets: a page read (or being read) meanwhile that may hold
        one of them as it was is dropped; one that holds none of them stays good."""
        page = self._page
        if page is not None and (not self._done.is_set()
                                 or any(r.id in ticket_ids for r in page.rows)):
            self.drop()

    def drop(self) -> None:
        """Forget the page (a read still waiting for a thread is taken back)."""
        if self._job is not None and not self._done.is_set():
            self._reads.take_back(self._job)
        self._page, self._job = None, None

    def take(self, query: TicketQuery, after: PageCursor | None) -> Page | None:
        """The page of ``query`` after ``after`` if it is the one read ahead (waiting for its
        read to finish if it runs), else None: the caller reads it. The page is handed once."""
        page, job = self._page, self._job
        self._page, self._job = None, None
        if page is None or job is None or page.query != query or page.after != after:
            if job is not None and not self._done.is_set():
                self._reads.take_back(job)
            return None
        if not self._done.is_set():
            if self._reads.take_back(job):
                return None  # not started: read it now, once
            if not self._done.wait(WAIT_SECONDS):
                return None
        return page
