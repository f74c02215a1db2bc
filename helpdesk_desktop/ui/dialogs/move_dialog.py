"""Move conversation: from the help desk to a conversations inbox, or from an inbox to the
help desk (account access / super admin)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.domain.enums import InboxKind
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import (
    ConversationInfo,
    InboxInfo,
    MoveDone,
    OpResult,
    PipelineInfo,
    TicketDetail,
    TicketRow,
)
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.dialogs.common import (
    OperationDialog,
    fill_owner_combo,
    select_data,
)
from helpdesk_desktop.ui.theme import note_style, warning_style

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


@dataclass(frozen=True)
class MoveResult:
    """What the move did, and what moving back needs."""

    op: OpResult
    conversation_id: int
    from_inbox_id: int
    to_inbox_id: int
    ticket_id: int | None
    created_ticket: bool
    previous_owner_id: int | None
    previous_pipeline_id: int | None
    previous_status_id: int | None


class MoveDialog(OperationDialog[MoveResult]):
    """Choose where a conversation goes, its new owner, and (leaving the help desk) the pipeline
    and status its ticket keeps. Warns, and refuses, when the owner could not see the result."""

    def __init__(self, bridge: DeskBridge, conversation: ConversationInfo,
                 parent: QWidget | None = None, detail: TicketDetail | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Move"))
        self.setObjectName("MoveDialog")
        self.detail = detail
        self.conversations: list[ConversationInfo] = (
            list(detail.conversations) if detail is not None else [conversation])
        self.conversation = conversation
        desk = bridge.desk
        try:
            self.inboxes: list[InboxInfo] = desk.inboxes()
            self.pipelines: list[PipelineInfo] = desk.pipelines()
            users = desk.users()
        except HelpDeskError as exc:
            self.inboxes, self.pipelines, users = [], [], []
            self.show_error(str(exc))
        self.ticket_row: TicketRow | None = detail.row if detail is not None else (
            self._row(conversation.ticket_id))

        self.conversation_combo = QComboBox(self)
        self.conversation_combo.setObjectName("conversationCombo")
        no_subject = translate("Dialogs", "(no subject)")
        for item in self.conversations:
            self.conversation_combo.addItem(f"{item.subject or no_subject} — {item.inbox}",
                                            item.id)
        select_data(self.conversation_combo, conversation.id)
        self.inbox_combo = QComboBox(self)
        self.inbox_combo.setObjectName("inboxCombo")
        for inbox in self.inboxes:
            if inbox.kind is InboxKind.CONVERSATIONS:
                self.inbox_combo.addItem(inbox.name, inbox.id)
        self.owner_combo = QComboBox(self)
        self.owner_combo.setObjectName("ownerCombo")
        # Every user is listed: choosing one who could not see the result shows the warning.
        fill_owner_combo(self.owner_combo, users, eligible_only=False)
        self.pipeline_combo = QComboBox(self)
        self.pipeline_combo.setObjectName("pipelineCombo")
        for pipeline in self.pipelines:
            self.pipeline_combo.addItem(pipeline.name, pipeline.id)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusCombo")
        self.comment_edit = QPlainTextEdit(self)
        self.comment_edit.setObjectName("commentEdit")
        self.comment_edit.setPlaceholderText(translate(
            "Dialogs", "Optional: an internal comment left on the "
                       "conversation"))
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setFixedHeight(90)

        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.intro_label.setStyleSheet(note_style(self.palette()))
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("ownerWarning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(warning_style(self.palette()))
        self.warning_label.hide()

        self.form = QFormLayout()
        self.form.addRow(translate("Dialogs", "Con&versation"), self.conversation_combo)
        self.form.addRow(translate("Dialogs", "&Inbox"), self.inbox_combo)
        self.form.addRow(translate("Dialogs", "New &owner"), self.owner_combo)
        self.form.addRow(translate("Dialogs", "&Pipeline"), self.pipeline_combo)
        self.form.addRow(translate("Dialogs", "&Status"), self.status_combo)
        self.form.addRow(translate("Dialogs", "&Comment"), self.comment_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.conversation_combo.currentIndexChanged.connect(self._on_conversation_changed)
        self.pipeline_combo.currentIndexChanged.connect(self._on_pipeline_changed)
        self.owner_combo.currentIndexChanged.connect(lambda _i: self._check_owner())
        self.inbox_combo.currentIndexChanged.connect(lambda _i: self._update_intro())
        self.status_combo.currentIndexChanged.connect(lambda _i: self._update_intro())
        self._owner_problem: str | None = None
        self._on_conversation_changed()
        self.resize(580, self.sizeHint().height())

    # -- reading ----------------------------------------------------------------------------

    def _row(self, ticket_id: int | None) -> TicketRow | None:
        if ticket_id is None:
            return None
        try:
            return self.bridge.desk.rows([ticket_id]).get(ticket_id)
        except HelpDeskError:
            return None

    @property
    def to_help_desk(self) -> bool:
        """Whether the conversation now moves into the help desk (it is in an inbox)."""
        return self.conversation.inbox_kind is not InboxKind.HELP_DESK

    def help_desk_inbox(self) -> InboxInfo | None:
        return next((i for i in self.inboxes if i.kind is InboxKind.HELP_DESK), None)

    # -- state ------------------------------------------------------------------------------

    def _on_conversation_changed(self) -> None:
        conversation_id = self.conversation_combo.currentData()
        self.conversation = next((c for c in self.conversations if c.id == conversation_id),
                                 self.conversation)
        to_help_desk = self.to_help_desk
        self.setWindowTitle(translate("Dialogs", "Move conversation to the help desk")
                            if to_help_desk
                            else translate("Dialogs", "Move conversation to an inbox"))
        for widget in (self.inbox_combo, self.pipeline_combo, self.status_combo):
            self.form.setRowVisible(widget, not to_help_desk)
        self.form.setRowVisible(self.conversation_combo, len(self.conversations) > 1)
        row = self.ticket_row
        select_data(self.owner_combo, row.owner_id if row is not None else None)
        if row is not None:
            select_data(self.pipeline_combo, row.pipeline_id)
        self._on_pipeline_changed()
        if row is not None:
            select_data(self.status_combo, row.status_id)
        self._check_owner()

    def _on_pipeline_changed(self) -> None:
        pipeline_id = self.pipeline_combo.currentData()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        for pipeline in self.pipelines:
            if pipeline.id == pipeline_id:
                for status in pipeline.statuses:
                    self.status_combo.addItem(status.name, status.id)
        self.status_combo.blockSignals(False)
        self._update_intro()

    def _check_owner(self) -> None:
        """Ask the service whether the chosen owner could see the result; warn if not."""
        owner_id = self.owner_combo.currentData()
        self._owner_problem = None
        try:
            ok, reason = self.bridge.desk.owner_can_see(self.conversation.id, owner_id)
        except HelpDeskError as exc:
            ok, reason = False, str(exc)
        if not ok:
            self._owner_problem = reason or translate(
                "Dialogs", "The chosen owner could not see the ticket.")
        self.warning_label.setText(self._owner_problem or "")
        self.warning_label.setVisible(self._owner_problem is not None)
        self._update_intro()

    def _update_intro(self) -> None:
        if not hasattr(self, "intro_label"):
            return
        subject = self.conversation.subject or translate("Dialogs", "(no subject)")
        if self.to_help_desk:
            if self.conversation.ticket_id is None:
                text = translate(
                    "Dialogs", "“{0}” moves from {1} to the help desk and becomes a new ticket.")
            else:
                text = translate(
                    "Dialogs", "“{0}” moves from {1} back to the help desk, on ticket #{2}.")
        else:
            text = translate(
                "Dialogs", "“{0}” moves from the help desk to {3}. Ticket #{2} stays in the help "
                           "desk with the pipeline and status chosen below.")
        text = (text.replace("{0}", subject).replace("{1}", self.conversation.inbox)
                .replace("{2}", str(self.conversation.ticket_id or ""))
                .replace("{3}", self.inbox_combo.currentText() or translate("Dialogs", "an inbox")))
        self.intro_label.setText(text)
        self.update_state()

    def refusal(self) -> str | None:
        if self.to_help_desk:
            if self.help_desk_inbox() is None:
                return translate("Dialogs", "The workspace has no help desk inbox.")
        else:
            if self.inbox_combo.currentData() is None:
                return translate("Dialogs", "The workspace has no conversations inbox to move to.")
            if self.pipeline_combo.currentData() is None or self.status_combo.currentData() is None:
                return translate(
                    "Dialogs", "Choose the pipeline and status the ticket keeps in the help desk.")
        return getattr(self, "_owner_problem", None)

    # -- the operation ----------------------------------------------------------------------

    def start(self) -> None:
        conversation = self.conversation
        row = self.ticket_row if conversation.ticket_id is not None else None
        owner_id = self.owner_combo.currentData()
        comment = self.comment_edit.toPlainText().strip() or None
        if self.to_help_desk:
            inbox = self.help_desk_inbox()
            assert inbox is not None
            target = inbox.id
            options: dict[str, object] = {"owner_id": owner_id, "comment": comment}
        else:
            target = self.inbox_combo.currentData()
            options = {"owner_id": owner_id, "comment": comment,
                       "pipeline_id": self.pipeline_combo.currentData(),
                       "status_id": self.status_combo.currentData()}

        def make(op: OpResult[MoveDone]) -> MoveResult:
            return MoveResult(
                op=op, conversation_id=conversation.id, from_inbox_id=conversation.inbox_id,
                to_inbox_id=target, ticket_id=op.payload.ticket_id,
                created_ticket=bool(op.created_ticket_ids),
                previous_owner_id=row.owner_id if row is not None else None,
                previous_pipeline_id=row.pipeline_id if row is not None else None,
                previous_status_id=row.status_id if row is not None else None)

        self.run_operation(
            lambda desk, _p: desk.move_conversation(conversation.id, target, **options), make)
