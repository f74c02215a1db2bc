"""The Unicode Bidirectional Algorithm (UAX #9) for one paragraph of plain text.

Implements the rules a transcript needs: P2–P3 (paragraph direction), W1–W7, N0 (paired
brackets take the direction of the text they enclose or surround), N1–N2, I1–I2, and per
printed line L2 (reordering; the layout drops a line's trailing spaces, which is all L1 would
change). Explicit
embeddings and isolates (LRE, RLI, …) are treated as neutrals: mail text almost never holds them,
and they only nest levels. Mirroring (L4) is left to the shaper, which mirrors brackets in
right-to-left runs (HarfBuzz does).

Python's ``unicodedata`` gives the bidi classes; the bracket pairs come from a small table of the
pairs people type.
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


def embedding_levels(text: str, rtl_base: bool) -> list[int]:
    """The resolved level of every character of one paragraph (even: left to right)."""
    base = 1 if rtl_base else 0
    if not needs_bidi(text) and not rtl_base:
        return [0] * len(text)
    types = [unicodedata.bidirectional(c) or "L" for c in text]
    count = len(types)
    sos = "R" if base else "L"
    # W1: a non-spacing mark takes the type of the character before it.
    previous = sos
    for i, kind in enumerate(types):
        if kind == "NSM":
            types[i] = "ON" if previous in _NEUTRAL else previous
        elif kind != "BN":
            previous = kind
    # W2: European digits after Arabic letters are Arabic digits. W3: AL is R.
    last_strong = sos
    for i, kind in enumerate(types):
        if kind in ("L", "R", "AL"):
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, count - 1):
        kind = types[i]
        if kind == "ES" and types[i - 1] == "EN" and types[i + 1] == "EN":
            types[i] = "EN"
        elif kind == "CS" and types[i - 1] == types[i + 1] and types[i - 1] in ("EN", "AN"):
            types[i] = types[i - 1]
    # W5: terminators next to European numbers belong to them.
    i = 0
    while i < count:
        if types[i] == "ET":
            end = i
            while end < count and types[end] == "ET":
                end += 1
            if (i > 0 and types[i - 1] == "EN") or (end < count and types[end] == "EN"):
                for j in range(i, end):
                    types[j] = "EN"
            i = end
        else:
            i += 1
    # W6: remaining separators and terminators are neutral. W7: EN after L is L.
    last_strong = sos
    for i, kind in enumerate(types):
        if kind in ("ES", "ET", "CS"):
            types[i] = "ON"
        elif kind in ("L", "R"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            types[i] = "L"
    _resolve_brackets(text, types, base)
    # N1–N2: neutrals between two strong types of one direction take it, others the base's.
    i = 0
    while i < count:
        if types[i] in _NEUTRAL:
            end = i
            while end < count and types[end] in _NEUTRAL:
                end += 1
            before = sos if i == 0 else _strong(types[i - 1])
            after = sos if end == count else _strong(types[end])
            direction = before if before == after else sos
            for j in range(i, end):
                types[j] = direction
            i = end
        else:
            i += 1
    # I1–I2.
    levels = []
    for kind in types:
        if base == 0:
            levels.append(1 if kind == "R" else 2 if kind in ("AN", "EN") else 0)
        else:
            levels.append(2 if kind in ("L", "EN", "AN") else 1)
    return levels


def _strong(kind: str) -> str:
    return "L" if kind == "L" else "R"  # EN and AN count as R for N0–N2


def _resolve_brackets(text: str, types: list[str], base: int) -> None:
    """N0: each pair of brackets takes the embedding direction when the text inside holds it,
    else the opposite direction when the text inside and the context before agree on it."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(text):
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
