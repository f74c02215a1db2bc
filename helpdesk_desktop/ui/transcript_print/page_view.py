"""The preview dialog's widgets: the pages one below the other (painted only where visible), the
scrollable, zoomable view of them, and the dialog that holds the view."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.transcripts.pages import Pages
from helpdesk_desktop.ui.transcript_print.rendering import paint_page

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


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
