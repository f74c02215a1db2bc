"""Preferences: whether updates to records the user follows notify them, and the interface
language (this computer's, applied at the next start)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.dialogs.common import OperationDialog
from helpdesk_desktop.ui.i18n import preferred_language, save_language, system_language
from helpdesk_desktop.ui.settings import close_to_tray, set_close_to_tray
from helpdesk_desktop.ui.theme import make_muted

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


#: Each language named in itself, as language pickers do.
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


@dataclass(frozen=True)
class PreferencesResult:
    record_update_notifications: bool
    language: str = ""  # "" follows the system


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
        layout.addWidget(self._language_group())
        self.close_to_tray_check = QCheckBox(
            translate("Dialogs", "&Keep running in the notification area when the window is "
                                 "closed"), self)
        self.close_to_tray_check.setObjectName("closeToTrayCheck")
        self.close_to_tray_check.setChecked(close_to_tray())
        window_group = QGroupBox(translate("Dialogs", "Window"), self)
        QVBoxLayout(window_group).addWidget(self.close_to_tray_check)
        layout.addWidget(window_group)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(500, 380)
        self.update_state()

    def _language_group(self) -> QGroupBox:
        group = QGroupBox(translate("Dialogs", "Language"), self)
        self.language_combo = QComboBox(group)
        self.language_combo.setObjectName("languageCombo")
        system = LANGUAGE_NAMES[system_language()]
        self.language_combo.addItem(
            translate("Dialogs", "System language ({0})").replace("{0}", system), "")
        for code, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(preferred_language())))
        label = QLabel(translate("Dialogs", "&Interface language:"), group)
        label.setBuddy(self.language_combo)
        note = QLabel(translate("Dialogs", "A new language takes effect the next time Help Desk "
                                           "starts."), group)
        note.setObjectName("languageNote")
        note.setWordWrap(True)
        make_muted(note)
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(label)
        group_layout.addWidget(self.language_combo)
        group_layout.addWidget(note)
        return group

    def start(self) -> None:
        enabled = self.record_updates_check.isChecked()
        language = str(self.language_combo.currentData() or "")
        keep_in_tray = self.close_to_tray_check.isChecked()

        def work(desk: Desk, _progress: ProgressCallback) -> None:
            desk.set_record_update_notifications(enabled)

        def done(_none: object) -> PreferencesResult:
            save_language(language)  # this computer's settings
            set_close_to_tray(keep_in_tray)
            return PreferencesResult(enabled, language)

        self.run_operation(work, done)

    @classmethod
    def ask(cls, parent: QWidget | None, bridge: DeskBridge) -> PreferencesResult | None:
        return cls(bridge, parent).ask_result()
