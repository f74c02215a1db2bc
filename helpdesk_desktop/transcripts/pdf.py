"""A transcript as a PDF, set with ReportLab's platypus.

Fonts are embedded (subset) so that every script prints; text in several scripts is split into
runs per font (:mod:`.fonts`); right-to-left lines are shaped and reordered (:mod:`.rtl`). Pages
are numbered "page X of Y", which needs the page count, so pages are kept until the end and
numbered then (a canvas that defers ``showPage``).
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from helpdesk_desktop.transcripts.fonts import PRIMARY, register_reportlab_fonts, split_runs
from helpdesk_desktop.transcripts.model import Transcript, TranscriptMessage
from helpdesk_desktop.transcripts.rtl import (
    direction_groups,
    has_rtl,
    visual_line,
    wrap_logical,
)

Progress = Callable[[int, int], None]
MARGIN = 18 * mm
BODY_SIZE = 10
INTERNAL_BACK = colors.HexColor("#FFF4CC")
INTERNAL_INK = colors.HexColor("#8A5A00")
MUTED = colors.HexColor("#555555")


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle("body", fontName=PRIMARY, fontSize=BODY_SIZE, leading=13.5,
                              alignment=TA_LEFT, splitLongWords=1, spaceAfter=4)
        self.body = base
        self.title = ParagraphStyle("title", parent=base, fontSize=16, leading=20,
                                    spaceAfter=6)
        self.conversation = ParagraphStyle("conversation", parent=base, fontSize=12.5,
                                           leading=16, spaceBefore=10, spaceAfter=4)
        self.heading = ParagraphStyle("heading", parent=base, fontSize=10.5, leading=14,
                                      spaceBefore=6, spaceAfter=1)
        self.meta = ParagraphStyle("meta", parent=base, fontSize=8.5, leading=11,
                                   textColor=MUTED, spaceAfter=0)
        self.internal = ParagraphStyle("internal", parent=base, fontSize=8.5, leading=11,
                                       textColor=INTERNAL_INK, spaceAfter=2)


def _markup(text: str) -> str:
    """``text`` as Paragraph markup, each run in a font that has its glyphs."""
    parts = []
    for font, run in split_runs(text):
        run = escape(run)
        parts.append(run if font == PRIMARY else f'<font face="{font}">{run}</font>')
    return "".join(parts)


def _measure(style: ParagraphStyle) -> Callable[[str], float]:
    def width(text: str) -> float:
        return sum(stringWidth(run, font, style.fontSize) for font, run in split_runs(text))
    return width


def _lines_markup(lines: list[str], style: ParagraphStyle, width: float,
                  rtl_base: bool) -> str:
    """Markup for lines of one direction; lines with right-to-left text are wrapped here and
    reordered for display."""
    out: list[str] = []
    for line in lines:
        if has_rtl(line):
            for piece in wrap_logical(line, width, _measure(style)):
                out.append(_markup(visual_line(piece, rtl_base)))
        else:
            out.append(_markup(_keep_indent(line)))
    return "<br/>".join(out)


def _keep_indent(line: str) -> str:
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped


class _Builder:
    def __init__(self, transcript: Transcript, width: float) -> None:
        self.t = transcript
        self.labels = transcript.labels
        self.width = width
        self.styles = _Styles()

    def para(self, text: str, style: ParagraphStyle, *, bold: bool = False,
             back: Any = None) -> list[Flowable]:
        """One block of text as paragraphs; lines that read right to left are set
        right-aligned in paragraphs of their own."""
        if back is not None:
            style = ParagraphStyle(f"{style.name}-back", parent=style, backColor=back,
                                   borderPadding=(1, 3, 1, 3))
        parts: list[Paragraph] = []
        for rtl, lines in direction_groups(text.split("\n")):
            markup = _lines_markup(lines, style, self.width - 2, rtl)
            if bold:
                markup = f"<b>{markup}</b>"
            part_style = style
            if rtl and style.alignment != TA_RIGHT:
                part_style = ParagraphStyle(f"{style.name}-rtl", parent=style,
                                            alignment=TA_RIGHT)
            if parts:  # lines of one block: no gap between the direction groups
                part_style = ParagraphStyle(f"{part_style.name}-cont", parent=part_style,
                                            spaceBefore=0)
                parts[-1].style = ParagraphStyle(f"{parts[-1].style.name}-open",
                                                 parent=parts[-1].style, spaceAfter=0)
            parts.append(Paragraph(markup, part_style))
        return list(parts)

    def header(self) -> list[Flowable]:
        labels, t, s = self.labels, self.t, self.styles
        rows = [(labels.customer, t.customer), (labels.company, t.company),
                (labels.status, t.status), (labels.printed, t.printed_at),
                (labels.time_zone, t.time_zone)]
        table = Table([[self.para(k, s.meta, bold=True), self.para(v or "—", s.meta)]
                       for k, v in rows],
                      colWidths=[32 * mm, self.width - 32 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("FONTNAME", (0, 0), (-1, -1), PRIMARY),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        return [*self.para(t.title, s.title, bold=True), table,
                HRFlowable(width="100%", thickness=1, color=colors.black, spaceBefore=6,
                           spaceAfter=4)]

    def message(self, message: TranscriptMessage) -> list[Flowable]:
        s, labels = self.styles, self.labels
        back = INTERNAL_BACK if message.internal else None
        out: list[Flowable] = [CondPageBreak(40 * mm),
                               *self.para(f"{message.kind_label} — {message.date}", s.heading,
                                          bold=True, back=back)]
        if message.internal:
            out.extend(self.para(labels.internal, s.internal, bold=True, back=back))
        meta = [(labels.from_, message.sender), (labels.to, message.to),
                (labels.cc, message.cc), (labels.date, message.date),
                (labels.subject, message.subject or "")]
        for key, value in meta:
            if value:
                out.extend(self.para(f"{key}{labels.colon}{value}", s.meta, back=back))
        out.append(Spacer(1, 3))
        for block in message.body.split("\n\n"):
            if block.strip():
                out.extend(self.para(block, s.body, back=back))
        if message.attachments:
            label = f"{labels.attachments}{labels.colon}"
            out.extend(self.para(label + "; ".join(message.attachments),
                                 s.meta, back=back))
        out.append(HRFlowable(width="100%", thickness=0.4, color=colors.lightgrey,
                              spaceBefore=4, spaceAfter=2))
        return out

    def story(self, progress: Progress | None) -> list[Flowable]:
        story = self.header()
        several = len(self.t.conversations) > 1
        total = len(self.t.messages)
        done = 0
        for conversation in self.t.conversations:
            if several or conversation.subject:
                heading = f"{self.labels.conversation}{self.labels.colon}{conversation.subject}"
                story.extend(self.para(heading, self.styles.conversation, bold=True))
            if not conversation.messages:
                story.extend(self.para(self.labels.no_messages, self.styles.meta))
            for message in conversation.messages:
                story.extend(self.message(message))
                done += 1
                if progress and done % 25 == 0:
                    progress(done, total)
        return story


def _numbered_canvas(footer: str, page_label: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps each page until the end, then draws "page X of Y" on all of them."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or PRIMARY  # no Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            self.setFillColor(MUTED)
            text = page_label.format(page=self._pageNumber, pages=total)
            x = width - MARGIN
            for font, run in reversed(split_runs(text)):
                self.setFont(font, 8)
                x -= stringWidth(run, font, 8)
                self.drawString(x, 10 * mm, run)
            x = MARGIN
            for font, run in split_runs(footer):
                self.setFont(font, 8)
                self.drawString(x, 10 * mm, run)
                x += stringWidth(run, font, 8)

    return NumberedCanvas


def write_pdf(transcript: Transcript, target: str | Path | BinaryIO, *,
              progress: Progress | None = None, page_size: tuple[float, float] = A4) -> int:
    """Writes ``transcript`` as a PDF to a path or a binary stream; returns the page count.

    ``progress(done, total)`` is called while the story is built and while pages are laid out
    (in two halves of one scale); raising from it abandons the export.
    """
    register_reportlab_fonts()
    out: str | BinaryIO = str(target) if isinstance(target, (str, Path)) else target
    doc = SimpleDocTemplate(
        out, pagesize=page_size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title=transcript.title, author=transcript.author,
        subject=transcript.subject, creator="Help Desk Desktop",
    )
    total = max(1, len(transcript.messages))

    def building(done: int, _all: int) -> None:
        if progress:
            progress(done, 2 * total)

    story = _Builder(transcript, doc.width).story(building)
    length = max(1, len(story))  # doc.build consumes the story list as it goes
    laid = {"count": 0, "reported": total}
    every = max(1, length // 100)

    def after_flowable(_flowable: Flowable) -> None:
        # Split flowables report once per part, so the count can pass the story's length.
        laid["count"] += 1
        if progress and laid["count"] % every == 0:
            done = total + total * min(laid["count"], length) // length
            if done > laid["reported"]:
                laid["reported"] = done
                progress(min(done, 2 * total - 1), 2 * total)

    doc.afterFlowable = after_flowable  # type: ignore[method-assign]
    footer = transcript.title if len(transcript.title) <= 90 else transcript.title[:87] + "…"
    doc.build(story, canvasmaker=_numbered_canvas(footer, transcript.labels.page))
    if progress:
        progress(2 * total, 2 * total)
    return doc.page


def pdf_bytes(transcript: Transcript, **kwargs: Any) -> bytes:
    """The PDF as bytes (handy for tests and previews)."""
    buffer = BytesIO()
    write_pdf(transcript, buffer, **kwargs)
    return buffer.getvalue()
