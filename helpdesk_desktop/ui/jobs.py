"""The one background-job mechanism of the UI: a piece of work on a thread pool that reports its
result, its refusal (one sentence, never a traceback) and its progress on the UI thread, and
can be cancelled between two progress steps.

``DeskBridge.run`` (every facade call), the first-run page (before a facade exists) and the
transcript tasks (print preview, PDF export) all run their work through :class:`Job`.

What the pool holds, and where objects die. PySide's ``QThreadPool.start(runnable)`` keeps a
reference to every runnable it is given for as long as the pool lives (the pool becomes its
parent in the binding), so a job handed over that way was never freed, with the callbacks
connected to it (~0.7 MB per 100 tickets opened, docs/PERFORMANCE.md, M3). The pool is given a
small reusable :class:`_Runner` instead, which runs a :class:`_Task` that holds no Qt object
(the pool keeps only as many runners as were ever in flight at once). The task reports
through one long-lived
relay on the UI thread, by number; the :class:`Job` (with its signals, a QObject, and the
callbacks connected to them) is held in the relay's table on the UI thread until it reports,
so that the last reference to anything Qt is dropped on the UI thread, never on a worker (a
QObject freed by a worker thread while the UI thread delivers its events is a crash).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

from helpdesk_desktop import heap
from helpdesk_desktop.domain.errors import HelpDeskError

T = TypeVar("T")
log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
# Turns an unexpected exception into the sentence the user sees.
Describe = Callable[[Exception], str]

_WAITING, _RUNNING, _TAKEN = range(3)


class Cancelled(Exception):
    """Raised inside the work, at its next progress step, once the job was cancelled."""


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(str, object)  # sentence ("" when cancelled), the exception
    progress = Signal(int, int)


def something_went_wrong(exc: Exception) -> str:
    """The sentence for an unexpected failure of a facade call."""
    message = QCoreApplication.translate(
        "DeskBridge", "Something went wrong; nothing was changed. ({0})")
    return message.replace("{0}", type(exc).__name__)


def _released(_progress: ProgressCallback) -> Any:
    raise RuntimeError("this job has already run")


#: The least time between two hand-backs of freed memory (:func:`heap.trim`), seconds.
TRIM_INTERVAL = 1.0


class _Relay(QObject):
    """Lives on the UI thread: carries the tasks' reports there, by number, and holds each
    started :class:`Job` until it has reported (or was taken back).

    Once every job has reported, the memory the work freed is handed back to the system
    (:func:`heap.trim`), at most once per :data:`TRIM_INTERVAL`: a trim due sooner waits
    for the interval's end, and is dropped if work is running again by then."""

    reported = Signal(object)  # the task's number
    progressed = Signal(object, int, int)  # the task's number, done, total

    def __init__(self) -> None:
        super().__init__()
        self.jobs: dict[int, Job[Any]] = {}
        self.free: list[_Runner] = []  # runners whose task has reported
        self.reported.connect(self._report)
        self.progressed.connect(self._progress)
        self.trimmed_at = time.monotonic()  # the first trim a while after the first job
        self._trim_timer: QTimer | None = None

    def _report(self, number: int) -> None:
        job = self.jobs.pop(number, None)
        if job is not None:
            try:
                job._deliver()
            finally:
                job._unhook()
                job._free_runner()
            if not self.jobs:
                self._trim_when_due()

    def _trim_when_due(self) -> None:
        wait = self.trimmed_at + TRIM_INTERVAL - time.monotonic()
        if wait <= 0:
            self.trimmed_at = time.monotonic()
            heap.trim()
        elif self._trim_timer is None or not self._trim_timer.isActive():
            if self._trim_timer is None:
                self._trim_timer = QTimer(self)
                self._trim_timer.setSingleShot(True)
                self._trim_timer.timeout.connect(self._trim_if_idle)
            self._trim_timer.start(int(wait * 1000) + 1)

    def _trim_if_idle(self) -> None:
        if not self.jobs:
            self._trim_when_due()

    def _progress(self, number: int, done: int, total: int) -> None:
        job = self.jobs.get(number)
        if job is not None:
            job.signals.progress.emit(done, total)


_relay: _Relay | None = None
_numbers = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None and relay.thread() is not app.thread():
            relay.moveToThread(app.thread())
        _relay = relay
    return _relay


def in_flight() -> int:
    """How many started jobs have not reported yet (tests)."""
    return 0 if _relay is None else len(_relay.jobs)


class _Task:
    """What the worker thread runs and holds: the work and, once run, its outcome. No Qt
    object, no callback: whatever a worker lets go of last is plain data."""

    __slots__ = ("cancelled", "describe", "lock", "number", "outcome", "state", "work")

    def __init__(self, number: int, work: Callable[[ProgressCallback], Any],
                 describe: Describe) -> None:
        self.number = number
        self.work = work
        self.describe = describe
        self.cancelled = False
        self.state = _WAITING
        # (True, result) or (False, (sentence, exception)); read on the UI thread.
        self.outcome: tuple[bool, Any] | None = None
        self.lock = threading.Lock()

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled:
            raise Cancelled
        _the_relay().progressed.emit(self.number, done, total)

    def __call__(self) -> None:  # worker thread
        with self.lock:
            if self.state != _WAITING:  # taken back before it started
                return
            self.state = _RUNNING
        relay = _the_relay()
        try:
            self.outcome = (True, self.work(self._progress))
        except Cancelled as exc:
            self.outcome = (False, ("", exc))
        except HelpDeskError as exc:
            self.outcome = (False, (str(exc), exc))
        except Exception as exc:  # noqa: BLE001 - reported as a sentence, never a traceback
            log.error("Unexpected error in a background job:\n%s", traceback.format_exc())
            self.outcome = (False, (self.describe(exc), exc))
        try:
            relay.reported.emit(self.number)
        except RuntimeError:  # the relay is gone: the program is ending
            log.debug("A job finished after the UI thread's relay was deleted")


class _Runner(QRunnable):
    """What the pool is given: runs the task it is handed, holds nothing else. The pool keeps
    every runnable it was ever given (PySide), so runners are reused once their task has
    reported: there are only as many as the most jobs in flight at once. A runnable (not a
    function) lets :meth:`Job.take_back` use ``QThreadPool.tryTake``, which refuses as soon as
    a thread has taken the job, not only once its work began."""

    def __init__(self) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.task: _Task | None = None

    def run(self) -> None:  # worker thread
        task = self.task
        if task is not None:
            task()


class Job(Generic[T]):
    """``work(progress)`` on a thread pool. Connect to ``signals`` before starting it
    (:meth:`start`); its callbacks run on the UI thread."""

    def __init__(self, work: Callable[[ProgressCallback], T],
                 describe: Describe = something_went_wrong) -> None:
        self._signals: _Signals | None = _Signals()
        self._task = _Task(next(_numbers), work, describe)
        self._runner: _Runner | None = None
        self._pool: QThreadPool | None = None

    @property
    def signals(self) -> _Signals:
        """``finished(result)``, ``failed(sentence, exception)``, ``progress(done, total)``;
        gone once the job has reported (or was taken back)."""
        if self._signals is None:
            raise RuntimeError("this job has already reported")
        return self._signals

    @property
    def work(self) -> Callable[[ProgressCallback], T]:
        return self._task.work  # type: ignore[no-any-return]

    @property
    def cancelled(self) -> bool:
        return self._task.cancelled

    @cancelled.setter
    def cancelled(self, value: bool) -> None:
        self._task.cancelled = value

    def start(self, pool: QThreadPool | None = None, priority: int = 0) -> None:
        """Queue the work on ``pool`` (default the global one); call on the UI thread."""
        relay = _the_relay()
        runner = relay.free.pop() if relay.free else _Runner()
        runner.task = self._task
        self._runner, self._pool = runner, pool or QThreadPool.globalInstance()
        relay.jobs[self._task.number] = self
        self._pool.start(runner, priority)

    def take_back(self) -> bool:
        """Drop the job if no thread has taken it yet (it then never reports): True; False
        when it has started or already reported."""
        task, runner, pool = self._task, self._runner, self._pool
        if runner is None or pool is None or not pool.tryTake(runner):
            return False
        with task.lock:
            if task.state != _WAITING:
                return False
            task.state = _TAKEN
        if _relay is not None:
            _relay.jobs.pop(task.number, None)
        self.release()
        self._unhook()
        self._free_runner()
        return True

    def _free_runner(self) -> None:
        """Hand the runner back for another job (UI thread, once this one reported or was
        taken back; a thread still leaving its ``run`` does not read it again)."""
        runner, self._runner, self._pool = self._runner, None, None
        if runner is not None and _relay is not None:
            runner.task = None
            _relay.free.append(runner)

    def release(self) -> None:
        """After it reported (or was taken back): let go of the work, and so of what its
        closure holds."""
        self._task.work = _released

    def cancel(self) -> None:
        """Stop at the work's next progress step (it then fails with an empty sentence)."""
        self._task.cancelled = True

    def _unhook(self) -> None:
        """Let go of the signals, and so of the callbacks connected to them (UI thread, out
        of their emission). They hold the job in turn (a caller's closure keeps its job):
        a cycle through Qt's connections that the garbage collector cannot see."""
        self._signals = None

    def _deliver(self) -> None:  # UI thread, from the relay
        task = self._task
        outcome, task.outcome = task.outcome, None
        task.work = _released
        if outcome is None:
            return
        ok, value = outcome
        if ok:
            self.signals.finished.emit(value)
        else:
            message, exc = value
            self.signals.failed.emit(message, exc)


def start(work: Callable[[ProgressCallback], T], on_done: Callable[[T], None],
          on_error: Callable[[str], None],
          on_progress: Callable[[int, int], None] | None = None, *,
          describe: Describe = something_went_wrong,
          pool: QThreadPool | None = None) -> Job[T]:
    """Start ``work`` (on ``pool``, default the global one); callbacks run on the UI thread."""
    job: Job[T] = Job(work, describe)
    job.signals.finished.connect(on_done)
    job.signals.failed.connect(lambda message, _exc: on_error(message))
    if on_progress is not None:
        job.signals.progress.connect(on_progress)
    job.start(pool)
    return job
