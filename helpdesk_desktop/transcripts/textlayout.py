"""Paragraphs of any script shaped, wrapped and put in visual order.

One paragraph (one line of plain text) is cut into *pieces*: words and the spaces between them,
further cut wherever the font or the bidi level changes. Each piece is shaped by HarfBuzz in its
direction (which also mirrors brackets in right-to-left pieces), lines are filled greedily with
whole pieces in logical order, and each finished line is put in visual order by its bidi levels
(:mod:`.bidi`). Shaping results are cached per (font, direction, text), so a word is shaped once
however often it is written.

The result of :func:`layout_paragraph` is plain data: for each line, glyph runs with positions in
points and, for every glyph, the text it stands for (the text layer of the PDF). Nothing here
knows about pages or PDF.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import operator
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import uharfbuzz as hb

from helpdesk_desktop.transcripts import bidi
from helpdesk_desktop.transcripts.fonts import (
    BOLD,
    EMOJI,
    FONTS,
    MISSING,
    REGULAR,
    clusters,
    face,
    font_for_cluster,
    has_uncovered,
    is_ignorable,
)

_WORDS = re.compile(r" +|[^ ]+")
_TOKENS = re.compile(r" +|[^ ]+ *")
_PUNCTUATION = frozenset({"ON", "CS", "ES", "ET"})
_NO_LINE_START = frozenset({"Po", "Pe", "Pf"})  # 、。，）」 and the like never start a line
_LEVEL_RUNS = re.compile(r"0+|1+|2+|3+|4+|5+|6+|7+|8+|9+")
# Scripts written without spaces between words: a line may break between any two characters.
_CJK = re.compile("[\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                  "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
_SIMPLE = re.compile(r"[\x21-\x7e\xa1-\xac\xae-\u024f]+")  # Latin set in the text font
_SIMPLE_TEXT = re.compile(r"[\x20-\x7e\xa1-\xac\xae-\u024f]+")


@dataclass(frozen=True)
class Shaped:
    """A piece of text shaped in one font (glyphs in logical order)."""

    glyphs: tuple[int, ...]
    advances: tuple[float, ...]  # per unit of font size
    x_offsets: tuple[float, ...]
    y_offsets: tuple[float, ...]
    texts: tuple[str, ...]  # what each glyph stands for ('' for the 2nd+ glyph of a cluster)
    width: float  # per unit of font size
    missing: int  # characters no font has (drawn as the missing-glyph box)
    xs: tuple[float, ...] = ()  # where each glyph is drawn, from the piece's left end
    ys: tuple[float, ...] = ()  # (per unit of font size; y grows downwards)


class Piece:
    """A word, part of a word, or a run of spaces, in one font and at one bidi level."""

    __slots__ = ("_shaped", "_source", "font", "level", "space", "text", "width")

    def __init__(self, text: str, font: int, level: int, space: bool, shaped: Shaped | None,
                 *, width: float = 0.0, source: tuple[Any, ...] | None = None) -> None:
        self.text = text
        self.font = font
        self.level = level
        self.space = space
        self.width = shaped.width if shaped is not None else width  # per unit of font size
        self._shaped = shaped
        self._source = source  # what builds ``shaped`` when it is first asked for

    @property
    def shaped(self) -> Shaped:
        if self._shaped is None:
            assert self._source is not None
            self._shaped = _shaped(*self._source)
            self._source = None
        return self._shaped


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one font on one line, in logical order, positioned in points.

    ``x``/``y`` are the pen position of each glyph relative to the line's left end and its
    baseline (y grows downwards).
    """

    font: int
    size: float
    glyphs: tuple[int, ...]
    x: tuple[float, ...]
    y: tuple[float, ...]
    texts: tuple[str, ...]
    rtl: bool


@dataclass(frozen=True)
class Line:
    """One printed line: its pieces in logical order, each with its left end (points)."""

    pieces: tuple[Piece, ...]
    lefts: tuple[float, ...]  # each piece's left end, points from the line's left end
    levels: tuple[int, ...] | None  # each piece's bidi level (None: all left to right)
    size: float
    width: float
    rtl: bool  # the paragraph reads right to left (the line is right-aligned)
    missing: int

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    def entries(self) -> Iterator[tuple[Piece, float, bool]]:
        """(piece, left end, drawn right to left) in logical order."""
        levels = self.levels or (0,) * len(self.pieces)
        for piece, left, level in zip(self.pieces, self.lefts, levels, strict=True):
            yield piece, left, bool(level % 2)

    @property
    def runs(self) -> tuple[GlyphRun, ...]:
        """The line's glyphs placed, one run per font and direction, in logical order (the
        order of the text layer). Worked out when drawn, not when laid out."""
        return tuple(_merge([_glyph_run(piece, left, rtl, self.size)
                             for piece, left, rtl in self.entries() if piece.shaped.glyphs]))


@functools.lru_cache(maxsize=65536)
def shape(text: str, font: int, rtl: bool) -> Shaped:
    """``text`` shaped in font ``font``; for :data:`MISSING` every visible character becomes the
    primary font's missing-glyph box (glyph 0)."""
    loaded = face(font)
    scale = 1.0 / loaded.upem
    if font == MISSING:
        parts = clusters(text)
        advance = loaded.hb_font.get_glyph_h_advance(0) * scale
        visible = [p for p in parts if not all(is_ignorable(c) for c in p)]
        return _with_positions(Shaped(
            tuple(0 for _ in visible), tuple(advance for _ in visible),
            tuple(0.0 for _ in visible), tuple(0.0 for _ in visible), tuple(visible),
            advance * len(visible), sum(1 for p in visible for c in p if not is_ignorable(c))),
            rtl)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    with loaded.lock:  # a HarfBuzz font is not to be shaped with from two threads at once
        hb.shape(loaded.hb_font, buffer, {"kern": True, "liga": True})
    infos = buffer.glyph_infos
    positions = buffer.glyph_positions
    if rtl:  # HarfBuzz returns right-to-left glyphs in visual order
        infos = infos[::-1]
        positions = positions[::-1]
    return _shaped(text, infos, positions, scale, rtl, 0)


def _shaped(text: str, infos: list[Any], positions: list[Any], scale: float, rtl: bool,
            offset: int) -> Shaped:
    """HarfBuzz's glyphs (in logical order) for ``text``, which starts at code point
    ``offset`` of the shaped buffer."""
    # uharfbuzz adds a str in its own width (Latin-1, UCS-2 or UTF-32): clusters are
    # code point indexes, non-decreasing in logical order (monotone cluster level).
    clusters_ = [info.cluster - offset for info in infos]
    count = len(clusters_)
    glyphs = tuple([info.codepoint for info in infos])
    advances = tuple([p.x_advance * scale for p in positions])
    x_offsets = tuple([p.x_offset * scale for p in positions])
    ys = tuple([-p.y_offset * scale for p in positions])
    width = sum(advances)
    if count == len(text) and clusters_ == list(range(count)):  # one glyph per character
        texts: tuple[str, ...] = tuple(text)
    else:
        found: list[str] = []
        previous = -1
        for index, cluster in enumerate(clusters_):
            if cluster == previous:
                found.append("")
            else:
                end = index + 1
                while end < count and clusters_[end] == cluster:
                    end += 1
                found.append(text[cluster:clusters_[end] if end < count else None])
                previous = cluster
        texts = tuple(found)
    if rtl:  # logical order runs right to left from the piece's right end
        pens = [width - x for x in itertools.accumulate(advances)]
    else:
        pens = [0.0, *itertools.accumulate(advances)][:-1]
    xs = tuple([pen + dx for pen, dx in zip(pens, x_offsets, strict=True)]) if any(x_offsets) \
        else tuple(pens)
    return Shaped(glyphs, advances, x_offsets, tuple(-y for y in ys), texts, width, 0, xs, ys)


_WIDTH = operator.attrgetter("width")
_LEVEL = operator.attrgetter("level")
_plain_pieces: dict[int, dict[str, Piece]] = {}  # font -> word -> piece
_plain_lock = threading.Lock()


def _simple_pieces(words: list[str], font: int) -> list[Piece]:
    """Pieces for words of plain Latin, the words not seen before shaped in one HarfBuzz call
    (separated by spaces, which kern with nothing in the bundled fonts)."""
    cache = _plain_pieces.setdefault(font, {})
    new = list(set(words).difference(cache))
    if new:
        loaded = face(font)
        buffer = hb.Buffer()
        buffer.add_str(" ".join(new))
        buffer.direction = "ltr"
        buffer.guess_segment_properties()
        buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        with loaded.lock:
            hb.shape(loaded.hb_font, buffer, {"kern": True, "liga": True})
        infos, positions = buffer.glyph_infos, buffer.glyph_positions
        starts = [info.cluster for info in infos]
        scale = 1.0 / loaded.upem
        advances = [p.x_advance for p in positions]
        offset = 0
        with _plain_lock:
            if len(cache) > 200_000:  # a bound on memory; words seen again are shaped again
                cache.clear()
            for word in new:
                first = bisect.bisect_left(starts, offset)
                last = bisect.bisect_left(starts, offset + len(word))
                # Only the width now; the glyphs are worked out when the line is drawn.
                cache[word] = Piece(
                    word, font, 0, word[0] == " ", None,
                    width=sum(advances[first:last]) * scale,
                    source=(word, infos[first:last], positions[first:last], scale, False,
                            offset))
                offset += len(word) + 1
    try:
        return list(map(cache.__getitem__, words))
    except KeyError:  # another thread cleared the cache meanwhile
        return _simple_pieces(words, font)


def _layout_simple(text: str, width: float, size: float, bold: bool) -> list[Line] | None:
    """Plain Latin (words and spaces, one font, left to right) broken into lines with running
    sums instead of a loop per word; ``None`` when a word is wider than the line."""
    words = _WORDS.findall(text)
    font = BOLD if bold else REGULAR
    pieces = _simple_pieces(words, font)
    widths = list(map(_WIDTH, pieces))  # per unit of font size
    if not pieces or max(widths) * size > width:
        return None if pieces else [Line((), (), None, size, 0.0, False, 0)]
    sums = [0.0, *itertools.accumulate(widths)]
    width /= size
    lines: list[Line] = []
    start, count = 0, len(pieces)
    while start < count:
        if pieces[start].space:
            start += 1
            continue
        end = bisect.bisect_right(sums, sums[start] + width + 1e-6) - 1  # pieces[start:end] fit
        if end < count and not pieces[end].space:  # the next word does not fit: break before it
            end -= 1
            while end > start and not pieces[end].space:
                end -= 1
        stop = end
        while stop > start and pieces[stop - 1].space:
            stop -= 1
        base = sums[start]
        lines.append(Line(tuple(pieces[start:stop]),
                          tuple([(x - base) * size for x in sums[start:stop]]),
                          None, size, (sums[stop] - base) * size, False, 0))
        start = end
    return lines or [Line((), (), None, size, 0.0, False, 0)]


def _with_positions(shaped: Shaped, rtl: bool) -> Shaped:
    pen_xs: list[float] = []
    if rtl:  # logical order runs right to left from the piece's right end
        pen = shaped.width
        for advance, dx in zip(shaped.advances, shaped.x_offsets, strict=True):
            pen -= advance
            pen_xs.append(pen + dx)
    else:
        pen = 0.0
        for advance, dx in zip(shaped.advances, shaped.x_offsets, strict=True):
            pen_xs.append(pen + dx)
            pen += advance
    return dataclasses.replace(shaped, xs=tuple(pen_xs), ys=tuple(-y for y in shaped.y_offsets))


Unit = tuple[Piece, ...]  # pieces a line may not break between (a word), or one space


def _units(text: str, bold: bool, levels: str | None,
           size: float) -> tuple[list[Unit], list[float], list[int]]:
    """``text`` cut into words and spaces, words into pieces where the font or level changes
    (ideographs each a word of their own), with each unit's width in points at ``size`` and its
    bidi level. ``levels``: one digit per character (:func:`bidi.level_string`), ``None`` when
    all are 0. Each stretch of one level is cut into tokens (a word and the spaces after it),
    each token's units and widths cached; words parted by single spaces are cut with
    ``str.split``."""
    out: list[Unit] = []
    widths: list[float] = []
    unit_levels: list[int] = []
    chain = itertools.chain.from_iterable
    runs = [(0, len(text), 0)] if levels is None else \
        [(run.start(), run.end(), ord(levels[run.start()]) - 48)
         for run in _LEVEL_RUNS.finditer(levels)]
    for start, end, level in runs:
        tokens = _tokens(bold, level, size)
        segment = text[start:end]
        before = len(out)
        if segment[:1] == " " or "  " in segment:  # runs of spaces: tokens by the pattern
            found = _TOKENS.findall(segment)
            out.extend(chain(map(tokens.units.__getitem__, found)))
            widths.extend(chain(map(tokens.widths.__getitem__, found)))
        else:
            words = segment.split(" ")  # each word but the last had one space after it
            last = words.pop()
            out.extend(chain(map(tokens.spaced_units.__getitem__, words)))
            widths.extend(chain(map(tokens.spaced_widths.__getitem__, words)))
            if last:
                out.extend(tokens.units[last])
                widths.extend(tokens.widths[last])
        unit_levels.extend([level] * (len(out) - before))
    return out, widths, unit_levels


class _Memo(dict[str, tuple[Any, ...]]):
    """key -> ``make(key)``, made when first asked for (looked up with ``map``, at the speed of
    C); emptied when it grows past a bound."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> tuple[Any, ...]:
        if len(self) > 100_000:  # a bound on memory; tokens seen again are made again
            self.clear()
        found: tuple[Any, ...] = self.make(key)
        self[key] = found
        return found


class _Tokens:
    """The units of tokens (a word and the spaces after it) in one weight and at one bidi level,
    and their widths in points at one size (each ``_unit_width(unit) * size``, the product
    :func:`_fill` compares)."""

    def __init__(self, bold: bool, level: int, size: float) -> None:
        def units(token: str) -> tuple[Unit, ...]:
            return _token_units(token, bold, level)

        def widths(token: str) -> tuple[float, ...]:
            return tuple([_unit_width(unit) * size for unit in units(token)])

        self.units = _Memo(units)
        self.widths = _Memo(widths)
        self.spaced_units = _Memo(lambda word: units(word + " "))  # word -> units of "word "
        self.spaced_widths = _Memo(lambda word: widths(word + " "))


_token_sets: dict[tuple[bool, int, float], _Tokens] = {}


def _tokens(bold: bool, level: int, size: float) -> _Tokens:
    key = (bold, level, size)
    found = _token_sets.get(key)
    if found is None:
        if len(_token_sets) >= 256:
            _token_sets.clear()
        found = _token_sets.setdefault(key, _Tokens(bold, level, size))
    return found


def _unit_width(unit: Unit) -> float:
    """A unit's width per unit of font size, added up as :func:`_fill` adds it."""
    return unit[0].width if len(unit) == 1 else sum(p.width for p in unit)


@functools.lru_cache(maxsize=65536)
def _token_units(token: str, bold: bool, level: int) -> tuple[Unit, ...]:
    """A word and the spaces after it: the word's units, then the spaces, set in the word's
    last font when it has a space (so a line of one script stays one run)."""
    plain = BOLD if bold else REGULAR
    word = token.rstrip(" ")
    spaces = token[len(word):]
    if not word:
        return ((_piece(spaces, plain, level, True),),)
    if level == 0 and _SIMPLE.fullmatch(word):
        units: list[Unit] = [(_piece(word, plain, 0, False),)]
    else:
        units = list(_word_units(word, bold, level))
    if spaces:
        last = units[-1][-1].font if units else plain
        units.append((_piece(spaces, last if last in _space_fonts() else plain, level, True),))
    return tuple(units)


@functools.cache
def _space_fonts() -> frozenset[int]:
    return frozenset(i for i in range(len(FONTS)) if _has_space(i))


def _has_space(font: int) -> bool:
    # The emoji font's space is as wide as an emoji: spaces next to emoji are set in the text font.
    return font >= 0 and font != EMOJI and 0x20 in face(font).coverage


@functools.lru_cache(maxsize=65536)
def _word_units(word: str, bold: bool, level: int) -> tuple[Unit, ...]:
    """A word of one bidi level cut where the font changes (and after every ideograph)."""
    return _mixed_word_units(word, bold, [level] * len(word))


def _mixed_word_units(word: str, bold: bool, levels: list[int]) -> tuple[Unit, ...]:
    units: list[Unit] = []
    out: list[Piece] = []
    current = ""
    current_key: tuple[int, int] | None = None
    offset = 0
    for cluster in clusters(word):
        font = font_for_cluster(cluster, bold)
        level = levels[offset]
        if current_key is not None and font != current_key[0] and len(cluster) == 1 \
                and unicodedata.bidirectional(cluster) in _PUNCTUATION \
                and current_key[0] >= 0 and ord(cluster) in face(current_key[0]).coverage:
            font = current_key[0]  # punctuation in the font of the letters before it
        key = (font, level)
        cjk = _CJK.match(cluster) is not None
        if current and current_key is not None and (key != current_key or cjk):
            out.append(_piece(current, current_key[0], current_key[1], False))
            current = ""
        current += cluster
        current_key = key
        offset += len(cluster)
        if cjk:  # a line may break before and after every ideograph …
            if out:
                units.append(tuple(out))
            piece = _piece(current, font, level, False)
            if units and unicodedata.category(cluster[0]) in _NO_LINE_START:
                units[-1] = (*units[-1], piece)  # … but not before a comma or a closing mark
            else:
                units.append((piece,))
            out = []
            current = ""
    if current and current_key is not None:
        out.append(_piece(current, current_key[0], current_key[1], False))
    if out:
        units.append(tuple(out))
    return tuple(units)


@functools.lru_cache(maxsize=65536)
def _plain_unit(word: str) -> Unit:
    return (_piece(word, REGULAR, 0, word[0] == " "),)


@functools.lru_cache(maxsize=65536)
def _bold_unit(word: str) -> Unit:
    return (_piece(word, BOLD, 0, word[0] == " "),)


@functools.lru_cache(maxsize=65536)
def _piece(text: str, font: int, level: int, space: bool) -> Piece:
    return Piece(text, font, level, space, shape(text, font, bool(level % 2)))


#: How many shaped words and tokens the layout caches may keep between two transcripts.
KEPT_BETWEEN_LAYOUTS = 8_000
_CACHES = (shape, _token_units, _word_units, _plain_unit, _bold_unit, _piece)


def cached_words() -> int:
    """How many entries the layout's word caches hold."""
    return sum(map(len, list(_plain_pieces.values()))) + sum(
        cached.cache_info().currsize for cached in _CACHES) + sum(
        len(memo) for tokens in list(_token_sets.values()) for memo in
        (tokens.units, tokens.widths, tokens.spaced_units, tokens.spaced_widths))


def release_caches(keep: int = 0) -> None:
    """Empties the shaping and word caches when they hold more than ``keep`` entries.

    One layout fills them (a word seen again is not shaped again); the pages laid out keep the
    pieces they use. Kept whole, they held every distinct word shaped since the program
    started (~1.7 KB a word: up to 200,000 words per font and 100,000 tokens per size and
    weight) for as long as it ran (issue 11, M3); :func:`pages.typeset` now keeps at most
    :data:`KEPT_BETWEEN_LAYOUTS` of them for the next transcript.
    """
    if keep and cached_words() <= keep:
        return
    with _plain_lock:
        _plain_pieces.clear()
    _token_sets.clear()
    for cached in _CACHES:
        cached.cache_clear()


def _split_piece(piece: Piece, width: float, size: float) -> tuple[Piece, Piece]:
    """Cuts a word too wide for a line after the last cluster that fits (at least one)."""
    parts = clusters(piece.text)
    rtl = bool(piece.level % 2)
    cut = 1
    for count in range(1, len(parts)):
        head = "".join(parts[:count + 1])
        if shape(head, piece.font, rtl).width * size > width:
            break
        cut = count + 1
    head, tail = "".join(parts[:cut]), "".join(parts[cut:])
    return (_piece(head, piece.font, piece.level, False),
            _piece(tail, piece.font, piece.level, False))


def layout_paragraph(text: str, width: float, size: float, *, bold: bool = False,
                     rtl: bool | None = None) -> list[Line]:
    """One paragraph (no line breaks in it) wrapped into lines no wider than ``width`` points.

    ``rtl``: the paragraph direction; by default that of its first strong letter.
    """
    text = text.replace("\t", "    ")
    base_rtl = bidi.base_is_rtl(text) if rtl is None else rtl
    levels = bidi.level_string(text, base_rtl) if bidi.needs_bidi(text) or base_rtl \
        else None
    if levels is None and _SIMPLE_TEXT.fullmatch(text):  # plain Latin: no font or level changes
        simple = _layout_simple(text, width, size, bold)
        if simple is not None:
            return simple
        queue = list(map(_bold_unit if bold else _plain_unit, _WORDS.findall(text)))
    else:
        queue, widths, unit_levels = _units(text, bold, levels, size)
        spans = _fill_spans(queue, widths, width)
        if spans is not None:
            may_miss = has_uncovered(text)
            return [_place_span(queue, widths, unit_levels, first, after, size, base_rtl,
                                may_miss) for first, after in spans]
    return _layout_units(queue, width, size, base_rtl, has_uncovered(text))


def _layout_units(queue: list[Unit], width: float, size: float, base_rtl: bool,
                  may_miss: bool) -> list[Line]:
    """The general way: units taken one by one in logical order, a word that does not fit going
    to the next line, a word wider than a whole line cut."""
    return [_place(line, size, base_rtl, may_miss) for line in _fill(queue, width, size)]


def _fill(units: list[Unit], width: float, size: float) -> list[list[Piece]]:
    queue = units[::-1]
    lines: list[list[Piece]] = [[]]
    used = 0.0
    while queue:
        unit = queue.pop()
        if unit[0].space:
            if lines[-1]:
                lines[-1].append(unit[0])
                used += unit[0].width * size
            continue
        unit_width = _unit_width(unit) * size
        if used + unit_width <= width:
            lines[-1].extend(unit)
            used += unit_width
            continue
        if lines[-1]:  # the word goes to the next line
            while lines[-1] and lines[-1][-1].space:  # trailing spaces do not count
                lines[-1].pop()
            lines.append([])
            used = 0.0
            queue.append(unit)
            continue
        # A word wider than the whole line: cut between its pieces, or inside its first one.
        if len(unit) > 1:
            queue.extend((piece,) for piece in reversed(unit))
            continue
        head, tail = _split_piece(unit[0], width, size)
        if tail.text:
            queue.append((tail,))
        lines[-1].append(head)
        used += head.width * size
    return lines


def _fill_spans(units: list[Unit], widths: list[float],
                width: float) -> list[tuple[int, int]] | None:
    """:func:`_fill` for a paragraph whose every word fits on a line, given each unit's width
    in points: the same sums in the same order, so the same lines, each as the span
    ``first:after`` of ``units`` from its first word to its last (spaces around them are never
    drawn). ``None`` when a word does not fit on a line of its own (it is to be cut:
    :func:`_fill`'s work)."""
    spans: list[tuple[int, int]] = []
    first = -1  # the line's first word (-1: the line is empty)
    after = 0  # after the line's last word
    used = 0.0
    for index, unit in enumerate(units):
        unit_width = widths[index]
        if unit[0].space:
            if first >= 0:
                used += unit_width
        elif used + unit_width <= width:
            if first < 0:
                first = index
            used += unit_width
            after = index + 1
        elif first < 0 or 0.0 + unit_width > width:
            return None
        else:  # the word goes to the next line
            spans.append((first, after))
            first, after = index, index + 1
            used = 0.0 + unit_width
    spans.append((first, after) if first >= 0 else (0, 0))
    return spans


def _place_span(units: list[Unit], widths: list[float], levels: list[int], first: int,
                after: int, size: float, base_rtl: bool, may_miss: bool) -> Line:
    """:func:`_place` for the pieces of ``units[first:after]``, the widths and levels of the
    units being those of the pieces when each unit is one piece."""
    pieces = list(itertools.chain.from_iterable(units[first:after]))
    if len(pieces) != after - first:
        return _place(pieces, size, base_rtl, may_miss)
    return _placed(pieces, widths[first:after], levels[first:after], size, base_rtl, may_miss)


def _place(pieces: list[Piece], size: float, base_rtl: bool, may_miss: bool) -> Line:
    """Positions one line's pieces left to right in visual order (L2). The line's trailing
    spaces, which L1 would put at the paragraph level, are not drawn at all."""
    while pieces and pieces[-1].space:
        pieces = pieces[:-1]
    return _placed(pieces, list(map(operator.mul, map(_WIDTH, pieces), itertools.repeat(size))),
                   list(map(_LEVEL, pieces)), size, base_rtl, may_miss)


def _placed(pieces: list[Piece], widths: list[float], levels: list[int], size: float,
            base_rtl: bool, may_miss: bool) -> Line:
    """:func:`_place` given the pieces' widths (points) and levels."""
    missing = sum(p.shaped.missing for p in pieces if p.font == MISSING) if may_miss else 0
    if not base_rtl and not any(levels):
        starts = [0.0, *itertools.accumulate(widths)]
        return Line(tuple(pieces), tuple(starts[:-1]), None, size, starts[-1], False, missing)
    count = len(pieces)
    if count and levels[0] % 2 and levels.count(levels[0]) == count:  # all right to left
        xs = list(itertools.accumulate(reversed(widths), initial=0.0))
        return Line(tuple(pieces), tuple(xs[-2::-1]), tuple(levels), size, xs[-1], base_rtl,
                    missing)
    # The widths in the order they are drawn, added up from the left: each piece's left end.
    runs = bidi.visual_runs(levels)
    drawn = [widths[first:after][::-1] if reverse else widths[first:after]
             for first, after, reverse in runs]
    xs = list(itertools.accumulate(itertools.chain.from_iterable(drawn), initial=0.0))
    lefts = [0.0] * len(pieces)
    done = 0
    for first, after, reverse in runs:
        placed = xs[done:done + after - first]
        lefts[first:after] = placed[::-1] if reverse else placed
        done += after - first
    return Line(tuple(pieces), tuple(lefts), tuple(levels), size, xs[-1], base_rtl, missing)


def _glyph_run(piece: Piece, left: float, rtl: bool, size: float) -> GlyphRun:
    shaped = piece.shaped
    return GlyphRun(piece.font, size, shaped.glyphs, tuple(left + x * size for x in shaped.xs),
                    tuple(y * size for y in shaped.ys), shaped.texts, rtl)


def _merge(runs: list[GlyphRun]) -> Iterator[GlyphRun]:
    """Neighbouring runs of one font and direction as one run (fewer PDF operators)."""
    current: GlyphRun | None = None
    for run in runs:
        if current is not None and current.font == run.font and current.rtl == run.rtl:
            current = GlyphRun(run.font, run.size, current.glyphs + run.glyphs,
                               current.x + run.x, current.y + run.y,
                               current.texts + run.texts, run.rtl)
        else:
            if current is not None:
                yield current
            current = run
    if current is not None:
        yield current
