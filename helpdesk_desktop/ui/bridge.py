"""The UI's handle on the facade: Qt signals for changes, and work off the UI thread.

Every widget gets the :class:`DeskBridge` from the main window (never a global). Reads that may
take more than a frame and every write go through :meth:`DeskBridge.run`, which calls the facade
on a worker thread and delivers the result (or the refusal's sentence) back on the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QThread, QThreadPool, Signal, Slot
from PySide6.QtGui import QUndoStack

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.services.dto import OpResult, UserInfo
from helpdesk_desktop.ui.guard import alive
from helpdesk_desktop.ui.jobs import Job, ProgressCallback

T = TypeVar("T")

# What a follower reads for a change, in the job that wrote it: reader(desk, result) -> data.
Reader = Callable[[Desk, OpResult], object]


class Follower(Protocol):
    """A view that refreshes what a change names (see :meth:`DeskBridge.follow`)."""

    def change_reader(self) -> Reader | None:
        """Called on the UI thread when an operation of the follower's window starts: what
        to read for each change it writes (``None``: nothing). Capture the query now."""
        ...


NOT_READ: Any = object()  # DeskBridge.prefetched: no data read for this follower

log = logging.getLogger(__name__)

# The origin of the job running on this worker thread (see DeskBridge.run).
_running = threading.local()


class DeskBridge(QObject):
    """Signals about the data, for one signed-in user.

    ``changed`` carries each write's :class:`OpResult` (emitted on the UI thread), so views
    refresh only the rows it names. ``userChanged`` fires after :meth:`switch_user`;
    ``userUpdated`` after :meth:`update_user` (what shows times draws them again).

    Own echo: a write run with ``run(..., origin=widget)`` is delivered with that origin
    (:meth:`origin`), so a listener skips what it already has: the widget that ran it (its
    job read back what it wrote) and the notification count (one's own operations never
    notify oneself).

    Followers (:meth:`follow`): the lists, the board and the view counts of a window. When
    an operation of that window (its ``origin`` is the window or inside it) writes, each
    follower's reader runs in the operation's own job, right after the write, on what the
    typed result names; the change report then hands the follower that data
    (:meth:`prefetched`) instead of it reading again. Changes from other windows, other
    processes or the mail service carry no data for it, and it reads them itself.
    """

    changed = Signal(object)  # OpResult
    userChanged = Signal(object)  # UserInfo
    userUpdated = Signal()  # the same user's settings changed (their time zone): redraw
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
        self._quiet: set[Job[Any]] = set()  # jobs that do not make the window busy
        # Changes reported on a worker thread, with the origin of the job that made them and
        # what its followers read for them (follower id -> data).
        self._pending: list[tuple[OpResult, object | None, dict[int, object]]] = []
        self._origin: object | None = None  # of the change being delivered on ``changed``
        self._prefetched: dict[int, object] = {}  # of the change being delivered
        self._followers: list[tuple[QObject, QObject]] = []  # (follower, its window)
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

    def update_user(self, user: UserInfo) -> None:
        """The signed-in user as a write of theirs left them (Preferences' time zone): held
        as :attr:`user`, and ``userUpdated`` tells the views to show times in the new zone.
        A stale answer for a user no longer signed in is ignored."""
        if user.id != self._user.id:
            return
        self._user = user
        self.userUpdated.emit()

    def _forward(self, result: OpResult) -> None:
        # The facade calls this on whichever thread did the write. Changes made on a worker
        # thread are held and emitted on the UI thread when that job reports back.
        if QThread.currentThread() is self.thread():
            self._emit(result, None, {})
            return
        reports = getattr(_running, "reports", None)
        if reports is not None and getattr(_running, "bridge", None) is self:
            reports.append(result)  # a job of this bridge: its followers read after the write
        else:
            self._pending.append((result, getattr(_running, "origin", None), {}))

    def _emit(self, result: OpResult, origin: object | None,
              prefetched: dict[int, object]) -> None:
        previous = self._origin, self._prefetched
        self._origin, self._prefetched = origin, prefetched
        try:
            self.changed.emit(result)
        finally:
            self._origin, self._prefetched = previous

    # -- followers --------------------------------------------------------------------------

    def follow(self, follower: QObject, window: QObject) -> None:
        """Refresh ``follower`` (a :class:`Follower`) in the job of every operation whose
        origin is ``window`` or inside it; it reads other changes itself on ``changed``."""
        self._followers.append((follower, window))

    def prefetched(self, follower: object) -> Any:
        """While ``changed`` is delivered: what ``follower`` read for this change in the job
        that wrote it, or :data:`NOT_READ` (a change from elsewhere: read it now)."""
        return self._prefetched.get(id(follower), NOT_READ)

    def _readers_for(self, origin: object | None) -> list[tuple[int, Reader]]:
        """The readers of the followers of ``origin``'s window (on the UI thread)."""
        self._followers = [(f, w) for f, w in self._followers if alive(f) and alive(w)]
        if origin is None or not self._followers:
            return []
        scope = getattr(origin, "echo_scope", None) or origin  # an undo command: its window
        windows = set()
        while isinstance(scope, QObject) and alive(scope):
            windows.add(id(scope))
            scope = scope.parent()
        readers = []
        for follower, window in self._followers:
            if id(window) in windows:
                reader = follower.change_reader()  # type: ignore[attr-defined]
                if reader is not None:
                    readers.append((id(follower), reader))
        return readers

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
        followers: bool = True,
        urgent: bool = False,
        replaces: Job[Any] | None = None,
        quiet: bool = False,
    ) -> Job[T]:
        """Run ``work(desk, progress)`` on a worker thread; callbacks run on the UI thread.

        ``on_error_exc`` also receives the exception (e.g. a ``Conflict`` and its current
        values); it is called instead of ``on_error`` when given. With an ``owner`` (the widget
        the callbacks touch), the callbacks are skipped once it has been deleted: a window
        may be closed before its work reports back. ``origin``: the widget (or window) whose
        user operation this is; the changes it writes are delivered with it (:meth:`origin`),
        so that listeners can skip their own echo.

        ``followers=False``: the window's followers do not read in this job (a read the user
        waits for, such as opening a ticket, reports first; they read on the report in their
        own jobs). ``urgent``: starts before the jobs waiting in the queue. ``replaces``: a job
        this one makes stale; if it has not started yet it is dropped without reporting.
        ``quiet``: a read ahead the user did not ask for; the window does not show itself busy.
        """
        if replaces is not None:
            self.take_back(replaces)
        desk = self._desk
        readers = self._readers_for(origin) if followers else []

        def call(progress: ProgressCallback) -> T:
            _running.bridge, _running.origin, _running.reports = self, origin, []
            try:
                value = work(desk, progress)
            except BaseException:
                self._pending.extend((r, origin, {}) for r in _running.reports)
                raise
            finally:
                reports = _running.reports
                _running.bridge = _running.origin = _running.reports = None
            for result in reports:  # the followers read what the result names, once
                self._pending.append((result, origin, read_for(result)))
            return value

        def read_for(result: OpResult) -> dict[int, object]:
            data: dict[int, object] = {}
            for key, reader in readers:
                try:
                    data[key] = reader(desk, result)
                except Exception:  # the follower reads it again on the report
                    log.debug("A follower's read failed; it reads on the report", exc_info=True)
            return data

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
        if quiet:
            self._quiet.add(job)
        else:
            self._running += 1
            if self._running == 1:
                self.busyChanged.emit(True)
        job.start(self._pool, 1 if urgent else 0)
        return job

    def take_back(self, job: Job[Any]) -> bool:
        """Drop ``job`` if it is still waiting for a thread (it then never reports); False
        when it has started or finished."""
        if job in self._jobs and job.take_back():
            self._finish(job)
            return True
        return False

    def _finish(self, job: Job[Any]) -> None:
        job.release()
        self._jobs.discard(job)
        if job in self._quiet:
            self._quiet.discard(job)
            return
        self._running -= 1
        if self._running == 0:
            self.busyChanged.emit(False)

    def _flush_pending(self) -> None:
        pending, self._pending = self._pending, []
        for result, origin, prefetched in pending:
            self._emit(result, origin, prefetched)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Block until background jobs are done (tests, and before closing the window)."""
        return self._pool.waitForDone(msecs)

    @Slot()
    def shutdown(self) -> None:
        self._pool.waitForDone(30000)
