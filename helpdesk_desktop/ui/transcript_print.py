"""Printing a conversation: Qt's native print preview, and export as PDF.

Both start from the same transcript model (:mod:`helpdesk_desktop.transcripts`). The preview lays
the transcript out in a ``QTextDocument``; the export writes it with ReportLab. The slow part —
reading the ticket, building the transcript, laying out (or writing) hundreds of pages — runs on
a worker thread behind a ``QProgressDialog``, so the window never freezes.

Entry points (wired to ``action.print`` and ``action.export_pdf`` by the main window):
:func:`print_preview` and :func:`export_pdf`.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QMarginsF,
    QObject,
    QRectF,
    QRunnable,
    QSettings,
    QSizeF,
    Qt,
    QThread,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QFont, QFontDatabase, QImage, QPageLayout, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.application.safe_files import write_atomically
from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.transcripts import (
    Labels,
    Transcript,
    TranscriptOptions,
    load_transcript,
    suggested_file_name,
)
from helpdesk_desktop.transcripts.fonts import family_list, font_files
from helpdesk_desktop.transcripts.html import transcript_html
from helpdesk_desktop.transcripts.pdf import write_pdf

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

log = logging.getLogger(__name__)
SETTINGS_GROUP = "transcripts"
LAYOUT_DPI = 300  # the preview lays text out at this resolution and scales it to the printer
FOOTER_HEIGHT_PT = 16.0
# Previews and exports in progress, kept alive even when the caller drops the returned object.
_RUNNING: set[QObject] = set()



# -- fonts, words, settings ------------------------------------------------------------------

@functools.cache
def register_qt_fonts() -> tuple[str, ...]:
    """Registers the bundled fonts with Qt once, so the preview prints every script."""
    families: list[str] = []
    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(families)


def qt_labels() -> Labels:
    """The transcript's words, translated."""
    return Labels(
        ticket=translate("TranscriptPrint", "Ticket"),
        customer=translate("TranscriptPrint", "Customer"),
        company=translate("TranscriptPrint", "Company"),
        status=translate("TranscriptPrint", "Status"),
        printed=translate("TranscriptPrint", "Printed"),
        time_zone=translate("TranscriptPrint", "Times in"),
        conversation=translate("TranscriptPrint", "Conversation"),
        from_=translate("TranscriptPrint", "From"),
        to=translate("TranscriptPrint", "To"),
        cc=translate("TranscriptPrint", "Cc"),
        date=translate("TranscriptPrint", "Date"),
        subject=translate("TranscriptPrint", "Subject"),
        attachments=translate("TranscriptPrint", "Attachments"),
        internal=translate("TranscriptPrint", "INTERNAL — not seen by the customer"),
        page=translate("TranscriptPrint", "page {page} of {pages}"),
        no_messages=translate("TranscriptPrint", "No messages."),
        email_mask=translate("TranscriptPrint", "[e-mail hidden]"),
        phone_mask=translate("TranscriptPrint", "[phone hidden]"),
        kinds={MessageKind.EMAIL: translate("TranscriptPrint", "Customer e-mail"),
               MessageKind.REPLY: translate("TranscriptPrint", "Agent reply"),
               MessageKind.CHAT: translate("TranscriptPrint", "Chat message"),
               MessageKind.NOTE: translate("TranscriptPrint", "Internal note"),
               MessageKind.COMMENT: translate("TranscriptPrint", "Internal comment")},
        size_units=(translate("TranscriptPrint", "bytes"), translate("TranscriptPrint", "KB"),
                    translate("TranscriptPrint", "MB"), translate("TranscriptPrint", "GB")),
    )


def load_options(settings: QSettings) -> TranscriptOptions:
    settings.beginGroup(SETTINGS_GROUP)
    try:
        return TranscriptOptions.from_dict({k: settings.value(k) for k in settings.childKeys()})
    finally:
        settings.endGroup()


def save_options(settings: QSettings, options: TranscriptOptions) -> None:
    settings.beginGroup(SETTINGS_GROUP)
    for key, value in options.to_dict().items():
        settings.setValue(key, value)
    settings.endGroup()


def _last_folder(settings: QSettings) -> str:
    folder = str(settings.value(f"{SETTINGS_GROUP}/last_folder", "") or "")
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def show_warning(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """A warning that does not block (the caller's code and tests go on)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _as_desk(desk: Any) -> Desk:
    # Accept the facade itself or the UI's DeskBridge (which holds the current facade).
    return desk if isinstance(desk, Desk) else desk.desk


# -- background work -------------------------------------------------------------------------

class Cancelled(Exception):
    """Raised inside the worker when the user pressed Cancel."""


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)


class _Worker(QRunnable):
    """Runs ``work(progress)`` on the thread pool; reports on the UI thread through signals."""

    def __init__(self, work: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.cancelled = False
        self.setAutoDelete(False)

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled:
            raise Cancelled
        self.signals.progress.emit(done, total)

    def run(self) -> None:
        try:
            result = self.work(self._progress)
        except Cancelled:
            self.signals.failed.emit("")
        except HelpDeskError as exc:
            self.signals.failed.emit(str(exc))
        except OSError as exc:
            message = translate("TranscriptPrint", "The file could not be written: {0}")
            self.signals.failed.emit(message.replace("{0}", exc.strerror or str(exc)))
        except Exception as exc:  # noqa: BLE001 - shown as one sentence, never a traceback
            log.error("Transcript job failed:\n%s", traceback.format_exc())
            message = translate("TranscriptPrint", "The transcript could not be made ({0}).")
            self.signals.failed.emit(message.replace("{0}", type(exc).__name__))
        else:
            self.signals.done.emit(result)


class _Task(QObject):
    """A worker plus its progress dialog; calls back on the UI thread."""

    def __init__(self, parent: QWidget | None, label: str,
                 work: Callable[[Callable[[int, int], None]], Any],
                 on_done: Callable[[Any], None], on_failed: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.worker = _Worker(work)
        self.progress = QProgressDialog(label, translate("TranscriptPrint", "Cancel"), 0, 0, parent)
        self.progress.setWindowTitle(translate("TranscriptPrint", "Transcript"))
        self.progress.setMinimumDuration(300)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.canceled.connect(self._cancel)
        self.worker.signals.progress.connect(self._advance)
        self.worker.signals.done.connect(lambda result: self._finish(on_done, result))
        self.worker.signals.failed.connect(lambda message: self._finish(on_failed, message))
        self.finished = False
        QThreadPool.globalInstance().start(self.worker)

    def _cancel(self) -> None:
        self.worker.cancelled = True

    def _advance(self, done: int, total: int) -> None:
        if self.progress.maximum() != total:
            self.progress.setMaximum(total)
        self.progress.setValue(min(done, total))

    def _finish(self, callback: Callable[[Any], None], value: Any) -> None:
        self.finished = True
        self.progress.reset()
        self.progress.hide()
        callback(value)


# -- the preview document --------------------------------------------------------------------

class TranscriptDocument:
    """A transcript laid out in pages of a given page layout, ready to paint on a printer.

    Built on a worker thread (a ``QTextDocument`` is reentrant), then handed to the UI thread.
    Text is laid out against a 300 dpi image so that page breaks do not depend on the screen,
    and scaled to the printer's resolution when painted.
    """

    def __init__(self, transcript: Transcript, page_layout: QPageLayout) -> None:
        register_qt_fonts()
        self.transcript = transcript
        self._device = QImage(8, 8, QImage.Format.Format_RGB32)
        dots_per_metre = round(LAYOUT_DPI / 0.0254)
        self._device.setDotsPerMeterX(dots_per_metre)
        self._device.setDotsPerMeterY(dots_per_metre)
        paint = page_layout.paintRect(QPageLayout.Unit.Point)
        self.paint_rect = paint
        scale = LAYOUT_DPI / 72.0
        self.page_width = paint.width() * scale
        self.page_height = (paint.height() - FOOTER_HEIGHT_PT) * scale
        self.document = QTextDocument()
        self.document.documentLayout().setPaintDevice(self._device)
        font = QFont("Noto Sans", 10)
        font.setFamilies(family_list())
        self.document.setDefaultFont(font)
        self.document.setDocumentMargin(0)
        self.document.setHtml(transcript_html(transcript))
        self.document.setPageSize(QSizeF(self.page_width, self.page_height))
        self.page_count = self.document.pageCount()  # forces the layout here, off the UI thread

    def fits(self, page_layout: QPageLayout) -> bool:
        """Whether this layout was made for pages of ``page_layout``'s printable size."""
        return page_layout.paintRect(QPageLayout.Unit.Point) == self.paint_rect

    def move_to(self, thread: QThread) -> None:
        self.document.moveToThread(thread)

    def paint(self, printer: QPrinter) -> None:
        """Paints every page, with "page X of Y" at the foot (QPrintPreviewDialog's
        ``paintRequested``, or a real print)."""
        painter = QPainter(printer)
        try:
            scale = printer.resolution() / LAYOUT_DPI
            footer_font = QFont("Noto Sans", 8)
            footer_font.setFamilies(family_list())
            labels = self.transcript.labels
            paint = printer.pageLayout().paintRectPixels(printer.resolution())
            for index in range(self.page_count):
                if index:
                    printer.newPage()
                painter.save()
                painter.scale(scale, scale)
                painter.translate(0, -index * self.page_height)
                self.document.drawContents(painter, QRectF(0, index * self.page_height,
                                                           self.page_width, self.page_height))
                painter.restore()
                painter.setFont(footer_font)
                painter.setPen(Qt.GlobalColor.darkGray)
                foot = QRectF(0, paint.height() - FOOTER_HEIGHT_PT / 72 * printer.resolution(),
                              paint.width(), FOOTER_HEIGHT_PT / 72 * printer.resolution())
                painter.drawText(foot, int(Qt.AlignmentFlag.AlignLeft
                                           | Qt.AlignmentFlag.AlignBottom),
                                 self.transcript.title)
                painter.drawText(foot, int(Qt.AlignmentFlag.AlignRight
                                           | Qt.AlignmentFlag.AlignBottom),
                                 labels.page.format(page=index + 1, pages=self.page_count))
        finally:
            painter.end()


def default_page_layout() -> QPageLayout:
    """The page layout of the system's default printer (A4 with 15 mm margins without one)."""
    layout = QPrinter().pageLayout()
    layout.setUnits(QPageLayout.Unit.Millimeter)
    layout.setMargins(QMarginsF(15, 15, 15, 15))
    return layout


# -- options widgets -------------------------------------------------------------------------

class OptionsBox(QWidget):
    """The transcript options as widgets (in the preview's tool bar and the export dialog)."""

    changed = Signal(object)  # TranscriptOptions

    def __init__(self, options: TranscriptOptions, conversations: int,
                 parent: QWidget | None = None, *, vertical: bool = False) -> None:
        super().__init__(parent)
        self.scope = QComboBox(self)
        self.scope.addItem(translate("TranscriptPrint", "This conversation"), False)
        all_text = translate("TranscriptPrint", "All conversations ({0})")
        self.scope.addItem(all_text.replace("{0}", str(conversations)), True)
        self.scope.setCurrentIndex(1 if options.all_conversations else 0)
        self.scope.setEnabled(conversations > 1)
        self.scope.setToolTip(translate(
            "TranscriptPrint", "Print the current conversation, or every conversation of "
                               "a merged ticket"))
        self.notes = QCheckBox(translate("TranscriptPrint", "Include internal notes"), self)
        self.notes.setChecked(options.include_notes)
        self.mask = QCheckBox(
            translate("TranscriptPrint", "Hide third parties' e-mail addresses and phone numbers"),
            self)
        self.mask.setChecked(options.mask_contacts)
        layout = QBoxLayout(QBoxLayout.Direction.TopToBottom if vertical
                            else QBoxLayout.Direction.LeftToRight, self)
        layout.setContentsMargins(6 if not vertical else 0, 0, 0, 0)
        for widget in (self.scope, self.notes, self.mask):
            layout.addWidget(widget)
        self.scope.currentIndexChanged.connect(self._emit)
        self.notes.toggled.connect(self._emit)
        self.mask.toggled.connect(self._emit)

    def set_options(self, options: TranscriptOptions) -> None:
        """Shows ``options`` without announcing a change."""
        for widget in (self.scope, self.notes, self.mask):
            widget.blockSignals(True)
        self.scope.setCurrentIndex(1 if options.all_conversations else 0)
        self.notes.setChecked(options.include_notes)
        self.mask.setChecked(options.mask_contacts)
        for widget in (self.scope, self.notes, self.mask):
            widget.blockSignals(False)

    def options(self) -> TranscriptOptions:
        return TranscriptOptions(all_conversations=bool(self.scope.currentData()),
                                 include_notes=self.notes.isChecked(),
                                 mask_contacts=self.mask.isChecked())

    def _emit(self, *_: Any) -> None:
        self.changed.emit(self.options())


# -- print preview ---------------------------------------------------------------------------

class TranscriptPreview(QObject):
    """One print preview of one ticket's transcript: builds it in the background, shows the
    native preview, rebuilds when an option changes."""

    ready = Signal()  # the dialog is showing
    failed = Signal(str)

    def __init__(self, parent: QWidget | None, desk: Desk, ticket_id: int,
                 conversation_id: int | None, settings: QSettings) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.desk = desk
        self.ticket_id = ticket_id
        self.conversation_id = conversation_id
        self.settings = settings
        self.options = load_options(settings)
        self.labels = qt_labels()
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setPageLayout(default_page_layout())
        self.document: TranscriptDocument | None = None
        self.dialog: QPrintPreviewDialog | None = None
        self.options_box: OptionsBox | None = None
        self.task: _Task | None = None
        register_qt_fonts()
        _RUNNING.add(self)

    def start(self) -> None:
        desk, options, labels = self.desk, self.options, self.labels
        ticket_id, conversation_id = self.ticket_id, self.conversation_id
        layout = QPageLayout(self.printer.pageLayout())
        main_thread = QCoreApplication.instance().thread()  # type: ignore[union-attr]

        def work(progress: Callable[[int, int], None]) -> TranscriptDocument:
            transcript = load_transcript(desk, ticket_id, options, conversation_id,
                                         labels=labels, progress=progress)
            document = TranscriptDocument(transcript, layout)
            document.move_to(main_thread)
            return document

        label = translate("TranscriptPrint", "Preparing the transcript…")
        self.task = _Task(self.dialog or self.parent_widget, label, work, self._built,
                          self._failed)

    def _built(self, document: TranscriptDocument) -> None:
        self.document = document
        if self.dialog is None:
            self._open_dialog()
        else:
            preview = self.dialog.findChild(QPrintPreviewWidget)
            if preview is not None:
                preview.updatePreview()
            self.dialog.setEnabled(True)
        self.ready.emit()

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
        dialog = QPrintPreviewDialog(self.printer, self.parent_widget)
        dialog.setWindowTitle(translate("TranscriptPrint", "Print conversation — {0}")
                              .replace("{0}", self.document.transcript.title))
        dialog.paintRequested.connect(self._paint)
        # The options get a row of their own above Qt's tool bar, which is full already.
        row = QWidget(dialog)
        self.options_box = OptionsBox(self.options, self.document.transcript.ticket_conversations,
                                      row)
        self.options_box.changed.connect(self._options_changed)
        self.export_button = QPushButton(translate("TranscriptPrint", "Export as PDF…"), row)
        self.export_button.clicked.connect(self._export)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(4, 4, 4, 0)
        row_layout.addWidget(self.options_box)
        row_layout.addStretch(1)
        row_layout.addWidget(self.export_button)
        layout = dialog.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, row)
        else:  # not how Qt builds it today; keep the options reachable anyway
            toolbar = dialog.findChild(QToolBar)
            if toolbar is not None:
                toolbar.addWidget(row)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.resize(1000, 800)
        dialog.open()

    def _paint(self, printer: QPrinter) -> None:
        if self.document is None:
            return
        if not self.document.fits(printer.pageLayout()):
            # The user changed paper or orientation: lay out again for it (here, as the
            # preview is waiting for the pages).
            self.document = TranscriptDocument(self.document.transcript, printer.pageLayout())
        self.document.paint(printer)

    def _options_changed(self, options: TranscriptOptions) -> None:
        self.options = options
        save_options(self.settings, options)
        if self.dialog is not None:
            self.dialog.setEnabled(False)
        self.start()

    def _export(self) -> None:
        export_pdf(self.dialog, self.desk, self.ticket_id, self.conversation_id,
                   options=self.options, settings=self.settings)

    def _closed(self, _result: int) -> None:
        self.dialog = None
        _RUNNING.discard(self)


def print_preview(parent: QWidget | None, desk: Any, ticket_id: int,
                  conversation_id: int | None = None, *,
                  settings: QSettings | None = None) -> TranscriptPreview:
    """Opens Qt's print preview of the ticket's transcript (Print there opens the system's
    print dialog). Returns at once; the preview's ``ready`` fires when the dialog shows."""
    preview = TranscriptPreview(parent, _as_desk(desk), ticket_id, conversation_id,
                                settings or QSettings())
    preview.start()
    return preview


# -- export as PDF ---------------------------------------------------------------------------

class ExportOptionsDialog(QDialog):
    """Asks what the exported PDF holds."""

    def __init__(self, options: TranscriptOptions, conversations: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("TranscriptPrint", "Export conversation as PDF"))
        self.box = OptionsBox(options, conversations, self, vertical=True)
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
    def ask(cls, parent: QWidget | None, options: TranscriptOptions,
            conversations: int) -> TranscriptOptions | None:
        dialog = cls(options, conversations, parent)
        return dialog.box.options() if dialog.exec() == QDialog.DialogCode.Accepted else None


class PdfExport(QObject):
    """One PDF export running in the background."""

    done = Signal(str)  # the path written
    failed = Signal(str)

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.task: _Task | None = None
        self.pages = 0
        _RUNNING.add(self)

    def start(self, desk: Desk, ticket_id: int, conversation_id: int | None,
              options: TranscriptOptions, path: Path) -> None:
        labels = qt_labels()

        def work(progress: Callable[[int, int], None]) -> int:
            def build_progress(done: int, total: int) -> None:
                progress(done, total * 10)  # building is ~a tenth of the work

            transcript = load_transcript(desk, ticket_id, options, conversation_id,
                                         labels=labels, progress=build_progress)
            total = max(1, len(transcript.messages))

            def write_progress(done: int, all_: int) -> None:
                progress(total + done * 9 * total // max(1, all_), total * 10)

            # A temporary file renamed into place; the save dialog has already asked before
            # replacing an existing file. A symbolic link is refused, never written through.
            return write_atomically(
                path, lambda out: write_pdf(transcript, out, progress=write_progress),
                overwrite=True)

        def finished(pages: int) -> None:
            _RUNNING.discard(self)
            self.pages = pages
            self.done.emit(str(path))

        def failed(message: str) -> None:
            _RUNNING.discard(self)
            if message:
                show_warning(self.parent_widget, translate(
                    "TranscriptPrint", "Export conversation as PDF"), message)
            self.failed.emit(message)

        self.task = _Task(self.parent_widget, translate(
            "TranscriptPrint", "Writing the PDF…"), work, finished, failed)


def export_pdf(parent: QWidget | None, desk: Any, ticket_id: int,
               conversation_id: int | None = None, *, options: TranscriptOptions | None = None,
               path: str | Path | None = None,
               settings: QSettings | None = None) -> PdfExport | None:
    """Exports the ticket's transcript as a PDF written with ReportLab.

    Asks for the options (unless given) and for the file (unless ``path`` is given), starting in
    the last folder used and offering a name made of the ticket's number and name. Returns the
    running export, or ``None`` when the user cancelled.
    """
    facade = _as_desk(desk)
    settings = settings or QSettings()
    try:  # the ticket may be gone or out of sight by now: one sentence, not a traceback
        conversations = len(facade.ticket(ticket_id).conversations) if options is None else 0
        rows = facade.rows([ticket_id]) if path is None else {}
    except HelpDeskError as exc:
        show_warning(parent, translate("TranscriptPrint", "Export conversation as PDF"), str(exc))
        return None
    if options is None:
        options = ExportOptionsDialog.ask(parent, load_options(settings), conversations)
        if options is None:
            return None
    save_options(settings, options)
    if path is None:
        name = rows[ticket_id].name if ticket_id in rows else ""
        start = str(Path(_last_folder(settings)) / suggested_file_name(ticket_id, name))
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
    export.start(facade, ticket_id, conversation_id, options, target)
    return export
