"""Issue 8 end to end, both halves together: a mail APPENDed to Dovecot is fetched by the
window's background watcher and opens a ticket through ``ingest_raw`` (an auto-reply next to it
is set aside); the agent replies from the composer with a Cc; the background sender delivers it
to aiosmtpd with the threading headers; the reply records what was sent and its state turns to
Sent in the conversation view and the Outbox view."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from helpdesk_desktop.domain.enums import Direction, OutboxState
from helpdesk_desktop.domain.models import Message, SetAsideMail
from helpdesk_desktop.transcripts.model import load_transcript
from helpdesk_desktop.transcripts.options import TranscriptOptions
from helpdesk_desktop.ui.dialogs.outbox_dialog import OutboxDialog
from helpdesk_desktop.ui.mail_service import MailService
from helpdesk_desktop.ui.main_window import MainWindow
from tests.gui.conftest import GuiWorkspace
from tests.mail import conftest as mail_fixtures
from tests.mail.servers import Dovecot, SmtpServer
from tests.mail.test_fetch import mail

dovecot = mail_fixtures.dovecot
running_dovecot = mail_fixtures.running_dovecot
smtp_server = mail_fixtures.smtp_server
smtp = mail_fixtures.smtp
memory_keyring = mail_fixtures.memory_keyring

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def connected_window(gui_ws: GuiWorkspace, qtbot: QtBot, running_dovecot: Dovecot,
                     smtp: SmtpServer) -> Iterator[tuple[MainWindow, str]]:
    user = running_dovecot.add_user()
    smtp.add_user(user)
    gui_ws.ws.desk("admin").connect_inbox(
        "Help Desk", mail_fixtures.local_settings(running_dovecot, smtp, user),
        password="secret")
    bridge = gui_ws.bridge("admin")
    service = MailService(bridge)
    window = MainWindow(bridge, mail=service)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    service.start()
    gui_ws.settle()
    yield window, user
    service.shutdown()
    bridge.wait_for_idle()


def test_fetched_mail_opens_a_ticket_and_the_reply_with_cc_is_sent_threaded(
        connected_window: tuple[MainWindow, str], gui_ws: GuiWorkspace, qtbot: QtBot,
        running_dovecot: Dovecot, smtp: SmtpServer) -> None:
    window, user = connected_window
    status = window.mail_status
    assert status is not None
    qtbot.waitUntil(lambda: (label := status.label("Help Desk")) is not None
                    and label.text() == "Help Desk: connected", timeout=10000)
    question = mail(1, subject="Scanner offline")
    auto_reply = mail(2, subject="Out of office", Auto_Submitted="auto-replied")
    running_dovecot.append(user, question, auto_reply)

    def ticket_in_list() -> int | None:
        QApplication.processEvents()
        model = window.model
        return next((i for i in model.ids()
                     if (row := model.row_for_id(i)) and row.name == "Scanner offline"), None)

    qtbot.waitUntil(lambda: ticket_in_list() is not None, timeout=15000)
    ticket_id = ticket_in_list()
    assert ticket_id is not None
    with gui_ws.ws.db.session() as session:  # stored by ingest_raw: deduplicated, threaded
        incoming = session.scalars(select(Message).where(
            Message.direction == Direction.INCOMING,
            Message.message_id_header == question["Message-ID"])).one()
        assert incoming.dedupe_key is not None

        def set_aside() -> bool:
            found = session.scalars(select(SetAsideMail)).first() is not None
            session.rollback()  # a fresh snapshot for the next poll
            return found
        qtbot.waitUntil(set_aside, timeout=10000)
        aside = session.scalars(select(SetAsideMail)).one()
        assert aside.outcome == "skipped" and "UID 2" in aside.source

    window.open_ticket(ticket_id)
    gui_ws.settle()
    view = window.ticket_view
    composer = view.composer
    assert composer.to_edit.text() == "bob@customer.example"
    qtbot.keyClicks(composer.cc_edit, "Boss@Customer.example")
    qtbot.keyClicks(composer.editor, "Le scanner est ")
    composer.editor.insertPlainText("réparé.")  # QTest types ASCII only
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(smtp.handler.received) == 1, timeout=15000)

    received = smtp.handler.received[0]
    sent = email.message_from_bytes(received.raw, policy=email.policy.default)
    assert str(sent["In-Reply-To"]) == question["Message-ID"]
    assert question["Message-ID"] in str(sent["References"])
    assert str(sent["Subject"]) == f"Re: Scanner offline [#{ticket_id}]"
    assert str(sent["Cc"]) == "boss@customer.example"
    assert sorted(received.rcpt_tos) == ["bob@customer.example", "boss@customer.example"]
    assert sent.get_content().strip() == "Le scanner est réparé."

    desk = gui_ws.ws.desk("admin")
    qtbot.waitUntil(lambda: [e.state for e in desk.outbox()] == [OutboxState.SENT],
                    timeout=10000)
    qtbot.waitUntil(lambda: "Delivery: Sent" in view.conversation.browser.toPlainText(),
                    timeout=10000)
    with gui_ws.ws.db.session() as session:  # the reply shows what really left
        reply = session.scalars(select(Message).where(
            Message.direction == Direction.OUTGOING)).one()
        assert reply.message_id_header == str(sent["Message-ID"])
        assert reply.author_email == "support@acme.example"
        assert reply.author_name == sent["From"].addresses[0].display_name
        assert reply.cc_addresses == "boss@customer.example"
        assert reply.sent_at == sent["Date"].datetime.astimezone(reply.sent_at.tzinfo)
    text = view.conversation.browser.toPlainText()
    assert "Cc: boss@customer.example" in text and "support@acme.example" in text
    printed = load_transcript(desk, ticket_id, TranscriptOptions()).messages[-1]
    assert printed.sender.endswith("<support@acme.example>")
    assert (printed.to, printed.cc) == ("bob@customer.example", "boss@customer.example")

    # the customer answers our reply: fetched, it joins the same ticket
    answer = mail(3, subject=f"Re: Scanner offline [#{ticket_id}]",
                  In_Reply_To=str(sent["Message-ID"]))
    running_dovecot.append(user, answer)
    with gui_ws.ws.db.session() as session:
        def joined() -> bool:
            found = session.scalars(select(Message).where(
                Message.message_id_header == answer["Message-ID"])).first()
            done = found is not None and found.conversation.ticket_id == ticket_id
            # End the read transaction (SQLite's BEGIN holds a snapshot): the next poll sees
            # what the fetcher committed since.
            session.rollback()
            return done
        qtbot.waitUntil(joined, timeout=15000)

    outbox = window.open_outbox()
    assert isinstance(outbox, OutboxDialog)
    qtbot.waitUntil(lambda: outbox.list.topLevelItemCount() == 1, timeout=5000)
    row = outbox.list.topLevelItem(0)
    assert row is not None and row.text(0) == "Sent"
    assert "boss@customer.example" in row.text(2)
