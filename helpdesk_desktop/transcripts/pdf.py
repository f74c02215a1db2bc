"""A transcript as a PDF: the laid-out pages (:mod:`.pages`) drawn with ReportLab's canvas.

The glyphs HarfBuzz chose are drawn as they are (Arabic joining forms, Indic conjuncts, emoji
sequences), each at its position. The text layer holds what was typed, in logical order: every
glyph is written under a code of its own whose ToUnicode entry is the text the glyph stands for
(a conjunct maps to its letters, a joined Arabic letter to the letter, an emoji sequence to all
its code points). Left-to-right runs are written in reading order, right-to-left runs in visual
order (which is what readers such as pdf.js, Poppler and pypdf reverse back when extracting), so
copy and search find the words as typed, never presentation forms.

Fonts are embedded (subset); the document has a title, author (the agent), subject, language, and
is tagged: headings and paragraphs in reading order (see docs/DESIGN.md for how far toward
PDF/UA this goes).
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from helpdesk_desktop.transcripts.fonts import FONTS, MISSING, REGULAR, face
from helpdesk_desktop.transcripts.model import Transcript
from helpdesk_desktop.transcripts.options import default_paper
from helpdesk_desktop.transcripts.pages import Pages, PlacedLine, typeset
from helpdesk_desktop.transcripts.textlayout import Piece

_LEFT = operator.itemgetter(0)
_FONT = operator.attrgetter("font")

Progress = Callable[[int, int], None]
_PRIVATE_START = 0xF0000  # plane 15 private use: codes for (glyph, text) pairs
_lock = threading.Lock()
_texts: dict[str, dict[int, str]] = {}  # ReportLab face name -> code -> text
_codes: dict[tuple[str, int, str], int] = {}
_next_code: dict[str, int] = {}


_registered: dict[str, TTFont] = {}  # face name -> the font registered with ReportLab


def _font(index: int) -> TTFont:
    name = FONTS[REGULAR if index == MISSING else index].name
    font = _registered.get(name)
    if font is None:
        with _lock:
            font = _registered.get(name)
            if font is None:
                # Never ask ReportLab for a face it does not know: before raising KeyError,
                # its getFont parses every AFM file it ships (~0.25 s a miss, measured).
                font = TTFont(name, face(index).path)
                pdfmetrics.registerFont(font)
                ttfonts.makeToUnicodeCMap = _to_unicode_cmap
                _registered[name] = font
    return font


def _code(font: TTFont, glyph: int, text: str, advance: float) -> str:
    """The character under which ``glyph`` standing for ``text`` is written in ``font``."""
    key = (font.fontName, glyph, text)
    code = _codes.get(key)
    if code is None:
        with _lock:
            code = _codes.get(key)
            if code is None:
                face_ = font.face
                code = _next_code.get(font.fontName, _PRIVATE_START)
                _next_code[font.fontName] = code + 1
                face_.charToGlyph[code] = glyph
                face_.charWidths[code] = advance
                _texts.setdefault(face_.name.decode("latin-1") if isinstance(face_.name, bytes)
                                  else str(face_.name), {})[code] = text
                _codes[key] = code
    return chr(code)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """The ToUnicode CMap of one font subset: each code maps to the text its glyph stands for
    (UTF-16, so characters beyond U+FFFF are surrogate pairs as the PDF specification says)."""
    face_name = fontname.partition("+")[2]
    texts = _texts.get(face_name, {})

    def utf16(code: int) -> str:
        text = texts.get(code, chr(code) if code < _PRIVATE_START else "")
        return text.encode("utf-16-be").hex().upper()

    entries = [(index, utf16(code)) for index, code in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(entries)} beginbfchar",
        *(f"<{index:02X}> <{text}>" for index, text in entries),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


class _Writer:
    def __init__(self, canvas: Canvas, pages: Pages) -> None:
        self.canvas = canvas
        self.pages = pages
        self.doc = canvas._doc
        self.struct = _Structure(self.doc, pages.language)
        self.fragments: dict[tuple[int, bool, float], tuple[Piece, list[tuple[str, float, str]]]] \
            = {}
        self.glyphs: dict[tuple[str, int, str], tuple[str, str, float]] = {}

    def page(self, number: int) -> None:
        page = self.pages.pages[number]
        canvas = self.canvas
        height = self.pages.height
        for fill in page.fills:
            canvas.setFillColor(HexColor(fill.color))
            canvas.rect(fill.x, height - fill.y - fill.height, fill.width, fill.height,
                        stroke=0, fill=1)
        if page.image is not None:
            data, x, y, w, h = page.image
            canvas._code.append("/Artifact BMC")  # decoration: the company name is text
            try:
                canvas.drawImage(ImageReader(BytesIO(data)), x, height - y - h, w, h,
                                 mask="auto")
            except (OSError, ValueError):
                pass  # a logo that cannot be read is left out; the text is what matters
            canvas._code.append("EMC")
        self.struct.begin_page(number)
        current_block = None
        for placed in page.lines:
            if placed.block != current_block:
                if current_block is not None:
                    self.struct.end_content(canvas)
                self.struct.begin_content(canvas, placed.role, placed.block)
                current_block = placed.block
            self._line(placed)
        if current_block is not None:
            self.struct.end_content(canvas)

    def _line(self, placed: PlacedLine) -> None:
        """One line as one text object. A line of one direction and one font is its pieces'
        fragments end to end. Otherwise pieces (words, spaces) of one font and direction form a
        group, written with one TJ from its left end; groups follow in reading order, the
        pieces inside a right-to-left group in visual order (which is what PDF readers expect:
        they turn such runs back into reading order when text is copied)."""
        line = placed.line
        size = line.size
        baseline = self.pages.height - placed.baseline
        self.canvas.setFillColor(HexColor(placed.color))
        text = _TextObject(size)
        levels = line.levels
        if levels is None or (levels.count(levels[0]) == len(levels)
                              and len(set(map(_FONT, line.pieces))) == 1):
            # One direction and one font: visual order is logical order, or its reverse.
            rtl = bool(levels[0] % 2) if levels else False
            text.move_to(placed.x, baseline)
            for piece in line.pieces[::-1] if rtl else line.pieces:
                text.add(self._fragment(piece, rtl, size))
            self.canvas._code.append(text.finish())
            return
        # Groups of neighbouring pieces (in logical order) of one font and one direction.
        groups: list[list[tuple[float, Piece]]] = []
        directions: list[bool] = []
        group: list[tuple[float, Piece]] = []
        font = -2
        rtl = False
        for piece, left, level in zip(line.pieces, line.lefts, levels, strict=True):
            if not piece.shaped.glyphs:
                continue
            odd = bool(level % 2)
            if not group or piece.font != font or odd != rtl:
                group = []
                groups.append(group)
                directions.append(odd)
                font, rtl = piece.font, odd
            group.append((left, piece))
        fragment = self._fragment
        x = placed.x
        for group, rtl in zip(groups, directions, strict=True):
            group.sort(key=_LEFT)
            pen = group[0][0]
            text.move_to(x + pen, baseline)
            for left, piece in group:
                gap = (pen - left) * 1000 / size  # text.shift, inline (one call less a piece)
                if gap > 0.05 or gap < -0.05:
                    text.items.append(f"{gap:.1f}")
                text.add(fragment(piece, rtl, size))
                pen = left + piece.width * size
        self.canvas._code.append(text.finish())

    def _fragment(self, piece: Piece, rtl: bool,
                  size: float) -> list[tuple[str, float, str]]:
        """A piece's glyphs as TJ items, from its left end to its right end: (font subset,
        text rise, items). Right-to-left pieces are written in visual order, as PDF readers
        expect (they turn such runs back into reading order when text is copied)."""
        key = (id(piece), rtl, size)
        cached = self.fragments.get(key)
        if cached is not None:
            return cached[1]
        font = _font(piece.font)
        loaded = face(piece.font)
        shaped = piece.shaped
        count = len(shaped.glyphs)
        order = sorted(range(count), key=lambda i: (shaped.xs[i], i)) if rtl else range(count)
        out: list[tuple[str, float, str]] = []
        pen = 0.0  # per unit of font size
        for index in order:
            glyph, text = shaped.glyphs[index], shaped.texts[index]
            subset_name, data, advance = self._glyph(font, loaded.upem, loaded, glyph, text)
            rise = round(shaped.ys[index] * -size, 2)
            items = []
            gap = (pen - shaped.xs[index]) * 1000
            if abs(gap) > 0.05:
                items.append(f"{gap:.1f}")
            items.append(data)
            pen = shaped.xs[index] + advance
            if out and out[-1][0] == subset_name and out[-1][1] == rise:
                out[-1] = (subset_name, rise, out[-1][2] + " " + " ".join(items))
            else:
                out.append((subset_name, rise, " ".join(items)))
        end_gap = (pen - shaped.width) * 1000
        if abs(end_gap) > 0.05 and out:
            subset_name, rise, text = out[-1]
            out[-1] = (subset_name, rise, f"{text} {end_gap:.1f}")
        self.fragments[key] = (piece, out)
        return out

    def _glyph(self, font: TTFont, upem: int, loaded: Any, glyph: int,
               text: str) -> tuple[str, str, float]:
        """(subset font name, hex code, advance per unit of size) of a glyph in this PDF."""
        key = (font.fontName, glyph, text)
        found = self.glyphs.get(key)
        if found is None:
            advance = loaded.hb_font.get_glyph_h_advance(glyph) / upem
            char = _code(font, glyph, text, advance * 1000)
            [(subset, data)] = font.splitString(char, self.doc)
            found = (font.getSubsetInternalName(subset, self.doc), f"<{data.hex()}>", advance)
            self.glyphs[key] = found
        return found


class _TextObject:
    """The operators of one line's text object: TJ arrays, Tf when the font subset changes,
    Ts when a mark is raised, Tm to move to a group's start."""

    def __init__(self, size: float) -> None:
        self.size = size
        self.parts = ["BT"]
        self.items: list[str] = []
        self.font_name = ""
        self.rise = 0.0

    def move_to(self, x: float, y: float) -> None:
        self._flush()
        self.parts.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")

    def shift(self, thousandths: float) -> None:
        """Moves the pen left by ``thousandths`` of the font size (a TJ number)."""
        if abs(thousandths) > 0.05:
            self.items.append(f"{thousandths:.1f}")

    def add(self, fragment: list[tuple[str, float, str]]) -> None:
        for subset_name, rise, text in fragment:
            if subset_name != self.font_name or rise != self.rise:
                self._flush()
                if subset_name != self.font_name:
                    self.parts.append(f"{subset_name} {self.size:g} Tf")
                    self.font_name = subset_name
                if rise != self.rise:
                    self.parts.append(f"{rise:.2f} Ts")
                    self.rise = rise
            self.items.append(text)

    def finish(self) -> str:
        self._flush()
        if self.rise:
            self.parts.append("0 Ts")
        self.parts.append("ET")
        return " ".join(self.parts)

    def _flush(self) -> None:
        if self.items:
            self.parts.append("[" + " ".join(self.items) + "] TJ")
            self.items = []


class _Structure:
    """The tag tree: a Document element holding one element (H1, H2, H3, P) per block, each
    pointing at its marked content on the pages; page furniture (footers) is an Artifact."""

    def __init__(self, doc: Any, language: str) -> None:
        self.doc = doc
        self.language = language
        self.elements: list[tuple[str, list[tuple[int, int]]]] = []  # role, [(page, mcid)]
        self.by_block: dict[int, int] = {}
        self.page_number = 0
        self.next_mcid = 0
        self.page_mcids: dict[int, list[int]] = {}  # page -> element index per MCID

    def begin_page(self, number: int) -> None:
        self.page_number = number
        self.next_mcid = 0
        self.page_mcids[number] = []

    def begin_content(self, canvas: Canvas, role: str, block: int) -> None:
        if role == "Artifact":
            canvas._code.append("/Artifact <</Type /Pagination>> BDC")
            return
        element = self.by_block.get(block)
        if element is None:
            element = self.by_block[block] = len(self.elements)
            self.elements.append((role, []))
        mcid = self.next_mcid
        self.next_mcid += 1
        self.elements[element][1].append((self.page_number, mcid))
        self.page_mcids[self.page_number].append(element)
        canvas._code.append(f"/{role} <</MCID {mcid}>> BDC")

    def end_content(self, canvas: Canvas) -> None:
        canvas._code.append("EMC")

    def finish(self, page_refs: list[Any]) -> None:
        """Writes the structure tree into the catalog once the pages exist."""
        doc = self.doc
        root = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("StructTreeRoot")})
        root_ref = doc.Reference(root, "HDStructTreeRoot")
        document = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("StructElem"),
                                         "S": pdfdoc.PDFName("Document"), "P": root_ref})
        document_ref = doc.Reference(document, "HDStructDocument")
        element_refs = []
        for index, (role, marks) in enumerate(self.elements):
            element = _StructElem(role, document_ref, [(page_refs[p], m) for p, m in marks])
            element_refs.append(doc.Reference(element, f"HDStructElem{index}"))
        document.dict["K"] = pdfdoc.PDFArray(element_refs)
        numbers: list[Any] = []
        for page, elements in sorted(self.page_mcids.items()):
            numbers.extend([page, pdfdoc.PDFArray([element_refs[e] for e in elements])])
        root.dict["K"] = document_ref
        root.dict["ParentTree"] = pdfdoc.PDFDictionary({"Nums": pdfdoc.PDFArray(numbers)})
        root.dict["ParentTreeNextKey"] = len(self.page_mcids)
        catalog = doc.Catalog
        catalog.StructTreeRoot = root_ref
        catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": pdfdoc.PDFtrue})
        catalog.ViewerPreferences = pdfdoc.PDFDictionary(
            {"DisplayDocTitle": pdfdoc.PDFtrue})


class _StructElem(pdfdoc.PDFObject):  # type: ignore[misc]
    """One structure element, formatted directly (thousands of them: ReportLab's generic
    dictionaries took longer to format than the pages)."""

    def __init__(self, role: str, parent: Any, marks: list[tuple[Any, int]]) -> None:
        self.role = role
        self.parent = parent
        self.marks = marks

    def format(self, document: Any) -> bytes:
        parent = self.parent.format(document).decode("latin-1")
        pages = {ref.name for ref, _ in self.marks}
        if len(pages) == 1:  # all on one page: the page once, the content as MCIDs
            page = self.marks[0][0].format(document).decode("latin-1")
            kids = " ".join(str(mcid) for _, mcid in self.marks)
            body = f"/Pg {page} /K [{kids}]"
        else:
            kids = " ".join(f"<< /Type /MCR /Pg {ref.format(document).decode('latin-1')} "
                            f"/MCID {mcid} >>" for ref, mcid in self.marks)
            body = f"/K [{kids}]"
        return (f"<< /Type /StructElem /S /{self.role} /P {parent} {body} >>"
                .encode("latin-1"))


class _TaggedCanvas(Canvas):
    """A canvas whose pages say which entry of the structure tree's parent tree is theirs."""

    def showPage(self) -> None:
        number = self._pageNumber - 1
        super().showPage()
        page = self._doc.Pages.pages[-1]
        page.StructParents = number
        page.Tabs = pdfdoc.PDFName("S")
        if "StructParents" not in page.__NoDefault__:
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]


def write_pages(pages: Pages, target: str | Path | BinaryIO, *,
                progress: Progress | None = None) -> int:
    """Writes laid-out ``pages`` as a PDF to a path or binary stream; returns the page count."""
    out: str | BinaryIO = str(target) if isinstance(target, (str, Path)) else target
    rl_config.useA85 = 0  # binary page streams: ASCII85 (in Python) only made them bigger
    primary = _font(REGULAR)  # the canvas's initial font too: no base-14 font in the file
    canvas = _TaggedCanvas(out, pagesize=(pages.width, pages.height), pageCompression=1,
                           lang=pages.language, initialFontName=primary.fontName)
    canvas.setTitle(pages.title)
    canvas.setAuthor(pages.author)
    canvas.setSubject(pages.subject)
    canvas.setCreator("Help Desk Desktop")
    writer = _Writer(canvas, pages)
    total = len(pages.pages)
    for number in range(total):
        writer.page(number)
        canvas.showPage()
        if progress and (number % 10 == 0 or number == total - 1):
            progress(number + 1, total)
    writer.struct.finish([_page_ref(canvas, i) for i in range(total)])
    canvas.save()
    return total


def _page_ref(canvas: Canvas, index: int) -> Any:
    return canvas._doc.Reference(canvas._doc.Pages.pages[index])


def write_pdf(transcript: Transcript, target: str | Path | BinaryIO, *,
              progress: Progress | None = None, paper: str | None = None) -> int:
    """Lays ``transcript`` out on ``paper`` (default: from the locale) and writes it as a PDF;
    returns the page count. ``progress(done, total)`` covers layout then writing; raising from
    it abandons the export."""
    def laying(done: int, total: int) -> None:
        if progress:
            progress(done, 2 * total)

    pages = typeset(transcript, paper or default_paper(), laying)
    count = max(1, len(transcript.messages))

    def writing(done: int, total: int) -> None:
        if progress:
            progress(count + count * done // max(1, total), 2 * count)

    return write_pages(pages, target, progress=writing)


def pdf_bytes(transcript: Transcript, **kwargs: Any) -> bytes:
    """The PDF as bytes (handy for tests and previews)."""
    buffer = BytesIO()
    write_pdf(transcript, buffer, **kwargs)
    return buffer.getvalue()
