"""What every operation dialog shares: an error line, a busy state, and the write in the
background through the bridge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain import rules
from helpdesk_desktop.domain.rules import may_own_tickets
from helpdesk_desktop.services import subjects
from helpdesk_desktop.services.dto import PipelineInfo, UserInfo
from helpdesk_desktop.ui import formatting
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.theme import error_style, note_style

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

R = TypeVar("R")


def local_time(moment: dt.datetime, user: UserInfo | None = None) -> str:
    """``moment`` in the user's time zone, in the locale's short date and time format (the same
    form as the ticket view's timeline)."""
    zone = user.time_zone if user is not None else None
    return formatting.date_time(rules.local_time(moment, zone))


bare_subject = subjects.bare_subject


def first_line(text: str, limit: int = 90) -> str:
    """The first non-empty line of ``text``, shortened to ``limit`` characters."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


def select_data(combo: QComboBox, value: Any) -> None:
    """Select the item whose data is ``value`` (no change when absent)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def fill_owner_combo(combo: QComboBox, users: list[UserInfo], *, unassigned: bool = True,
                     eligible_only: bool = True) -> None:
    """Owners to choose from: "Unassigned" and the users (only those who may own tickets)."""
    combo.clear()
    if unassigned:
        combo.addItem(translate("Dialogs", "Unassigned"), None)
    for user in sorted(users, key=lambda u: u.name.casefold()):
        if eligible_only and not may_own_tickets(user):
            continue
        combo.addItem(user.name, user.id)


def fill_statuses(combo: QComboBox, pipelines: list[PipelineInfo],
                  pipeline_id: int | None) -> None:
    """The statuses of the pipeline ``pipeline_id`` (the combo's signals held meanwhile)."""
    combo.blockSignals(True)
    combo.clear()
    for pipeline in pipelines:
        if pipeline.id == pipeline_id:
            for status in pipeline.statuses:
                combo.addItem(status.name, status.id)
    combo.blockSignals(False)


def note_label(parent: QWidget, name: str) -> QLabel:
    """A wrapped explanatory line in the note colours (a dialog's introduction)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(note_style(parent.palette()))
    return label


def comment_edit(parent: QWidget, placeholder: str) -> QPlainTextEdit:
    """The optional internal comment of a move: a few lines, Tab moves on."""
    edit = QPlainTextEdit(parent)
    edit.setObjectName("commentEdit")
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(72)
    return edit


class OperationDialog(QDialog, Generic[R]):
    """A dialog whose accept button runs one facade write off the UI thread.

    ``succeeded(result)`` is emitted before the dialog accepts; a refusal shows its sentence in
    :attr:`error_label` and leaves the dialog open so the user can correct the choice.
    """

    succeeded = Signal(object)

    def __init__(self, bridge: DeskBridge, parent: QWidget | None, accept_text: str) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.result_value: R | None = None
        self.busy = False
        self.closed = False  # set once the dialog is done: late callbacks then do nothing
        self.loaded = True  # False while :meth:`load` reads what the dialog offers
        self.loading_text = translate("Dialogs", "Reading…")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style(self.palette()))
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.accept_button: QPushButton = self.buttons.addButton(
            accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_accept_clicked)
        self.buttons.rejected.connect(self.reject)

    # -- to override ------------------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why the accept button is disabled now (``None``: enabled)."""
        return None

    def start(self) -> None:
        """Run the operation (called when the accept button is clicked and enabled)."""
        raise NotImplementedError

    # -- shared machinery -------------------------------------------------------------------

    def update_state(self) -> None:
        """Enable the accept button when the choice is valid; its tooltip says why not."""
        reason = None if not self.busy else translate("Dialogs", "Working…")
        if reason is None and not self.loaded:
            reason = self.loading_text
        if reason is None:
            reason = self.refusal()
        self.accept_button.setEnabled(reason is None)
        self.accept_button.setToolTip(reason or "")

    def _on_accept_clicked(self) -> None:
        self.update_state()
        if self.accept_button.isEnabled():
            self.clear_error()
            self.start()

    def run_operation(self, work: Callable[[Desk, ProgressCallback], Any],
                      make_result: Callable[[Any], R],
                      on_progress: Callable[[int, int], None] | None = None) -> None:
        """Run ``work`` in the background; on success accept with ``make_result(value)``."""
        self.set_busy(True)

        def done(value: Any) -> None:
            self.set_busy(False)
            self.finish(make_result(value))

        def failed(message: str) -> None:
            self.set_busy(False)
            self.show_error(message)

        self.bridge.run(work, on_done=done, on_error=failed, on_progress=on_progress,
                        owner=self, origin=self)

    def load(self, work: Callable[[Desk, ProgressCallback], Any],
             apply: Callable[[Any], None], text: str | None = None) -> None:
        """Read what the dialog offers off the UI thread, then ``apply`` it. Meanwhile the
        accept button is disabled and says ``text`` (the loading state); a dialog closed
        before the answer ignores it."""
        self.loaded = False
        if text is not None:
            self.loading_text = text
        self.update_state()

        def done(value: Any) -> None:
            if self.closed:
                return
            self.loaded = True
            apply(value)
            self.update_state()

        def failed(message: str) -> None:
            if not self.closed:
                self.show_error(message)

        self.bridge.run(work, done, failed, owner=self)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.cancel_button.setEnabled(not busy)
        self.update_state()

    def finish(self, result: R) -> None:
        self.result_value = result
        self.succeeded.emit(result)
        self.accept()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.update_state()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)

    def reject(self) -> None:
        # A write in flight cannot be called back; the dialog waits for its answer.
        if not self.busy:
            super().reject()
