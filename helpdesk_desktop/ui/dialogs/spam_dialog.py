"""Mark as spam: tick the conversations of a ticket that are spam (all of them: the ticket)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.services.dto import OpResult, TicketDetail
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.dialogs.common import (
    OperationDialog,
    first_line,
    local_time,
)
from helpdesk_desktop.ui.theme import note_style, warning_style

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

CONVERSATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class SpamResult:
    op: OpResult
    ticket_id: int
    conversation_ids: tuple[int, ...]
    whole_ticket: bool


class SpamDialog(OperationDialog[SpamResult]):
    """The ticket's conversations with checkboxes; ticking all says the ticket goes to Spam."""

    def __init__(self, bridge: DeskBridge, detail: TicketDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Confirm"))
        self.setObjectName("SpamDialog")
        self.detail = detail
        self.setWindowTitle(translate(
            "Dialogs", "Mark ticket #{0} as spam").replace("{0}", str(detail.id)))
        intro = QLabel(translate(
            "Dialogs", "Tick the conversations of “{0}” that are spam. Spam leaves the "
                       "ticket views and can be brought back from the Spam view with "
                       "“Not spam”.").replace("{0}", detail.row.name), self)
        intro.setWordWrap(True)
        self.conversation_list = QTreeWidget(self)
        self.conversation_list.setObjectName("conversationList")
        self.conversation_list.setRootIsDecorated(False)
        self.conversation_list.setHeaderLabels(
            [translate("Dialogs", "Conversation"), translate("Dialogs", "Contact"),
             translate("Dialogs", "Messages"), translate("Dialogs", "Started"),
             translate("Dialogs", "Last message")])
        header = self.conversation_list.header()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.conversation_items: dict[int, QTreeWidgetItem] = {}
        for conversation in detail.conversations:
            last = conversation.messages[-1].text if conversation.messages else ""
            item = QTreeWidgetItem(self.conversation_list, [
                conversation.subject or translate("Dialogs", "(no subject)"),
                conversation.contact.name if conversation.contact else "—",
                str(len(conversation.messages)),
                local_time(conversation.created_at, bridge.user),
                first_line(last, 70),
            ])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            # A ticket with one conversation is spam as a whole: tick it for the user.
            item.setCheckState(0, Qt.CheckState.Checked if len(detail.conversations) == 1
                               else Qt.CheckState.Unchecked)
            item.setData(0, CONVERSATION_ID_ROLE, conversation.id)
            self.conversation_items[conversation.id] = item
        self.conversation_list.itemChanged.connect(lambda _i, _c: self.update_state())
        self.consequence_label = QLabel(self)
        self.consequence_label.setObjectName("consequenceLabel")
        self.consequence_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.conversation_list, 1)
        layout.addWidget(self.consequence_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(720, 380)
        self.update_state()

    def checked_conversation_ids(self) -> list[int]:
        return [cid for cid, item in self.conversation_items.items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def set_checked(self, conversation_id: int, checked: bool = True) -> None:
        self.conversation_items[conversation_id].setCheckState(
            0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    @property
    def whole_ticket(self) -> bool:
        return len(self.checked_conversation_ids()) == len(self.conversation_items)

    def refusal(self) -> str | None:
        if not self.checked_conversation_ids():
            return translate("Dialogs", "Tick at least one conversation.")
        return None

    def update_state(self) -> None:
        super().update_state()
        if not hasattr(self, "consequence_label"):
            return
        checked = len(self.checked_conversation_ids())
        if checked == 0:
            self.consequence_label.setText(translate("Dialogs", "Tick at least one conversation."))
            self.consequence_label.setStyleSheet(note_style(self.palette()))
        elif self.whole_ticket:
            self.consequence_label.setText(
                translate("Dialogs", "Every conversation is ticked: ticket #{0} will be deleted "
                                     "from the ticket views and moved to Spam, where “Not spam” "
                                     "brings it back.")
                .replace("{0}", str(self.detail.id)))
            self.consequence_label.setStyleSheet(warning_style(self.palette()))
        else:
            others = len(self.conversation_items) - checked  # lupdate reads only a name
            self.consequence_label.setText(
                translate("Dialogs", "Moving to Spam: {0}. Ticket #{1} keeps {2}.")
                .replace("{0}", translate("Dialogs", "%n conversations", None, checked))
                .replace("{1}", str(self.detail.id))
                .replace("{2}", translate("Dialogs", "the other %n conversations", None,
                                          others)))
            self.consequence_label.setStyleSheet(note_style(self.palette()))

    def start(self) -> None:
        ticket_id = self.detail.id
        chosen = tuple(self.checked_conversation_ids())
        whole = self.whole_ticket
        self.run_operation(
            lambda desk, _p: desk.mark_spam(ticket_id, None if whole else list(chosen)),
            lambda op: SpamResult(op=op, ticket_id=ticket_id, conversation_ids=chosen,
                                  whole_ticket=whole))
