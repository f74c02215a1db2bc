"""Printing a conversation: Qt's native print preview, and export as PDF.

Both start from the same transcript model (:mod:`helpdesk_desktop.transcripts`). The preview lays
the transcript out in a ``QTextDocument``; the export writes it with ReportLab. The slow part —
reading the ticket, building the transcript, laying out (or writing) hundreds of pages — runs on
a worker thread behind a ``QProgressDialog``, so the window never freezes.

Entry points (wired to ``action.print`` and ``action.export_pdf`` by the main window):
:func:`print_preview` and :func:`export_pdf`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QLocale,
    QMarginsF,
    QObject,
    QPointF,
    QRectF,
    QSettings,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QGlyphRun,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPalette,
    QRawFont,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
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
from helpdesk_desktop.transcripts.fonts import face, faces, has_uncovered
from helpdesk_desktop.transcripts.pages import PAPER_SIZES, Pages, default_paper, typeset
from helpdesk_desktop.transcripts.pdf import write_pages
from helpdesk_desktop.ui.jobs import Job

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

log = logging.getLogger(__name__)
SETTINGS_GROUP = "transcripts"
# Previews and exports in progress, kept alive even when the caller drops the returned object.
_RUNNING: set[QObject] = set()



# -- fonts, words, settings ------------------------------------------------------------------

def qt_labels() -> Labels:
    """The transcript's words, translated."""
    return Labels(
        ticket=translate("TranscriptPrint", "Ticket"),
        customer=translate("TranscriptPrint", "Customer"),
        company=translate("TranscriptPrint", "Company"),
        status=translate("TranscriptPrint", "Status"),
        priority=translate("TranscriptPrint", "Priority"),
        owner=translate("TranscriptPrint", "Owner"),
        category=translate("TranscriptPrint", "Category"),
        pipeline=translate("TranscriptPrint", "Pipeline"),
        created=translate("TranscriptPrint", "Created"),
        phone=translate("TranscriptPrint", "Phone"),
        printed=translate("TranscriptPrint", "Printed"),
        printed_by=translate("TranscriptPrint", "Printed by {agent} on {date}"),
        time_zone=translate("TranscriptPrint", "Times in"),
        origin=translate("TranscriptPrint", "from #{ticket}"),
        sent=translate("TranscriptPrint", "sent"),
        received=translate("TranscriptPrint", "received"),
        events=translate("TranscriptPrint", "Activity"),
        unassigned=translate("TranscriptPrint", "Unassigned"),
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
        priorities={"low": translate("TranscriptPrint", "Low"),
                    "medium": translate("TranscriptPrint", "Medium"),
                    "high": translate("TranscriptPrint", "High"),
                    "urgent": translate("TranscriptPrint", "Urgent")},
        categories={"product_issue": translate("TranscriptPrint", "Product issue"),
                    "billing_issue": translate("TranscriptPrint", "Billing issue"),
                    "feature_request": translate("TranscriptPrint", "Feature request"),
                    "general_inquiry": translate("TranscriptPrint", "General inquiry")},
        locale=QLocale().name(),
        colon=translate("TranscriptPrint", ": ", "between a label and its value"),
        number=translate("TranscriptPrint", "#{id}", "a ticket's number"),
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


def load_paper(settings: QSettings) -> str:
    """The paper last chosen ("A4" or "Letter"), else the locale's."""
    paper = str(settings.value(f"{SETTINGS_GROUP}/paper", "") or "")
    return paper if paper in PAPER_SIZES else default_paper()


def save_paper(settings: QSettings, paper: str) -> None:
    settings.setValue(f"{SETTINGS_GROUP}/paper", paper)


def missing_warning(count: int) -> str:
    """The one-line warning about characters no font has ("" when there are none)."""
    if not count:
        return ""
    return translate("TranscriptPrint", "%n characters could not be printed: no font has them "
                     "(shown as boxes).", None, count)


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

def _describe_failure(exc: Exception) -> str:
    """The sentence for a transcript job that failed unexpectedly (a refusal keeps its own)."""
    if isinstance(exc, OSError):
        message = translate("TranscriptPrint", "The file could not be written: {0}")
        return message.replace("{0}", exc.strerror or str(exc))
    message = translate("TranscriptPrint", "The transcript could not be made ({0}).")
    return message.replace("{0}", type(exc).__name__)


class _Task(QObject):
    """A background job (:class:`ui.jobs.Job`, the UI's one mechanism) plus its progress
    dialog; calls back on the UI thread. Cancel stops the work at its next progress step."""

    def __init__(self, parent: QWidget | None, label: str,
                 work: Callable[[Callable[[int, int], None]], Any],
                 on_done: Callable[[Any], None], on_failed: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.worker: Job[Any] = Job(work, describe=_describe_failure)
        self.progress = QProgressDialog(label, translate("TranscriptPrint", "Cancel"), 0, 0, parent)
        self.progress.setWindowTitle(translate("TranscriptPrint", "Transcript"))
        self.progress.setMinimumDuration(300)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.canceled.connect(self._cancel)
        self.worker.signals.progress.connect(self._advance)
        self.worker.signals.finished.connect(lambda result: self._finish(on_done, result))
        self.worker.signals.failed.connect(
            lambda message, _exc: self._finish(on_failed, message))
        self.finished = False
        QThreadPool.globalInstance().start(self.worker)

    def _cancel(self) -> None:
        self.worker.cancel()

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
    """A transcript laid out on pages (:func:`typeset`), ready to paint on a printer.

    The layout is the one the PDF export writes, so the preview, a real print and the PDF show
    the same words on the same pages. It is made on a worker thread; painting only draws the
    placed glyphs, fills and the logo.
    """

    def __init__(self, transcript: Transcript, paper: str,
                 progress: Callable[[int, int], None] | None = None, *,
                 complete: bool = True) -> None:
        self.transcript = transcript
        self.paper = paper
        # The first pages of a long transcript, shown while the rest is laid out, have no
        # "page X of Y" yet.
        self.pages: Pages = typeset(transcript, paper, progress, footers=complete)
        self.page_count = len(self.pages.pages)

    def fits(self, page_layout: QPageLayout) -> bool:
        """Whether this layout was made for ``page_layout``'s paper, upright."""
        return (page_layout.orientation() == QPageLayout.Orientation.Portrait
                and page_layout.pageSize().id() == paper_page_size(self.paper).id())

    def text(self) -> str:
        return self.pages.text()

    def paint(self, printer: QPrinter,
              progress: Callable[[int, int], None] | None = None) -> None:
        """Paints every page on ``printer`` (a real print, or a PDF through Qt); may run on a
        worker thread. ``progress`` may raise to stop after the current page."""
        printer.setFullPage(True)
        painter = QPainter(printer)
        try:
            for index in range(self.page_count):
                if index:
                    printer.newPage()
                paint_page(painter, self.pages, index, printer.resolution())
                if progress:
                    progress(index + 1, self.page_count)
        finally:
            painter.end()


@functools.cache
def _font_data(index: int) -> QByteArray:
    return QByteArray(face(index).data)


_raw_fonts: dict[tuple[int, float, int], QRawFont] = {}


def _raw_font(index: int, size: float) -> QRawFont:
    # QRawFont belongs to the thread that made it: one cache entry per thread.
    key = (index, size, threading.get_ident())
    font = _raw_fonts.get(key)
    if font is None:
        font = QRawFont(_font_data(index), size, QFont.HintingPreference.PreferNoHinting)
        _raw_fonts[key] = font
    return font


def paint_page(painter: QPainter, pages: Pages, index: int, resolution: int) -> None:
    """Draws page ``index`` of ``pages`` with ``painter`` (whose origin is the paper's corner)."""
    page = pages.pages[index]
    painter.save()
    painter.scale(resolution / 72.0, resolution / 72.0)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for fill in page.fills:
        painter.fillRect(QRectF(fill.x, fill.y, fill.width, fill.height), QColor(fill.color))
    if page.image is not None:
        data, x, y, w, h = page.image
        image = QImage.fromData(data)
        if not image.isNull():
            painter.drawImage(QRectF(x, y, w, h), image)
    for placed in page.lines:
        painter.setPen(QColor(placed.color))
        for run in placed.line.runs:
            if not run.glyphs:
                continue
            glyph_run = QGlyphRun()
            glyph_run.setRawFont(_raw_font(run.font, run.size))
            glyph_run.setGlyphIndexes(list(run.glyphs))
            glyph_run.setPositions([QPointF(placed.x + x, placed.baseline + y)
                                    for x, y in zip(run.x, run.y, strict=True)])
            painter.drawGlyphRun(QPointF(0, 0), glyph_run)
    painter.restore()


def warm_up_fonts() -> None:
    """Loads the bundled fonts and their coverage (what the first layout would wait for)."""
    faces()
    has_uncovered("")


def paper_page_size(paper: str) -> QPageSize:
    return QPageSize(QPageSize.PageSizeId.Letter if paper == "Letter"
                     else QPageSize.PageSizeId.A4)


def default_page_layout(paper: str | None = None) -> QPageLayout:
    """Upright pages of ``paper`` (default: from the locale), edge to edge: the transcript's
    layout has its own margins."""
    return QPageLayout(paper_page_size(paper or default_paper()),
                       QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Point)


# -- options widgets -------------------------------------------------------------------------

class OptionsBox(QWidget):
    """The transcript options as widgets (above the preview's tool bar and in the export
    dialog)."""

    changed = Signal(object)  # TranscriptOptions
    paper_changed = Signal(str)

    def __init__(self, options: TranscriptOptions, conversations: int,
                 parent: QWidget | None = None, *, vertical: bool = False,
                 paper: str = "A4") -> None:
        super().__init__(parent)
        self.scope = QComboBox(self)
        all_text = translate("TranscriptPrint", "All conversations ({0})")
        self.scope.addItem(all_text.replace("{0}", str(conversations)), True)
        self.scope.addItem(translate("TranscriptPrint", "This conversation only"), False)
        self.scope.setCurrentIndex(0 if options.all_conversations else 1)
        self.scope.setEnabled(conversations > 1)
        self.scope.setToolTip(translate(
            "TranscriptPrint", "Print every conversation of a merged ticket in time order, "
                               "or only the current one"))
        self.paper = QComboBox(self)
        self.paper.setToolTip(translate("TranscriptPrint", "Paper size"))
        self.paper.addItem(translate("TranscriptPrint", "A4"), "A4")
        self.paper.addItem(translate("TranscriptPrint", "Letter"), "Letter")
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.notes = QCheckBox(translate("TranscriptPrint", "Internal notes"), self)
        self.notes.setChecked(options.include_notes)
        self.events = QCheckBox(translate("TranscriptPrint", "Activity timeline"), self)
        self.events.setChecked(options.include_events)
        self.attachments = QCheckBox(translate("TranscriptPrint", "Attachment list"), self)
        self.attachments.setChecked(options.include_attachments)
        self.mask_box = QCheckBox(
            translate("TranscriptPrint", "Hide third parties' e-mail addresses and phone numbers"),
            self)
        self.mask_box.setChecked(options.mask_contacts)
        if vertical:
            layout = QVBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            for widget in self._widgets():
                layout.addWidget(widget)
        else:  # two rows, so that the preview fits a 1024-pixel-wide screen
            grid = QGridLayout(self)
            grid.setContentsMargins(6, 0, 0, 0)
            grid.addWidget(self.scope, 0, 0)
            grid.addWidget(self.paper, 0, 1)
            for column, box in enumerate((self.notes, self.events, self.attachments)):
                grid.addWidget(box, 1, column)
            grid.addWidget(self.mask_box, 1, 3)
        self.scope.currentIndexChanged.connect(self._emit)
        self.paper.currentIndexChanged.connect(self._emit_paper)
        for box in (self.notes, self.events, self.attachments, self.mask_box):
            box.toggled.connect(self._emit)

    def _widgets(self) -> tuple[QWidget, ...]:
        return (self.scope, self.paper, self.notes, self.events, self.attachments, self.mask_box)

    def set_options(self, options: TranscriptOptions) -> None:
        """Shows ``options`` without announcing a change."""
        for widget in self._widgets():
            widget.blockSignals(True)
        self.scope.setCurrentIndex(0 if options.all_conversations else 1)
        self.notes.setChecked(options.include_notes)
        self.events.setChecked(options.include_events)
        self.attachments.setChecked(options.include_attachments)
        self.mask_box.setChecked(options.mask_contacts)
        for widget in self._widgets():
            widget.blockSignals(False)

    def options(self) -> TranscriptOptions:
        return TranscriptOptions(all_conversations=bool(self.scope.currentData()),
                                 include_notes=self.notes.isChecked(),
                                 mask_contacts=self.mask_box.isChecked(),
                                 include_events=self.events.isChecked(),
                                 include_attachments=self.attachments.isChecked())

    def chosen_paper(self) -> str:
        return str(self.paper.currentData())

    def _emit(self, *_: Any) -> None:
        self.changed.emit(self.options())

    def _emit_paper(self, *_: Any) -> None:
        self.paper_changed.emit(self.chosen_paper())


# -- the page view -----------------------------------------------------------------------------

class PagesCanvas(QWidget):
    """Laid-out pages one below the other, painted only where visible (a thousand pages cost
    what the two on screen cost)."""

    GAP = 16
    painted = Signal()  # after each paint of the pages

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages: Pages | None = None
        self.zoom = 1.0  # screen pixels per point
        self.setAutoFillBackground(False)

    def set_pages(self, pages: Pages | None) -> None:
        self.pages = pages
        self._resize()
        self.update()

    def set_zoom(self, zoom: float) -> None:
        zoom = min(4.0, max(0.25, zoom))
        if abs(zoom - self.zoom) < 1e-3 and self.pages is not None:
            return  # unchanged: no second layout and paint of the same pages
        self.zoom = zoom
        self._resize()
        self.update()

    def page_height(self) -> float:
        return (self.pages.height if self.pages else 842.0) * self.zoom

    def page_top(self, index: int) -> int:
        return round(self.GAP + index * (self.page_height() + self.GAP))

    def page_at(self, y: float) -> int:
        step = self.page_height() + self.GAP
        count = len(self.pages.pages) if self.pages else 0
        return max(0, min(count - 1, int((y - self.GAP / 2) // step))) if count else 0

    def _resize(self) -> None:
        if self.pages is None:
            self.setFixedSize(10, 10)
            return
        width = round(self.pages.width * self.zoom + 2 * self.GAP)
        self.setFixedSize(width, self.page_top(len(self.pages.pages)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#8a8a8a"))
        pages = self.pages
        if pages is None:
            return
        area = event.rect()
        first, last = self.page_at(area.top()), self.page_at(area.bottom())
        for index in range(first, last + 1):
            top = self.page_top(index)
            box = QRectF(self.GAP, top, pages.width * self.zoom, self.page_height())
            painter.fillRect(box.translated(3, 3), QColor("#555555"))
            painter.fillRect(box, QColor("white"))
            painter.save()
            painter.translate(box.topLeft())
            painter.setClipRect(QRectF(0, 0, box.width(), box.height()))
            paint_page(painter, pages, index, 72 * self.zoom)
            painter.restore()
        painter.end()
        self.painted.emit()


class PagesView(QScrollArea):
    """The scrollable page view of the preview (zoom with Ctrl+wheel or the buttons)."""

    page_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TranscriptPages")
        self.canvas = PagesCanvas(self)
        self.setWidget(self.canvas)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setBackgroundRole(QPalette.ColorRole.Dark)
        # A scroll bar that comes and goes would change the width to fit, and paint twice.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._fit_width = True

    def set_pages(self, pages: Pages | None) -> None:
        keep = self.verticalScrollBar().value()
        self.canvas.set_pages(pages)
        if self._fit_width:
            self.fit_width()
        self.verticalScrollBar().setValue(keep)

    def page_count(self) -> int:
        return len(self.canvas.pages.pages) if self.canvas.pages else 0

    def current_page(self) -> int:
        return self.canvas.page_at(self.verticalScrollBar().value() + self.viewport().height() / 3)

    def fit_width(self) -> None:
        self._fit_width = True
        width = self.canvas.pages.width if self.canvas.pages else 595.0
        self.canvas.set_zoom((self.viewport().width() - 2 * PagesCanvas.GAP - 4) / width)

    def zoom_by(self, factor: float) -> None:
        self._fit_width = False
        self.canvas.set_zoom(self.canvas.zoom * factor)

    def show_page(self, index: int) -> None:
        self.verticalScrollBar().setValue(self.canvas.page_top(index) - PagesCanvas.GAP // 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_width:
            self.fit_width()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
            return
        super().wheelEvent(event)

    def _scrolled(self, _value: int) -> None:
        self.page_changed.emit(self.current_page())


class PreviewDialog(QDialog):
    """The transcript's print preview: options, the pages, Print and Export as PDF."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setObjectName("TranscriptPreviewDialog")
        self.setWindowTitle(title)
        self.top = QHBoxLayout()
        self.warning = QLabel(self)
        self.warning.setObjectName("missingGlyphs")
        self.warning.setStyleSheet("color: #8A5A00;")
        self.warning.hide()
        self.view = PagesView(self)
        self.page_label = QLabel(self)
        bar = QHBoxLayout()
        self.zoom_out = QPushButton(translate("TranscriptPrint", "Zoom out"), self)
        self.zoom_out.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.zoom_in = QPushButton(translate("TranscriptPrint", "Zoom in"), self)
        self.zoom_in.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.fit = QPushButton(translate("TranscriptPrint", "Fit width"), self)
        self.zoom_out.clicked.connect(lambda: self.view.zoom_by(1 / 1.25))
        self.zoom_in.clicked.connect(lambda: self.view.zoom_by(1.25))
        self.fit.clicked.connect(self.view.fit_width)
        for widget in (self.zoom_out, self.zoom_in, self.fit):
            widget.setAutoDefault(False)  # Enter must not zoom
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.page_label)
        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.warning)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.view.page_changed.connect(self._show_page_number)

    def set_pages(self, pages: Pages, complete: bool) -> None:
        self.view.set_pages(pages)
        self.complete = complete
        self._show_page_number(self.view.current_page())

    def _show_page_number(self, index: int) -> None:
        count = self.view.page_count()
        if not getattr(self, "complete", True):
            text = translate("TranscriptPrint", "Page {0} — laying out the other pages…")
        else:
            text = translate("TranscriptPrint", "Page {0} of {1}").replace("{1}", str(count))
        self.page_label.setText(text.replace("{0}", str(index + 1)))


# -- print preview ---------------------------------------------------------------------------

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
        self.task: _Task | None = None
        self._first_shown = threading.Event()  # the first page is on screen: layout goes on
        self._first_pages.connect(self._show_first_pages)
        _RUNNING.add(self)

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
        self.task = _Task(self.dialog or self.parent_widget, label, work, self._built,
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

        self.print_task = _Task(self.dialog, translate("TranscriptPrint", "Printing…"), work,
                                lambda _pages: None, self._print_failed)

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
        _RUNNING.discard(self)


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
    preview = TranscriptPreview(parent, _as_desk(desk), ticket_id, conversation_id,
                                settings or QSettings())
    preview.start()
    return preview


# -- export as PDF ---------------------------------------------------------------------------

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
        self.task: _Task | None = None
        self.pages = 0
        self.missing = 0  # characters no font has, printed as boxes
        _RUNNING.add(self)

    def start(self, desk: Desk, ticket_id: int, conversation_id: int | None,
              options: TranscriptOptions, path: Path, paper: str = "A4") -> None:
        labels = qt_labels()

        def work(progress: Callable[[int, int], None]) -> tuple[int, int]:
            def build_progress(done: int, total: int) -> None:
                progress(done, total * 10)  # reading is ~a tenth of the work

            transcript = load_transcript(desk, ticket_id, options, conversation_id,
                                         labels=labels, progress=build_progress)
            total = max(1, len(transcript.messages))

            def layout_progress(done: int, all_: int) -> None:
                progress(total + done * 5 * total // max(1, all_), total * 10)

            pages = typeset(transcript, paper, layout_progress)

            def write_progress(done: int, all_: int) -> None:
                progress(6 * total + done * 4 * total // max(1, all_), total * 10)

            # A temporary file renamed into place; the save dialog has already asked before
            # replacing an existing file. A symbolic link is refused, never written through.
            count = write_atomically(
                path, lambda out: write_pages(pages, out, progress=write_progress),
                overwrite=True)
            return count, pages.missing

        def finished(result: tuple[int, int]) -> None:
            _RUNNING.discard(self)
            self.pages, self.missing = result
            if self.missing:
                show_warning(self.parent_widget, translate(
                    "TranscriptPrint", "Export conversation as PDF"),
                    missing_warning(self.missing))
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
               path: str | Path | None = None, settings: QSettings | None = None,
               paper: str | None = None) -> PdfExport | None:
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
    export.start(facade, ticket_id, conversation_id, options, target, paper)
    return export
