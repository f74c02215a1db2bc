"""File › Import Mail…: ``.eml`` files, mboxes and Maildirs taken in through the same intake
as IMAP, off the UI thread, with progress, Cancel, and what became of every message."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import InboxKind
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.dropped_files import dropped_paths
from helpdesk_desktop.ui.layouts.empty_hint import EmptyHint
from helpdesk_desktop.ui.theme import make_muted

if TYPE_CHECKING:  # the mail parser and sanitizer load only when mail is imported
    from helpdesk_desktop.services.intake import IngestOutcome

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

#: By ``services.intake.Outcome`` value (a StrEnum: its members are these strings), in its
#: order; plain strings so that opening the window does not import intake.
OUTCOME_LABELS = {
    "created": QT_TRANSLATE_NOOP("Dialogs", "New ticket"),
    "joined": QT_TRANSLATE_NOOP("Dialogs", "Joined a conversation"),
    "duplicate": QT_TRANSLATE_NOOP("Dialogs", "Already received"),
    "skipped": QT_TRANSLATE_NOOP("Dialogs", "Skipped (automatic)"),
    "refused": QT_TRANSLATE_NOOP("Dialogs", "Refused (kept aside)"),
}
MAIL_FILTER = QT_TRANSLATE_NOOP("Dialogs", "Mail files (*.eml *.mbox *.mbx);;All files (*)")


def summary_text(outcomes: Sequence[IngestOutcome], cancelled: bool) -> str:
    """One translated sentence: how many messages, and what became of them."""
    counts = Counter(o.outcome.value for o in outcomes)
    total = len(outcomes)
    if not total:
        return (translate("Dialogs", "Cancelled before any message was imported.") if cancelled
                else translate("Dialogs", "No message was found in what you chose."))
    pair = translate("Dialogs", "%1: %2", "an import outcome and its count")
    parts = [pair.replace("%1", translate("Dialogs", OUTCOME_LABELS[kind]))
             .replace("%2", str(counts[kind])) for kind in OUTCOME_LABELS if counts[kind]]
    if cancelled:
        head = translate("Dialogs", "Cancelled after %n messages.", None, total)
    else:
        head = translate("Dialogs", "%n messages imported.", None, total)
    separator = translate("Dialogs", "; ", "between import outcomes")
    return head + " " + separator.join(parts) + "."


class ImportMailDialog(QDialog):
    """Choose files and folders and an inbox; import; then see the outcome of each message."""

    def __init__(self, bridge: DeskBridge, paths: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportMailDialog")
        self.setWindowTitle(translate("Dialogs", "Import Mail"))
        self.bridge = bridge
        self.running = False
        self.outcomes: list[IngestOutcome] | None = None
        self._cancel = threading.Event()

        intro = QLabel(translate(
            "Dialogs", "Import .eml files, mbox mailboxes and Maildir folders. Replies join "
                       "their conversations; a message already received is not stored twice; "
                       "automatic replies and bounces open nothing; a message that cannot be "
                       "read is kept aside with the reason."), self)
        intro.setWordWrap(True)
        make_muted(intro)
        self.path_list = QListWidget(self)
        self.path_list.setObjectName("importPaths")
        self.path_list.setAccessibleName(translate("Dialogs", "Files and folders to import"))
        for path in paths:
            self.path_list.addItem(path)
        self.path_hint = EmptyHint(self.path_list, translate(
            "Dialogs", "Drop .eml or .mbox files or Maildir folders here, or add them with "
                       "the buttons below."))
        self.setAcceptDrops(True)
        self.add_files_button = QPushButton(translate("Dialogs", "Add &Files…"), self)
        self.add_files_button.clicked.connect(self._add_files)
        self.add_folder_button = QPushButton(translate("Dialogs", "Add F&older…"), self)
        self.add_folder_button.clicked.connect(self._add_folder)
        self.inbox_combo = QComboBox(self)
        self.inbox_combo.setObjectName("importInbox")
        self.inbox_combo.setAccessibleName(translate("Dialogs", "Inbox"))
        try:
            inboxes = bridge.desk.inboxes()
        except HelpDeskError:
            inboxes = []
        for inbox in sorted(inboxes, key=lambda i: (i.kind is not InboxKind.HELP_DESK, i.name)):
            self.inbox_combo.addItem(inbox.name, inbox.id)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("importStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results = QTreeWidget(self)
        self.results.setObjectName("importResults")
        self.results.setRootIsDecorated(False)
        self.results.setHeaderLabels([translate("Dialogs", "Message"),
                                      translate("Dialogs", "Outcome"),
                                      translate("Dialogs", "Ticket"),
                                      translate("Dialogs", "Reason")])
        self.results.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.results.hide()

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(translate("Dialogs", "&Import"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_clicked)

        add_row = QHBoxLayout()
        add_row.addWidget(self.add_files_button)
        add_row.addWidget(self.add_folder_button)
        add_row.addStretch(1)
        form = QFormLayout()
        inbox_label = QLabel(translate("Dialogs", "Into &inbox:"), self)
        inbox_label.setBuddy(self.inbox_combo)
        form.addRow(inbox_label, self.inbox_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.path_list, 1)
        layout.addLayout(add_row)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.results, 4)
        layout.addWidget(self.buttons)
        self.resize(640, 460)
        self._update_state()

    def paths(self) -> list[str]:
        return [self.path_list.item(i).text() for i in range(self.path_list.count())]

    def _add_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self, translate("Dialogs", "Choose Mail Files"), "", translate("Dialogs",
                                                                            MAIL_FILTER))
        for file in files:
            self.path_list.addItem(file)
        self._update_state()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.running and self.outcomes is None and dropped_paths(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        if self.running or self.outcomes is not None or not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        known = set(self.paths())
        for path in paths:
            if path not in known:
                self.path_list.addItem(path)
        self._update_state()

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("Dialogs",
                                                                  "Choose a Mail Folder"))
        if folder:
            self.path_list.addItem(folder)
        self._update_state()

    def _update_state(self) -> None:
        done = self.outcomes is not None
        self.import_button.setVisible(not done)
        self.import_button.setEnabled(not self.running and bool(self.paths())
                                      and self.inbox_combo.count() > 0)
        for widget in (self.add_files_button, self.add_folder_button, self.inbox_combo,
                       self.path_list):
            widget.setEnabled(not self.running and not done)
        if not self.running:
            self.cancel_button.setEnabled(True)
        self.cancel_button.setText(translate("Dialogs", "Close") if done
                                   else translate("Dialogs", "Cancel"))

    # -- running ----------------------------------------------------------------------------

    def start(self) -> None:
        """Import in the background; progress per message; Cancel stops between messages
        (what was imported stays)."""
        paths = self.paths()
        inbox_id = self.inbox_combo.currentData()
        if self.running or not paths or inbox_id is None:
            return
        self.running = True
        self._cancel.clear()
        self.progress_bar.setRange(0, 0)  # counting first
        self.progress_bar.show()
        self.status_label.setText(translate("Dialogs", "Reading the mail files…"))
        self._update_state()
        cancel = self._cancel

        def work(desk: Desk, progress: ProgressCallback) -> list[IngestOutcome]:
            return desk.import_mail(paths, int(inbox_id), progress=progress,
                                    cancelled=cancel.is_set)

        self.bridge.run(work, on_done=self._finished, on_error=self._failed,
                        on_progress=self._progress, owner=self)

    def _progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)
        self.status_label.setText(translate("Dialogs", "{0} of {1} messages…")
                                  .replace("{0}", str(done)).replace("{1}", str(total)))

    def _finished(self, outcomes: list[IngestOutcome]) -> None:
        self.running = False
        self.outcomes = outcomes
        cancelled = self._cancel.is_set()
        self.progress_bar.hide()
        self.status_label.setText(summary_text(outcomes, cancelled))
        for outcome in outcomes:
            item = QTreeWidgetItem([
                Path(outcome.source).name or outcome.source,
                translate("Dialogs", OUTCOME_LABELS[outcome.outcome]),
                f"#{outcome.ticket_id}" if outcome.ticket_id is not None else "",
                outcome.reason_text])
            item.setToolTip(0, outcome.source)
            item.setToolTip(3, outcome.reason_text)
            self.results.addTopLevelItem(item)
        self.results.setVisible(bool(outcomes))
        self.path_list.setMaximumHeight(70)  # the results take the room now
        for column in range(3):
            self.results.resizeColumnToContents(column)
        self._update_state()

    def _failed(self, message: str) -> None:
        self.running = False
        self.progress_bar.hide()
        self.status_label.setText(message)
        self._update_state()

    def _cancel_clicked(self) -> None:
        if self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(translate("Dialogs", "Cancelling after this message…"))
            return
        self.accept() if self.outcomes is not None else self.reject()

    def reject(self) -> None:
        if self.running:  # Escape while importing cancels instead of leaving it running
            self._cancel_clicked()
            return
        super().reject()

    @classmethod
    def open_for(cls, parent: QWidget, bridge: DeskBridge,
                 paths: Sequence[str | Path] = ()) -> ImportMailDialog:
        """Show the dialog (non-modal to the rest of the program) with ``paths`` chosen."""
        dialog = cls(bridge, [str(p) for p in paths], parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog
