"""The main window's status bar: messages with an Undo offer, the busy indicator, and errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QWidget,
)

from helpdesk_desktop.ui.actions.registry import icon

if TYPE_CHECKING:  # imported by show_error (its enums are not built before the first frame)
    from PySide6.QtWidgets import QMessageBox

MESSAGE_MS = 12000
#: A job shows the busy indicator only once it has run this long: most jobs (a page, the
#: board's cards) report sooner, and showing and hiding the indicator for them cost a
#: relayout and repaint of the status bar each time (2-3 ms of the UI thread per job).
BUSY_DELAY_MS = 300


class ElidedLabel(QLabel):
    """A one-line label that never widens its window: a text longer than the room it gets
    ends in "…", and the whole text is in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text if self.fontMetrics().horizontalAdvance(text) > self.width()
                        else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setToolTip(self.text() if self.fontMetrics().horizontalAdvance(self.text())
                        > self.width() else "")

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             rect.width())
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(),
                                  self.isEnabled(), text, self.foregroundRole())


class StatusBar(QStatusBar):
    """``show_status(message, undo)`` shows the message and, with ``undo``, an Undo button
    that runs it once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatusBar")
        self.message = ElidedLabel(self)  # a long message never widens the window
        self.message.setObjectName("StatusMessage")
        self.undo_button = QPushButton(icon("undo"), self.tr("&Undo"), self)
        self.undo_button.setObjectName("UndoButton")
        self.undo_button.setFlat(True)
        self.undo_button.hide()
        self.undo_button.clicked.connect(self._undo)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("BusyIndicator")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(self.tr("Working…"))
        self.busy.hide()
        self.addWidget(self.message, 1)
        self.addWidget(self.undo_button)
        self.addPermanentWidget(self.busy)
        self._undo_callback: Callable[[], None] | None = None
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self.clear_status)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy.show)
        self._busy = False

    def show_status(self, message: str, undo: Callable[[], None] | None = None) -> None:
        # A hover status tip still showing would be painted over the message and the Undo
        # button (QStatusBar only hides its widgets when a tip appears, not when they do).
        self.clearMessage()
        self.message.setText(message)
        self._undo_callback = undo
        self.undo_button.setVisible(undo is not None)
        self._clear_timer.start(MESSAGE_MS * (2 if undo is not None else 1))

    def clear_status(self) -> None:
        self.message.clear()
        self._undo_callback = None
        self.undo_button.hide()

    def _undo(self) -> None:
        callback, self._undo_callback = self._undo_callback, None
        self.undo_button.hide()
        self.message.setText(self.tr("Undoing…"))
        if callback is not None:
            callback()

    def set_busy(self, busy: bool) -> None:
        """Show the busy indicator once the window has been busy ``BUSY_DELAY_MS``; hide it
        when idle."""
        self._busy = busy
        if busy:
            if not self.busy.isVisible():
                self._busy_timer.start()
            return
        self._busy_timer.stop()
        self.busy.hide()
        self.busy.setRange(0, 0)  # back to "working" without a measure

    def show_progress(self, done: int, total: int) -> None:
        """How far a long job is (a bulk edit of thousands of tickets)."""
        if total > 0:
            self.busy.setRange(0, total)
            self.busy.setValue(min(done, total))
            if self._busy:  # a job that reports progress is a long one: shown at once
                self._busy_timer.stop()
                self.busy.show()


def show_error(parent: QWidget, message: str) -> QMessageBox:
    """A non-blocking warning box with ``message`` (one sentence, never a traceback)."""
    from PySide6.QtWidgets import QMessageBox

    title = QCoreApplication.translate("MainWindow", "Help Desk")
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("ErrorMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
