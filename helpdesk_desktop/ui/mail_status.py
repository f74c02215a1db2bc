"""The status bar's mail indicator: one small label per connected inbox (connected, fetching,
last error in its tooltip)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from helpdesk_desktop.ui.mail_service import InboxState, MailService
from helpdesk_desktop.ui.theme import error_style


class MailStatus(QWidget):
    def __init__(self, service: MailService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MailStatus")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 6, 0)
        self._labels: dict[str, QLabel] = {}
        service.stateChanged.connect(self.show_state)
        for state in service.states.values():
            self.show_state(state)

    def label(self, inbox: str) -> QLabel | None:
        return self._labels.get(inbox)

    def show_state(self, state: InboxState) -> None:
        label = self._labels.get(state.inbox)
        if label is None:
            label = QLabel(self)
            label.setObjectName(f"MailStatus.{state.inbox}")
            self._layout.addWidget(label)
            self._labels[state.inbox] = label
        texts = {
            "connecting": self.tr("%1: connecting…"),
            "connected": self.tr("%1: connected"),
            "fetching": self.tr("%1: fetching…"),
            "idle": self.tr("%1: connected"),
            "error": self.tr("%1: not connected"),
        }
        label.setText(texts.get(state.state, "%1").replace("%1", state.inbox))
        error = state.state == "error"
        label.setStyleSheet(error_style(self.palette()) if error else "")
        tip = self.tr("Waiting for new mail (%1).").replace("%1", state.detail) \
            if state.state == "idle" else ""
        if state.last_error:
            tip = (tip + "\n" if tip else "") + self.tr("Last error: %1").replace(
                "%1", state.last_error)
        label.setToolTip(tip)
        label.setAccessibleName(label.text())
