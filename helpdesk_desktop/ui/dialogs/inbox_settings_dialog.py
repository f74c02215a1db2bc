"""Settings › Inboxes: connect an inbox to a mailbox (IMAP in, SMTP out), with provider
presets and a Test connection button. The network is used only on worker threads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import MailAuth, MailSecurity
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.mail.accounts import MailAccountInfo, MailSettings
from helpdesk_desktop.services.mail.presets import Preset
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback
from helpdesk_desktop.ui.dialogs.common import OperationDialog, select_data
from helpdesk_desktop.ui.dialogs.sender_rules_dialog import SenderRulesDialog
from helpdesk_desktop.ui.theme import make_muted

if TYPE_CHECKING:  # imaplib, smtplib and ssl load when a connection is tested
    from helpdesk_desktop.services.mail.connect import ConnectionTest

translate = QCoreApplication.translate

#: The presets' words (services/mail/presets.py holds them in English), listed here so that
#: lupdate files them under this dialog; they are looked up by their English text.
PRESET_TEXTS = (
    QT_TRANSLATE_NOOP("InboxSettingsDialog", "Other (IMAP/SMTP)"),
    QT_TRANSLATE_NOOP("InboxSettingsDialog",
                      "Google accounts sign in with OAuth2 in the browser."),
    QT_TRANSLATE_NOOP("InboxSettingsDialog",
                      "Microsoft 365 accounts sign in with OAuth2 in the browser."),
    QT_TRANSLATE_NOOP("InboxSettingsDialog",
                      "Use an app password (Fastmail › Settings › Privacy & Security)."),
    QT_TRANSLATE_NOOP("InboxSettingsDialog", "Use an app-specific password (appleid.apple.com)."),
    QT_TRANSLATE_NOOP("InboxSettingsDialog", "Enter the servers your mail provider gives."),
)


@dataclass(frozen=True)
class InboxConnected:
    account: MailAccountInfo
    in_keyring: bool


#: A long server name the server fields show whole (Microsoft 365's).
LONG_HOST = "outlook.office365.com"


def _security_combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.addItem(translate("InboxSettingsDialog", "TLS"), MailSecurity.TLS)
    combo.addItem(translate("InboxSettingsDialog", "STARTTLS"), MailSecurity.STARTTLS)
    combo.addItem(translate("InboxSettingsDialog", "None (this computer only)"),
                  MailSecurity.NONE)
    return combo


def _port(parent: QWidget, name: str) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setObjectName(name)
    spin.setRange(1, 65535)
    return spin


class InboxSettingsDialog(OperationDialog[InboxConnected]):
    """Connect an inbox to a mailbox. Saving stores the settings in the database and the
    password in the OS keyring (or, without one, for this session)."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, self.tr("Save"))
        self.setObjectName("InboxSettingsDialog")
        self.setWindowTitle(self.tr("Inboxes"))
        desk = bridge.desk
        try:
            inboxes = desk.inboxes()
            self._accounts = {a.inbox_id: a for a in desk.mail_accounts()}
            self._presets = desk.mail_presets()
            self._keyring_problem = desk.keyring_problem()
            self._password_stored = {inbox_id: not desk.needs_password(account)
                                     for inbox_id, account in self._accounts.items()}
        except HelpDeskError as exc:
            inboxes, self._accounts, self._presets, self._keyring_problem = [], {}, (), None
            self._password_stored = {}
            self.show_error(str(exc))

        self.inbox_combo = QComboBox(self)
        self.inbox_combo.setObjectName("inboxCombo")
        for inbox in inboxes:
            self.inbox_combo.addItem(inbox.name, inbox.id)
        self.preset_combo = QComboBox(self)
        self.preset_combo.setObjectName("presetCombo")
        for preset in self._presets:
            self.preset_combo.addItem(translate("InboxSettingsDialog", preset.name), preset.key)
        self.preset_note = QLabel(self)
        self.preset_note.setWordWrap(True)
        make_muted(self.preset_note)

        self.imap_host = QLineEdit(self)
        self.imap_host.setObjectName("imapHost")
        self.imap_port = _port(self, "imapPort")
        self.imap_security = _security_combo(self, "imapSecurity")
        self.folder = QLineEdit("INBOX", self)
        self.folder.setObjectName("imapFolder")
        self.mark_seen = QCheckBox(self.tr("Mark fetched mail as read on the server"), self)
        self.mark_seen.setObjectName("markSeen")
        self.poll = QSpinBox(self)
        self.poll.setObjectName("pollSeconds")
        self.poll.setRange(10, 86400)
        self.poll.setValue(60)
        self.poll.setSuffix(self.tr(" s"))
        self.smtp_host = QLineEdit(self)
        self.smtp_host.setObjectName("smtpHost")
        self.smtp_port = _port(self, "smtpPort")
        self.smtp_security = _security_combo(self, "smtpSecurity")
        self.user = QLineEdit(self)
        self.user.setObjectName("userName")
        self.auth = QComboBox(self)
        self.auth.setObjectName("authCombo")
        self.auth.addItem(self.tr("Password"), MailAuth.PASSWORD)
        self.auth.addItem(self.tr("OAuth2 sign-in (Microsoft)"), "microsoft")
        self.auth.addItem(self.tr("OAuth2 sign-in (Google)"), "google")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.address = QLineEdit(self)
        self.address.setObjectName("senderAddress")
        self.sender_name = QLineEdit(self)
        self.sender_name.setObjectName("senderName")
        self.undo = QSpinBox(self)
        self.undo.setObjectName("undoSeconds")
        self.undo.setRange(0, 300)
        self.undo.setValue(10)
        self.undo.setSuffix(self.tr(" s"))

        self.test_button = QPushButton(self.tr("&Test Connection"), self)
        self.test_button.setObjectName("testButton")
        self.test_result = QLabel(self)
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        # The inbox's other settings, in one place: who may write to it.
        self.rules_button = QPushButton(self.tr("Sender &Rules…"), self)
        self.rules_button.setObjectName("senderRulesButton")
        self.rules_button.setToolTip(self.tr("Allow or deny senders and domains of this inbox"))
        self.rules_button.clicked.connect(self.open_sender_rules)

        top = QFormLayout()
        inbox_row = QHBoxLayout()
        inbox_row.addWidget(self.inbox_combo, 1)
        inbox_row.addWidget(self.rules_button)
        inbox_label = QLabel(self.tr("&Inbox:"), self)  # a row of a layout gets no buddy
        inbox_label.setBuddy(self.inbox_combo)
        top.addRow(inbox_label, inbox_row)
        top.addRow(self.tr("&Provider:"), self.preset_combo)
        top.addRow("", self.preset_note)
        account = QGroupBox(self.tr("Account"), self)
        account_form = QFormLayout(account)
        account_form.addRow(self.tr("&User name:"), self.user)
        account_form.addRow(self.tr("Sign-&in:"), self.auth)
        account_form.addRow(self.tr("Pass&word:"), self.password)
        self.keyring_note = QLabel(account)
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        make_muted(self.keyring_note)
        account_form.addRow("", self.keyring_note)
        incoming = QGroupBox(self.tr("Incoming mail (IMAP)"), self)
        incoming_form = QFormLayout(incoming)
        incoming_form.addRow(self.tr("Ser&ver:"), self._server_row(
            self.imap_host, self.imap_port, self.imap_security))
        incoming_form.addRow(self.tr("&Folder:"), self.folder)
        incoming_form.addRow(self.tr("C&heck every:"), self.poll)
        incoming_form.addRow("", self.mark_seen)
        outgoing = QGroupBox(self.tr("Outgoing mail (SMTP)"), self)
        outgoing_form = QFormLayout(outgoing)
        outgoing_form.addRow(self.tr("Serv&er:"), self._server_row(
            self.smtp_host, self.smtp_port, self.smtp_security))
        outgoing_form.addRow(self.tr("Sender &address:"), self.address)
        outgoing_form.addRow(self.tr("Sender &name:"), self.sender_name)
        outgoing_form.addRow(self.tr("&Undo send for:"), self.undo)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(account)
        layout.addWidget(incoming)
        layout.addWidget(outgoing)
        layout.addLayout(test_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.inbox_combo.currentIndexChanged.connect(self._inbox_changed)
        self.preset_combo.currentIndexChanged.connect(self._preset_chosen)
        self.test_button.clicked.connect(self.test_connection)
        self.auth.currentIndexChanged.connect(self._auth_changed)
        for edit in (self.imap_host, self.smtp_host, self.user, self.address):
            edit.textChanged.connect(self.update_state)
        self.resize(560, 680)
        self._inbox_changed()

    def open_sender_rules(self) -> SenderRulesDialog:
        """The allow and deny lists of the inbox chosen here."""
        dialog = SenderRulesDialog(self.bridge, self)
        select_data(dialog.inbox_combo, self.inbox_combo.currentData())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.rules_dialog = dialog
        return dialog

    def _server_row(self, host: QLineEdit, port: QSpinBox, security: QComboBox) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        # Room for a whole server name whatever the labels' language makes the label column.
        host.setMinimumWidth(host.fontMetrics().horizontalAdvance(LONG_HOST) + 16)
        layout.addWidget(host, 1)
        layout.addWidget(port)
        layout.addWidget(security)
        row.setFocusProxy(host)  # the row label's mnemonic goes to the server name
        return row

    # -- filling in -------------------------------------------------------------------------

    def _inbox_changed(self) -> None:
        account = self._accounts.get(self.inbox_combo.currentData())
        self.password.clear()
        if account is None:
            # Nothing of the inbox shown before stays: a new account starts empty.
            for edit in (self.imap_host, self.smtp_host, self.user, self.address,
                         self.sender_name):
                edit.clear()
            self.folder.setText("INBOX")
            self.mark_seen.setChecked(False)
            self.poll.setValue(60)
            self.undo.setValue(10)
            select_data(self.preset_combo, "generic")
            self._preset_chosen()
            return
        with QSignalBlocker(self.preset_combo):  # the account's own ports and sign-in stay
            select_data(self.preset_combo, self._matching_preset(account))
        self._show_preset_note()
        self.imap_host.setText(account.imap_host)
        self.imap_port.setValue(account.imap_port)
        select_data(self.imap_security, account.imap_security)
        self.folder.setText(account.imap_folder)
        self.mark_seen.setChecked(account.mark_seen)
        self.poll.setValue(account.poll_seconds)
        self.smtp_host.setText(account.smtp_host)
        self.smtp_port.setValue(account.smtp_port)
        select_data(self.smtp_security, account.smtp_security)
        self.user.setText(account.imap_user)
        select_data(self.auth, account.oauth_provider if account.auth is MailAuth.XOAUTH2
                    else MailAuth.PASSWORD)
        self.address.setText(account.sender_address)
        self.sender_name.setText(account.sender_name)
        self.undo.setValue(account.undo_seconds)
        self._auth_changed()
        self.update_state()

    def _matching_preset(self, account: MailAccountInfo) -> str:
        """The key of the provider whose servers the account uses ("generic": none)."""
        for preset in self._presets:
            if (preset.key != "generic"
                    and preset.imap_host.lower() == account.imap_host.strip().lower()
                    and preset.smtp_host.lower() == account.smtp_host.strip().lower()):
                return preset.key
        return "generic"

    def _show_preset_note(self) -> None:
        preset = self._preset()
        self.preset_note.setText(translate("InboxSettingsDialog", preset.note)
                                 if preset is not None else "")

    def _preset(self) -> Preset | None:
        key = self.preset_combo.currentData()
        return next((p for p in self._presets if p.key == key), None)

    def _preset_chosen(self) -> None:
        preset = self._preset()
        if preset is None:
            return
        self._show_preset_note()
        if preset.key != "generic" or not self.imap_host.text():
            self.imap_host.setText(preset.imap_host)
            self.smtp_host.setText(preset.smtp_host)
        self.imap_port.setValue(preset.imap_port)
        select_data(self.imap_security, preset.imap_security)
        self.smtp_port.setValue(preset.smtp_port)
        select_data(self.smtp_security, preset.smtp_security)
        select_data(self.auth, preset.oauth_provider or MailAuth.PASSWORD)
        self._auth_changed()
        self.update_state()

    def _auth_changed(self) -> None:
        """The password field and the note under it say what applies to this sign-in."""
        uses_password = self.auth.currentData() == MailAuth.PASSWORD
        self.password.setEnabled(uses_password)
        inbox_id = self.inbox_combo.currentData()
        account = self._accounts.get(inbox_id)
        stored = (account is not None and account.auth is MailAuth.PASSWORD
                  and self._password_stored.get(inbox_id, False))
        if not uses_password:
            self.password.clear()
            self.password.setPlaceholderText(self.tr("Not used with OAuth2 sign-in"))
            note = self.tr("OAuth2 needs no password here: you sign in with the provider in "
                           "your browser, and the sign-in is kept in the system keyring.")
        elif stored:
            self.password.setPlaceholderText(self.tr("Saved; leave empty to keep it"))
            note = self.tr("The password is kept in the system keyring, never in the "
                           "database.")
        else:
            self.password.setPlaceholderText(self.tr("No password saved yet"))
            note = self.tr("The password is kept in the system keyring, never in the "
                           "database.")
        self.keyring_note.setText(self._keyring_problem or note)

    def settings(self) -> MailSettings:
        provider = self.auth.currentData()
        oauth = provider != MailAuth.PASSWORD
        address = self.address.text().strip() or self.user.text().strip()
        return MailSettings(
            imap_host=self.imap_host.text(), imap_port=self.imap_port.value(),
            imap_security=self.imap_security.currentData(), imap_folder=self.folder.text(),
            mark_seen=self.mark_seen.isChecked(), poll_seconds=self.poll.value(),
            smtp_host=self.smtp_host.text(), smtp_port=self.smtp_port.value(),
            smtp_security=self.smtp_security.currentData(), user=self.user.text(),
            sender_address=address, sender_name=self.sender_name.text(),
            auth=MailAuth.XOAUTH2 if oauth else MailAuth.PASSWORD,
            oauth_provider=str(provider) if oauth else None, undo_seconds=self.undo.value())

    def _password(self) -> str | None:
        return self.password.text() or None

    # -- OperationDialog --------------------------------------------------------------------

    def refusal(self) -> str | None:
        if self.inbox_combo.currentData() is None:
            return self.tr("Choose an inbox.")
        if not self.imap_host.text().strip() or not self.smtp_host.text().strip():
            return self.tr("Enter the IMAP and SMTP servers.")
        if not self.user.text().strip():
            return self.tr("Enter the user name.")
        return None

    def start(self) -> None:
        name = self.inbox_combo.currentText()
        settings, password = self.settings(), self._password()

        def work(desk: Desk, _progress: ProgressCallback) -> InboxConnected:
            account, in_keyring = desk.connect_inbox(name, settings, password=password)
            return InboxConnected(account, in_keyring)

        self.run_operation(work, lambda result: result)  # type: ignore[no-any-return]

    def test_connection(self) -> None:
        """Log in to both servers on a worker thread; the result is one sentence."""
        reason = self.refusal()
        if reason is not None:
            self.test_result.setText(reason)
            return
        settings, password = self.settings(), self._password()
        self.test_button.setEnabled(False)
        self.test_result.setText(self.tr("Testing…"))

        def work(desk: Desk, _progress: ProgressCallback) -> ConnectionTest:
            return desk.test_mail_settings(settings, password)

        def done(result: ConnectionTest) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText(self.tr("Connection works: both servers accepted the "
                                             "login.") if result.ok else result.sentence())

        def failed(message: str) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText(message)

        self.bridge.run(work, on_done=done, on_error=failed, owner=self)
