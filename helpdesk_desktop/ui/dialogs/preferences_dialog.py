"""Preferences: whether updates to records the user follows notify them, and the signature
added below the user's replies."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.dialogs.common import OperationDialog
from helpdesk_desktop.ui.theme import make_muted

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


@dataclass(frozen=True)
class PreferencesResult:
    record_update_notifications: bool
    signature: str = ""


class PreferencesDialog(OperationDialog[PreferencesResult]):
    """The notification preferences of the signed-in user (stored in the database)."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Save"))
        self.setObjectName("PreferencesDialog")
        self.setWindowTitle(translate("Dialogs", "Preferences"))
        signature = ""
        try:
            current = bridge.desk.me().notify_record_updates
            signature = bridge.desk.signature()
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
        self.signature_edit = QPlainTextEdit(self)
        self.signature_edit.setObjectName("signatureEdit")
        self.signature_edit.setAccessibleName(translate("Dialogs", "Signature"))
        self.signature_edit.setTabChangesFocus(True)
        self.signature_edit.setPlainText(signature)
        self.signature_edit.setPlaceholderText(translate("Dialogs", "For example: your name and "
                                                                    "your team"))
        self.signature_edit.setFixedHeight(90)
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
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(480, 400)
        self.update_state()

    def start(self) -> None:
        enabled = self.record_updates_check.isChecked()
        signature = self.signature_edit.toPlainText()

        def work(desk: Desk, _progress: ProgressCallback) -> None:
            desk.set_signature(signature, record_updates=enabled)  # one transaction

        self.run_operation(work, lambda _none: PreferencesResult(enabled, signature.strip()))

    @classmethod
    def ask(cls, parent: QWidget | None, bridge: DeskBridge) -> PreferencesResult | None:
        return cls(bridge, parent).ask_result()
