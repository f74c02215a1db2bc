"""The one background-job mechanism of the UI: a piece of work on a thread pool that reports its
result, its refusal (one sentence, never a traceback) and its progress on the UI thread, and
can be cancelled between two progress steps.

``DeskBridge.run`` (every facade call), the first-run page (before a facade exists) and the
transcript tasks (print preview, PDF export) all run their work through :class:`Job`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from helpdesk_desktop.domain.errors import HelpDeskError

T = TypeVar("T")
log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
# Turns an unexpected exception into the sentence the user sees.
Describe = Callable[[Exception], str]


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


class Job(QRunnable, Generic[T]):
    """``work(progress)`` on a thread pool. Connect to ``signals`` before starting it."""

    def __init__(self, work: Callable[[ProgressCallback], T],
                 describe: Describe = something_went_wrong) -> None:
        super().__init__()
        self.work = work
        self.describe = describe
        self.signals = _Signals()
        self.cancelled = False
        self.setAutoDelete(False)  # whoever started it keeps it until it reports

    def release(self) -> None:
        """After it reported (or was taken back before it ran): let go of the work, and so of
        what its closure holds (the job object itself outlives its run)."""
        self.work = _released

    def cancel(self) -> None:
        """Stop at the work's next progress step (it then fails with an empty sentence)."""
        self.cancelled = True

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled:
            raise Cancelled
        self.signals.progress.emit(done, total)

    def run(self) -> None:  # worker thread
        try:
            result = self.work(self._progress)
        except Cancelled as exc:
            self.signals.failed.emit("", exc)
        except HelpDeskError as exc:
            self.signals.failed.emit(str(exc), exc)
        except Exception as exc:  # noqa: BLE001 - reported as a sentence, never a traceback
            log.error("Unexpected error in a background job:\n%s", traceback.format_exc())
            self.signals.failed.emit(self.describe(exc), exc)
        else:
            self.signals.finished.emit(result)


def start(work: Callable[[ProgressCallback], T], on_done: Callable[[T], None],
          on_error: Callable[[str], None],
          on_progress: Callable[[int, int], None] | None = None, *,
          describe: Describe = something_went_wrong,
          pool: QThreadPool | None = None) -> Job[T]:
    """Start ``work`` (on ``pool``, default the global one); keep the returned job until it
    reports."""
    job: Job[T] = Job(work, describe)
    job.signals.finished.connect(on_done)
    job.signals.failed.connect(lambda message, _exc: on_error(message))
    if on_progress is not None:
        job.signals.progress.connect(on_progress)
    (pool or QThreadPool.globalInstance()).start(job)
    return job

