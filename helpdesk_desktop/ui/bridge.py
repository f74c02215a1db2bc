"""The UI's handle on the facade: Qt signals for changes, and work off the UI thread.

Every widget gets the :class:`DeskBridge` from the main window (never a global). Reads that may
take more than a frame and every write go through :meth:`DeskBridge.run`, which calls the facade
on a worker thread and delivers the result (or the refusal's sentence) back on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, QThreadPool, Signal, Slot
from PySide6.QtGui import QUndoStack

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.services.dto import OpResult, UserInfo
from helpdesk_desktop.ui.guard import alive
from helpdesk_desktop.ui.jobs import Job, ProgressCallback

T = TypeVar("T")

# The origin of the job running on this worker thread (see DeskBridge.run).
_running = threading.local()


class DeskBridge(QObject):
    """Signals about the data, for one signed-in user.

    ``changed`` carries each write's :class:`OpResult` (emitted on the UI thread), so views
    refresh only the rows it names. ``userChanged`` fires after :meth:`switch_user`.

    Own echo: a write run with ``run(..., origin=widget)`` is delivered with that origin
    (:meth:`origin`), so a listener skips what it already has: the widget that ran it (its
    job read back what it wrote) and the notification count (one's own operations never
    notify oneself).
    """

    changed = Signal(object)  # OpResult
    userChanged = Signal(object)  # UserInfo
    busyChanged = Signal(bool)
    progressed = Signal(int, int)  # done, total: any job's progress (for the status bar)

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._user: UserInfo = desk.me()
        self._pool = QThreadPool(self)
        # SQLite allows one writer; more threads only queue behind the lock.
        self._pool.setMaxThreadCount(2)
        self._running = 0
        self._jobs: set[Job[Any]] = set()
        # Changes reported on a worker thread, with the origin of the job that made them.
        self._pending: list[tuple[OpResult, object | None]] = []
        self._origin: object | None = None  # of the change being delivered on ``changed``
        # The signed-in user's undo stack, shared by their windows (ui.undo fills it).
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("UndoStack")
        self.undo_stack.setUndoLimit(50)
        desk.subscribe(self._forward)

    @property
    def desk(self) -> Desk:
        """The facade. Call it directly only for reads that are fast (a page, one ticket)."""
        return self._desk

    @property
    def user(self) -> UserInfo:
        return self._user

    def switch_user(self, user_id: int) -> None:
        """Sign in as ``user_id``; a refusal is raised before anything changes."""
        desk = self._desk.as_user(user_id)
        user = desk.me()
        desk.subscribe(self._forward)
        self._desk, self._user = desk, user
        self.undo_stack.clear()
        self.userChanged.emit(user)

    def _forward(self, result: OpResult) -> None:
        # The facade calls this on whichever thread did the write. Changes made on a worker
        # thread are held and emitted on the UI thread when that job reports back.
        if QThread.currentThread() is self.thread():
            self._emit(result, None)
        else:
            self._pending.append((result, getattr(_running, "origin", None)))

    def _emit(self, result: OpResult, origin: object | None) -> None:
        previous, self._origin = self._origin, origin
        try:
            self.changed.emit(result)
        finally:
            self._origin = previous

    def origin(self) -> object | None:
        """While ``changed`` is delivered: the ``origin`` of the job whose write it reports
        (``None``: a write from elsewhere, e.g. the mail service, an import or upkeep)."""
        return self._origin

    def is_echo(self, listener: object) -> bool:
        """Whether the change being delivered on ``changed`` comes from ``listener``'s own
        operation (run with ``origin=listener``)."""
        return self._origin is not None and self._origin is listener

    def run(
        self,
        work: Callable[[Desk, ProgressCallback], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_error_exc: Callable[[str, BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
        origin: object | None = None,
    ) -> Job[T]:
        """Run ``work(desk, progress)`` on a worker thread; callbacks run on the UI thread.

        ``on_error_exc`` also receives the exception (e.g. a ``Conflict`` and its current
        values); it is called instead of ``on_error`` when given. With an ``owner`` (the widget
        the callbacks touch), the callbacks are skipped once it has been deleted: a window
        may be closed before its work reports back. ``origin``: the widget (or window) whose
        user operation this is; the changes it writes are delivered with it (:meth:`origin`),
        so that listeners can skip their own echo.
        """
        desk = self._desk

        def call(progress: ProgressCallback) -> T:
            _running.origin = origin
            try:
                return work(desk, progress)
            finally:
                _running.origin = None

        job: Job[T] = Job(call)
        self._jobs.add(job)

        def owner_gone() -> bool:
            return owner is not None and not alive(owner)

        def finished(result: object) -> None:
            self._finish(job)
            self._flush_pending()
            if on_done is not None and not owner_gone():
                on_done(result)  # type: ignore[arg-type]

        def failed(message: str, exc: object) -> None:
            self._finish(job)
            self._flush_pending()
            if owner_gone():
                return
            if on_error_exc is not None:
                on_error_exc(message, exc)  # type: ignore[arg-type]
            elif on_error is not None:
                on_error(message)

        job.signals.finished.connect(finished)
        job.signals.failed.connect(failed)
        job.signals.progress.connect(self.progressed)
        if on_progress is not None:
            job.signals.progress.connect(
                lambda done, total: None if owner_gone() else on_progress(done, total))
        self._running += 1
        if self._running == 1:
            self.busyChanged.emit(True)
        self._pool.start(job)
        return job

    def _finish(self, job: Job[Any]) -> None:
        self._jobs.discard(job)
        self._running -= 1
        if self._running == 0:
            self.busyChanged.emit(False)

    def _flush_pending(self) -> None:
        pending, self._pending = self._pending, []
        for result, origin in pending:
            self._emit(result, origin)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Block until background jobs are done (tests, and before closing the window)."""
        return self._pool.waitForDone(msecs)

    @Slot()
    def shutdown(self) -> None:
        self._pool.waitForDone(30000)
