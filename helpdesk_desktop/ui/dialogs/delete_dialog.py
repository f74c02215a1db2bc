"""Delete tickets (to Recently deleted, or for good): say how many, and ask to type that number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.services.dto import DeletionSummary, OpResult, Refusal, TicketQuery
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.dialogs.common import OperationDialog
from helpdesk_desktop.ui.theme import warning_style

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

RETENTION_DAYS = 90
SHOWN_REFUSALS = 3  # reasons named in the dialog; the rest are counted


@dataclass(frozen=True)
class DeleteResult:
    op: OpResult
    ticket_ids: tuple[int, ...]
    tickets: int
    conversations: int | None
    permanent: bool


class DeleteDialog(OperationDialog[DeleteResult]):
    """States how many tickets and conversations go, and enables Delete only once that number
    of tickets is typed. Counting and deleting run in the background, with progress."""

    def __init__(self, bridge: DeskBridge, ticket_ids: Sequence[int] = (),
                 parent: QWidget | None = None, *, query: TicketQuery | None = None,
                 permanent: bool = False) -> None:
        accept_text = (translate("Dialogs", "Delete permanently") if permanent
                       else translate("Dialogs", "Delete"))
        super().__init__(bridge, parent, accept_text)
        self.setObjectName("DeleteDialog")
        self.permanent = permanent
        self.query = query
        self.ticket_ids: tuple[int, ...] = tuple(dict.fromkeys(ticket_ids))
        self.counts: tuple[int, int | None] | None = None  # (tickets, conversations)
        self.refusals: tuple[Refusal, ...] = ()  # selected tickets that would stay
        self.setWindowTitle(translate("Dialogs", "Delete tickets permanently") if permanent
                            else translate("Dialogs", "Delete tickets"))
        self.accept_button.setStyleSheet(
            "QPushButton:enabled { background: #dc2626; color: white; padding: 4px 14px; "
            "border-radius: 4px; }")

        self.summary_label = QLabel(translate("Dialogs", "Counting the tickets…"), self)
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet(warning_style(self.palette()))
        # Which selected tickets stay, and why: apart from the warning, in plain text.
        self.refusals_label = QLabel(self)
        self.refusals_label.setObjectName("refusalsLabel")
        self.refusals_label.setWordWrap(True)
        self.refusals_label.hide()
        self.prompt_label = QLabel(self)
        self.prompt_label.setWordWrap(True)
        self.count_edit = QLineEdit(self)
        self.count_edit.setObjectName("countEdit")
        self.count_edit.setValidator(QIntValidator(0, 2_000_000_000, self))
        self.count_edit.setMaximumWidth(140)
        self.count_edit.setEnabled(False)
        self.count_edit.textChanged.connect(lambda _t: self.update_state())
        self.prompt_label.setBuddy(self.count_edit)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.hide()
        self.progress_updates = 0

        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.prompt_label, 1)
        confirm_row.addWidget(self.count_edit)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.refusals_label)
        layout.addLayout(confirm_row)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(540)
        self._fit_height()
        self.update_state()
        self._count()

    # -- counting ---------------------------------------------------------------------------

    def _count(self) -> None:
        ids, query, permanent = self.ticket_ids, self.query, self.permanent

        def work(desk: Desk, _progress: ProgressCallback
                 ) -> tuple[tuple[int, ...], DeletionSummary]:
            chosen = tuple(desk.matching_ids(query)) if query is not None else ids
            return chosen, desk.deletion_summary(chosen, permanent=permanent)

        self.bridge.run(work, on_done=self._counted, on_error=self._count_failed, owner=self)

    def _counted(self, value: tuple[tuple[int, ...], DeletionSummary]) -> None:
        if self.closed:  # cancelled while counting
            return
        self.ticket_ids, summary = value
        self.counts = (summary.tickets, summary.conversations)
        self.refusals = summary.refusals
        tickets, conversations = self.counts
        ticket_text = translate("Dialogs", "%n tickets", None, tickets)
        conversation_count = conversations or 0  # lupdate reads only a name as the count
        conversation_text = translate("Dialogs", "%n conversations", None, conversation_count)
        if self.permanent:
            text = translate("Dialogs", "To be erased for good: {0}, with every conversation, "
                                        "message and attachment. This cannot be undone.")
        else:
            text = translate(
                "Dialogs", "To be deleted: {0} and {1}. They stay in Recently deleted for {2} "
                           "days, where they can be restored.")
        text = (text.replace("{0}", ticket_text).replace("{1}", conversation_text)
                .replace("{2}", str(RETENTION_DAYS)))
        self.summary_label.setText(text)
        refused = len(self.refusals)  # the count above is of what can be deleted
        if refused > 0:
            lines = [translate("Dialogs", "%n of the selected tickets cannot be deleted and "
                                          "stay as they are:", None, refused)]
            lines += ["• " + r.reason for r in self.refusals[:SHOWN_REFUSALS]]
            if refused > SHOWN_REFUSALS:
                lines.append("• …")
            self.refusals_label.setText("\n".join(lines))
        self.refusals_label.setVisible(refused > 0)
        prompt = translate("Dialogs", "To confirm, type the number of tickets ({0}):")
        self.prompt_label.setText(prompt.replace("{0}", str(tickets)))
        self.count_edit.setEnabled(True)
        self.count_edit.setFocus()
        self.update_state()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to the height the (word-wrapped) texts need at the current width."""
        layout = self.layout()
        layout.activate()
        height = self.heightForWidth(self.width())  # the wrapped texts at this width
        self.resize(self.width(), height if height > 0 else self.sizeHint().height())

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self._fit_height()

    def _count_failed(self, message: str) -> None:
        if self.closed:
            return
        self.summary_label.setText(translate("Dialogs", "Nothing can be deleted."))
        self.show_error(message)

    # -- state ------------------------------------------------------------------------------

    @property
    def expected_count(self) -> int | None:
        return self.counts[0] if self.counts is not None else None

    def refusal(self) -> str | None:
        expected = self.expected_count
        if expected is None:
            return translate("Dialogs", "Counting the tickets…")
        if expected == 0:
            return translate("Dialogs", "There is nothing to delete.")
        if self.count_edit.text().strip() != str(expected):
            return translate("Dialogs", "Type {0} to confirm.").replace("{0}", str(expected))
        return None

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.count_edit.setReadOnly(busy)

    # -- the operation ----------------------------------------------------------------------

    def start(self) -> None:
        ids = self.ticket_ids
        tickets, conversations = self.counts or (len(ids), None)
        permanent = self.permanent
        self.progress_bar.setRange(0, max(1, tickets))
        self.progress_bar.setValue(0)
        self.progress_bar.show()

        def work(desk: Desk, progress: ProgressCallback) -> OpResult:
            if permanent:
                return desk.delete_permanently(ids)
            return desk.delete(ids, tickets, progress=progress)

        self.run_operation(
            work,
            lambda op: DeleteResult(op=op, ticket_ids=ids, tickets=tickets,
                                    conversations=conversations, permanent=permanent),
            on_progress=self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_updates += 1
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)
