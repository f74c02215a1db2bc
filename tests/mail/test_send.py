"""Outgoing mail against a real SMTP server (aiosmtpd): the raw message as received, the
outbox's retries, undo-send, and two senders never sending one e-mail twice."""

from __future__ import annotations

import threading
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import OutboxState
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.models import OutboxItem
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.services.intake import receive_email
from helpdesk_desktop.services.mail.accounts import MailAccountInfo
from helpdesk_desktop.services.mail.sender import FlushReport, flush
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import open_database
from tests.factories import FakeClock, Workspace, seed_workspace
from tests.mail.conftest import local_settings
from tests.mail.servers import Dovecot, SmtpServer


def customer_ticket(ws: Workspace, name: str = "Zoë Ünal",
                    message_id: str = "<first@customer.example>") -> int:
    result = receive_email(
        UnitOfWork(ws.db, None, ws.clock), inbox_id=ws.inboxes["Help Desk"], from_name=name,
        from_email="zoe@customer.example", to="support@acme.example",
        subject="Rechnung für März", text="Où est ma facture ?", message_id=message_id,
        references="<older@customer.example>")
    return result.created_ticket_ids[0]


def body(message: EmailMessage) -> str:
    """The text as the customer reads it (the wire's CRLF line ends made plain)."""
    return str(message.get_content()).replace("\r\n", "\n")


def outbox_row(ws: Workspace, outbox_id: int) -> OutboxItem:
    with ws.db.session() as session:
        row = session.get(OutboxItem, outbox_id)
        assert row is not None
        session.expunge(row)
        return row


def test_reply_arrives_with_threading_headers_and_encodings(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], smtp: SmtpServer,
        mailbox: str) -> None:
    desk, _account = connected
    ticket_id = customer_ticket(ws)
    agent = ws.desk("lead")  # Léa Lead
    result = agent.reply(ticket_id, "Bonjour Zoë,\nvoici la facture — merci !",
                         cc=["boss@customer.example"])
    assert result.message == "Reply queued."
    report = desk.flush_outbox()
    assert report.sent == [result.payload.outbox_id]
    assert outbox_row(ws, report.sent[0]).state is OutboxState.SENT

    [received] = smtp.handler.received
    assert received.login == mailbox
    assert sorted(received.rcpt_tos) == ["boss@customer.example", "zoe@customer.example"]
    raw_headers = received.raw.split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii()  # non-ASCII only as RFC 2047 encoded-words
    assert b"=?utf-8?" in raw_headers.lower()
    message = received.message
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Léa Lead (Acme Support)",
                                                       "support@acme.example")
    assert str(message["Subject"]) == f"Re: Rechnung für März [#{ticket_id}]"
    assert str(message["To"]) == "zoe@customer.example"
    assert str(message["Cc"]) == "boss@customer.example"
    assert message["In-Reply-To"] == "<first@customer.example>"
    assert message["References"] == "<older@customer.example> <first@customer.example>"
    stored = desk.ticket(ticket_id).conversations[0].messages[-1]
    assert message["Message-ID"] == stored.message_id_header
    assert stored.message_id_header.endswith("@acme.example>")
    assert message.get_content_charset() == "utf-8"
    assert body(message) == "Bonjour Zoë,\nvoici la facture — merci !\n"
    assert stored.cc == "boss@customer.example"


def test_a_customer_answer_to_the_reply_joins_the_ticket(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], smtp: SmtpServer,
        running_dovecot: Dovecot, mailbox: str) -> None:
    desk, _account = connected
    ticket_id = customer_ticket(ws)
    desk.reply(ticket_id, "Here it is.")
    desk.flush_outbox()
    sent = smtp.handler.received[-1].message
    answer = EmailMessage()
    answer["From"] = "zoe@customer.example"
    answer["To"] = "support@acme.example"
    answer["Subject"] = str(sent["Subject"])
    answer["Message-ID"] = "<thanks@customer.example>"
    answer["In-Reply-To"] = str(sent["Message-ID"])
    answer.set_content("Thanks!")
    running_dovecot.append(mailbox, answer)
    report = desk.fetch_inbox("Help Desk")
    assert [(m.delivery.outcome, m.delivery.ticket_id) for m in report.messages] == [
        ("joined", ticket_id)]


def test_undo_send_within_the_delay(ws: Workspace, connected: tuple[Desk, MailAccountInfo],
                                    running_dovecot: Dovecot, smtp: SmtpServer,
                                    mailbox: str) -> None:
    desk, _account = connected
    desk.connect_inbox("Help Desk", local_settings(running_dovecot, smtp, mailbox,
                                                   undo_seconds=10))
    ticket_id = customer_ticket(ws)
    first = desk.reply(ticket_id, "Oops, wrong ticket.").payload.outbox_id
    second = desk.reply(ticket_id, "The right answer.").payload.outbox_id
    assert desk.flush_outbox().sent == []  # within the 10 s: nothing leaves
    undone = desk.cancel_outgoing(first)
    assert undone.payload.text == "Oops, wrong ticket."
    ws.clock.advance(seconds=11)
    assert desk.flush_outbox().sent == [second]
    assert [body(r.message) for r in smtp.handler.received] == ["The right answer.\n"]
    assert outbox_row(ws, first).state is OutboxState.CANCELLED
    with pytest.raises(InvalidInput, match="already sent"):
        desk.cancel_outgoing(second)
    states = {e.id: e.state for e in desk.outbox()}
    assert states == {first: OutboxState.CANCELLED, second: OutboxState.SENT}
    replies = [m.id for m in desk.ticket(ticket_id).conversations[0].messages[-2:]]
    assert [d.state for d in desk.deliveries(replies).values()] == [OutboxState.CANCELLED,
                                                                    OutboxState.SENT]
    desk.update(ticket_id, TicketChanges(owner=ws.users["agent"]))
    assert ws.desk("sales").deliveries(replies) == {}  # now outside Sam's scope


def test_server_down_then_back_retries_with_backoff(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], smtp: SmtpServer) -> None:
    desk, _account = connected
    outbox_id = desk.reply(customer_ticket(ws), "Are you there?").payload.outbox_id
    smtp.stop()
    report = desk.flush_outbox()
    assert report.retrying == [outbox_id] and report.sent == []
    row = outbox_row(ws, outbox_id)
    assert (row.state, row.attempts) == (OutboxState.QUEUED, 1)
    assert "refused the connection" in (row.last_error or "")
    smtp.start()
    assert desk.flush_outbox().sent == []  # waiting for its backoff (30 s)
    ws.clock.advance(seconds=31)
    assert desk.flush_outbox().sent == [outbox_id]
    assert len(smtp.handler.received) == 1
    assert outbox_row(ws, outbox_id).state is OutboxState.SENT


def test_temporary_refusal_retries_permanent_refusal_fails_and_retry_resends(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], smtp: SmtpServer) -> None:
    desk, _account = connected
    ticket_id = customer_ticket(ws)
    smtp.handler.refuse_data = "451 4.3.0 Try again later"
    first = desk.reply(ticket_id, "One").payload.outbox_id
    assert desk.flush_outbox().retrying == [first]
    smtp.handler.refuse_data = "554 5.7.1 Message rejected"
    ws.clock.advance(seconds=31)
    report = desk.flush_outbox()
    assert report.failed == [first]
    row = outbox_row(ws, first)
    assert row.state is OutboxState.FAILED and "554" in (row.last_error or "")
    smtp.handler.refuse_data = None
    desk.retry_outgoing(first)
    assert desk.flush_outbox().sent == [first]
    assert len(smtp.handler.received) == 1


def test_wrong_password_is_one_sentence_and_the_mail_waits(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], smtp: SmtpServer) -> None:
    desk, account = connected
    desk.secrets.put(account.smtp_secret_key, "wrong")
    outbox_id = desk.reply(customer_ticket(ws), "Hello").payload.outbox_id
    report = desk.flush_outbox()
    assert report.retrying == [outbox_id]
    assert "refused the user name or password" in report.errors[0]
    assert smtp.handler.received == []


def test_reply_in_an_unconnected_inbox_is_saved_not_claimed_sent(ws: Workspace) -> None:
    ticket_id = customer_ticket(ws)
    result = ws.desk("agent").reply(ticket_id, "Hello")
    assert "not sent" in result.message and result.payload.outbox_id is None
    with ws.db.session() as session:
        assert session.scalars(select(OutboxItem)).all() == []


def test_two_senders_at_once_send_each_mail_once(
        tmp_path: Path, clock: FakeClock, running_dovecot: Dovecot, smtp: SmtpServer,
        mailbox: str) -> None:
    # Its own SQLite file (on both back-end runs): two engines must see the same rows, which
    # the PostgreSQL test database (one connection, rolled back) cannot offer.
    url = str(tmp_path / "two-senders.db")
    ws = seed_workspace(open_database(url), clock)
    try:
        desk = ws.desk("admin")
        desk.connect_inbox("Help Desk", local_settings(running_dovecot, smtp, mailbox),
                           password="secret")
        ticket_id = customer_ticket(ws)
        ids = [desk.reply(ticket_id, f"Reply {n}").payload.outbox_id for n in range(6)]
    finally:
        ws.db.dispose()
    barrier = threading.Barrier(2)
    reports: list[FlushReport] = []

    def sender() -> None:
        database = open_database(url)  # its own engine, as another process would have
        try:
            barrier.wait()
            reports.append(flush(database, desk.secrets, clock=clock))
        finally:
            database.dispose()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(i for r in reports for i in r.sent) == ids
    bodies = sorted(body(r.message) for r in smtp.handler.received)
    assert bodies == [f"Reply {n}\n" for n in range(6)]


def test_a_reply_without_recipients_is_refused(ws: Workspace) -> None:
    ticket_id = customer_ticket(ws)
    with pytest.raises(InvalidInput, match="at least one recipient"):
        ws.desk("agent").reply(ticket_id, "Hello", to=[])
    with pytest.raises(InvalidInput, match="not a valid e-mail"):
        ws.desk("agent").reply(ticket_id, "Hello", cc=["nope"])


def test_a_missing_password_fails_at_once_with_a_sentence_for_any_face(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], smtp: SmtpServer) -> None:
    desk, account = connected
    desk.secrets.delete(account.smtp_secret_key)
    outbox_id = desk.reply(customer_ticket(ws), "Hello").payload.outbox_id
    report = desk.flush_outbox()
    # Retrying cannot bring a password back: the reply fails now (with Retry in the window).
    assert report.failed == [outbox_id] and report.retrying == []
    row = outbox_row(ws, outbox_id)
    assert row.state is OutboxState.FAILED
    assert row.last_error == (f"No password is stored for the SMTP account {account.smtp_user}; "
                              "enter it in Settings › Inboxes.")
    assert "--password" not in report.sentence()
    desk.secrets.put(account.smtp_secret_key, "secret")
    desk.retry_outgoing(outbox_id)
    assert desk.flush_outbox().sent == [outbox_id]


def test_without_a_keyring_a_missing_password_keeps_the_mail_waiting(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], smtp: SmtpServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    desk, account = connected
    desk.secrets.delete(account.smtp_secret_key)
    # The window asks for the password this session: the reply waits for it.
    monkeypatch.setattr(desk.secrets, "keyring_problem", lambda: "No system keyring.")
    outbox_id = desk.reply(customer_ticket(ws), "Hello").payload.outbox_id
    assert desk.flush_outbox().retrying == [outbox_id]
    assert outbox_row(ws, outbox_id).state is OutboxState.QUEUED


def test_a_send_failure_reads_in_the_readers_language(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], smtp: SmtpServer) -> None:
    from helpdesk_desktop.domain.i18n import set_language

    desk, account = connected
    ticket_id = customer_ticket(ws)
    outbox_id = desk.reply(ticket_id, "Are you there?").payload.outbox_id
    smtp.stop()
    set_language("fr")  # the window that sent it speaks French
    report = desk.flush_outbox()
    french = (f"Le serveur SMTP {account.smtp_host}:{account.smtp_port} a refusé la connexion\u202f;"
              " vérifiez l'hôte et le port, ou que le serveur fonctionne.")
    assert report.errors == [french]  # said to the sender at once
    row = outbox_row(ws, outbox_id)
    english = (f"The SMTP server {account.smtp_host}:{account.smtp_port} refused the connection; "
               "check the host and port, or whether the server is running.")
    assert row.last_error == english and row.error_sentence is not None
    [entry] = desk.outbox()
    assert (entry.last_error, entry.error_text) == (english, french)
    [message] = [m for c in desk.ticket(ticket_id).conversations for m in c.messages
                 if m.outbox_id == outbox_id]
    assert message.send_error == french
    set_language("en")
    assert desk.outbox()[0].error_text == english


def test_the_desk_s_flush_reads_the_outbox_first_and_sends_what_is_due(
        ws: Workspace, smtp: SmtpServer) -> None:
    """``Desk.flush_outbox`` answers "nothing to send" from the outbox alone and goes to the
    sender as soon as an e-mail is due (session 30: the sending modules imported then)."""
    from helpdesk_desktop.domain.enums import MailSecurity
    from helpdesk_desktop.services.mail.accounts import MailSettings

    desk = ws.desk("admin")
    assert desk.flush_outbox() == FlushReport()
    desk.connect_inbox("Help Desk", MailSettings(
        imap_host="127.0.0.1", imap_port=9, imap_security=MailSecurity.NONE,
        smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_security=MailSecurity.NONE,
        user="nobody", sender_address="support@acme.example", sender_name="Acme Support",
        undo_seconds=0), password="secret")
    queued = ws.desk("lead").reply(customer_ticket(ws), "Bonjour").payload.outbox_id
    report = desk.flush_outbox()
    assert queued in report.sent + report.retrying + report.failed
