"""The fonts and metrics a delegate paints its rows with, made once per view font.

A paint that made its fonts and metrics per row made three fonts and six metrics for each one;
the split list's rows and the board's cards keep one :class:`FontSet` per font instead.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics


class FontSet:
    """A font, its bold and a smaller variant, with their metrics."""

    def __init__(self, font: QFont, *, small_scale: float, small_bold: bool = False) -> None:
        self.base = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = QFont(font)
        self.small.setPointSizeF(max(6.0, font.pointSizeF() * small_scale))
        if small_bold:
            self.small.setBold(True)
        self.base_metrics = QFontMetrics(self.base)
        self.bold_metrics = QFontMetrics(self.bold)
        self.small_metrics = QFontMetrics(self.small)
        self.line = self.base_metrics.height()
        self.small_line = self.small_metrics.height()
        self.key = self.base.key()
        self.small_key = self.small.key()


class FontSets:
    """One :class:`FontSet` per view font, made on first use."""

    def __init__(self, *, small_scale: float, small_bold: bool = False) -> None:
        self._small_scale = small_scale
        self._small_bold = small_bold
        self._sets: dict[str, FontSet] = {}

    def __call__(self, font: QFont) -> FontSet:
        key = font.key()
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = FontSet(font, small_scale=self._small_scale,
                                              small_bold=self._small_bold)
        return found
