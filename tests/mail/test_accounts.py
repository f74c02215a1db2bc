"""Mail account settings: validation, permissions, secrets never in the database."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest
from sqlalchemy import text

from helpdesk_desktop.domain.enums import MailSecurity
from helpdesk_desktop.domain.errors import InvalidInput, PermissionDenied
from helpdesk_desktop.services.mail.accounts import MailSettings, is_loopback
from helpdesk_desktop.services.mail.connect import check_connection
from helpdesk_desktop.services.mail.secrets import SecretStore
from tests.factories import Workspace
from tests.mail.conftest import MemoryKeyring, local_settings
from tests.mail.servers import Dovecot, SmtpServer, free_port


def remote(**changes: object) -> MailSettings:
    values: dict[str, object] = {"imap_host": "imap.example.com",
                                 "smtp_host": "smtp.example.com", "user": "help@example.com",
                                 "sender_address": "help@example.com"}
    values.update(changes)
    return MailSettings(**values)  # type: ignore[arg-type]


def test_defaults_and_validation(ws: Workspace) -> None:
    desk = ws.desk("admin")
    info, _ = desk.connect_inbox("help desk", remote(sender_name=" Acme "))
    assert (info.imap_port, info.imap_security, info.smtp_port, info.smtp_security) == (
        993, MailSecurity.TLS, 587, MailSecurity.STARTTLS)
    assert (info.imap_user, info.imap_folder, info.sender_name) == (
        "help@example.com", "INBOX", "Acme")
    for bad, reason in ((remote(imap_security=MailSecurity.NONE), "only to this computer"),
                        (remote(smtp_host="smtp example"), "without spaces"),
                        (remote(sender_address="nope"), "not a valid e-mail"),
                        (remote(imap_port=70000), "between 1 and 65535"),
                        (remote(undo_seconds=-1), "undo-send delay")):
        with pytest.raises(InvalidInput, match=reason):
            desk.connect_inbox("Help Desk", bad)
    assert desk.mail_account("Help Desk").imap_host == "imap.example.com"  # unchanged


def test_loopback_detection() -> None:
    assert all(map(is_loopback, ("localhost", "127.0.0.1", "127.8.8.8", "::1", "[::1]")))
    assert not any(map(is_loopback, ("example.com", "10.0.0.1", "localhost.example.com")))


def test_only_super_admins_and_account_access_connect(ws: Workspace) -> None:
    with pytest.raises(PermissionDenied, match="account access"):
        ws.desk("lead").connect_inbox("Help Desk", remote())
    ws.desk("admin").connect_inbox("Help Desk", remote())
    assert [a.inbox_name for a in ws.desk("agent").mail_accounts()] == ["Help Desk"]
    with pytest.raises(PermissionDenied):
        ws.desk("agent").disconnect_inbox("Help Desk")


def test_passwords_go_to_the_keyring_never_the_database(
        ws: Workspace, memory_keyring: MemoryKeyring) -> None:
    desk = ws.desk("admin")
    desk.connect_inbox("Help Desk", remote(), password="s3cr3t-Pa55")
    assert set(memory_keyring.entries.values()) == {"s3cr3t-Pa55"}
    with ws.db.session() as session:
        for table in ("mail_accounts", "mail_folder_states", "outbox"):
            rows = session.execute(text(f"SELECT * FROM {table}")).all()
            assert all("s3cr3t" not in str(value) for row in rows for value in row)
    desk.disconnect_inbox("Help Desk")
    assert memory_keyring.entries == {}


def test_without_a_keyring_the_password_is_kept_for_the_session_and_the_reason_said(
        ws: Workspace) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    desk = ws.desk("admin")
    problem = desk.keyring_problem()
    assert problem and "No system keyring" in problem and "until the program closes" in problem
    info, in_keyring = desk.connect_inbox("Help Desk", remote(), password="pw")
    assert not in_keyring
    assert not desk.needs_password(info)  # this session remembers it
    fresh = SecretStore()  # next session: asked again
    assert fresh.get(info.imap_secret_key) is None


@pytest.mark.parametrize(("change", "expected"), [
    ({"imap_host": "no-such-host.invalid", "imap_security": MailSecurity.TLS},
     "was not found (DNS lookup failed)"),
    ({"imap_port": "closed"}, "refused the connection"),
    ({"imap_folder": "Archive/Nope"}, "The folder 'Archive/Nope' does not exist"),
    ({"imap_security": MailSecurity.TLS}, "TLS handshake"),
])
def test_connection_diagnosis_in_one_sentence(
        ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer, mailbox: str,
        change: dict[str, object], expected: str) -> None:
    if change.get("imap_port") == "closed":
        change = {"imap_port": free_port()}
    desk = ws.desk("admin")
    desk.connect_inbox("Help Desk", local_settings(running_dovecot, smtp, mailbox, **change),
                       password="secret")
    result = desk.test_inbox("Help Desk")
    assert result.imap_error is not None and expected in result.imap_error
    assert result.imap_error.count(". ") == 0 and result.imap_error.endswith(".")
    assert result.smtp_error is None


def test_smtp_starttls_missing_is_said(ws: Workspace, running_dovecot: Dovecot,
                                       smtp: SmtpServer, mailbox: str) -> None:
    desk = ws.desk("admin")
    info, _ = desk.connect_inbox("Help Desk", local_settings(
        running_dovecot, smtp, mailbox, smtp_security=MailSecurity.STARTTLS), password="secret")
    result = check_connection(info, desk.secrets)
    assert result.imap_error is None
    assert result.smtp_error is not None and "does not offer STARTTLS" in result.smtp_error


def test_changing_the_server_keeps_the_password_and_forgets_the_old_entry(
        ws: Workspace, memory_keyring: MemoryKeyring) -> None:
    desk = ws.desk("admin")
    old, _ = desk.connect_inbox("Help Desk", remote(), password="pw")
    new, _ = desk.connect_inbox("Help Desk", remote(imap_security=MailSecurity.STARTTLS))
    assert new.imap_port == 143 and new.imap_secret_key != old.imap_secret_key
    assert desk.secrets.get(new.imap_secret_key) == "pw"
    assert {key for _service, key in memory_keyring.entries} == {
        new.imap_secret_key, new.smtp_secret_key}
