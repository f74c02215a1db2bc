"""The ticket lists' own reader thread: a new query's first page, and rows read again by id.

The bridge's two threads also run counts and bulk work (counting a big view takes a tenth of a
second at 100,000 tickets, and each view change starts one); a list's first page queued behind
them waited that long. Each bridge gets one more thread for these short reads only (SQLite in
WAL mode and PostgreSQL both read concurrently), so a view's first page is painted as soon as
it is read; pages read ahead (``read_ahead``) run there too, after a first page waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.guard import alive
from helpdesk_desktop.ui.jobs import Job

T = TypeVar("T")
POOL_NAME = "TicketListReads"


def reader_pool(bridge: DeskBridge) -> QThreadPool:
    """The bridge's one thread for list reads (made on first use, deleted with the bridge)."""
    pool = bridge.findChild(QThreadPool, POOL_NAME)
    if pool is None:
        pool = QThreadPool(bridge)
        pool.setObjectName(POOL_NAME)
        pool.setMaxThreadCount(1)
    return pool


def wait_for_reads(bridge: DeskBridge, msecs: int = 30_000) -> bool:
    """Block until the bridge's list reads are done (tests, closing)."""
    pool = bridge.findChild(QThreadPool, POOL_NAME)
    return pool is None or pool.waitForDone(msecs)


class ListReads:
    """Reads of one list model on its bridge's list thread; callbacks run on the UI thread
    (skipped once ``owner`` is deleted)."""

    def __init__(self, bridge: DeskBridge, owner: QObject) -> None:
        self._bridge = bridge
        self._owner = owner
        self._jobs: set[Job[Any]] = set()  # kept until they report

    def run(self, work: Callable[[Desk], T], on_done: Callable[[T], None],
            on_error: Callable[[str], None], *, replaces: Job[Any] | None = None,
            urgent: bool = True) -> Job[T]:
        """``work(desk)`` on the list thread (``urgent``: ahead of the reads waiting there); a
        read it ``replaces`` that has not started is dropped."""
        if replaces is not None:
            self.take_back(replaces)
        desk = self._bridge.desk
        job: Job[T] = Job(lambda _progress: work(desk))
        self._jobs.add(job)

        def finished(result: object) -> None:
            self._finish(job)
            if alive(self._owner):
                on_done(result)  # type: ignore[arg-type]

        def failed(message: str, _exc: object) -> None:
            self._finish(job)
            if alive(self._owner):
                on_error(message)

        job.signals.finished.connect(finished)
        job.signals.failed.connect(failed)
        job.start(reader_pool(self._bridge), 1 if urgent else 0)
        return job

    def take_back(self, job: Job[Any]) -> bool:
        """Drop ``job`` if it has not started (it then never reports)."""
        if job in self._jobs and job.take_back():
            self._finish(job)
            return True
        return False

    def _finish(self, job: Job[Any]) -> None:
        job.release()
        self._jobs.discard(job)
