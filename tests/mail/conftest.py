"""Mail tests: an in-memory keyring, a Dovecot and an SMTP server shared by the session."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import MailSecurity
from helpdesk_desktop.services.mail import secrets as mail_secrets
from helpdesk_desktop.services.mail.accounts import MailAccountInfo, MailSettings
from tests.factories import Workspace
from tests.mail.servers import Dovecot, SmtpServer


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend that keeps passwords in a dict (tests only)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(mail_secrets, "_default", mail_secrets.SecretStore())
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    # Not under pytest's 0700 temporary folders: Dovecot's unprivileged processes must reach it.
    root = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
    server = Dovecot(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def running_dovecot(dovecot: Dovecot) -> Dovecot:
    """The session's Dovecot, started again if a previous test stopped it."""
    if dovecot.process is None:
        dovecot.start()
    return dovecot


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> SmtpServer:
    if smtp_server.controller is None:
        smtp_server.start()
    smtp_server.handler.received.clear()
    smtp_server.handler.refuse_data = None
    return smtp_server


def local_settings(dovecot: Dovecot, smtp: SmtpServer, user: str, **changes: object
                   ) -> MailSettings:
    values: dict[str, object] = {
        "imap_host": "127.0.0.1", "imap_port": dovecot.port,
        "imap_security": MailSecurity.NONE, "smtp_host": "127.0.0.1", "smtp_port": smtp.port,
        "smtp_security": MailSecurity.NONE, "user": user,
        "sender_address": "support@acme.example", "sender_name": "Acme Support",
        "undo_seconds": 0}
    values.update(changes)
    return MailSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def mailbox(running_dovecot: Dovecot, smtp: SmtpServer) -> str:
    """A fresh user with an empty INBOX on both servers (password ``secret``)."""
    user = running_dovecot.add_user()
    smtp.add_user(user)
    return user


@pytest.fixture
def connected(ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer,
              mailbox: str) -> tuple[Desk, MailAccountInfo]:
    """The admin's desk with the Help Desk inbox connected to ``mailbox``."""
    desk = ws.desk("admin")
    info, in_keyring = desk.connect_inbox(
        "Help Desk", local_settings(running_dovecot, smtp, mailbox), password="secret")
    assert in_keyring
    return desk, info


