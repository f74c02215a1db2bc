"""A transcript set on pages: one layout that the PDF writer and the print preview both draw.

:func:`typeset` turns a :class:`Transcript` into :class:`Pages` — every line's glyphs placed in
points on a page, plus the fills and rules around them. The PDF writer (ReportLab) and the Qt
preview only paint these pages, so both show the same words in the same order on the same pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from helpdesk_desktop.transcripts.model import Transcript, TranscriptMessage
from helpdesk_desktop.transcripts.options import PAPER_SIZES
from helpdesk_desktop.transcripts.textlayout import (
    KEPT_BETWEEN_LAYOUTS,
    Line,
    layout_paragraph,
    release_caches,
)

Progress = Callable[[int, int], None]
MM = 72 / 25.4
MARGIN = 18 * MM
FOOTER_GAP = 6 * MM
FOOTER_SIZE = 8.0
INK = "#000000"
MUTED = "#555555"
INTERNAL_BACK = "#FFF4CC"
INTERNAL_INK = "#8A5A00"
RULE = "#BBBBBB"


@dataclass(frozen=True)
class Style:
    size: float = 10.0
    bold: bool = False
    color: str = INK
    leading: float = 1.4
    space_before: float = 0.0
    space_after: float = 4.0
    background: str | None = None
    role: str = "P"  # the structure tag of the block: H1, H2, H3, P


BODY = Style()
TITLE = Style(size=16, bold=True, space_after=4, role="H1")
CONVERSATION = Style(size=12.5, bold=True, space_before=10, space_after=4, role="H2")
HEADING = Style(size=10.5, bold=True, space_before=8, space_after=1, role="H3")
META = Style(size=8.5, color=MUTED, space_after=0)


@dataclass(frozen=True)
class PlacedLine:
    x: float  # left end of the line, points from the page's left edge
    baseline: float  # points from the page's top edge
    line: Line
    color: str
    role: str
    block: int  # lines of one block (paragraph, heading) share this number


@dataclass(frozen=True)
class Fill:
    x: float
    y: float
    width: float
    height: float
    color: str


@dataclass
class Page:
    lines: list[PlacedLine] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)  # drawn under the text (rules too)
    image: tuple[bytes, float, float, float, float] | None = None  # logo: data, x, y, w, h


@dataclass
class Pages:
    width: float
    height: float
    paper: str
    pages: list[Page]
    missing: int  # characters no bundled font has, each drawn as a box
    title: str
    author: str
    subject: str
    language: str

    def text(self) -> str:
        """Every line's text in reading order (for tests and search)."""
        return "\n".join(p.line.text for page in self.pages for p in page.lines)


class _Typesetter:
    def __init__(self, width: float, height: float) -> None:
        self.page_width, self.page_height = width, height
        self.left = MARGIN
        self.width = width - 2 * MARGIN
        self.top = MARGIN
        self.bottom = height - MARGIN - FOOTER_GAP
        self.pages: list[Page] = [Page()]
        self.y = self.top
        self.missing = 0
        self.block_number = 0

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.top

    def need(self, height: float) -> None:
        """Starts a new page unless ``height`` points are left on this one."""
        if self.y + height > self.bottom and self.y > self.top:
            self.new_page()

    def space(self, height: float, background: str | None = None) -> None:
        if self.y <= self.top:
            return
        if background and self.y + height <= self.bottom:
            self.pages[-1].fills.append(Fill(self.left - 3, self.y, self.width + 6, height,
                                             background))
        self.y += height

    def text(self, text: str, style: Style, *, indent: float = 0.0) -> None:
        """One block: its lines (each a bidi paragraph of its own) wrapped to the frame."""
        self.block_number += 1
        self.space(style.space_before, style.background)
        height = style.size * style.leading
        width = self.width - indent
        for paragraph in text.split("\n"):
            for line in layout_paragraph(paragraph, width, style.size, bold=style.bold):
                if self.y + height > self.bottom:
                    self.new_page()
                if style.background:
                    self.pages[-1].fills.append(Fill(self.left - 3, self.y, self.width + 6,
                                                     height, style.background))
                x = self.left + (width - line.width if line.rtl else indent)
                baseline = self.y + style.size * (style.leading + 0.75) / 2
                self.missing += line.missing
                self.pages[-1].lines.append(PlacedLine(x, baseline, line, style.color,
                                                       style.role, self.block_number))
                self.y += height
        self.space(style.space_after, style.background)

    def rule(self, thickness: float, color: str, before: float = 4, after: float = 4) -> None:
        self.space(before)
        if self.y + thickness > self.bottom:
            self.new_page()
        self.pages[-1].fills.append(Fill(self.left, self.y, self.width, thickness, color))
        self.y += thickness
        self.space(after)


def typeset(transcript: Transcript, paper: str = "A4", progress: Progress | None = None, *,
            footers: bool = True) -> Pages:
    """``transcript`` laid out on pages of ``paper`` ("A4" or "Letter"), each page with
    the title and "page X of Y" at its foot (unless ``footers`` is false). The layout's word
    caches are emptied afterwards when they grew past ``KEPT_BETWEEN_LAYOUTS`` entries
    (:func:`textlayout.release_caches`)."""
    try:
        return _typeset(transcript, paper, progress, footers)
    finally:
        release_caches(keep=KEPT_BETWEEN_LAYOUTS)


def _typeset(transcript: Transcript, paper: str, progress: Progress | None,
             footers: bool) -> Pages:
    width, height = PAPER_SIZES.get(paper, PAPER_SIZES["A4"])
    setter = _Typesetter(width, height)
    labels, t = transcript.labels, transcript
    if t.organisation or t.logo:
        _branding(setter, t)
    setter.text(t.title, TITLE)
    setter.text(t.printed_by, META)
    setter.space(4)
    for label, value in t.header_rows:
        if value:
            setter.text(f"{label}{labels.colon}{value}", META)
    setter.rule(1, INK, before=6, after=2)
    total = max(1, len(t.messages))
    done = 0
    several = len(t.conversations) > 1
    for conversation in t.conversations:
        if several or conversation.subject:
            heading = f"{labels.conversation}{labels.colon}{conversation.subject}"
            if conversation.origin:
                heading += f" ({conversation.origin})"
            setter.need(CONVERSATION.size * 4)
            setter.text(heading, CONVERSATION)
        if not conversation.messages:
            setter.text(labels.no_messages, META)
        for message in conversation.messages:
            _message(setter, message, t)
            done += 1
            if progress and done % 25 == 0:
                progress(done, total)
    if t.events:
        setter.need(CONVERSATION.size * 4)
        setter.text(labels.events, CONVERSATION)
        for event in t.events:
            actor = f" — {event.actor}" if event.actor else ""
            setter.text(f"{event.date}{actor}{labels.colon}{event.summary}", META)
    if footers:
        _footers(setter, t)
    if progress:
        progress(total, total)
    return Pages(width, height, paper if paper in PAPER_SIZES else "A4", setter.pages,
                 setter.missing, t.title, t.author, t.subject, _language(t))


def _message(setter: _Typesetter, message: TranscriptMessage, t: Transcript) -> None:
    labels = t.labels
    back = INTERNAL_BACK if message.internal else None
    setter.need(40 * MM)
    heading = message.kind_label
    if message.state:
        heading += f" ({message.state})"
    setter.text(heading, Style(size=HEADING.size, bold=True, space_before=HEADING.space_before,
                               space_after=HEADING.space_after, background=back, role="H3"))
    meta = Style(size=META.size, color=META.color, space_after=0, background=back)
    if message.internal:
        setter.text(labels.internal, Style(size=META.size, bold=True, color=INTERNAL_INK,
                                           space_after=2, background=back))
    for key, value in ((labels.from_, message.sender), (labels.to, message.to),
                       (labels.cc, message.cc), (labels.date, message.date),
                       (labels.subject, message.subject or "")):
        if value:
            setter.text(f"{key}{labels.colon}{value}", meta)
    setter.space(3, back)
    body = Style(background=back)
    for block in message.body.split("\n\n"):
        if block.strip():
            setter.text(block, body)
    if message.attachments:
        setter.text(f"{labels.attachments}{labels.colon}" + "; ".join(message.attachments), meta)
    setter.rule(0.4, RULE, before=4, after=2)


def _branding(setter: _Typesetter, t: Transcript) -> None:
    logo_height = 12 * MM
    if t.logo:
        from helpdesk_desktop.transcripts.images import image_size

        size = image_size(t.logo)
        if size is not None:
            w, h = size
            draw_w = min(setter.width / 3, logo_height * w / max(1, h))
            draw_h = draw_w * h / max(1, w)
            setter.pages[-1].image = (t.logo, setter.left + setter.width - draw_w, setter.y,
                                      draw_w, draw_h)
    if t.organisation:
        setter.text(t.organisation, Style(size=11, bold=True, color=MUTED, space_after=2))
    setter.y = max(setter.y, setter.top + (logo_height if t.logo else 0) + 2)


def _footers(setter: _Typesetter, t: Transcript) -> None:
    """"page X of Y" on the right and the title on the left of every page's foot."""
    count = len(setter.pages)
    title = t.title if len(t.title) <= 90 else t.title[:87] + "…"
    baseline = setter.page_height - MARGIN + FOOTER_SIZE
    right_end = setter.left + setter.width
    for number, page in enumerate(setter.pages, start=1):
        label = t.labels.page.format(page=number, pages=count)
        page_line = layout_paragraph(label, setter.width / 3, FOOTER_SIZE)[0]
        title_width = setter.width - page_line.width - 12
        title_line = layout_paragraph(title, title_width, FOOTER_SIZE)[0]
        setter.block_number += 1
        page.lines.append(PlacedLine(setter.left, baseline, title_line, MUTED, "Artifact",
                                     setter.block_number))
        page.lines.append(PlacedLine(right_end - page_line.width, baseline, page_line, MUTED,
                                     "Artifact", setter.block_number))


def _language(t: Transcript) -> str:
    """The document's language tag: the language its labels are in (``Labels.locale``, the
    UI's language in the window, English from the command line)."""
    name = t.labels.locale.split(".")[0]
    return name.replace("_", "-") if name and name not in ("C", "POSIX") else "en"
