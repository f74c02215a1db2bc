"""Split ticket: tick messages of an e-mail ticket and move them to a new ticket."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.domain.enums import Channel, Priority
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import (
    ContactInfo,
    MessageInfo,
    OpResult,
    SplitDone,
    TicketDetail,
)
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.dialogs.common import (
    OperationDialog,
    bare_subject,
    fill_owner_combo,
    first_line,
    local_time,
    select_data,
)
from helpdesk_desktop.ui.models.labels import priority_label
from helpdesk_desktop.ui.theme import make_muted, note_style

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

MESSAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class SplitResult:
    op: OpResult
    original_id: int
    new_ticket_id: int


class SplitDialog(OperationDialog[SplitResult]):
    """The ticket's messages with checkboxes on the left, the new ticket's details on the right.

    Create is enabled only when at least one message is ticked and at least one stays.
    """

    def __init__(self, bridge: DeskBridge, detail: TicketDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Create ticket"))
        self.setObjectName("SplitDialog")
        self.detail = detail
        self.setWindowTitle(translate(
            "Dialogs", "Split ticket #{0}").replace("{0}", str(detail.id)))
        self._name_edited = False
        self._filling_name = False

        intro = QLabel(translate(
            "Dialogs", "Tick the messages that move to a new ticket. At least one message "
                       "stays on ticket #{0} “{1}”.")
                       .replace("{0}", str(detail.id)).replace("{1}", detail.row.name), self)
        intro.setWordWrap(True)

        self.message_list = QTreeWidget(self)
        self.message_list.setObjectName("messageList")
        self.message_list.setHeaderLabels([translate("Dialogs", "Author"),
                                           translate("Dialogs", "Time"),
                                           translate("Dialogs", "First line")])
        self.message_list.setRootIsDecorated(len(detail.conversations) > 1)
        self.message_list.setUniformRowHeights(True)
        header = self.message_list.header()
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(200)  # a 1,000-message thread: sample, measure once
        self.message_items: dict[int, QTreeWidgetItem] = {}
        self._messages: dict[int, MessageInfo] = {}
        self._fill_messages()
        for column in (0, 1):
            self.message_list.resizeColumnToContents(column)
        self.message_list.itemChanged.connect(self._on_item_changed)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.name_edit.textChanged.connect(lambda _text: self.update_state())
        self.owner_combo = QComboBox(self)
        self.owner_combo.setObjectName("ownerCombo")
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusCombo")
        self.priority_combo = QComboBox(self)
        self.priority_combo.setObjectName("priorityCombo")
        self.contact_combo = QComboBox(self)
        self.contact_combo.setObjectName("contactCombo")
        self._fill_details()

        details = QGroupBox(translate("Dialogs", "New ticket"), self)
        form = QFormLayout(details)
        form.addRow(translate("Dialogs", "&Name"), self.name_edit)
        form.addRow(translate("Dialogs", "&Owner"), self.owner_combo)
        form.addRow(translate("Dialogs", "&Status"), self.status_combo)
        form.addRow(translate("Dialogs", "&Priority"), self.priority_combo)
        form.addRow(translate("Dialogs", "&Contact"), self.contact_combo)
        pipeline_note = QLabel(translate(
            "Dialogs", "Pipeline: {0}").replace("{0}", detail.pipeline.name), details)
        make_muted(pipeline_note)
        form.addRow("", pipeline_note)

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet(note_style(self.palette()))

        columns = QHBoxLayout()
        columns.addWidget(self.message_list, 3)
        columns.addWidget(details, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(920, 520)
        self._refresh_name()
        self.update_state()

    # -- filling ----------------------------------------------------------------------------

    def _fill_messages(self) -> None:
        user = self.bridge.user
        several = len(self.detail.conversations) > 1
        for conversation in self.detail.conversations:
            parent: QTreeWidget | QTreeWidgetItem = self.message_list
            if several:
                subject = conversation.subject or translate("Dialogs", "(no subject)")
                header = QTreeWidgetItem(self.message_list, [subject])
                header.setFirstColumnSpanned(True)
                header.setFlags(Qt.ItemFlag.ItemIsEnabled)
                header.setExpanded(True)
                parent = header
            for message in conversation.messages:
                item = QTreeWidgetItem(parent, [
                    message.author or (message.author_email or ""),
                    local_time(message.sent_at, user),
                    first_line(message.text) or translate("Dialogs", "(empty message)"),
                ])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                item.setData(0, MESSAGE_ID_ROLE, message.id)
                item.setToolTip(2, message.text[:2000])
                if message.kind.is_internal:
                    item.setText(2, translate("Dialogs", "[internal] ") + item.text(2))
                self.message_items[message.id] = item
                self._messages[message.id] = message
            if several and isinstance(parent, QTreeWidgetItem):
                parent.setExpanded(True)

    def _fill_details(self) -> None:
        detail = self.detail
        try:
            users = self.bridge.desk.users()
        except HelpDeskError as exc:
            users = []
            self.show_error(str(exc))
        fill_owner_combo(self.owner_combo, users)
        select_data(self.owner_combo, detail.row.owner_id)
        for status in detail.pipeline.statuses:
            self.status_combo.addItem(status.name, status.id)
        self.priority_combo.addItem(translate("Dialogs", "No priority"), None)
        for priority in Priority:
            self.priority_combo.addItem(priority_label(priority), priority.value)
        select_data(self.priority_combo, detail.row.priority.value if detail.row.priority
                    else None)
        contacts: dict[int, ContactInfo] = {c.id: c for c in detail.contacts}
        for conversation in detail.conversations:
            if conversation.contact is not None:
                contacts.setdefault(conversation.contact.id, conversation.contact)
        for contact in contacts.values():
            label = contact.name + (f" <{contact.email}>" if contact.email else "")
            self.contact_combo.addItem(label, contact.id)

    # -- state ------------------------------------------------------------------------------

    def checked_message_ids(self) -> list[int]:
        return [mid for mid, item in self.message_items.items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def set_checked(self, message_id: int, checked: bool = True) -> None:
        self.message_items[message_id].setCheckState(
            0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _on_item_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._refresh_name()
        self.update_state()

    def _on_name_edited(self, _text: str) -> None:
        if not self._filling_name:
            self._name_edited = True

    def _refresh_name(self) -> None:
        """Prefill the name from the subject of the first ticked message until the user types."""
        if self._name_edited:
            return
        checked = [self._messages[i] for i in self.checked_message_ids()]
        checked.sort(key=lambda m: (m.sent_at, m.id))
        subject = bare_subject(checked[0].subject) if checked else ""
        if not subject and self.detail.conversations:
            subject = bare_subject(self.detail.conversations[0].subject)
        self._filling_name = True
        self.name_edit.setText(subject or self.detail.row.name)
        self._filling_name = False

    def refusal(self) -> str | None:
        if self.detail.row.source is not Channel.EMAIL:
            return translate("Dialogs", "Only e-mail tickets can be split.")
        checked = len(self.checked_message_ids())
        if checked == 0:
            return translate("Dialogs", "Tick at least one message to move to the new ticket.")
        if checked == len(self.message_items):
            return translate("Dialogs", "At least one message must stay on ticket #{0}.").replace(
                "{0}", str(self.detail.id))
        if not self.name_edit.text().strip():
            return translate("Dialogs", "Give the new ticket a name.")
        return None

    def update_state(self) -> None:
        super().update_state()
        if not hasattr(self, "summary_label"):
            return
        checked = len(self.checked_message_ids())
        staying = len(self.message_items) - checked
        reason = self.refusal()
        if reason is not None and not self.busy:
            self.summary_label.setText(reason)
        else:
            self.summary_label.setText(
                translate("Dialogs", "Moving to the new ticket: {0}, with their author, time "
                                     "and attachments. Staying on ticket #{2}: {1}. Both "
                                     "tickets will link to each other.")
                .replace("{0}", translate("Dialogs", "%n messages", None, checked))
                .replace("{1}", translate("Dialogs", "%n messages", None, staying))
                .replace("{2}", str(self.detail.id)))

    # -- the operation ----------------------------------------------------------------------

    def start(self) -> None:
        ticket_id = self.detail.id
        message_ids = self.checked_message_ids()
        priority = self.priority_combo.currentData()
        details = {
            "name": self.name_edit.text().strip(),
            "owner_id": self.owner_combo.currentData(),
            "status_id": self.status_combo.currentData(),
            "priority": priority,
            "contact_id": self.contact_combo.currentData(),
        }

        def make(op: OpResult[SplitDone]) -> SplitResult:
            return SplitResult(op=op, original_id=ticket_id, new_ticket_id=op.payload.ticket_id)

        self.run_operation(lambda desk, _p: desk.split(ticket_id, message_ids, **details), make)
