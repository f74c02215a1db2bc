"""View › Outbox…: outgoing e-mail and where its delivery stands (queued, sending, sent,
failed, cancelled), with Retry, Cancel and Send Now; activating a row opens its ticket.

The list is read in the background and again whenever a write reaches the bridge (a reply
queued, a flush that sent or failed), so it follows the background sender.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.domain.enums import OutboxState
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.services.mail.outbox import OutboxEntry
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.theme import error_style, make_muted
from helpdesk_desktop.ui.ticket_view.labels import format_time

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

STATE_NAMES = {
    OutboxState.QUEUED: QT_TRANSLATE_NOOP("Outbox", "Queued"),
    OutboxState.SENDING: QT_TRANSLATE_NOOP("Outbox", "Sending…"),
    OutboxState.SENT: QT_TRANSLATE_NOOP("Outbox", "Sent"),
    OutboxState.FAILED: QT_TRANSLATE_NOOP("Outbox", "Failed"),
    OutboxState.CANCELLED: QT_TRANSLATE_NOOP("Outbox", "Cancelled"),
}
COLUMNS = (QT_TRANSLATE_NOOP("Outbox", "State"), QT_TRANSLATE_NOOP("Outbox", "Ticket"),
           QT_TRANSLATE_NOOP("Outbox", "To"), QT_TRANSLATE_NOOP("Outbox", "Subject"),
           QT_TRANSLATE_NOOP("Outbox", "Attempts"), QT_TRANSLATE_NOOP("Outbox", "Time"),
           QT_TRANSLATE_NOOP("Outbox", "Last error"))
ERROR_COLUMN = len(COLUMNS) - 1
# What the Time column's time is, per state (each cell says it: one column, several meanings).
TIME_TEXTS = {
    OutboxState.QUEUED: QT_TRANSLATE_NOOP("Outbox", "Next attempt %1"),
    OutboxState.SENDING: QT_TRANSLATE_NOOP("Outbox", "Queued %1"),
    OutboxState.SENT: QT_TRANSLATE_NOOP("Outbox", "Sent %1"),
    OutboxState.FAILED: QT_TRANSLATE_NOOP("Outbox", "Queued %1"),
    OutboxState.CANCELLED: QT_TRANSLATE_NOOP("Outbox", "Queued %1"),
}
WIDE_COLUMN_MAX = 260  # To and Subject: longer texts are elided (full text in the tooltip)


def state_name(state: OutboxState) -> str:
    return translate("Outbox", STATE_NAMES[state])


def initial_size(widget: QWidget) -> QSize:
    """Room for the columns and a long error, within the screen's available area."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    wanted = QSize(1100, 520)
    if screen is None:
        return wanted
    available = screen.availableGeometry().size()
    return wanted.boundedTo(QSize(available.width() * 9 // 10, available.height() * 8 // 10))


class OutboxDialog(QDialog):
    """The outbox of the tickets this user sees, newest first (at most 200 items)."""

    flushRequested = Signal()  # Send Now: the window's background sender flushes
    ticketRequested = Signal(int)  # a row was activated (double click, Enter): open its ticket

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OutboxDialog")
        self.setWindowTitle(translate("Outbox", "Outbox"))
        self.bridge = bridge
        self.entries: list[OutboxEntry] = []
        self.loading = False
        self._reload_again = False
        self.list = QTreeWidget(self)
        self.list.setObjectName("outboxList")
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setHeaderLabels([translate("Outbox", name) for name in COLUMNS])
        self.list.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.header().setStretchLastSection(True)  # Last error takes the room left
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(lambda *_: self._open_selected())
        self.empty = QLabel(translate("Outbox", "Nothing has been sent from here yet."), self)
        make_muted(self.empty)
        # The selected e-mail's whole error, wrapped: the column shows only its beginning.
        self.error_detail = QLabel(self)
        self.error_detail.setObjectName("outboxErrorDetail")
        self.error_detail.setWordWrap(True)
        self.error_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_detail.hide()
        self.result = QLabel(self)
        self.result.setObjectName("outboxResult")
        self.result.setWordWrap(True)
        self.retry_button = QPushButton(translate("Outbox", "&Retry"), self)
        self.retry_button.setObjectName("outboxRetry")
        self.retry_button.setToolTip(translate("Outbox", "Send it at once instead of after "
                                                         "its wait"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button = QPushButton(translate("Outbox", "&Cancel Sending"), self)
        self.cancel_button.setObjectName("outboxCancel")
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.flush_button = QPushButton(translate("Outbox", "Send &Now"), self)
        self.flush_button.setObjectName("outboxFlush")
        self.flush_button.setToolTip(translate("Outbox", "Send every e-mail that is due"))
        self.flush_button.clicked.connect(self.flushRequested)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.cancel_button, self.flush_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error_detail)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(initial_size(self))
        # Several writes in a row (a flush of many) reload once.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(150)
        self._reload_timer.timeout.connect(self.reload)
        bridge.changed.connect(self._on_changed)
        self._update_buttons()
        self.reload()

    def _on_changed(self, _result: object) -> None:
        self._reload_timer.start()

    def reload(self) -> None:
        """Read the outbox again (in the background)."""
        if self.loading:
            self._reload_again = True
            return
        self.loading = True
        self.bridge.run(lambda desk, _progress: desk.outbox(), on_done=self._show,
                        on_error=self._failed, owner=self)

    def _failed(self, message: str) -> None:
        self.loading = False
        self._say(message, error=True)

    def _show(self, entries: list[OutboxEntry]) -> None:
        self.loading = False
        keep = self.selected()
        self.entries = entries
        self.list.clear()
        time_zone = self.bridge.user.time_zone
        for entry in entries:
            when = entry.sent_at if entry.state is OutboxState.SENT else (
                entry.next_attempt_at if entry.state is OutboxState.QUEUED else entry.created_at)
            time_text = translate("Outbox", TIME_TEXTS[entry.state]).replace(
                "%1", format_time(when, time_zone))
            to = ", ".join(part for part in (entry.to, entry.cc) if part)
            item = QTreeWidgetItem([
                state_name(entry.state), f"#{entry.ticket_id}" if entry.ticket_id else "",
                to, entry.subject, str(entry.attempts), time_text, entry.error_text or ""])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.id)
            item.setToolTip(2, to)
            item.setToolTip(3, entry.subject)
            item.setToolTip(ERROR_COLUMN, entry.error_text or "")
            if entry.state is OutboxState.FAILED:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            self.list.addTopLevelItem(item)
            if keep is not None and keep.id == entry.id:
                self.list.setCurrentItem(item)  # the selection survives a reload
        for column in range(ERROR_COLUMN):
            self.list.resizeColumnToContents(column)
            if column in (2, 3):
                self.list.setColumnWidth(column, min(self.list.columnWidth(column),
                                                     WIDE_COLUMN_MAX))
        self.empty.setVisible(not entries)
        self._update_buttons()
        if self._reload_again:
            self._reload_again = False
            self.reload()

    def selected(self) -> OutboxEntry | None:
        items = self.list.selectedItems()
        if not items:
            return None
        outbox_id = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((e for e in self.entries if e.id == outbox_id), None)

    def select(self, outbox_id: int) -> None:
        for index in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == outbox_id:
                self.list.setCurrentItem(item)
                return

    def _open_selected(self) -> None:
        entry = self.selected()
        if entry is not None and entry.ticket_id is not None:
            self.ticketRequested.emit(entry.ticket_id)

    def _update_buttons(self) -> None:
        entry = self.selected()
        error = entry.error_text if entry is not None and entry.state is not OutboxState.SENT \
            else None
        self.error_detail.setText(translate("Outbox", "Last error: %1").replace("%1", error)
                                  if error else "")
        self.error_detail.setVisible(bool(error))
        waiting = entry is not None and entry.state in (OutboxState.QUEUED, OutboxState.FAILED)
        self.retry_button.setEnabled(waiting)
        self.cancel_button.setEnabled(waiting)

    def retry_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.state not in (OutboxState.QUEUED, OutboxState.FAILED):
            return
        self.bridge.run(lambda desk, _progress: desk.retry_outgoing(entry.id),
                        on_done=self._done, on_error=self._failed_action, owner=self,
                        origin=self)

    def cancel_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.state not in (OutboxState.QUEUED, OutboxState.FAILED):
            return
        self.bridge.run(lambda desk, _progress: desk.cancel_outgoing(entry.id),
                        on_done=self._done, on_error=self._failed_action, owner=self,
                        origin=self)

    def _done(self, result: OpResult) -> None:
        self._say(result.message, error=False)

    def _failed_action(self, message: str) -> None:
        self._say(message, error=True)
        self.reload()

    def _say(self, message: str, *, error: bool) -> None:
        self.result.setText(message)
        self.result.setStyleSheet(error_style(self.palette()) if error else "")
