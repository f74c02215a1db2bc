"""The bidi rules as ``transcripts/bidi.py`` ran them before they were made faster (2026-12-05):
one regular expression per rule over the whole paragraph, N1 one match per neutral run, L2 one
item at a time. Kept as the reference the faster code must agree with, character for character
(``test_layout_paths.py``); not used by the program.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Characters that can make a paragraph need the algorithm at all (R, AL, AN and the
# explicit formatting characters). Text without them is left to right throughout.
_NEEDS_BIDI = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202a-\u202e\u2066-\u2069"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]")

_BRACKETS = {"(": ")", "[": "]", "{": "}", "\u2045": "\u2046", "\u2329": "\u232a",
             "\u27e8": "\u27e9", "\u3008": "\u3009", "\u300a": "\u300b", "\u300c": "\u300d",
             "\u300e": "\u300f", "\u3010": "\u3011", "\u3014": "\u3015", "\u3016": "\u3017",
             "\u3018": "\u3019", "\u301a": "\u301b", "\uff08": "\uff09", "\uff3b": "\uff3d",
             "\uff5b": "\uff5d", "\uff5f": "\uff60", "\uff62": "\uff63"}
_CLOSERS = {closing: opening for opening, closing in _BRACKETS.items()}
_HAS_BRACKET = re.compile("[" + re.escape("".join(_BRACKETS) + "".join(_CLOSERS)) + "]")

_NEUTRAL = {"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI",
            "PDI"}


def needs_bidi(text: str) -> bool:
    """Whether ``text`` holds anything that is not plainly left to right."""
    return _NEEDS_BIDI.search(text) is not None


def base_is_rtl(text: str) -> bool:
    """P2–P3: the paragraph reads right to left when its first strong letter does."""
    if not needs_bidi(text):
        return False
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


# Bidi classes as one letter each, so that the rules can run as regular expressions over a
# string (the speed of C, not of a Python loop per character): L, R, a (AL), e (EN), s (ES),
# t (ET), n (AN), c (CS), m (NSM), b (BN), o (any neutral: B, S, WS, ON and the explicit
# formatting characters, treated as neutrals).
_CODE = {"L": "L", "R": "R", "AL": "a", "EN": "e", "ES": "s", "ET": "t", "AN": "n", "CS": "c",
         "NSM": "m", "BN": "b", "": "L"}
_TO_STRONG = str.maketrans("en", "RR")


class _ClassTable(dict[int, str]):
    """Code point -> class letter, filled as characters are met (for ``str.translate``)."""

    def __missing__(self, code: int) -> str:
        letter = _CODE.get(unicodedata.bidirectional(chr(code)), "o")
        self[code] = letter
        return letter


_CLASSES = _ClassTable()
_LEVELS_LTR = str.maketrans("LRen", "0122")
_LEVELS_RTL = str.maketrans("LRen", "2122")
_W2 = re.compile(r"a[^LR]*")
_W4_EN = re.compile(r"(?<=e)[sc](?=e)")
_W4_AN = re.compile(r"(?<=n)c(?=n)")
_W5 = re.compile(r"t+(?=e)|(?<=e)t+")
_W7 = re.compile(r"L[^LR]*")
_BETWEEN_R = re.compile(r"(?<=R)[ob]+(?=R)")
_BETWEEN_L = re.compile(r"(?<=L)[ob]+(?=L)")
_TO_SOS_L = str.maketrans("ob", "LL")
_TO_SOS_R = str.maketrans("ob", "RR")


def embedding_levels(text: str, rtl_base: bool) -> list[int]:
    """The resolved level of every character of one paragraph (even: left to right)."""
    return [ord(d) - 48 for d in level_string(text, rtl_base)]


def level_string(text: str, rtl_base: bool) -> str:
    """:func:`embedding_levels` as a string of digits, one per character (cheap to slice and
    count)."""
    base = 1 if rtl_base else 0
    if not needs_bidi(text) and not rtl_base:
        return "0" * len(text)
    sos = "R" if base else "L"
    kinds = text.translate(_CLASSES)
    if "m" in kinds:  # W1: a non-spacing mark takes the type of the character before it
        chars = list(kinds)
        previous = sos
        for i, kind in enumerate(chars):
            if kind == "m":
                chars[i] = "o" if previous in "ob" else previous
            elif kind != "b":
                previous = kind
        kinds = "".join(chars)
    if "e" in kinds and "a" in kinds:  # W2: European digits after Arabic letters are Arabic
        kinds = _W2.sub(lambda m: m.group().replace("e", "n"), kinds)
    kinds = kinds.replace("a", "R")  # W3
    if "e" in kinds or "n" in kinds:
        kinds = _W4_EN.sub("e", kinds)  # W4: one separator between two numbers joins them
        kinds = _W4_AN.sub("n", kinds)
        if "t" in kinds:  # W5: terminators next to European numbers belong to them
            kinds = _W5.sub(lambda m: "e" * len(m.group()), kinds)
    kinds = kinds.translate(_W6)  # W6: other separators and terminators are neutral
    if "e" in kinds:  # W7: European numbers after L (or at the start of an LTR paragraph)
        marked = _W7.sub(lambda m: m.group().replace("e", "L"), sos + kinds)
        kinds = marked[1:]
    if _HAS_BRACKET.search(text):
        chars = [_FULL.get(k, k) for k in kinds]
        _resolve_brackets(text, chars, base)
        kinds = "".join(_SHORT.get(k, k) for k in chars)
    # N1–N2: neutrals between two strong types of one direction take it, others the base's
    # (sos). Only runs with the other direction on both sides differ from sos, so those are
    # found with a regular expression and everything else is translated at once.
    framed = sos + kinds + sos
    strong = framed.translate(_TO_STRONG)
    other = "L" if base else "R"
    pieces = []
    done = 0
    for match in (_BETWEEN_R if other == "R" else _BETWEEN_L).finditer(strong):
        pieces.append(framed[done:match.start()])
        pieces.append(other * (match.end() - match.start()))
        done = match.end()
    pieces.append(framed[done:])
    kinds = "".join(pieces)[1:-1].translate(_TO_SOS_R if base else _TO_SOS_L)
    # I1–I2.
    return kinds.translate(_LEVELS_RTL if base else _LEVELS_LTR)


_W6 = str.maketrans("stc", "ooo")
_FULL = {"e": "EN", "n": "AN", "o": "ON", "b": "BN"}
_SHORT = {"EN": "e", "AN": "n", "ON": "o", "BN": "b"}


def _strong(kind: str) -> str:
    return "L" if kind == "L" else "R"  # EN and AN count as R for N0–N2


def _resolve_brackets(text: str, types: list[str], base: int) -> None:
    """N0: each pair of brackets takes the embedding direction when the text inside holds it,
    else the opposite direction when the text inside and the context before agree on it."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for match in _HAS_BRACKET.finditer(text):
        i, char = match.start(), match.group()
        if types[i] != "ON":
            continue
        if char in _BRACKETS:
            if len(stack) == 63:
                break
            stack.append((_BRACKETS[char], i))
        elif char in _CLOSERS:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    embedding = "R" if base else "L"
    opposite = "L" if base else "R"
    for opening, closing in sorted(pairs):
        inside = {_strong(k) for k in types[opening + 1:closing] if k in ("L", "R", "EN", "AN")}
        if embedding in inside:
            direction = embedding
        elif opposite in inside:
            context = embedding
            for k in reversed(types[:opening]):
                if k in ("L", "R", "EN", "AN"):
                    context = _strong(k)
                    break
            direction = opposite if context == opposite else embedding
        else:
            continue
        types[opening] = types[closing] = direction


def visual_order(levels: Sequence[int]) -> list[int]:
    """L2: the logical indexes of ``levels``' items in the order they are drawn left to right."""
    order = list(range(len(levels)))
    if not levels:
        return order
    if levels.count(levels[0]) == len(levels):  # one level: as it is, or all reversed
        return order[::-1] if levels[0] % 2 else order
    highest = max(levels)
    lowest_odd = min((level for level in levels if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                end = i
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[i:end] = reversed(order[i:end])
                i = end
            else:
                i += 1
    return order
