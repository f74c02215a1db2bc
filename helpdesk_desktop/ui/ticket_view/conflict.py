"""Banners above the conversation: a stale edit (what changed, reload) and plain errors."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

Formatter = Callable[[str, Any], str]  # (field, value) -> display text


class Banner(QFrame):
    """A coloured strip with a message, an optional action button and a close button."""

    actionTriggered = Signal()

    def __init__(self, kind: str, action_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._kind = kind
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton(action_text, self)
        self.action_button.setVisible(bool(action_text))
        self.action_button.clicked.connect(self.actionTriggered)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAccessibleName(self.tr("Dismiss"))
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._apply_colors()
        self.hide()

    def _apply_colors(self) -> None:
        # Judge the theme by the surroundings: this widget's own palette is the banner colour.
        parent = self.parentWidget()
        around = parent.palette() if parent is not None else QApplication.palette()
        dark = around.color(QPalette.ColorRole.Window).lightness() < 128
        colors = {
            ("warning", False): ("#fff1d6", "#4a2f00"),
            ("warning", True): ("#4d3410", "#ffe7bd"),
            ("error", False): ("#fde2e1", "#5c1412"),
            ("error", True): ("#5a1d1b", "#ffdcda"),
        }[(self._kind, dark)]
        palette = QPalette(self.palette())
        palette.setColor(QPalette.ColorRole.Window, QColor(colors[0]))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colors[1]))
        self.setPalette(palette)
        self.label.setPalette(palette)

    def show_message(self, html: str) -> None:
        self._apply_colors()  # the theme may have changed since the last time
        self.label.setText(html)
        self.setAccessibleDescription(self.label.text())
        self.show()

    def message(self) -> str:
        return self.label.text()


class ConflictBanner(Banner):
    """Says that someone changed the ticket meanwhile, and what: field, your value, current."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("warning", "", parent)
        self.setObjectName("ConflictBanner")
        self.action_button.setText(self.tr("&Reload"))
        self.action_button.setObjectName("ConflictReload")
        self.action_button.setAccessibleName(self.tr("Reload the ticket"))
        self.action_button.show()
        self.differences: list[tuple[str, str, str]] = []  # (field label, yours, current)

    def show_conflict(self, sentence: str, mine: dict[str, Any], current: dict[str, Any],
                      labels: dict[str, str], display: Formatter) -> None:
        """List each field you changed (your value vs. the current one), then other fields
        that someone else changed."""
        rows: list[tuple[str, str, str]] = []
        for field, value in mine.items():
            now = current.get(field, None)
            rows.append((labels.get(field, field), display(field, value),
                         display(field, now) if field in current else self.tr("unknown")))
        self.differences = rows
        lines = "".join(
            f"<li><b>{escape(label)}</b>: "
            + escape(self.tr("your value {0} vs. current value {1}")
                     .replace("{0}", f"“{yours}”").replace("{1}", f"“{now}”"))
            + "</li>"
            for label, yours, now in rows)
        headline = sentence or self.tr("Someone else changed this ticket; nothing was saved.")
        self.show_message(
            f"<b>{escape(headline)}</b><ul style='margin:2px 0;'>{lines}</ul>"
            + escape(self.tr("Reload to see the current values, then make your change again "
                             "if it is still needed.")))
