"""``inbox`` / ``outbox`` / ``tickets reply|note`` from the command line, against the real
servers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.factories import Workspace
from tests.mail.servers import Dovecot, SmtpServer
from tests.mail.test_fetch import mail
from tests.test_cli import ok, refused


def connect_args(dovecot: Dovecot, smtp: SmtpServer, user: str, *extra: str) -> list[str]:
    return ["inbox", "connect", "Help Desk", "--imap-host", "127.0.0.1", "--imap-port",
            str(dovecot.port), "--imap-security", "none", "--smtp-host", "localhost",
            "--smtp-port", str(smtp.port), "--smtp-security", "none", "--user", user,
            "--address", "support@acme.example", "--sender-name", "Acme Support",
            "--undo-seconds", "0", *extra]


def test_connect_test_fetch_reply_flush_from_the_command_line(
        ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer, mailbox: str,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    run = ok(ws.db, *connect_args(running_dovecot, smtp, mailbox, "--password-stdin"))
    assert "connected" in run.out and "secret" not in run.out
    assert "accepted the connection" in ok(ws.db, "inbox", "test", "Help Desk").out
    running_dovecot.append(mailbox, mail(1), mail(2, Auto_Submitted="auto-replied"))
    fetched = ok(ws.db, "inbox", "fetch", "Help Desk", "--json").json()
    assert [(m["uid"], m["outcome"]) for m in fetched] == [(1, "created"), (2, "skipped")]
    assert set(fetched[0]) == {"source", "uid", "message_id", "outcome", "ticket_id", "reason"}
    ticket_id = fetched[0]["ticket_id"]

    text_file = tmp_path / "reply.txt"
    text_file.write_text("Grüße aus dem Support.\n", encoding="utf-8")
    run = ok(ws.db, "tickets", "reply", str(ticket_id), "--text-file", str(text_file),
             "--cc", "a@customer.example", "b@customer.example")
    assert run.out.startswith("Reply queued.")
    ok(ws.db, "tickets", "note", str(ticket_id), "--text", "Checked the invoice.")
    queued = ok(ws.db, "outbox", "list", "--json").json()
    assert [(e["state"], e["cc"]) for e in queued] == [
        ("queued", "a@customer.example, b@customer.example")]
    assert ok(ws.db, "outbox", "flush").out == "1 sent.\n"
    assert [e["state"] for e in ok(ws.db, "outbox", "list", "--json").json()] == ["sent"]
    [received] = smtp.handler.received
    assert f"[#{ticket_id}]" in str(received.message["Subject"])
    line = refused(ws.db, 2, "outbox", "cancel", str(queued[0]["id"]))
    assert "already sent" in line


def test_retry_and_cancel_from_the_command_line(
        ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer, mailbox: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    ok(ws.db, *connect_args(running_dovecot, smtp, mailbox, "--password-stdin"))
    running_dovecot.append(mailbox, mail(1))
    ticket_id = ok(ws.db, "inbox", "fetch", "Help Desk", "--json").json()[0]["ticket_id"]
    ok(ws.db, "tickets", "reply", str(ticket_id), "--text", "First")
    ok(ws.db, "tickets", "reply", str(ticket_id), "--text", "Second")
    first, second = sorted(e["id"] for e in ok(ws.db, "outbox", "list", "--json").json())
    assert "cancelled" in ok(ws.db, "outbox", "cancel", str(first)).out
    smtp.stop()
    assert "1 will be retried" in ok(ws.db, "outbox", "flush").out
    smtp.start()
    assert "next flush" in ok(ws.db, "outbox", "retry", str(second)).out
    assert ok(ws.db, "outbox", "flush").out == "1 sent.\n"
    assert [r.message.get_content().strip() for r in smtp.handler.received] == ["Second"]


def test_connection_failures_are_one_error_line(
        ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer, mailbox: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    ok(ws.db, *connect_args(running_dovecot, smtp, mailbox, "--password-stdin"))
    line = refused(ws.db, 5, "inbox", "test", "Help Desk")
    assert "refused the login" in line and "refused the user name or password" in line
    assert "wrong" not in line
    # Dovecot now delays every login from 127.0.0.1 (auth penalty): a restart forgets it.
    running_dovecot.stop()
    # Unencrypted to a remote host is refused before anything is saved.
    args = connect_args(running_dovecot, smtp, mailbox)
    args[args.index("127.0.0.1")] = "imap.example.com"
    assert "only to this computer" in refused(ws.db, 2, *args)
    assert "no inbox 'Nope'" in refused(ws.db, 2, "inbox", "test", "Nope")


def test_reply_refusals(ws: Workspace, tmp_path: Path) -> None:
    assert "--text" in refused(ws.db, 2, "tickets", "reply", "1")
    assert "Cannot read the reply" in refused(
        ws.db, 2, "tickets", "reply", "1", "--text-file", str(tmp_path / "missing.txt"))


def test_without_a_stored_password_the_command_says_how_to_give_it(
        ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer, mailbox: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run = ok(ws.db, *connect_args(running_dovecot, smtp, mailbox))
    assert "no password is stored yet" in run.out
    line = refused(ws.db, 5, "inbox", "fetch", "Help Desk")
    assert "No password is stored for the IMAP account" in line
    assert line.endswith("Or give it to this command with --password-stdin.")
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    assert ok(ws.db, "inbox", "fetch", "Help Desk", "--password-stdin").out.startswith(
        "No new mail")
