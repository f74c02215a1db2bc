"""The bundled fonts and per-character font fallback.

ReportLab sets a run of text in one font and shows a box for every character that font lacks,
so text is split into runs, each in the first bundled font that has glyphs for it. The same
files are registered with Qt by the UI so that the preview shows the same scripts.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from helpdesk_desktop.resources import FONTS as FONTS_DIR


@dataclass(frozen=True)
class BundledFont:
    name: str  # the name fonts are registered under in ReportLab
    family: str  # the family name Qt knows it by
    file: str
    bold_file: str | None = None


# In fallback order: a character goes to the first font that has a glyph for it.
FONTS: tuple[BundledFont, ...] = (
    BundledFont("HD-Sans", "Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    BundledFont("HD-Arabic", "Noto Sans Arabic", "NotoSansArabic-Regular.ttf"),
    BundledFont("HD-Hebrew", "Noto Sans Hebrew", "NotoSansHebrew-Regular.ttf"),
    BundledFont("HD-CJK", "Droid Sans Fallback", "DroidSansFallbackFull.ttf"),
    BundledFont("HD-Korean", "NanumSquare", "NanumSquareR.ttf"),
    BundledFont("HD-Thai", "Noto Sans Thai", "NotoSansThai-Regular.ttf"),
    BundledFont("HD-Armenian", "Noto Sans Armenian", "NotoSansArmenian-Regular.ttf"),
    BundledFont("HD-Georgian", "Noto Sans Georgian", "NotoSansGeorgian-Regular.ttf"),
    BundledFont("HD-Emoji", "Noto Emoji", "NotoEmoji-Regular.ttf"),
    BundledFont("HD-Symbols", "DejaVu Sans", "DejaVuSans.ttf"),
)
PRIMARY = FONTS[0].name
EMOJI = "HD-Emoji"

# Characters that draw nothing and need no glyph; they stay with the run around them.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
              "\ufe0e", "\ufe0f"}


def font_files() -> list[Path]:
    """Every bundled font file (regular and bold), for registering with Qt."""
    files = [FONTS_DIR / f.file for f in FONTS]
    files += [FONTS_DIR / f.bold_file for f in FONTS if f.bold_file]
    return [p for p in files if p.exists()]


def family_list() -> list[str]:
    """Family names in fallback order (a CSS ``font-family`` list for the preview)."""
    return [f.family for f in FONTS]


@functools.cache
def register_reportlab_fonts() -> tuple[str, ...]:
    """Registers the bundled fonts with ReportLab once; the names of those found."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    registered: list[str] = []
    for font in FONTS:
        path = FONTS_DIR / font.file
        if not path.exists():
            continue
        pdfmetrics.registerFont(TTFont(font.name, str(path)))
        bold_name = font.name
        if font.bold_file and (FONTS_DIR / font.bold_file).exists():
            bold_name = f"{font.name}-Bold"
            pdfmetrics.registerFont(TTFont(bold_name, str(FONTS_DIR / font.bold_file)))
        # Fonts without a bold face print bold text in their regular face rather than a box.
        addMapping(font.name, 0, 0, font.name)
        addMapping(font.name, 1, 0, bold_name)
        addMapping(font.name, 0, 1, font.name)
        addMapping(font.name, 1, 1, bold_name)
        registered.append(font.name)
    if not registered:
        raise FileNotFoundError(f"No bundled fonts found in {FONTS_DIR}")
    return tuple(registered)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF (emoji) written as UTF-16
    surrogate pairs as the PDF specification requires. ReportLab 5.1 writes them as five hex
    digits, which text extraction rejects, so emoji could not be copied or searched."""
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


@functools.cache
def _coverage() -> tuple[tuple[str, frozenset[int]], ...]:
    from reportlab.pdfbase import pdfmetrics

    names = register_reportlab_fonts()
    return tuple((name, frozenset(pdfmetrics.getFont(name).face.charToGlyph))
                 for name in names)


def font_for(char: str) -> str | None:
    """The first bundled font with a glyph for ``char``; ``None`` when no font has one."""
    code = ord(char)
    for name, cmap in _coverage():
        if code in cmap:
            return name
    return None


def split_runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(font name, run)`` pieces, each piece in a font that can draw it.

    Spaces, joiners and combining marks stay in the run they belong to; invisible characters no
    font draws are dropped rather than printed as boxes; visible characters no font has are set
    in the primary font (and show as its missing-glyph box).
    """
    runs: list[tuple[str, str]] = []
    current_font: str | None = None
    current: list[str] = []
    for char in text:
        font = font_for(char)
        neutral = char.isspace() or unicodedata.category(char) in ("Mn", "Me", "Cf")
        if font is None:
            if char in _INVISIBLE or unicodedata.category(char) == "Cf":
                continue
            font = current_font or PRIMARY
        elif neutral and current_font is not None and _has(current_font, char):
            # Emoji fonts have very wide spaces: a space after an emoji is set in the text font.
            font = PRIMARY if char.isspace() and current_font == EMOJI else current_font
        if font != current_font and current:
            runs.append((current_font or PRIMARY, "".join(current)))
            current = []
        current_font = font
        current.append(char)
    if current:
        runs.append((current_font or PRIMARY, "".join(current)))
    return runs


def _has(font: str, char: str) -> bool:
    return any(name == font and ord(char) in cmap for name, cmap in _coverage())
