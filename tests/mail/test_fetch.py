"""IMAP fetching against a real Dovecot: tickets from mail, UID state, reconnects."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.models import Message, Ticket
from helpdesk_desktop.services.mail import fetch as mail_fetch
from helpdesk_desktop.services.mail.accounts import MailAccountInfo
from helpdesk_desktop.services.mail.delivery import deliver_raw
from helpdesk_desktop.services.mail.errors import MailError, MailProblem
from tests.factories import Workspace
from tests.mail.conftest import local_settings
from tests.mail.servers import Dovecot, SmtpServer


def mail(number: int, *, subject: str | None = None, sender: str = "Bob <bob@customer.example>",
         **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@acme.example"
    message["Subject"] = subject or f"Question {number}"
    message["Message-ID"] = f"<q{number}-{id(message)}@customer.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(f"Body of question {number}.")
    return message


def count(ws: Workspace, model: type) -> int:
    with ws.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_fetch_opens_tickets_and_leaves_mail_unread(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], running_dovecot: Dovecot,
        mailbox: str) -> None:
    desk, _account = connected
    running_dovecot.append(mailbox, mail(1), mail(2, subject="Crème brûlée ✓"))
    report = desk.fetch_inbox("Help Desk")
    assert [m.delivery.outcome for m in report.messages] == ["created", "created"]
    names = {desk.ticket(t).row.name for t in report.created_ticket_ids}
    assert names == {"Question 1", "Crème brûlée ✓"}
    # BODY.PEEK[] on a read-only folder: nothing marked \\Seen on the server
    assert all(b"\\Seen" not in flags for flags in running_dovecot.flags(mailbox))
    assert desk.fetch_inbox("Help Desk").messages == []  # nothing twice


def test_mark_seen_when_the_inbox_says_so(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], running_dovecot: Dovecot,
        smtp: SmtpServer, mailbox: str) -> None:
    desk, _account = connected
    desk.connect_inbox("Help Desk", local_settings(running_dovecot, smtp, mailbox,
                                                   mark_seen=True))
    running_dovecot.append(mailbox, mail(1))
    desk.fetch_inbox("Help Desk")
    assert all(b"\\Seen" in flags for flags in running_dovecot.flags(mailbox))


def test_uid_state_survives_a_restart_and_a_new_uidvalidity(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], running_dovecot: Dovecot,
        mailbox: str) -> None:
    desk, account = connected
    running_dovecot.append(mailbox, mail(1), mail(2))
    assert len(desk.fetch_inbox("Help Desk").messages) == 2
    validity, last_uid = mail_fetch.folder_state(ws.db, account.id, "INBOX") or (0, 0)
    assert last_uid == 2
    # "restart": a new facade on the same database continues from the saved UID
    running_dovecot.append(mailbox, mail(3))
    again = Desk(ws.db, desk.actor_id, ws.clock)
    assert [m.uid for m in again.fetch_inbox("Help Desk").messages] == [3]
    # the server renumbered the folder: everything is read again, nothing stored twice
    from helpdesk_desktop.domain.models import MailFolderState

    with ws.db.session() as session:
        state = session.get(MailFolderState, (account.id, "INBOX"))
        assert state is not None
        state.uid_validity = validity - 1
        session.commit()
    report = again.fetch_inbox("Help Desk")
    assert report.uid_validity_changed
    assert [m.delivery.outcome for m in report.messages] == ["duplicate"] * 3
    assert count(ws, Ticket) == 3


def test_auto_replies_and_bounces_open_no_ticket(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], running_dovecot: Dovecot,
        mailbox: str) -> None:
    desk, _account = connected
    bounce = mail(3)
    bounce.replace_header("Content-Type", "multipart/report; report-type=delivery-status; "
                                          "boundary=x")
    running_dovecot.append(mailbox, mail(1, Auto_Submitted="auto-replied"),
                           mail(2, Precedence="bulk"), mail(4))
    report = desk.fetch_inbox("Help Desk")
    assert [m.delivery.outcome for m in report.messages] == ["skipped", "skipped", "created"]
    assert count(ws, Ticket) == 1


def test_a_reply_by_the_customer_joins_the_ticket(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], running_dovecot: Dovecot,
        mailbox: str) -> None:
    desk, _account = connected
    first = mail(1)
    running_dovecot.append(mailbox, first)
    ticket_id = desk.fetch_inbox("Help Desk").created_ticket_ids[0]
    answer = mail(2, subject="Re: Question 1", In_Reply_To=str(first["Message-ID"]))
    running_dovecot.append(mailbox, answer)
    report = desk.fetch_inbox("Help Desk")
    assert [(m.delivery.outcome, m.delivery.ticket_id) for m in report.messages] == [
        ("joined", ticket_id)]


def test_server_stopped_mid_fetch_loses_and_duplicates_nothing(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], running_dovecot: Dovecot,
        mailbox: str) -> None:
    desk, account = connected
    running_dovecot.append(mailbox, *(mail(n) for n in range(1, 6)))
    delivered: list[int] = []

    def deliver_then_crash(database, inbox_id, raw, clock, source):  # type: ignore[no-untyped-def]
        result = deliver_raw(database, inbox_id, raw, clock, source)
        delivered.append(1)
        if len(delivered) == 2:
            running_dovecot.stop()  # the server goes away in the middle of the pass
        return result

    with pytest.raises(MailError) as failure:
        mail_fetch.fetch_once(ws.db, account, desk.secrets, deliver=deliver_then_crash,
                              clock=ws.clock)
    assert failure.value.problem is MailProblem.REFUSED
    assert count(ws, Ticket) == 2
    with pytest.raises(MailError, match="refused the connection"):
        desk.fetch_inbox("Help Desk")  # still down: one sentence, nothing changes
    running_dovecot.start()
    report = desk.fetch_inbox("Help Desk")  # reconnect: the rest, once
    assert [m.uid for m in report.messages] == [3, 4, 5]
    assert count(ws, Ticket) == 5
    assert count(ws, Message) == 5


def test_a_new_uidvalidity_rereads_without_message_id_or_set_aside_duplicates(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], running_dovecot: Dovecot,
        mailbox: str) -> None:
    from helpdesk_desktop.domain.models import MailFolderState, SetAsideMail

    desk, account = connected
    anonymous = mail(1)
    del anonymous["Message-ID"]  # deduplicated by a digest of the raw message
    running_dovecot.append(mailbox, anonymous, mail(2, Auto_Submitted="auto-replied"),
                           b"From: nobody\r\n\r\nno sender address\r\n")
    first = desk.fetch_inbox("Help Desk")
    assert [m.delivery.outcome for m in first.messages] == ["created", "skipped", "refused"]
    with ws.db.session() as session:
        state = session.get(MailFolderState, (account.id, "INBOX"))
        assert state is not None and state.last_uid == 3  # a refused message is passed
        state.uid_validity -= 1
        session.commit()
    report = desk.fetch_inbox("Help Desk")
    assert report.uid_validity_changed
    assert [m.delivery.outcome for m in report.messages] == ["duplicate", "skipped", "refused"]
    assert count(ws, Ticket) == 1 and count(ws, Message) == 1
    assert count(ws, SetAsideMail) == 2  # each kept aside once (Message-ID, else raw bytes)
