"""Laid-out transcript pages painted with Qt: the document a preview shows and a printer prints,
drawn glyph by glyph (``QPainter.drawGlyphRun`` with ``QRawFont``s made from the same font files
the PDF embeds), and the page sizes."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QGlyphRun,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QRawFont,
)
from PySide6.QtPrintSupport import QPrinter

from helpdesk_desktop.transcripts import Transcript
from helpdesk_desktop.transcripts.fonts import face, faces, has_uncovered
from helpdesk_desktop.transcripts.options import default_paper
from helpdesk_desktop.transcripts.pages import Pages, typeset


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
