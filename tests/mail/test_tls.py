"""TLS and STARTTLS against the real servers: a trusted certificate works, an untrusted one
is refused in one sentence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpdesk_desktop.domain.enums import MailSecurity
from tests.factories import Workspace
from tests.mail.conftest import local_settings
from tests.mail.servers import Dovecot, SmtpServer, make_certificate
from tests.mail.test_fetch import mail


@pytest.fixture(scope="module")
def tls_smtp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    server = SmtpServer(make_certificate(tmp_path_factory.mktemp("smtp-tls")))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def trusted(running_dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test certificate is trusted (as a company CA would be, through SSL_CERT_FILE)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(running_dovecot.cert))
    return running_dovecot.cert


def test_imaps_and_smtp_starttls_with_a_trusted_certificate(
        ws: Workspace, running_dovecot: Dovecot, tls_smtp: SmtpServer, mailbox: str,
        trusted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert tls_smtp.certificate is not None
    bundle = trusted.parent / "bundle.pem"
    bundle.write_bytes(trusted.read_bytes() + tls_smtp.certificate[0].read_bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    tls_smtp.add_user(mailbox)
    desk = ws.desk("admin")
    desk.connect_inbox("Help Desk", local_settings(
        running_dovecot, tls_smtp, mailbox, imap_host="localhost",
        imap_port=running_dovecot.tls_port, imap_security=MailSecurity.TLS,
        smtp_host="localhost", smtp_security=MailSecurity.STARTTLS), password="secret")
    assert desk.test_inbox("Help Desk").ok
    running_dovecot.append(mailbox, mail(1))
    [fetched] = desk.fetch_inbox("Help Desk").messages
    desk.reply(fetched.delivery.ticket_id or 0, "Over TLS.")
    assert desk.flush_outbox().sent
    assert tls_smtp.handler.received[-1].message.get_content().strip() == "Over TLS."


def test_imap_starttls(ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer,
                       mailbox: str, trusted: Path) -> None:
    desk = ws.desk("admin")
    desk.connect_inbox("Help Desk", local_settings(
        running_dovecot, smtp, mailbox, imap_host="localhost",
        imap_security=MailSecurity.STARTTLS), password="secret")
    running_dovecot.append(mailbox, mail(1))
    assert [m.delivery.outcome for m in desk.fetch_inbox("Help Desk").messages] == ["created"]


def test_an_untrusted_certificate_is_refused_in_one_sentence(
        ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer, mailbox: str) -> None:
    desk = ws.desk("admin")
    desk.connect_inbox("Help Desk", local_settings(
        running_dovecot, smtp, mailbox, imap_host="localhost",
        imap_port=running_dovecot.tls_port, imap_security=MailSecurity.TLS), password="secret")
    error = desk.test_inbox("Help Desk").imap_error
    assert error is not None
    assert error.startswith("The TLS certificate of localhost was refused (")
    assert "certificate" in error and error.endswith(").")
