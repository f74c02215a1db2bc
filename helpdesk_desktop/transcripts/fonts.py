"""The bundled fonts, and which of them sets each character.

Text is set in the first bundled font with a glyph for the character (a whole grapheme cluster
goes to one font, so an emoji sequence or a letter with its marks is never split). The same font
files are used by the PDF writer and the print preview, so both draw the same glyphs. Fonts are
found through :mod:`helpdesk_desktop.resources`.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass, field

import uharfbuzz as hb

from helpdesk_desktop.resources import FONTS as FONTS_DIR


@dataclass(frozen=True)
class BundledFont:
    name: str  # the name the PDF writer registers it under
    family: str
    file: str


# In fallback order: a character goes to the first font that has a glyph for it.
FONTS: tuple[BundledFont, ...] = (
    BundledFont("HD-Sans", "Noto Sans", "NotoSans-Regular.ttf"),
    BundledFont("HD-Sans-Bold", "Noto Sans", "NotoSans-Bold.ttf"),
    BundledFont("HD-Arabic", "Noto Sans Arabic", "NotoSansArabic-Regular.ttf"),
    BundledFont("HD-Hebrew", "Noto Sans Hebrew", "NotoSansHebrew-Regular.ttf"),
    BundledFont("HD-Devanagari", "Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf"),
    BundledFont("HD-Bengali", "Noto Sans Bengali", "NotoSansBengali-Regular.ttf"),
    BundledFont("HD-Tamil", "Noto Sans Tamil", "NotoSansTamil-Regular.ttf"),
    BundledFont("HD-Gurmukhi", "Noto Sans Gurmukhi", "NotoSansGurmukhi-Regular.ttf"),
    BundledFont("HD-Gujarati", "Noto Sans Gujarati", "NotoSansGujarati-Regular.ttf"),
    BundledFont("HD-Telugu", "Noto Sans Telugu", "NotoSansTelugu-Regular.ttf"),
    BundledFont("HD-Kannada", "Noto Sans Kannada", "NotoSansKannada-Regular.ttf"),
    BundledFont("HD-Malayalam", "Noto Sans Malayalam", "NotoSansMalayalam-Regular.ttf"),
    BundledFont("HD-Oriya", "Noto Sans Oriya", "NotoSansOriya-Regular.ttf"),
    BundledFont("HD-Sinhala", "Noto Sans Sinhala", "NotoSansSinhala-Regular.ttf"),
    BundledFont("HD-Thai", "Noto Sans Thai", "NotoSansThai-Regular.ttf"),
    BundledFont("HD-Lao", "Noto Sans Lao", "NotoSansLao-Regular.ttf"),
    BundledFont("HD-Khmer", "Noto Sans Khmer", "NotoSansKhmer-Regular.ttf"),
    BundledFont("HD-Myanmar", "Noto Sans Myanmar", "NotoSansMyanmar-Regular.ttf"),
    BundledFont("HD-Ethiopic", "Noto Sans Ethiopic", "NotoSansEthiopic-Regular.ttf"),
    BundledFont("HD-Armenian", "Noto Sans Armenian", "NotoSansArmenian-Regular.ttf"),
    BundledFont("HD-Georgian", "Noto Sans Georgian", "NotoSansGeorgian-Regular.ttf"),
    BundledFont("HD-CJK", "Droid Sans Fallback", "DroidSansFallbackFull.ttf"),
    BundledFont("HD-Korean", "NanumSquare", "NanumSquareR.ttf"),
    BundledFont("HD-Emoji", "Noto Emoji", "NotoEmoji-Regular.ttf"),
    BundledFont("HD-Symbols", "DejaVu Sans", "DejaVuSans.ttf"),
)
REGULAR = 0
BOLD = 1
EMOJI = next(i for i, f in enumerate(FONTS) if f.name == "HD-Emoji")
MISSING = -1  # "no font has it": drawn as the primary font's missing-glyph box

# Characters that draw nothing and need no glyph of their own.
_IGNORABLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\U000e0000-\U000e0fff]")
_EMOJI_LIKE = re.compile("[\u200d\u20e3\ufe0f\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff"
                         "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")


@dataclass
class Face:
    """One font file: its HarfBuzz face, units and the characters it covers.

    HarfBuzz maps the file (``hb.Blob.from_file_path``) instead of a copy of it in ``bytes``,
    and the coverage is HarfBuzz's own set of code points (``code in coverage``), not a Python
    ``frozenset``: the 25 bundled fonts held ~11 MB of file copies and ~6 MB of Python ints
    for as long as the program ran after its first transcript.
    """

    index: int
    font: BundledFont
    hb_face: hb.Face
    hb_font: hb.Font
    upem: int
    ascent: float  # per unit of font size
    descent: float
    coverage: hb.Set
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def path(self) -> str:
        return str(FONTS_DIR / self.font.file)

    @property
    def data(self) -> bytes:
        """The font file's bytes, read when asked (the Qt preview registers them)."""
        return (FONTS_DIR / self.font.file).read_bytes()


_load_lock = threading.Lock()


_loaded: tuple[Face | None, ...] | None = None


def faces() -> tuple[Face | None, ...]:
    """Every bundled font, loaded once (``None`` for a file that is missing); safe to call from
    several threads at once."""
    if _loaded is not None:
        return _loaded
    with _load_lock:
        return _loaded if _loaded is not None else _load()


def _load() -> tuple[Face | None, ...]:
    global _loaded
    loaded: list[Face | None] = []
    for index, font in enumerate(FONTS):
        path = FONTS_DIR / font.file
        if not path.exists():
            loaded.append(None)
            continue
        face = hb.Face(hb.Blob.from_file_path(str(path)))
        hb_font = hb.Font(face)
        extents = hb_font.get_font_extents("ltr")
        upem = face.upem
        loaded.append(Face(index, font, face, hb_font, upem,
                           extents.ascender / upem, -extents.descender / upem,
                           face.unicodes))
    if loaded[REGULAR] is None:
        raise FileNotFoundError(f"The transcript font {FONTS[REGULAR].file} is missing "
                                f"from {FONTS_DIR}")
    _loaded = tuple(loaded)
    return _loaded


def face(index: int) -> Face:
    """The loaded font ``index`` (the primary font for :data:`MISSING`)."""
    found = faces()[REGULAR if index == MISSING else index]
    assert found is not None
    return found


def font_files() -> list[str]:
    """Every bundled font file found (for registering with Qt)."""
    return [f.path for f in faces() if f is not None]


def family_list() -> list[str]:
    """Family names in fallback order."""
    return list(dict.fromkeys(f.family for f in FONTS))


@functools.lru_cache(maxsize=4096)
def _font_for_char(code: int, bold: bool) -> int:
    if bold and _covered(BOLD, code):
        return BOLD
    for index, loaded in enumerate(faces()):
        if index == BOLD or loaded is None:
            continue
        if code in loaded.coverage:
            return index
    return MISSING


def _covered(index: int, code: int) -> bool:
    loaded = faces()[index]
    return loaded is not None and code in loaded.coverage


def is_ignorable(char: str) -> bool:
    return _IGNORABLE.match(char) is not None


def font_for_cluster(cluster: str, bold: bool = False) -> int:
    """The font that sets one grapheme cluster: the emoji font for emoji sequences, else the
    first font with the cluster's first visible character; :data:`MISSING` when none has it."""
    visible = [c for c in cluster if not is_ignorable(c)]
    if not visible:
        return BOLD if bold else REGULAR
    first = ord(visible[0])
    if _EMOJI_LIKE.search(cluster) and (len(cluster) > 1 or first >= 0x1F000) \
            and _covered(EMOJI, first):
        return EMOJI
    return _font_for_char(first, bold)


def _attaches(previous: str, char: str) -> bool:
    """Whether ``char`` belongs to the grapheme cluster ending in ``previous``."""
    code = ord(char)
    if previous == "\u200d" or char == "\u200d":
        return True
    if 0x1F3FB <= code <= 0x1F3FF or 0xFE00 <= code <= 0xFE0F or 0xE0020 <= code <= 0xE007F \
            or code == 0x20E3:
        return True
    return unicodedata.category(char) in ("Mn", "Mc", "Me")


def clusters(text: str) -> list[str]:
    """``text`` cut into (approximate) grapheme clusters: a letter with its marks, an emoji
    with its modifiers and joined parts, a pair of regional indicators (a flag)."""
    out: list[str] = []
    pending_flag = False
    for char in text:
        code = ord(char)
        if out and _attaches(out[-1][-1], char):
            out[-1] += char
            continue
        if 0x1F1E6 <= code <= 0x1F1FF:
            if pending_flag:
                out[-1] += char
                pending_flag = False
                continue
            pending_flag = True
        else:
            pending_flag = False
        out.append(char)
    return out


@functools.cache
def _uncovered() -> re.Pattern[str]:
    covered = hb.Set()
    for loaded in faces():
        if loaded is not None:
            covered.update(loaded.coverage)
    covered.add_range(0, 0x20)
    ranges: list[str] = []
    start = previous = -2
    for code in covered:  # in increasing order
        if code != previous + 1:
            if start >= 0:
                ranges.append(_range(start, previous))
            start = code
        previous = code
    ranges.append(_range(start, previous))
    return re.compile("[^" + "".join(ranges) + "]")


def _range(start: int, end: int) -> str:
    return re.escape(chr(start)) if start == end else f"{re.escape(chr(start))}-{re.escape(chr(end))}"


def has_uncovered(text: str) -> bool:
    """Whether ``text`` holds a character that no bundled font has (ignorables aside)."""
    found = _uncovered().search(text)
    while found is not None:
        if not is_ignorable(found.group()):
            return True
        found = _uncovered().search(text, found.end())
    return False
