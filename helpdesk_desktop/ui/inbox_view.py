"""The conversations inboxes: conversations that are not in the help desk, and moving one in."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.domain.enums import InboxKind
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import ConversationInfo, UserInfo
from helpdesk_desktop.ui.actions.registry import icon
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.dialogs.common import first_line, local_time
from helpdesk_desktop.ui.dialogs.move_dialog import MoveDialog, MoveResult
from helpdesk_desktop.ui.theme import make_muted
from helpdesk_desktop.ui.ticket_view.labels import channel_label

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

ModelIndex = QModelIndex | QPersistentModelIndex
CONVERSATION_ROLE = Qt.ItemDataRole.UserRole + 1



class ConversationListModel(QAbstractTableModel):
    """The conversations of one inbox (a few hundred at most: loaded whole)."""

    COLUMNS = ("subject", "contact", "channel", "messages", "last", "ticket")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conversations: list[ConversationInfo] = []
        self.user: UserInfo | None = None

    def set_conversations(self, conversations: list[ConversationInfo],
                          user: UserInfo | None) -> None:
        self.beginResetModel()
        self.conversations = list(conversations)
        self.user = user
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.conversations)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (translate("InboxView", "Subject"), translate("InboxView", "Contact"),
                    translate("InboxView", "Channel"), translate("InboxView", "Messages"),
                    translate("InboxView", "Last message"),
                    translate("InboxView", "Ticket"))[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.conversations):
            return None
        conversation = self.conversations[index.row()]
        if role == CONVERSATION_ROLE:
            return conversation
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            last = conversation.messages[-1] if conversation.messages else None
            return {
                "subject": conversation.subject or translate("InboxView", "(no subject)"),
                "contact": conversation.contact.name if conversation.contact else "—",
                "channel": channel_label(conversation.channel),
                "messages": len(conversation.messages),
                "last": local_time(last.sent_at if last else conversation.created_at, self.user),
                "ticket": f"#{conversation.ticket_id}" if conversation.ticket_id else "—",
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == "subject":
            last = conversation.messages[-1] if conversation.messages else None
            return first_line(last.text, 200) if last else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "messages":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class InboxView(QWidget):
    """Choose a conversations inbox, read its conversations, move one to the help desk."""

    moved = Signal(object)  # MoveResult
    loaded = Signal()  # the conversations of the chosen inbox are listed

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None,
                 inbox_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InboxView")
        self.bridge = bridge
        self._reading: int | None = None  # the inbox whose conversations are being read
        self.inbox_combo = QComboBox(self)
        self.inbox_combo.setObjectName("inboxCombo")
        self.model = ConversationListModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("conversationTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized to the contents once per load (the header samples at most its precision of
        # rows), never ResizeToContents, which measures every row again on each change.
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.move_selected())
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("conversationPreview")
        self.preview.setOpenExternalLinks(False)
        self.move_button = QPushButton(icon("move"), translate(
            "InboxView", "Move to help desk…"), self)
        self.move_button.setObjectName("moveToHelpDeskButton")
        self.move_button.clicked.connect(self.move_selected)
        self.empty_label = QLabel(self)
        make_muted(self.empty_label)

        top = QHBoxLayout()
        top.addWidget(QLabel(translate("InboxView", "Inbox:"), self))
        top.addWidget(self.inbox_combo, 1)
        top.addWidget(self.empty_label)
        top.addWidget(self.move_button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._reload_soon = QTimer(self)
        self._reload_soon.setSingleShot(True)
        self._reload_soon.setInterval(0)
        self._reload_soon.timeout.connect(self.reload)
        # Bound methods, not lambdas: Qt drops the connection when this window is deleted.
        bridge.changed.connect(self._data_changed)
        bridge.userChanged.connect(self._user_changed)
        bridge.userUpdated.connect(self._reload_soon.start)  # another time zone: its times
        self.inbox_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload_inboxes(inbox_id)

    def _data_changed(self, _result: object) -> None:
        self._reload_soon.start()

    def _user_changed(self, _user: object) -> None:
        self.reload_inboxes()

    # -- reading ----------------------------------------------------------------------------

    def reload_inboxes(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.inbox_combo.currentData()
        self.inbox_combo.blockSignals(True)
        self.inbox_combo.clear()
        try:
            inboxes = self.bridge.desk.inboxes()
        except HelpDeskError as exc:
            inboxes = []
            self.empty_label.setText(str(exc))
        for inbox in inboxes:
            if inbox.kind is InboxKind.CONVERSATIONS:
                self.inbox_combo.addItem(icon("inbox"), inbox.name, inbox.id)
        index = self.inbox_combo.findData(current)
        self.inbox_combo.setCurrentIndex(max(index, 0))
        self.inbox_combo.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        """Read the chosen inbox's conversations again (off the UI thread: an inbox may hold
        thousands, each with its messages), keeping the selected one; then :attr:`loaded`."""
        inbox_id = self.inbox_combo.currentData()
        self._reading = inbox_id
        if inbox_id is None:
            self.empty_label.setText(translate(
                "InboxView", "The workspace has no conversations inbox."))
            self._show([])
            return

        def done(conversations: list[ConversationInfo]) -> None:
            if self._reading == inbox_id:  # not meanwhile replaced by another inbox
                self.empty_label.setText("" if conversations else translate(
                    "InboxView", "No conversation here."))
                self._show(conversations)

        def failed(message: str) -> None:
            if self._reading == inbox_id:
                self.empty_label.setText(message)
                self._show([])

        self.bridge.run(lambda desk, _p: desk.inbox_conversations(inbox_id), done, failed,
                        owner=self)

    def _show(self, conversations: list[ConversationInfo]) -> None:
        selected = self.selected_conversation()
        self.model.set_conversations(conversations, self.bridge.user)
        for column in range(1, self.model.columnCount()):
            self.table.resizeColumnToContents(column)
        if selected is not None:
            for row, conversation in enumerate(conversations):
                if conversation.id == selected.id:
                    self.table.selectRow(row)
                    break
        self._selection_changed()
        self.loaded.emit()

    def selected_conversation(self) -> ConversationInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(CONVERSATION_ROLE)  # type: ignore[no-any-return]

    def select_conversation(self, conversation_id: int) -> None:
        for row, conversation in enumerate(self.model.conversations):
            if conversation.id == conversation_id:
                self.table.selectRow(row)
                return
        raise ValueError(f"conversation #{conversation_id} is not listed")

    def _selection_changed(self, _selected: QItemSelection | None = None,
                           _deselected: QItemSelection | None = None) -> None:
        conversation = self.selected_conversation()
        user = self.bridge.user
        if conversation is None:
            reason: str | None = translate("InboxView", "Select a conversation first.")
        elif not (user.super_admin or user.account_access):
            reason = translate("InboxView", "Needs account access (super admin).")
        else:
            reason = None
        self.move_button.setEnabled(reason is None)
        self.move_button.setToolTip(reason or translate(
            "InboxView", "Move the conversation into the help desk."))
        self.preview.setHtml(self._preview_html(conversation) if conversation else "")

    def _preview_html(self, conversation: ConversationInfo) -> str:
        subject = conversation.subject or translate("InboxView", "(no subject)")
        parts = [f"<h3>{html.escape(subject)}</h3>"]
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        for message in conversation.messages:
            when = local_time(message.sent_at, self.bridge.user)
            parts.append(
                f"<p><b>{html.escape(message.author)}</b> "
                f"<span style='color:{muted}'>{html.escape(when)}</span><br>"
                + html.escape(message.text).replace("\n", "<br>") + "</p>")
        return "".join(parts)

    # -- moving -----------------------------------------------------------------------------

    def move_selected(self) -> MoveDialog | None:
        """Open the Move dialog for the selected conversation (non-blocking)."""
        conversation = self.selected_conversation()
        if conversation is None or not self.move_button.isEnabled():
            return None
        dialog = MoveDialog(self.bridge, conversation, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._moved)
        dialog.open()
        return dialog

    def _moved(self, result: object) -> None:
        assert isinstance(result, MoveResult)
        # No reload here: the move's change report reloads the inbox (once).
        self.moved.emit(result)
