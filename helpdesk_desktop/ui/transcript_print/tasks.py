"""Background work of the transcript dialogs: a :class:`ui.jobs.Job` behind a progress dialog,
the warnings they end with, and the previews and exports kept alive while they run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.ui.jobs import Job

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

# Previews and exports in progress, kept alive even when the caller drops the returned object.
RUNNING: set[QObject] = set()


def show_warning(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """A warning that does not block (the caller's code and tests go on)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def as_desk(desk: Any) -> Desk:
    # Accept the facade itself or the UI's DeskBridge (which holds the current facade).
    return desk if isinstance(desk, Desk) else desk.desk


def _describe_failure(exc: Exception) -> str:
    """The sentence for a transcript job that failed unexpectedly (a refusal keeps its own)."""
    if isinstance(exc, OSError):
        message = translate("TranscriptPrint", "The file could not be written: {0}")
        return message.replace("{0}", exc.strerror or str(exc))
    message = translate("TranscriptPrint", "The transcript could not be made ({0}).")
    # A worker process's failure names the error it met there (worker_process.WorkerFailed).
    return message.replace("{0}", getattr(exc, "kind", type(exc).__name__))


class TranscriptTask(QObject):
    """A background job (:class:`ui.jobs.Job`, the UI's one mechanism) plus its progress
    dialog; calls back on the UI thread. Cancel stops the work at its next progress step."""

    def __init__(self, parent: QWidget | None, label: str,
                 work: Callable[[Callable[[int, int], None]], Any],
                 on_done: Callable[[Any], None], on_failed: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.worker: Job[Any] = Job(work, describe=_describe_failure)
        self.progress = QProgressDialog(label, translate("TranscriptPrint", "Cancel"), 0, 0, parent)
        self.progress.setWindowTitle(translate("TranscriptPrint", "Transcript"))
        self.progress.setMinimumDuration(300)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.canceled.connect(self._cancel)
        self.worker.signals.progress.connect(self._advance)
        self.worker.signals.finished.connect(lambda result: self._finish(on_done, result))
        self.worker.signals.failed.connect(
            lambda message, _exc: self._finish(on_failed, message))
        self.finished = False
        self.worker.start(QThreadPool.globalInstance())

    def _cancel(self) -> None:
        self.worker.cancel()

    def _advance(self, done: int, total: int) -> None:
        if self.progress.maximum() != total:
            self.progress.setMaximum(total)
        self.progress.setValue(min(done, total))

    def _finish(self, callback: Callable[[Any], None], value: Any) -> None:
        self.finished = True
        self.progress.reset()
        self.progress.hide()
        callback(value)
