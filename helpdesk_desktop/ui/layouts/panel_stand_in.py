"""What the split layout shows beside its list until the ticket view is built.

With no ticket open, the ticket panel shows one centred sentence. Building the real panel (the
ticket view, its ten modules, the HTML sanitizer, its actions) before the split layout's first
frame made that frame slower than the table's (issue 11 B1.split); the stand-in shows the same
sentence in the same place, and the window puts the panel in its place (its size and
visibility kept) once the panel is built: ahead, after the start, or at once by an open.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PanelStandIn(QWidget):
    """The ticket panel's "no ticket" page, without the ticket view behind it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketPanelStandIn")
        label = QLabel(self)
        label.setObjectName("TicketPlaceholder")  # styled as the view's own placeholder
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        # The ticket view's sentence, in its context: one text for the translators.
        label.setText(QCoreApplication.translate(
            "TicketView", "Select a ticket to see its conversation."))
        self.label = label
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addStretch(2)
