"""Colours that stay readable in light and dark palettes.

Widgets take their colours from the palette; where a tint is wanted (notes, warnings, errors),
the text and background are chosen together for the palette in use.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

_BOX = "border-radius: 4px; padding: 6px;"


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark theme (light text on a dark base)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def error_style(palette: QPalette) -> str:
    """Style sheet of an error sentence."""
    return "color: #fca5a5;" if is_dark(palette) else "color: #b91c1c;"


def warning_style(palette: QPalette) -> str:
    """Style sheet of a warning box (amber)."""
    if is_dark(palette):
        return f"color: #fde68a; background: #4a3510; {_BOX}"
    return f"color: #92400e; background: #fef3c7; {_BOX}"


def note_style(palette: QPalette) -> str:
    """Style sheet of an explanatory box (blue-grey)."""
    if is_dark(palette):
        return f"color: #e0e7ff; background: #29304a; {_BOX}"
    return f"color: #374151; background: #eef2ff; {_BOX}"


def make_muted(widget: QWidget, muted: bool = True) -> None:
    """Secondary text: the palette's placeholder colour (readable in both themes)."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText if muted
                             else QPalette.ColorRole.WindowText)
