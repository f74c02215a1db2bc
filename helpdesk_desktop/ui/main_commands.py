"""The main window's commands that open a dialog or a window of their own.

:class:`WindowCommands` is a part of :class:`~.main_window.MainWindow` (a mixin): the Settings,
View and Help menus' dialogs, the inboxes window, and what the mail service asks of the window
(a password, "reply queued"). Each dialog is non-modal and deletes itself when closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QWidget

if TYPE_CHECKING:
    # The dialogs are imported when opened: none of them is on the path to the first page.
    from helpdesk_desktop.services.mail.accounts import MailAccountInfo
    from helpdesk_desktop.ui.actions.registry import ActionRegistry
    from helpdesk_desktop.ui.bridge import DeskBridge
    from helpdesk_desktop.ui.dialogs.about_dialog import AboutDialog
    from helpdesk_desktop.ui.dialogs.import_dialog import ImportMailDialog
    from helpdesk_desktop.ui.dialogs.inbox_settings_dialog import (
        InboxConnected,
        InboxSettingsDialog,
    )
    from helpdesk_desktop.ui.dialogs.outbox_dialog import OutboxDialog
    from helpdesk_desktop.ui.dialogs.sender_rules_dialog import SenderRulesDialog
    from helpdesk_desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
    from helpdesk_desktop.ui.inbox_view import InboxView
    from helpdesk_desktop.ui.mail_service import MailService

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


class WindowCommands:
    """Dialogs and windows opened from the main window (see the module docstring)."""

    if TYPE_CHECKING:  # provided by MainWindow
        _bridge: DeskBridge
        _windows: list[QWidget]
        mail: MailService | None
        import_dialog: ImportMailDialog | None
        outbox_dialog: OutboxDialog | None
        registry: ActionRegistry
        actions_menu: QMenu
        settings_actions: dict[str, QAction]

        @property
        def bridge(self) -> DeskBridge: ...
        def show_status(self, message: str, undo: Callable[[], None] | None = None) -> None: ...
        def show_error(self, message: str) -> None: ...
        def open_ticket(self, ticket_id: int, new_window: bool = False) -> None: ...
        def forget_window(self, window: QWidget) -> None: ...

    def _parent(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def _update_settings_actions(self) -> None:
        user = self._bridge.user
        allowed = user.super_admin or user.account_access
        action = self.settings_actions["mail_inboxes"]
        action.setEnabled(allowed)
        action.setToolTip("" if allowed else translate("MainWindow", "Needs account access (super admin)."))

    def open_mail_inboxes(self) -> InboxSettingsDialog:
        """Settings › Inboxes…: connect an inbox to a mailbox."""
        from helpdesk_desktop.ui.dialogs.inbox_settings_dialog import InboxSettingsDialog

        dialog = InboxSettingsDialog(self._bridge, self._parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._inbox_connected)
        dialog.open()
        return dialog

    def _inbox_connected(self, result: InboxConnected) -> None:
        message = translate("MainWindow", "The inbox “%1” is connected.").replace(
            "%1", result.account.inbox_name)
        if not result.in_keyring:
            message += " " + translate("MainWindow", "No system keyring: the password is kept until the "
                                     "program closes.")
        self.show_status(message)
        if self.mail is not None:
            self.mail.restart()

    def _reply_queued(self, outbox_id: int, seconds: int) -> None:
        def undo() -> None:
            self._bridge.run(lambda desk, _p: desk.cancel_outgoing(outbox_id),
                             on_done=lambda result: self.show_status(result.message),
                             on_error=self.show_error, owner=self, origin=self)

        if seconds > 0:
            self.show_status(translate("MainWindow", "Reply queued; it leaves in %1 s.").replace(
                "%1", str(seconds)), undo)
        else:
            self.show_status(translate("MainWindow", "Reply queued."))

    def ask_mail_password(self, account: MailAccountInfo, reason: str) -> None:
        """No keyring: ask once per session for an inbox's password, saying why."""
        dialog = QInputDialog(self._parent())
        dialog.setObjectName("MailPasswordDialog")
        dialog.setWindowTitle(translate("MainWindow", "Password for %1").replace("%1", account.inbox_name))
        dialog.setLabelText(translate("MainWindow", "Password of %1 on %2.\n%3").replace(
            "%1", account.imap_user).replace("%2", account.imap_host).replace("%3", reason))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def entered(text: str) -> None:
            if text and self.mail is not None:
                self.mail.provide_password(account, text)

        dialog.textValueSelected.connect(entered)
        dialog.open()

    def open_preferences(self) -> None:
        """Edit > Preferences…: the signed-in user's notification settings."""
        from helpdesk_desktop.ui.dialogs.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self.bridge, self._parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_sender_rules(self) -> SenderRulesDialog:
        """Settings › Sender Rules…: the inboxes' allow and deny lists."""
        from helpdesk_desktop.ui.dialogs.sender_rules_dialog import SenderRulesDialog

        dialog = SenderRulesDialog(self.bridge, self._parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_outbox(self) -> OutboxDialog:
        """View › Outbox…: outgoing e-mail with its state; one dialog per window, raised."""
        if self.outbox_dialog is not None:
            self.outbox_dialog.raise_()
            self.outbox_dialog.activateWindow()
            return self.outbox_dialog
        from helpdesk_desktop.ui.dialogs.outbox_dialog import OutboxDialog

        dialog = OutboxDialog(self.bridge, self._parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.flushRequested.connect(self._flush_outbox)
        dialog.ticketRequested.connect(self.open_ticket)
        dialog.destroyed.connect(lambda *_: setattr(self, "outbox_dialog", None))
        self.outbox_dialog = dialog
        dialog.show()
        return dialog

    def _flush_outbox(self) -> None:
        if self.mail is not None:
            self.mail.flush_now()
        else:
            self._bridge.run(lambda desk, _p: desk.flush_outbox(),
                             on_done=lambda report: self.show_status(report.sentence()),
                             on_error=self.show_error, owner=self)

    def import_mail(self, paths: list[str] | None = None) -> ImportMailDialog:
        """File > Import Mail… (or files dropped on the window): the import dialog."""
        from helpdesk_desktop.ui.dialogs.import_dialog import ImportMailDialog

        dialog = ImportMailDialog.open_for(self._parent(), self.bridge, paths or [])
        self.import_dialog = dialog
        return dialog

    def open_inboxes(self) -> InboxView:
        """The conversations inboxes, in a window of their own."""
        from helpdesk_desktop.ui.inbox_view import InboxView

        view = InboxView(self._bridge, None)
        view.setWindowTitle(translate("MainWindow", "Conversation inboxes — Help Desk"))
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.moved.connect(lambda _result: self.show_status(
            translate("MainWindow", "The conversation is now a ticket in the help desk.")))
        view.destroyed.connect(lambda _obj=None, v=view: self.forget_window(v))
        view.resize(1000, 640)
        self._windows.append(view)
        view.show()
        return view

    def about(self) -> AboutDialog:
        """Help > About: version, Qt/PySide6/Python, database location, font licences."""
        from helpdesk_desktop.ui.dialogs.about_dialog import AboutDialog

        dialog = AboutDialog(self._bridge.desk.database_location(), self._parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help > Keyboard Shortcuts (also "?"): the sheet made from the actions themselves."""
        from helpdesk_desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog.for_window(self._parent(), self.registry.actions.values(),
                                            self.actions_menu)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_log_folder(self) -> None:
        """Help > Show Log Folder: the platform's file manager on the log folder."""
        from helpdesk_desktop.application.diagnostics import log_folder

        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.show_error(translate("MainWindow", "The log folder is %1.").replace("%1", str(folder)))
