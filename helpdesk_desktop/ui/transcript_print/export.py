"""Export of a ticket's transcript as a PDF written with ReportLab, in the background: the
ticket read through the facade in a job, the PDF laid out and written by a worker process
(:mod:`.worker_process`), so that ReportLab, the fonts and the locale data never load into
the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QVBoxLayout, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.domain.i18n import current_language
from helpdesk_desktop.transcripts import TranscriptOptions, suggested_file_name
from helpdesk_desktop.transcripts.options import ExportRequest
from helpdesk_desktop.ui.transcript_print.labels import missing_warning, qt_labels
from helpdesk_desktop.ui.transcript_print.options import (
    SETTINGS_GROUP,
    OptionsBox,
    last_folder,
    load_options,
    load_paper,
    save_options,
    save_paper,
)
from helpdesk_desktop.ui.transcript_print.tasks import (
    RUNNING,
    TranscriptTask,
    as_desk,
    show_warning,
)
from helpdesk_desktop.ui.transcript_print.worker_process import Worker, write_in_worker

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


class ExportOptionsDialog(QDialog):
    """Asks what the exported PDF holds."""

    def __init__(self, options: TranscriptOptions, conversations: int,
                 parent: QWidget | None = None, paper: str = "A4") -> None:
        super().__init__(parent)
        self.setObjectName("ExportOptionsDialog")
        self.setWindowTitle(translate("TranscriptPrint", "Export conversation as PDF"))
        self.box = OptionsBox(options, conversations, self, vertical=True, paper=paper)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate(
            "TranscriptPrint", "Choose file…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, options: TranscriptOptions, conversations: int,
            paper: str = "A4") -> tuple[TranscriptOptions, str] | None:
        """The chosen options and paper, or ``None`` when cancelled."""
        dialog = cls(options, conversations, parent, paper)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.box.options(), dialog.box.chosen_paper()


class PdfExport(QObject):
    """One PDF export running in the background."""

    done = Signal(str)  # the path written
    failed = Signal(str)

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.task: TranscriptTask | None = None
        self.pages = 0
        self.missing = 0  # characters no font has, printed as boxes
        RUNNING.add(self)

    def start(self, desk: Desk, ticket_id: int, conversation_id: int | None,
              options: TranscriptOptions, path: Path, paper: str = "A4",
              worker: Worker | None = None) -> None:
        """Writes the PDF in the background: the ticket read through the facade in a job,
        the transcript laid out and written by ``worker`` (or one started now)."""
        labels = qt_labels()
        language = current_language()

        def work(progress: Callable[[int, int], None]) -> tuple[int, int]:
            writer = worker or Worker()
            try:
                detail = desk.ticket(ticket_id)
                organisation, logo = desk.transcript_branding()
                request = ExportRequest(detail, desk.me(), desk.users(), organisation, logo,
                                        options, conversation_id, labels, paper, str(path),
                                        language)
            except BaseException:
                writer.discard()
                raise
            return write_in_worker(request, progress, writer)

        def finished(result: tuple[int, int]) -> None:
            RUNNING.discard(self)
            self.pages, self.missing = result
            if self.missing:
                show_warning(self.parent_widget, translate(
                    "TranscriptPrint", "Export conversation as PDF"),
                    missing_warning(self.missing))
            self.done.emit(str(path))

        def failed(message: str) -> None:
            RUNNING.discard(self)
            if message:
                show_warning(self.parent_widget, translate(
                    "TranscriptPrint", "Export conversation as PDF"), message)
            self.failed.emit(message)

        self.task = TranscriptTask(self.parent_widget, translate(
            "TranscriptPrint", "Writing the PDF…"), work, finished, failed)


def export_pdf(parent: QWidget | None, desk: Any, ticket_id: int,
               conversation_id: int | None = None, *, options: TranscriptOptions | None = None,
               path: str | Path | None = None, settings: QSettings | None = None,
               paper: str | None = None) -> PdfExport | None:
    """Exports the ticket's transcript as a PDF written with ReportLab.

    Asks for the options (unless given) and for the file (unless ``path`` is given), starting in
    the last folder used and offering a name made of the ticket's number and name. Returns the
    running export, or ``None`` when the user cancelled.
    """
    facade = as_desk(desk)
    worker = Worker()  # its imports overlap the dialogs below
    try:
        export = _ask_and_start(parent, facade, ticket_id, conversation_id, options, path,
                                settings, paper, worker)
    except BaseException:
        worker.discard()
        raise
    if export is None:
        worker.discard()
    return export


def _ask_and_start(parent: QWidget | None, facade: Desk, ticket_id: int,
                   conversation_id: int | None, options: TranscriptOptions | None,
                   path: str | Path | None, settings: QSettings | None, paper: str | None,
                   worker: Worker) -> PdfExport | None:
    settings = settings or QSettings()
    try:  # the ticket may be gone or out of sight by now: one sentence, not a traceback
        conversations = len(facade.ticket(ticket_id).conversations) if options is None else 0
        rows = facade.rows([ticket_id]) if path is None else {}
    except HelpDeskError as exc:
        show_warning(parent, translate("TranscriptPrint", "Export conversation as PDF"), str(exc))
        return None
    paper = paper or load_paper(settings)
    if options is None:
        chosen_options = ExportOptionsDialog.ask(parent, load_options(settings), conversations,
                                                 paper)
        if chosen_options is None:
            return None
        options, paper = chosen_options
        save_paper(settings, paper)
    save_options(settings, options)
    if path is None:
        name = rows[ticket_id].name if ticket_id in rows else ""
        start = str(Path(last_folder(settings)) / suggested_file_name(ticket_id, name))
        chosen, _ = QFileDialog.getSaveFileName(parent, translate(
            "TranscriptPrint", "Export conversation as PDF"),
                                                start, translate(
                                                    "TranscriptPrint", "PDF documents (*.pdf)"))
        if not chosen:
            return None
        path = chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"
    target = Path(path)
    settings.setValue(f"{SETTINGS_GROUP}/last_folder", str(target.parent))
    export = PdfExport(parent)
    export.start(facade, ticket_id, conversation_id, options, target, paper, worker)
    return export
