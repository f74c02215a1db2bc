"""The faster layout of bidi paragraphs gives exactly what the general way gives.

Right-to-left and mixed paragraphs are filled by ``_fill_spans`` (unit widths cached per size,
lines as spans of units) and placed by ``_place_span``/``bidi.visual_runs``, their levels worked
out by the faster ``bidi.level_string``. The reference here is the way it was done before:
``bidi_reference`` (the earlier rules), tokens found with the pattern, ``_fill`` (one unit at a
time, the loop that also cuts words too wide for a line) and L2 one piece at a time.
"""

from __future__ import annotations

import itertools
import random

import pytest

from helpdesk_desktop.transcripts import bidi, textlayout
from helpdesk_desktop.transcripts.fonts import BOLD, MISSING, REGULAR, has_uncovered
from helpdesk_desktop.transcripts.textlayout import Line, Piece, Unit, layout_paragraph
from tests.transcripts import bidi_reference

ARABIC = "مرحبا، الطابعة ما زالت تدخن والورق عالق مرة أخرى اليوم في الدرج."
HEBREW = "שלום, המדפסת עדיין מעשנת והנייר נתקע שוב היום במגש."
PARAGRAPHS = [
    ARABIC * 4,
    HEBREW * 5,
    "Message 12: " + ARABIC * 3,
    "Message 7: " + HEBREW * 3 + " ",
    "الطلب (رقم 1234) [مرحبا] {نعم} ٣٤٥ والسعر 12.50 € أو 3,5% — راجع <yasmin@example.com>",
    "ההזמנה (מספר 42) [בדיקה] נשלחה ב-12/05/2026, המחיר 99.90 ₪ (כולל מע\"מ) ושוב [כן].",
    "The customer wrote (שלום עולם) and [مرحبا بك] then 2024-12-05 at 10:30, ok?",
    "«مرحبا» \"שלום\" (a [b {c} d] e) ((nested (deep))) ]unbalanced[ )x(",
    "مَرْحَبًا بِكُمْ فِي الدَّعْمِ الْفَنِّيِّ " * 3,
    "  leading spaces then عربي  double  spaces   and   more שלום  ",
    "👨\u200d👩\u200d👧 مرحبا 🇫🇷 שלום 👍🏽 end",
    "\u200fRLM first, then Latin words and الأرقام ١٢٣ 456",
    "كلمة" * 40 + " قصيرة",  # a word wider than a narrow line: cut by the general way
    "",
    "   ",
]
WIDTHS = [481.2, 300.0, 120.5, 60.0]


def reference_units(text: str, bold: bool, levels: str | None) -> list[Unit]:
    out: list[Unit] = []
    runs = [(0, len(text), 0)] if levels is None else \
        [(m.start(), m.end(), int(m.group()[0])) for m in textlayout._LEVEL_RUNS.finditer(levels)]
    for start, end, level in runs:
        for token in textlayout._TOKENS.findall(text, start, end):
            out.extend(textlayout._token_units(token, bold, level))
    return out


def reference_place(pieces: list[Piece], size: float, base_rtl: bool, may_miss: bool) -> Line:
    while pieces and pieces[-1].space:
        pieces = pieces[:-1]
    widths = [p.width * size for p in pieces]
    levels = [p.level for p in pieces]
    missing = sum(p.shaped.missing for p in pieces if p.font == MISSING) if may_miss else 0
    if not base_rtl and not any(levels):
        starts = [0.0, *itertools.accumulate(widths)]
        return Line(tuple(pieces), tuple(starts[:-1]), None, size, starts[-1], False, missing)
    lefts = [0.0] * len(pieces)
    x = 0.0
    for index in bidi_reference.visual_order(levels):
        lefts[index] = x
        x += widths[index]
    return Line(tuple(pieces), tuple(lefts), tuple(levels), size, x, base_rtl, missing)


def reference_layout(text: str, width: float, size: float, bold: bool = False,
                     rtl: bool | None = None) -> list[Line]:
    base_rtl = bidi_reference.base_is_rtl(text) if rtl is None else rtl
    levels = bidi_reference.level_string(text, base_rtl) \
        if bidi_reference.needs_bidi(text) or base_rtl else None
    if levels is None and textlayout._SIMPLE_TEXT.fullmatch(text):  # plain Latin: unchanged
        simple = textlayout._layout_simple(text, width, size, bold)
        if simple is not None:
            return simple
        units = [(textlayout._piece(w, BOLD if bold else REGULAR, 0, w[0] == " "),)
                 for w in textlayout._WORDS.findall(text)]
    else:
        units = reference_units(text, bold, levels)
    may_miss = has_uncovered(text)
    return [reference_place(line, size, base_rtl, may_miss)
            for line in textlayout._fill(units, width, size)]


def described(lines: list[Line]) -> list[tuple[object, ...]]:
    """Everything a line holds, down to each glyph's position."""
    return [(tuple((p.text, p.font, p.level, p.space) for p in line.pieces), line.lefts,
             line.levels, line.size, line.width, line.rtl, line.missing, line.runs)
            for line in lines]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("text", PARAGRAPHS)
def test_rtl_and_mixed_paragraphs_come_out_as_the_general_way_lays_them_out(
        text: str, width: float) -> None:
    for size, bold, rtl in [(10.0, False, None), (8.5, True, None), (10.0, False, True),
                            (12.0, False, False)]:
        fast = layout_paragraph(text, width, size, bold=bold, rtl=rtl)
        assert described(fast) == described(reference_layout(text, width, size, bold, rtl)), \
            (text, width, size, bold, rtl)


def test_the_fast_fill_is_the_one_taken_unless_a_word_must_be_cut() -> None:
    """Without this the comparison above could be comparing the general way with itself."""
    for text in PARAGRAPHS[:-3]:
        rtl = bidi.base_is_rtl(text)
        units, widths, _ = textlayout._units(text, False, bidi.level_string(text, rtl), 10.0)
        assert textlayout._fill_spans(units, widths, 481.2) is not None, text
    long_word = PARAGRAPHS[-3]
    units, widths, _ = textlayout._units(long_word, False,
                                         bidi.level_string(long_word, True), 10.0)
    assert textlayout._fill_spans(units, widths, 60.0) is None
    assert len(layout_paragraph(long_word, 60.0, 10.0)) > 2  # cut across lines, as before


def test_wrapped_rtl_lines_keep_every_character_in_logical_order() -> None:
    text = "Message 3: " + ARABIC * 5
    lines = layout_paragraph(text, 200.0, 10.0)
    assert len(lines) > 5
    assert " ".join(line.text for line in lines).split() == text.split()
    assert all(line.width <= 200.0 for line in lines)


def test_random_mixed_paragraphs_agree_with_the_general_way() -> None:
    words = ["Hello", "world", "2024", "12.5%", "€30", "(note)", "[x]", "a-b", "e@x.org", ",",
             ".", ":", "!", "«", "»", "مرحبا", "الطابعة", "(نعم)", "[مرحبا]", "١٢٣", "مَرْحَبًا",
             "שלום", "המדפסת", "(כן)", "[בדיקה]", "שלום,", "\u200f", "👍🏽", "你好，世界",
             "नमस्ते", "ب" * 30]
    rng = random.Random(13)
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice([" ", " ", " ", "  ", ""])
                       for _ in range(rng.randint(1, 40)))
        width = rng.choice([481.2, 150.0, 70.0])
        rtl = rng.choice([None, True, False])
        assert described(layout_paragraph(text, width, 10.0, rtl=rtl)) == \
            described(reference_layout(text, width, 10.0, False, rtl)), (text, width, rtl)


def test_levels_are_those_of_the_earlier_rules() -> None:
    alphabet = (list("ab Z") + list("שלוםمرحبا") + list("0123456789٠١٢") + list(".,:;-+/%$#")
                + list("()[]{}<>!?\"'") + ["\u064e", "\u0301", "\u200f", "\u200e", "\u00a0",
                                            "\u202b", "€", "«", "»", "\u05be", "  "])
    rng = random.Random(5)
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for rtl in (False, True):
            assert bidi.level_string(text, rtl) == bidi_reference.level_string(text, rtl), \
                (text, rtl)
    for text in PARAGRAPHS:
        for rtl in (False, True):
            assert bidi.level_string(text, rtl) == bidi_reference.level_string(text, rtl)


def test_visual_order_by_runs_is_l2_item_by_item() -> None:
    for count in range(8):
        for levels in itertools.product(range(4), repeat=count):
            assert bidi.visual_order(levels) == bidi_reference.visual_order(levels), levels
