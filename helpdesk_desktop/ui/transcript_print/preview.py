"""The print preview of a ticket's transcript (Print there opens the system's print dialog)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.transcripts import Transcript, TranscriptOptions, load_transcript
from helpdesk_desktop.ui.transcript_print.export import export_pdf
from helpdesk_desktop.ui.transcript_print.labels import missing_warning, qt_labels
from helpdesk_desktop.ui.transcript_print.options import (
    OptionsBox,
    load_options,
    load_paper,
    save_options,
    save_paper,
)
from helpdesk_desktop.ui.transcript_print.page_view import PreviewDialog
from helpdesk_desktop.ui.transcript_print.rendering import (
    TranscriptDocument,
    default_page_layout,
    warm_up_fonts,
)
from helpdesk_desktop.ui.transcript_print.tasks import (
    RUNNING,
    TranscriptTask,
    as_desk,
    show_warning,
)

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


class TranscriptPreview(QObject):
    """One print preview of one ticket's transcript: builds it in the background, shows the
    preview as soon as the first page is laid out, then the rest once laid out (off the UI
    thread); rebuilds when an option or the paper changes. Pages are painted only when seen;
    Print sends them to the printer from a worker thread, with progress."""

    ready = Signal()  # the dialog is showing
    completed = Signal()  # every page is laid out and shown
    failed = Signal(str)
    _first_pages = Signal(object)  # TranscriptDocument of the first messages, from the worker

    FIRST_MESSAGES = 6  # laid out first, to show the first page at once

    def __init__(self, parent: QWidget | None, desk: Desk, ticket_id: int,
                 conversation_id: int | None, settings: QSettings) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.desk = desk
        self.ticket_id = ticket_id
        self.conversation_id = conversation_id
        self.settings = settings
        self.options = load_options(settings)
        self.paper = load_paper(settings)
        self.labels = qt_labels()
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setPageLayout(default_page_layout(self.paper))
        self.document: TranscriptDocument | None = None
        self.complete = False
        self.dialog: PreviewDialog | None = None
        self.options_box: OptionsBox | None = None
        self.warning: QLabel | None = None
        self.task: TranscriptTask | None = None
        self._first_shown = threading.Event()  # the first page is on screen: layout goes on
        self._first_pages.connect(self._show_first_pages)
        RUNNING.add(self)

    def start(self) -> None:
        desk, options, labels, paper = self.desk, self.options, self.labels, self.paper
        ticket_id, conversation_id = self.ticket_id, self.conversation_id
        first_pages = self._first_pages
        self.complete = False
        self._first_shown = shown = threading.Event()
        first = self.FIRST_MESSAGES
        # The start of the ticket is read on its own (a few rows) unless the conversation to
        # print is "the latest one", which only the whole ticket tells.
        head_first = options.all_conversations or conversation_id is not None

        def work(progress: Callable[[int, int], None]) -> TranscriptDocument:
            if head_first:
                head = load_transcript(desk, ticket_id, options, conversation_id,
                                       labels=labels, first_messages=first)
                if len(head.messages) >= first:
                    first_pages.emit(TranscriptDocument(_first_messages(head, first), paper,
                                                        complete=False))
                    # Python work here would hold the GIL against the UI thread's painting:
                    # wait until the first page is on screen (or a second at most).
                    shown.wait(1.0)
            transcript = load_transcript(desk, ticket_id, options, conversation_id,
                                         labels=labels)
            if not head_first and len(transcript.messages) > first:
                first_pages.emit(TranscriptDocument(_first_messages(transcript, first), paper,
                                                    complete=False))
            return TranscriptDocument(transcript, paper, progress)

        label = translate("TranscriptPrint", "Preparing the transcript…")
        self.task = TranscriptTask(self.dialog or self.parent_widget, label, work, self._built,
                                   self._failed)

    def _show_first_pages(self, document: TranscriptDocument) -> None:
        if self.dialog is not None or self.task is None or self.task.finished:
            self._first_shown.set()
            return  # a rebuild keeps showing the old pages until the new ones are complete
        self.document = document
        self.task.progress.hide()
        self._open_dialog()
        assert self.dialog is not None
        # Never painted (a hidden or minimized window): the worker goes on after a second.
        self.dialog.view.canvas.painted.connect(self._first_shown.set)
        self.ready.emit()

    def _built(self, document: TranscriptDocument) -> None:
        self.document = document
        self.complete = True
        if self.dialog is None:
            self._open_dialog()
            self.ready.emit()
        else:
            self.dialog.set_pages(document.pages, True)
            self.dialog.setEnabled(True)
        self._show_warning(document)
        self.completed.emit()

    def _show_warning(self, document: TranscriptDocument) -> None:
        if self.dialog is not None:
            text = missing_warning(document.pages.missing)
            self.dialog.warning.setText(text)
            self.dialog.warning.setVisible(bool(text))

    def _failed(self, message: str) -> None:
        if self.dialog is not None:
            self.dialog.setEnabled(True)
            if self.document is not None and self.options_box is not None:
                # The rebuild was cancelled or refused: show the options the pages were made with.
                self.options = self.document.transcript.options
                self.options_box.set_options(self.options)
                save_options(self.settings, self.options)
        if message:
            show_warning(self.parent_widget, translate(
                "TranscriptPrint", "Print conversation"), message)
        self.failed.emit(message)

    def _open_dialog(self) -> None:
        assert self.document is not None
        dialog = PreviewDialog(self.parent_widget, translate(
            "TranscriptPrint", "Print conversation — {0}").replace(
                "{0}", self.document.transcript.title))
        self.options_box = OptionsBox(self.options, self.document.transcript.ticket_conversations,
                                      dialog, paper=self.paper)
        self.options_box.changed.connect(self._options_changed)
        self.options_box.paper_changed.connect(self._paper_changed)
        self.warning = dialog.warning
        self.export_button = QPushButton(translate("TranscriptPrint", "Export as PDF…"), dialog)
        self.export_button.clicked.connect(self._export)
        self.print_button = QPushButton(translate("TranscriptPrint", "Print…"), dialog)
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_button.clicked.connect(self._print)
        self.export_button.setAutoDefault(False)
        self.print_button.setDefault(True)
        dialog.top.addWidget(self.options_box)
        dialog.top.addStretch(1)
        dialog.top.addWidget(self.export_button)
        dialog.top.addWidget(self.print_button)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.resize(1000, 800)
        dialog.layout().activate()  # the page view gets its size now: fit the width once
        dialog.set_pages(self.document.pages, self.complete)
        if self.complete:
            self._show_warning(self.document)
        dialog.open()

    def _print(self) -> None:
        """Asks for the printer, then prints every page from a worker thread."""
        if self.document is None or self.dialog is None or not self.complete:
            return
        printer = self.printer
        printer.setPageLayout(default_page_layout(self.document.paper))
        chooser = QPrintDialog(printer, self.dialog)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        document = self.document

        def work(progress: Callable[[int, int], None]) -> int:
            document.paint(printer, progress)
            return document.page_count

        self.print_task = TranscriptTask(self.dialog, translate("TranscriptPrint", "Printing…"),
                                         work, lambda _pages: None, self._print_failed)

    def _print_failed(self, message: str) -> None:
        if message:
            show_warning(self.dialog, translate("TranscriptPrint", "Print conversation"),
                         message)

    def _options_changed(self, options: TranscriptOptions) -> None:
        self.options = options
        save_options(self.settings, options)
        self._rebuild()

    def _paper_changed(self, paper: str) -> None:
        self.paper = paper
        save_paper(self.settings, paper)
        self.printer.setPageLayout(default_page_layout(paper))
        self._rebuild()

    def _rebuild(self) -> None:
        if self.task is not None and not self.task.finished:
            self.task.worker.cancelled = True
        if self.dialog is not None:
            self.dialog.setEnabled(False)
        self.start()

    def _export(self) -> None:
        export_pdf(self.dialog, self.desk, self.ticket_id, self.conversation_id,
                   options=self.options, settings=self.settings, paper=self.paper)

    def _closed(self, _result: int) -> None:
        self.dialog = None
        if self.task is not None and not self.task.finished:
            self.task.worker.cancelled = True  # the rest of the layout is not needed any more
        RUNNING.discard(self)


def _first_messages(transcript: Transcript, count: int) -> Transcript:
    """The transcript cut after its first ``count`` messages (to show the first page early)."""
    conversations = []
    left = count
    for conversation in transcript.conversations:
        if left <= 0:
            break
        conversations.append(dataclasses.replace(conversation,
                                                 messages=conversation.messages[:left]))
        left -= len(conversation.messages)
    return dataclasses.replace(transcript, conversations=tuple(conversations), events=())


def print_preview(parent: QWidget | None, desk: Any, ticket_id: int,
                  conversation_id: int | None = None, *,
                  settings: QSettings | None = None) -> TranscriptPreview:
    """Opens Qt's print preview of the ticket's transcript (Print there opens the system's
    print dialog). Returns at once; the preview's ``ready`` fires when the dialog shows."""
    # The fonts load (a few MB, parsed once) while the ticket is read on the worker thread.
    threading.Thread(target=warm_up_fonts, name="transcript-fonts", daemon=True).start()
    preview = TranscriptPreview(parent, as_desk(desk), ticket_id, conversation_id,
                                settings or QSettings())
    preview.start()
    return preview
