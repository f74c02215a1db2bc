"""The facade's mail: the inboxes' mailbox accounts, their passwords, fetching, the outbox.

Mixed into :class:`~.desk.Desk` (issue 8); the services it calls are imported on first use,
so neither a command nor the window's first frame pays for the mail machinery.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from helpdesk_desktop.application import lazy
from helpdesk_desktop.application.desk_base import DeskBase
from helpdesk_desktop.domain.enums import MailAuth, OutboxState
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.services.mail.presets import PRESETS, Preset
from helpdesk_desktop.services.mail.secrets import SecretStore

if TYPE_CHECKING:
    from helpdesk_desktop.services import access
    from helpdesk_desktop.services.dto import OutboxChange
    from helpdesk_desktop.services.mail import accounts as mail_accounts
    from helpdesk_desktop.services.mail import outbox as mail_outbox
    from helpdesk_desktop.services.mail.accounts import MailAccountInfo, MailSettings
    from helpdesk_desktop.services.mail.connect import ConnectionTest
    from helpdesk_desktop.services.mail.fetch import FetchReport
    from helpdesk_desktop.services.mail.outbox import FlushReport, OutboxEntry
else:
    access = lazy.module("helpdesk_desktop.services.access")
    mail_accounts = lazy.module("helpdesk_desktop.services.mail.accounts")
    mail_outbox = lazy.module("helpdesk_desktop.services.mail.outbox")


class MailDesk(DeskBase):
    """The mail operations of the facade, on behalf of the signed-in user."""

    # -- mail accounts (issue 8, network) -------------------------------------------------

    def mail_accounts(self) -> list[MailAccountInfo]:
        """Every inbox connected to a mailbox."""
        return mail_accounts.list_accounts(self._uow())

    def mail_account(self, inbox_name: str) -> MailAccountInfo:
        return mail_accounts.get_account(self._uow(), inbox_name)

    def connect_inbox(self, inbox_name: str, settings: MailSettings, *,
                      password: str | None = None,
                      smtp_password: str | None = None) -> tuple[MailAccountInfo, bool]:
        """Save the inbox's mailbox settings and its passwords (``smtp_password``: when the
        SMTP server has its own). Returns the account and whether the passwords went to the OS
        keyring (``False``: kept for this session only, :meth:`keyring_problem` says why)."""
        try:
            before: MailAccountInfo | None = self.mail_account(inbox_name)
        except HelpDeskError:
            before = None
        info = mail_accounts.connect_inbox(self._uow(), inbox_name, settings)
        if before is not None:  # another login: its old secrets are no longer needed
            for old, new in ((before.imap_secret_key, info.imap_secret_key),
                             (before.smtp_secret_key, info.smtp_secret_key)):
                if old != new:
                    if password is None and (secret := self.secrets.get(old)) is not None:
                        self.secrets.put(new, secret)
                    self.secrets.delete(old)
        in_keyring = True
        if password is not None:
            in_keyring &= self.secrets.put(info.imap_secret_key, password)
            in_keyring &= self.secrets.put(info.smtp_secret_key, smtp_password or password)
        return info, in_keyring

    def disconnect_inbox(self, inbox_name: str) -> None:
        info = self.mail_account(inbox_name)
        mail_accounts.disconnect_inbox(self._uow(), inbox_name)
        self.secrets.delete(info.imap_secret_key)
        self.secrets.delete(info.smtp_secret_key)

    def keyring_problem(self) -> str | None:
        """Why passwords cannot be kept in the OS keyring (``None``: they can)."""
        return self.secrets.keyring_problem()

    def needs_password(self, account: MailAccountInfo) -> bool:
        """Whether a password must be asked before this account can be used."""
        if account.auth is not MailAuth.PASSWORD:
            return False
        return (self.secrets.get(account.imap_secret_key) is None
                or self.secrets.get(account.smtp_secret_key) is None)

    def remember_password(self, account: MailAccountInfo, password: str) -> None:
        """A password the user typed when asked (no keyring): kept for this session."""
        self.secrets.remember_for_session(account.imap_secret_key, password)
        self.secrets.remember_for_session(account.smtp_secret_key, password)

    def test_inbox(self, inbox_name: str) -> ConnectionTest:
        """Log in to the inbox's IMAP and SMTP servers; the sentence says what failed."""
        from helpdesk_desktop.services.mail import connect as mail_connect
        return mail_connect.check_connection(self.mail_account(inbox_name), self.secrets)

    def test_mail_settings(self, settings: MailSettings, password: str | None) -> ConnectionTest:
        """Test settings before saving them (the dialog's Test connection button)."""
        from helpdesk_desktop.services.mail import connect as mail_connect
        clean = mail_accounts.validated(settings)
        with self._uow() as uow:
            access.require(access.reason_missing_account_access(uow.actor))
        probe = mail_accounts.MailAccountInfo(
            id=0, inbox_id=0, inbox_name="", auth=clean.auth,
            oauth_provider=clean.oauth_provider, imap_host=clean.imap_host,
            imap_port=clean.imap_port, imap_security=clean.imap_security,
            imap_user=clean.imap_user, imap_folder=clean.imap_folder, mark_seen=clean.mark_seen,
            poll_seconds=clean.poll_seconds, smtp_host=clean.smtp_host,
            smtp_port=clean.smtp_port, smtp_security=clean.smtp_security,
            smtp_user=clean.smtp_user, sender_address=clean.sender_address,
            sender_name=clean.sender_name, undo_seconds=clean.undo_seconds)
        store = SecretStore()
        for key in (probe.imap_secret_key, probe.smtp_secret_key):
            secret = password if password is not None else self.secrets.get(key)
            if secret is not None:
                store.remember_for_session(key, secret)
        return mail_connect.check_connection(probe, store)

    def fetch_inbox(self, inbox_name: str) -> FetchReport:
        """One pass over the inbox's IMAP folder: new mail opens or joins tickets."""
        from helpdesk_desktop.services.mail import fetch as mail_fetch
        report = mail_fetch.fetch_once(self._database, self.mail_account(inbox_name),
                                       self.secrets, clock=self.clock)
        self._changed(OpResult(report.sentence(),
                               changed_ticket_ids=report.changed_ticket_ids,
                               created_ticket_ids=report.created_ticket_ids))
        return report

    def watch_inbox(self, account: MailAccountInfo, stop: threading.Event,
                    on_state: Callable[[str, str], None]) -> None:
        """Fetch the inbox's mail until ``stop`` is set (IMAP IDLE, else polling); blocks, so
        run it on a worker thread. Listeners hear of each ticket the mail opened or changed."""
        from helpdesk_desktop.services.mail import watch as mail_watch
        def reported(report: FetchReport) -> None:
            if report.messages:
                self._changed(OpResult(report.sentence(),
                                       changed_ticket_ids=report.changed_ticket_ids,
                                       created_ticket_ids=report.created_ticket_ids))

        mail_watch.watch(self._database, account, self.secrets, stop, on_state, reported,
                         clock=self.clock)

    def mail_presets(self) -> tuple[Preset, ...]:
        return PRESETS

    # -- the outbox -------------------------------------------------------------------------

    def outbox(self, states: Sequence[OutboxState] = ()) -> list[OutboxEntry]:
        """Outgoing mail of the tickets this user sees, newest first."""
        return mail_outbox.list_outbox(self._uow(), states)

    def deliveries(self, message_ids: Sequence[int]) -> dict[int, OutboxEntry]:
        """Send state (queued, sending, sent, failed, cancelled) of these replies."""
        return mail_outbox.delivery_of(self._uow(), message_ids)

    def cancel_outgoing(self, outbox_id: int) -> OpResult[OutboxChange]:
        """Undo send: the e-mail does not leave (refused once it is being sent)."""
        return self._changed(mail_outbox.cancel(self._uow(), outbox_id))

    def retry_outgoing(self, outbox_id: int) -> OpResult[OutboxChange]:
        return self._changed(mail_outbox.retry(self._uow(), outbox_id))

    def flush_outbox(self) -> FlushReport:
        """Send every due e-mail now (what the window's background sender does, every few
        seconds). With nothing due, the sender's modules (SMTP, TLS, the composer: ~1 MB of
        the window's memory) are not imported (docs/PERFORMANCE.md, "Session 30")."""
        from helpdesk_desktop.services.uow import UnitOfWork
        with self._uow() as uow:
            uow.actor  # noqa: B018 - only a signed-in user flushes
        if not mail_outbox.due_ids(UnitOfWork(self._database, None, self.clock), 1):
            return mail_outbox.FlushReport()
        from helpdesk_desktop.services.mail import sender as mail_sender
        report = mail_sender.flush(self._database, self.secrets, clock=self.clock)
        if report.ticket_ids:
            self._changed(OpResult(report.sentence(),
                                   changed_ticket_ids=tuple(sorted(report.ticket_ids))))
        return report
