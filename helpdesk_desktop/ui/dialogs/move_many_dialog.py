"""Move the help desk conversations of several tickets to a conversations inbox at once (the
bulk bar's Move; account access / super admin). The tickets stay in the help desk with the
pipeline and status chosen here; one Undo moves every conversation back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QVBoxLayout, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import InboxKind
from helpdesk_desktop.services.dto import BulkResult, InboxInfo, PipelineInfo, TicketQuery
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.dialogs.common import (
    OperationDialog,
    comment_edit,
    fill_statuses,
    note_label,
    select_data,
)

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


@dataclass(frozen=True)
class MoveManyResult:
    op: BulkResult
    to_inbox_id: int


class MoveManyDialog(OperationDialog[MoveManyResult]):
    """Choose the conversations inbox, and the pipeline and status the tickets keep. The
    inboxes and pipelines are read off the UI thread; so is the move."""

    def __init__(self, bridge: DeskBridge, ticket_ids: Sequence[int] = (),
                 parent: QWidget | None = None, *, query: TicketQuery | None = None,
                 count: int = 0, pipeline_id: int | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Move"))
        self.setObjectName("MoveManyDialog")
        self.setWindowTitle(translate("Dialogs", "Move conversations to an inbox"))
        self.ticket_ids = tuple(dict.fromkeys(ticket_ids))
        self.query = query
        self.count = count or len(self.ticket_ids)
        self.preferred_pipeline = pipeline_id
        self.pipelines: list[PipelineInfo] = []

        self.intro_label = note_label(self, "moveManyIntro")
        self.inbox_combo = QComboBox(self)
        self.inbox_combo.setObjectName("inboxCombo")
        self.pipeline_combo = QComboBox(self)
        self.pipeline_combo.setObjectName("pipelineCombo")
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusCombo")
        self.comment_edit = comment_edit(self, translate(
            "Dialogs", "Optional: an internal comment left on each conversation"))

        form = QFormLayout()
        form.addRow(translate("Dialogs", "&Inbox"), self.inbox_combo)
        form.addRow(translate("Dialogs", "&Pipeline"), self.pipeline_combo)
        form.addRow(translate("Dialogs", "&Status"), self.status_combo)
        form.addRow(translate("Dialogs", "&Comment"), self.comment_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.pipeline_combo.currentIndexChanged.connect(lambda _i: self._fill_statuses())
        self.inbox_combo.currentIndexChanged.connect(lambda _i: self._update_intro())
        self._update_intro()
        self.resize(560, self.sizeHint().height())
        self.load(lambda desk, _p: (desk.inboxes(), desk.pipelines()), self._loaded,
                  translate("Dialogs", "Reading the inboxes…"))

    def _loaded(self, value: tuple[list[InboxInfo], list[PipelineInfo]]) -> None:
        inboxes, self.pipelines = value
        self.pipeline_combo.blockSignals(True)
        for inbox in inboxes:
            if inbox.kind is InboxKind.CONVERSATIONS:
                self.inbox_combo.addItem(inbox.name, inbox.id)
        for pipeline in self.pipelines:
            self.pipeline_combo.addItem(pipeline.name, pipeline.id)
        if self.preferred_pipeline is not None:
            select_data(self.pipeline_combo, self.preferred_pipeline)
        self.pipeline_combo.blockSignals(False)
        self._fill_statuses()

    def _fill_statuses(self) -> None:
        fill_statuses(self.status_combo, self.pipelines, self.pipeline_combo.currentData())
        self._update_intro()

    def _update_intro(self) -> None:
        count = self.count  # lupdate reads only a name as the count
        text = translate("Dialogs", "The help desk conversations of %n tickets move to {0}. The "
                                    "tickets stay in the help desk with the pipeline and status "
                                    "chosen below.", None, count)
        self.intro_label.setText(text.replace(
            "{0}", self.inbox_combo.currentText() or translate("Dialogs", "an inbox")))
        self.update_state()

    def refusal(self) -> str | None:
        if self.inbox_combo.currentData() is None:
            return translate("Dialogs", "The workspace has no conversations inbox to move to.")
        if self.pipeline_combo.currentData() is None or self.status_combo.currentData() is None:
            return translate(
                "Dialogs", "Choose the pipeline and status the ticket keeps in the help desk.")
        return None

    def start(self) -> None:
        ids, query = self.ticket_ids, self.query
        target: int = self.inbox_combo.currentData()
        pipeline_id: int = self.pipeline_combo.currentData()
        status_id: int = self.status_combo.currentData()
        comment = self.comment_edit.toPlainText().strip() or None

        def work(desk: Desk, _progress: ProgressCallback) -> BulkResult:
            chosen = desk.matching_ids(query) if query is not None else list(ids)
            return desk.move_many(desk.help_desk_conversation_ids(chosen), target,
                                  pipeline_id=pipeline_id, status_id=status_id,
                                  comment=comment)

        self.run_operation(work, lambda op: MoveManyResult(op, target))
