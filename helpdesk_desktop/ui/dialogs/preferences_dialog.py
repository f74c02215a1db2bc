"""Preferences: whether updates to records the user follows notify them, the signature added
below the user's replies, the time zone their times are shown in (stored with the user; the
open windows show it at once), the interface language (this computer's, applied at the next start),
whether closing the window keeps the program in the notification area, and, for account admins,
the company name and logo printed on transcripts (a workspace setting)."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimeZone
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import UserInfo
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
    signature: str = ""
    time_zone: str = ""


class PreferencesDialog(OperationDialog[PreferencesResult]):
    """The notification preferences of the signed-in user (stored in the database)."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Save"))
        self.setObjectName("PreferencesDialog")
        self.setWindowTitle(translate("Dialogs", "Preferences"))
        signature = ""
        zone = bridge.user.time_zone
        try:
            me = bridge.desk.me()
            current, zone = me.notify_record_updates, me.time_zone
            signature = bridge.desk.signature()
        except HelpDeskError as exc:
            current = bridge.user.notify_record_updates
            self.show_error(str(exc))
        self._zone_loaded = zone
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
        self.signature_edit = QPlainTextEdit(self)
        self.signature_edit.setObjectName("signatureEdit")
        self.signature_edit.setAccessibleName(translate("Dialogs", "Signature"))
        self.signature_edit.setTabChangesFocus(True)
        self.signature_edit.setPlainText(signature)
        self.signature_edit.setPlaceholderText(translate("Dialogs", "For example: your name and "
                                                                    "your team"))
        self.signature_edit.setFixedHeight(72)
        signature_hint = QLabel(translate(
            "Dialogs", "Added below each reply you send to a customer, after a “-- ” line. "
                       "Notes and comments carry no signature."), self)
        signature_hint.setWordWrap(True)
        make_muted(signature_hint)
        signature_group = QGroupBox(translate("Dialogs", "Signature"), self)
        signature_layout = QVBoxLayout(signature_group)
        signature_layout.addWidget(self.signature_edit)
        signature_layout.addWidget(signature_hint)
        layout = QVBoxLayout(self)
        layout.addWidget(group)
        layout.addWidget(signature_group)
        layout.addWidget(self._time_zone_group(zone))
        layout.addWidget(self._language_group())
        self.close_to_tray_check = QCheckBox(
            translate("Dialogs", "&Keep running in the notification area when the window is "
                                 "closed"), self)
        self.close_to_tray_check.setObjectName("closeToTrayCheck")
        self.close_to_tray_check.setChecked(close_to_tray())
        window_group = QGroupBox(translate("Dialogs", "Window"), self)
        QVBoxLayout(window_group).addWidget(self.close_to_tray_check)
        layout.addWidget(window_group)
        self.branding_group: QGroupBox | None = None
        self._branding_loaded: tuple[str, bytes | None] = ("", None)
        self._logo: bytes | None = None
        try:
            me = bridge.desk.me()
            if me.account_access or me.super_admin:
                found = bridge.desk.branding()
                self._branding_loaded = (found.company_name, found.logo)
                layout.addWidget(self._branding_box(found.company_name, found.logo))
        except HelpDeskError as exc:
            self.show_error(str(exc))
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        # As tall as the wrapped notes need at this width (no more: it fits a 768-pixel screen).
        self.resize(560, max(layout.totalHeightForWidth(560), layout.totalMinimumSize().height()))
        self.update_state()

    def _time_zone_group(self, zone: str) -> QGroupBox:
        """An editable, searchable list of the IANA zones, the user's own chosen, and a
        button offering this computer's zone."""
        group = QGroupBox(translate("Dialogs", "Time zone"), self)
        self.zone_combo = QComboBox(group)
        self.zone_combo.setObjectName("timeZoneCombo")
        self.zone_combo.setEditable(True)
        self.zone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone_combo.setMaxVisibleItems(15)
        names = sorted(zoneinfo.available_timezones())
        self.zone_combo.addItems(names)
        completer = QCompleter(names, self.zone_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "paris" finds Europe/Paris
        self.zone_combo.setCompleter(completer)
        self.zone_combo.setCurrentText(zone)
        self.zone_combo.setAccessibleName(translate("Dialogs", "Time zone"))
        label = QLabel(translate("Dialogs", "Show &times in:"), group)
        label.setBuddy(self.zone_combo)
        self.computer_zone = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
        self.computer_zone_button = QPushButton(
            translate("Dialogs", "Use this computer’s zone ({0})").replace("{0}", self.computer_zone),
            group)
        self.computer_zone_button.setObjectName("computerZoneButton")
        self.computer_zone_button.clicked.connect(self._use_computer_zone)
        self.zone_combo.currentTextChanged.connect(self._zone_edited)
        self.computer_zone_button.setVisible(self.computer_zone in names)
        self._zone_edited(self.zone_combo.currentText())
        note = QLabel(translate("Dialogs", "Times in the list, the tickets and the transcripts "
                                           "follow it, on every computer you use."), group)
        note.setWordWrap(True)
        make_muted(note)
        row = QHBoxLayout()
        row.addWidget(self.zone_combo, 1)
        row.addWidget(self.computer_zone_button)
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(label)
        group_layout.addLayout(row)
        group_layout.addWidget(note)
        return group

    def _use_computer_zone(self) -> None:
        self.zone_combo.setCurrentText(self.computer_zone)

    def _zone_edited(self, text: str) -> None:
        self.computer_zone_button.setEnabled(text.strip() != self.computer_zone)

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

    def _branding_box(self, company_name: str, logo: bytes | None) -> QGroupBox:
        group = QGroupBox(translate("Dialogs", "Transcripts (whole workspace)"), self)
        group.setObjectName("brandingGroup")
        self.company_edit = QLineEdit(company_name, group)
        self.company_edit.setObjectName("companyNameEdit")
        self.company_edit.setMaxLength(200)
        self.logo_label = QLabel(group)
        self.logo_label.setObjectName("logoPreview")
        self.logo_label.setMinimumHeight(40)
        choose = QPushButton(translate("Dialogs", "Choose logo…"), group)
        choose.setObjectName("chooseLogoButton")
        choose.clicked.connect(self._choose_logo)
        self.remove_logo = QPushButton(translate("Dialogs", "Remove logo"), group)
        self.remove_logo.setObjectName("removeLogoButton")
        self.remove_logo.clicked.connect(lambda: self._show_logo(None))
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_label, 1)
        logo_row.addWidget(choose)
        logo_row.addWidget(self.remove_logo)
        form = QFormLayout(group)
        form.addRow(translate("Dialogs", "Company name:"), self.company_edit)
        form.addRow(translate("Dialogs", "Logo:"), logo_row)
        self._show_logo(logo)
        self.branding_group = group
        return group

    def _show_logo(self, logo: bytes | None) -> None:
        self._logo = logo
        pixmap = QPixmap()
        if logo and pixmap.loadFromData(logo):
            self.logo_label.setPixmap(pixmap.scaledToHeight(
                36, Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_label.setPixmap(QPixmap())
            self.logo_label.setText(translate("Dialogs", "No logo"))
        self.remove_logo.setEnabled(logo is not None)

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("Dialogs", "Choose logo"), "",
                                              translate("Dialogs", "Images (*.png *.jpg *.jpeg)"))
        if not path:
            return
        try:
            self._show_logo(Path(path).read_bytes())
        except OSError as exc:
            self.show_error(translate("Dialogs", "The file could not be read: {0}")
                            .replace("{0}", exc.strerror or str(exc)))

    def start(self) -> None:
        enabled = self.record_updates_check.isChecked()
        language = str(self.language_combo.currentData() or "")
        keep_in_tray = self.close_to_tray_check.isChecked()
        signature = self.signature_edit.toPlainText()
        zone = self.zone_combo.currentText().strip()
        new_zone = zone if zone != self._zone_loaded else None  # unchanged: nothing to write
        branding: tuple[str, bytes | None] | None = None
        if self.branding_group is not None:
            branding = (self.company_edit.text(), self._logo)
            if branding == self._branding_loaded:
                branding = None  # unchanged: nothing to write

        def work(desk: Desk, _progress: ProgressCallback) -> UserInfo | None:
            # The zone first: an unknown one is refused before anything else is written.
            user = desk.set_time_zone(new_zone) if new_zone is not None else None
            if branding is not None:
                name, logo = branding
                desk.set_branding(company_name=name, logo=logo, clear_logo=logo is None)
            desk.set_signature(signature, record_updates=enabled)  # one transaction
            return user

        def done(user: UserInfo | None) -> PreferencesResult:
            save_language(language)  # this computer's settings
            set_close_to_tray(keep_in_tray)
            if user is not None:
                self.bridge.update_user(user)  # the open windows show times in the new zone
            return PreferencesResult(enabled, language, signature.strip(),
                                     self.bridge.user.time_zone)

        self.run_operation(work, done)
