"""Preferences: whether updates to records the user follows notify them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.dialogs.common import OperationDialog
from helpdesk_desktop.ui.theme import make_muted

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


@dataclass(frozen=True)
class PreferencesResult:
    record_update_notifications: bool


class PreferencesDialog(OperationDialog[PreferencesResult]):
    """The notification preferences of the signed-in user (stored in the database)."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Save"))
        self.setObjectName("PreferencesDialog")
        self.setWindowTitle(translate("Dialogs", "Preferences"))
        try:
            current = bridge.desk.me().notify_record_updates
        except HelpDeskError as exc:
            current = bridge.user.notify_record_updates
            self.show_error(str(exc))
        self.record_updates_check = QCheckBox(
            translate("Dialogs", "Notify me when a ticket I follow is updated"), self)
        self.record_updates_check.setObjectName("recordUpdatesCheck")
        self.record_updates_check.setChecked(current)
        hint = QLabel(translate(
            "Dialogs", "Notifications appear under the bell in the tool bar and, where the "
                       "system has one, as a desktop notification. Your own changes never "
                       "notify you."), self)
        hint.setWordWrap(True)
        make_muted(hint)
        group = QGroupBox(translate("Dialogs", "Notifications"), self)
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(self.record_updates_check)
        group_layout.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addWidget(group)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(460, 220)
        self.update_state()

    def start(self) -> None:
        enabled = self.record_updates_check.isChecked()

        def work(desk: Desk, _progress: ProgressCallback) -> None:
            desk.set_record_update_notifications(enabled)

        self.run_operation(work, lambda _none: PreferencesResult(enabled))
