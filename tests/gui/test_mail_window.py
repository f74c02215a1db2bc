"""The e-mail channel in a real window: connect an inbox in Settings › Inboxes (Test
connection included), receive a mail into the list, reply from the composer, and see the
reply reach the SMTP server and its state turn to sent."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import MailAuth, MailSecurity, OutboxState
from helpdesk_desktop.services.mail.accounts import MailSettings
from helpdesk_desktop.ui.dialogs.inbox_settings_dialog import InboxSettingsDialog
from helpdesk_desktop.ui.mail_service import MailService
from helpdesk_desktop.ui.main_window import MainWindow
from tests.gui.conftest import GuiWorkspace
from tests.mail import conftest as mail_fixtures
from tests.mail.servers import Dovecot, SmtpServer
from tests.mail.test_fetch import mail

# The real servers' fixtures (Dovecot, aiosmtpd) and the in-memory keyring of tests/mail.
dovecot = mail_fixtures.dovecot
running_dovecot = mail_fixtures.running_dovecot
smtp_server = mail_fixtures.smtp_server
smtp = mail_fixtures.smtp
memory_keyring = mail_fixtures.memory_keyring

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def mail_window(gui_ws: GuiWorkspace, qtbot: QtBot) -> Iterator[MainWindow]:
    bridge = gui_ws.bridge("admin")
    service = MailService(bridge)
    window = MainWindow(bridge, mail=service)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    service.start()
    gui_ws.settle()
    yield window
    service.shutdown()
    bridge.wait_for_idle()


def fill(qtbot: QtBot, dialog: InboxSettingsDialog, dovecot: Dovecot, smtp: SmtpServer,
         user: str) -> None:
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Help Desk"))
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("generic"))
    for edit, text in ((dialog.imap_host, "127.0.0.1"), (dialog.smtp_host, "localhost"),
                       (dialog.user, user), (dialog.password, "secret"),
                       (dialog.address, "support@acme.example"),
                       (dialog.sender_name, "Acme Support")):
        edit.clear()
        qtbot.keyClicks(edit, text)
    dialog.imap_port.setValue(dovecot.port)
    dialog.smtp_port.setValue(smtp.port)
    for combo in (dialog.imap_security, dialog.smtp_security):
        combo.setCurrentIndex(combo.findData(MailSecurity.NONE))
    dialog.undo.setValue(0)


def test_connect_receive_reply_and_send_from_the_window(
        mail_window: MainWindow, gui_ws: GuiWorkspace, qtbot: QtBot, running_dovecot: Dovecot,
        smtp: SmtpServer) -> None:
    user = running_dovecot.add_user()
    smtp.add_user(user)
    action = mail_window.settings_actions["mail_inboxes"]
    assert action.isEnabled()
    action.trigger()
    dialog = mail_window.findChild(InboxSettingsDialog, "InboxSettingsDialog")
    assert dialog is not None
    fill(qtbot, dialog, running_dovecot, smtp, user)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Connection works"),
                    timeout=10000)
    dialog.resize(1024, 768)
    dialog.grab().save("/tmp/helpdesk-inbox-settings.png")
    with qtbot.waitSignal(dialog.succeeded, timeout=10000):
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)

    # the background watcher (IDLE) brings a new mail into the list
    status = mail_window.mail_status
    assert status is not None
    qtbot.waitUntil(lambda: (label := status.label("Help Desk")) is not None
                    and label.text() == "Help Desk: connected", timeout=10000)
    running_dovecot.append(user, mail(1, subject="Printer jammed again"))

    def ticket_in_list() -> int | None:
        QApplication.processEvents()
        model = mail_window.model
        return next((i for i in model.ids()
                     if (row := model.row_for_id(i)) and row.name == "Printer jammed again"),
                    None)

    qtbot.waitUntil(lambda: ticket_in_list() is not None, timeout=15000)
    ticket_id = ticket_in_list()
    assert ticket_id is not None

    # reply from the composer; the background sender delivers it
    mail_window.open_ticket(ticket_id)
    gui_ws.settle()
    view = mail_window.ticket_view
    qtbot.keyClicks(view.composer.editor, "We are on it.")
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(smtp.handler.received) == 1, timeout=15000)
    sent = smtp.handler.received[0].message
    assert f"[#{ticket_id}]" in str(sent["Subject"])
    assert sent.get_content().strip() == "We are on it."
    desk = gui_ws.ws.desk("admin")
    qtbot.waitUntil(lambda: [e.state for e in desk.outbox()] == [OutboxState.SENT],
                    timeout=10000)
    qtbot.waitUntil(lambda: "1 sent" in mail_window.status.message.text(), timeout=5000)
    mail_window.grab().save("/tmp/helpdesk-mail-window.png")


def test_settings_inboxes_needs_account_access(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("agent")
    action = window.settings_actions["mail_inboxes"]
    assert not action.isEnabled()
    assert "account access" in action.toolTip()


def test_undo_send_from_the_status_bar(
        mail_window: MainWindow, gui_ws: GuiWorkspace, qtbot: QtBot, running_dovecot: Dovecot,
        smtp: SmtpServer) -> None:
    user = running_dovecot.add_user()
    smtp.add_user(user)
    desk = gui_ws.ws.desk("admin")
    desk.connect_inbox("Help Desk", mail_fixtures.local_settings(
        running_dovecot, smtp, user, undo_seconds=10), password="secret")
    ticket_id = gui_ws.tickets["Printer on fire"]
    mail_window.open_ticket(ticket_id)
    gui_ws.settle()
    view = mail_window.ticket_view
    qtbot.keyClicks(view.composer.editor, "Sent to the wrong customer")
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    status = mail_window.status
    qtbot.waitUntil(lambda: status.undo_button.isVisible(), timeout=5000)
    assert status.message.text().startswith("Reply queued; it leaves in ")
    qtbot.mouseClick(status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [e.state for e in desk.outbox()] == [OutboxState.CANCELLED],
                    timeout=5000)
    qtbot.waitUntil(lambda: "not sent" in status.message.text(), timeout=5000)
    assert smtp.handler.received == []


def test_without_a_keyring_the_password_is_asked_once_with_the_reason(
        gui_ws: GuiWorkspace, qtbot: QtBot, running_dovecot: Dovecot, smtp: SmtpServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    import keyring.backends.fail
    from PySide6.QtWidgets import QInputDialog

    user = running_dovecot.add_user()
    gui_ws.ws.desk("admin").connect_inbox(
        "Help Desk", mail_fixtures.local_settings(running_dovecot, smtp, user))
    keyring.set_keyring(keyring.backends.fail.Keyring())
    bridge = gui_ws.bridge("admin")
    service = MailService(bridge)
    window = MainWindow(bridge, mail=service)
    service.passwordNeeded.connect(window.ask_mail_password)  # as the composition root does
    asked: list[object] = []
    service.passwordNeeded.connect(lambda account, _reason: asked.append(account))
    qtbot.addWidget(window)
    window.show()
    try:
        service.start()
        qtbot.waitUntil(lambda: window.findChild(QInputDialog, "MailPasswordDialog")
                        is not None, timeout=5000)
        ask = window.findChild(QInputDialog, "MailPasswordDialog")
        assert ask is not None and ask.isVisible()
        assert "No system keyring" in ask.labelText() and user in ask.labelText()
        ask.setTextValue("secret")
        ask.accept()
        status = window.mail_status
        assert status is not None
        qtbot.waitUntil(lambda: (label := status.label("Help Desk")) is not None
                        and label.text() == "Help Desk: connected", timeout=10000)
        service.restart()  # asked once per session: the password is remembered
        qtbot.waitUntil(lambda: "mail-accounts" not in {t.name for t in threading.enumerate()},
                        timeout=10000)
        QApplication.processEvents()  # the loaded accounts reach the service
        assert len(asked) == 1
    finally:
        service.shutdown()
        bridge.wait_for_idle()


def test_presets_fill_the_servers(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    bridge = gui_ws.bridge("admin")
    dialog = InboxSettingsDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("gmail"))
    assert (dialog.imap_host.text(), dialog.imap_port.value(),
            dialog.imap_security.currentData()) == ("imap.gmail.com", 993, MailSecurity.TLS)
    assert dialog.auth.currentData() == "google" and not dialog.password.isEnabled()
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("microsoft365"))
    assert (dialog.smtp_host.text(), dialog.smtp_port.value(),
            dialog.smtp_security.currentData()) == ("smtp.office365.com", 587,
                                                    MailSecurity.STARTTLS)
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("fastmail"))
    assert dialog.auth.currentData() == "password" and dialog.password.isEnabled()
    # unencrypted to a remote server: the sentence, nothing saved
    dialog.user.setText("help@example.com")
    dialog.imap_security.setCurrentIndex(dialog.imap_security.findData(MailSecurity.NONE))
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=5000)
    assert "only to this computer" in dialog.error_label.text()
    assert bridge.desk.mail_accounts() == []


def _connect(bridge, inbox: str, settings: MailSettings,  # type: ignore[no-untyped-def]
             password: str | None) -> None:
    bridge.desk.connect_inbox(inbox, settings, password=password)


def _settings(**changes: object) -> MailSettings:
    import dataclasses

    base = MailSettings(
        imap_host="mail.acme.example", imap_port=993, imap_security=MailSecurity.TLS,
        imap_folder="Support", mark_seen=True, poll_seconds=120,
        smtp_host="smtp.acme.example", smtp_port=465, smtp_security=MailSecurity.TLS,
        user="help@acme.example", sender_address="help@acme.example",
        sender_name="Acme Help", auth=MailAuth.PASSWORD, oauth_provider=None, undo_seconds=5)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_inboxes_dialog_shows_each_inbox_as_it_is(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    bridge = gui_ws.bridge("admin")
    _connect(bridge, "Help Desk", _settings(), "secret")
    _connect(bridge, "Sales inbox", _settings(
        imap_host="imap.gmail.com", smtp_host="smtp.gmail.com", user="sales@gmail.com",
        sender_address="sales@gmail.com", auth=MailAuth.XOAUTH2, oauth_provider="google"),
        None)
    dialog = InboxSettingsDialog(bridge)
    qtbot.addWidget(dialog)
    # A mailbox of its own servers: "Other", its own ports kept, the password is stored.
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Help Desk"))
    assert dialog.preset_combo.currentData() == "generic"
    assert (dialog.imap_host.text(), dialog.imap_port.value(), dialog.smtp_port.value(),
            dialog.user.text()) == ("mail.acme.example", 993, 465, "help@acme.example")
    assert dialog.password.isEnabled() and dialog.password.text() == ""
    assert dialog.password.placeholderText() == "Saved; leave empty to keep it"
    assert "system keyring" in dialog.keyring_note.text()
    # A Gmail mailbox shows Gmail, and the password field says it is not used.
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Sales inbox"))
    assert dialog.preset_combo.currentData() == "gmail"
    assert dialog.auth.currentData() == "google" and not dialog.password.isEnabled()
    assert dialog.password.placeholderText() == "Not used with OAuth2 sign-in"
    assert "OAuth2 needs no password" in dialog.keyring_note.text()
    # An inbox without a mailbox keeps nothing of the one shown before.
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Help Desk"))
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Shared inbox"))
    assert dialog.preset_combo.currentData() == "generic"
    for edit in (dialog.imap_host, dialog.smtp_host, dialog.user, dialog.address,
                 dialog.sender_name, dialog.password):
        assert edit.text() == "", edit.objectName()
    assert dialog.folder.text() == "INBOX" and dialog.poll.value() == 60
    assert dialog.password.isEnabled()
    assert dialog.password.placeholderText() == "No password saved yet"


def test_inboxes_dialog_without_a_stored_password_does_not_say_unchanged(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    bridge = gui_ws.bridge("admin")
    _connect(bridge, "Help Desk", _settings(), None)
    dialog = InboxSettingsDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Help Desk"))
    assert dialog.user.text() == "help@acme.example"
    assert dialog.password.placeholderText() == "No password saved yet"


def test_inboxes_dialog_labels_have_working_mnemonics(gui_ws: GuiWorkspace,
                                                      qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    dialog = InboxSettingsDialog(gui_ws.bridge("admin"))
    qtbot.addWidget(dialog)
    for label in dialog.findChildren(QLabel):
        if "&" in label.text() and not label.text().startswith("<"):
            assert label.buddy() is not None, label.text()
    inbox_label = next(label for label in dialog.findChildren(QLabel)
                       if label.text() == "&Inbox:")
    assert inbox_label.buddy() is dialog.inbox_combo


def test_the_mail_status_names_the_account_without_a_password(gui_ws: GuiWorkspace) -> None:
    bridge = gui_ws.bridge("admin")
    _connect(bridge, "Help Desk", _settings(), None)
    service = MailService(bridge)
    account = bridge.desk.mail_account("Help Desk")
    service._start_watcher(account, True, None)  # a keyring, but no password in it
    state = service.states["Help Desk"]
    assert state.state == "error"
    assert state.last_error == ("No password is stored for the IMAP account help@acme.example; "
                                "enter it in Settings › Inboxes.")
    service.shutdown()
