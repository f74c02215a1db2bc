"""Right-to-left text for ReportLab, which neither reorders nor shapes by itself.

A line holding Hebrew or Arabic is shaped (Arabic letters take their contextual forms through
``arabic_reshaper``'s presentation forms, which the bundled Arabic font has glyphs for) and then
put in visual order with the Unicode bidi algorithm (``python-bidi``). Reordering has to happen
per printed line, after the line is wrapped in logical order, so the PDF writer wraps such
paragraphs itself (:func:`wrap_logical`) and reorders each line (:func:`visual_line`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import arabic_reshaper
from bidi import get_display

_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False,
                                                          "support_ligatures": True})


def has_rtl(text: str) -> bool:
    """True when ``text`` holds any right-to-left letter."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def base_is_rtl(text: str) -> bool:
    """The paragraph direction the bidi algorithm would pick: that of the first strong letter."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def direction_groups(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """Consecutive lines grouped by direction (``True``: right to left). Each line of plain text
    is its own bidi paragraph; a line without letters goes with the line before it."""
    groups: list[tuple[bool, list[str]]] = []
    for line in lines:
        strong = any(unicodedata.bidirectional(c) in ("L", "R", "AL") for c in line)
        rtl = base_is_rtl(line) if strong or not groups else groups[-1][0]
        if groups and groups[-1][0] == rtl:
            groups[-1][1].append(line)
        else:
            groups.append((rtl, [line]))
    return groups


def visual_line(line: str, rtl_base: bool) -> str:
    """One wrapped line, shaped and in the order its glyphs are drawn left to right."""
    shaped = _RESHAPER.reshape(line)
    return get_display(shaped, base_dir="R" if rtl_base else "L")


def wrap_logical(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` cut at spaces into lines no wider than ``width`` (as shaped), in logical order.
    A single word wider than the line is cut between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if not current or measure(_RESHAPER.reshape(candidate)) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
        while measure(_RESHAPER.reshape(current)) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and measure(_RESHAPER.reshape(current[:cut])) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines
