"""Move conversation: from the help desk to a conversations inbox, or from an inbox to the
help desk (account access / super admin)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import InboxKind
from helpdesk_desktop.services.dto import (
    ConversationInfo,
    InboxInfo,
    MoveDone,
    OpResult,
    PipelineInfo,
    TicketDetail,
    TicketRow,
    UserInfo,
)
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.dialogs.common import (
    OperationDialog,
    comment_edit,
    fill_owner_combo,
    fill_statuses,
    note_label,
    select_data,
)
from helpdesk_desktop.ui.theme import warning_style

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
    and status its ticket keeps. Warns, and refuses, when the owner could not see the result.

    The inboxes, pipelines, users and the ticket's row are read off the UI thread (the dialog
    shows it is reading meanwhile), and so is the check of the chosen owner."""

    def __init__(self, bridge: DeskBridge, conversation: ConversationInfo,
                 parent: QWidget | None = None, detail: TicketDetail | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Move"))
        self.setObjectName("MoveDialog")
        self.detail = detail
        self.conversations: list[ConversationInfo] = (
            list(detail.conversations) if detail is not None else [conversation])
        self.conversation = conversation
        self.inboxes: list[InboxInfo] = []
        self.pipelines: list[PipelineInfo] = []
        self.ticket_row: TicketRow | None = detail.row if detail is not None else None
        self._owner_problem: str | None = None
        self._owner_checks = 0  # the latest check of the chosen owner (a later one wins)
        self.checking_owner = False

        self.conversation_combo = QComboBox(self)
        self.conversation_combo.setObjectName("conversationCombo")
        no_subject = translate("Dialogs", "(no subject)")
        for item in self.conversations:
            self.conversation_combo.addItem(f"{item.subject or no_subject} — {item.inbox}",
                                            item.id)
        select_data(self.conversation_combo, conversation.id)
        self.inbox_combo = QComboBox(self)
        self.inbox_combo.setObjectName("inboxCombo")
        self.owner_combo = QComboBox(self)
        self.owner_combo.setObjectName("ownerCombo")
        self.pipeline_combo = QComboBox(self)
        self.pipeline_combo.setObjectName("pipelineCombo")
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusCombo")
        self.comment_edit = comment_edit(self, translate(
            "Dialogs", "Optional: an internal comment left on the conversation"))

        self.intro_label = note_label(self, "moveIntro")
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
        self._set_choices_enabled(False)
        self._on_conversation_changed()
        self.resize(580, self.sizeHint().height())
        ticket_id = conversation.ticket_id if detail is None else None

        def read(desk: Desk, _progress: ProgressCallback) -> tuple[
                list[InboxInfo], list[PipelineInfo], list[UserInfo], TicketRow | None]:
            row = desk.rows([ticket_id]).get(ticket_id) if ticket_id is not None else None
            return desk.inboxes(), desk.pipelines(), desk.users(), row

        self.load(read, self._loaded,
                  translate("Dialogs", "Reading the inboxes, pipelines and users…"))

    # -- reading ----------------------------------------------------------------------------

    def _loaded(self, value: tuple[list[InboxInfo], list[PipelineInfo], list[UserInfo],
                                   TicketRow | None]) -> None:
        self.inboxes, self.pipelines, users, row = value
        if self.detail is None:
            self.ticket_row = row
        for combo in (self.inbox_combo, self.owner_combo, self.pipeline_combo):
            combo.blockSignals(True)
        for inbox in self.inboxes:
            if inbox.kind is InboxKind.CONVERSATIONS:
                self.inbox_combo.addItem(inbox.name, inbox.id)
        # Every user is listed: choosing one who could not see the result shows the warning.
        fill_owner_combo(self.owner_combo, users, eligible_only=False)
        for pipeline in self.pipelines:
            self.pipeline_combo.addItem(pipeline.name, pipeline.id)
        for combo in (self.inbox_combo, self.owner_combo, self.pipeline_combo):
            combo.blockSignals(False)
        self._set_choices_enabled(True)
        self._on_conversation_changed()

    def _set_choices_enabled(self, enabled: bool) -> None:
        for widget in (self.conversation_combo, self.inbox_combo, self.owner_combo,
                       self.pipeline_combo, self.status_combo):
            widget.setEnabled(enabled)

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
        self.owner_combo.blockSignals(True)  # checked once, below
        select_data(self.owner_combo, row.owner_id if row is not None else None)
        self.owner_combo.blockSignals(False)
        if row is not None:
            select_data(self.pipeline_combo, row.pipeline_id)
        self._on_pipeline_changed()
        if row is not None:
            select_data(self.status_combo, row.status_id)
        self._check_owner()

    def _on_pipeline_changed(self) -> None:
        fill_statuses(self.status_combo, self.pipelines, self.pipeline_combo.currentData())
        self._update_intro()

    def _check_owner(self) -> None:
        """Ask the service, off the UI thread, whether the chosen owner could see the result;
        warn if not. Until it answers, the accept button waits."""
        if not self.loaded:
            return
        owner_id = self.owner_combo.currentData()
        conversation_id = self.conversation.id
        self._owner_checks += 1
        check = self._owner_checks
        self.checking_owner = True
        self.update_state()

        def answered(problem: str | None) -> None:
            if self.closed or check != self._owner_checks:  # closed, or another owner chosen
                return
            self.checking_owner = False
            self._owner_problem = problem
            self.warning_label.setText(problem or "")
            self.warning_label.setVisible(problem is not None)
            self._update_intro()

        def read(desk: Desk, _progress: ProgressCallback) -> str | None:
            ok, reason = desk.owner_can_see(conversation_id, owner_id)
            return None if ok else reason or translate(
                "Dialogs", "The chosen owner could not see the ticket.")

        self.bridge.run(read, answered, answered, owner=self)

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
        if getattr(self, "checking_owner", False):
            return translate("Dialogs", "Checking that the new owner can see it…")
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
