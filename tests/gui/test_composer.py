"""The composer, clicked as an agent would: To/Cc, comments with @mentions, drafts in the
database, the signature, the "customer wrote again" warning; and the conversation view's
Cc line, inline images and the note on attachments not kept."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThread, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import MessageKind, OutboxState
from helpdesk_desktop.domain.models import Draft, Message, Notification, OutboxItem, User
from helpdesk_desktop.services import mail_parse
from helpdesk_desktop.services.intake import ingest_raw
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.dialogs.preferences_dialog import PreferencesDialog
from helpdesk_desktop.ui.ticket_view import TicketView
from helpdesk_desktop.ui.ticket_view.composer import DRAFT_DELAY_MS
from tests.factories import Workspace
from tests.services.test_composing import _connect_help_desk
from tests.services.test_ingest import mail

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                                        "does not support raise",
                                        "does not support grabbing the keyboard")]
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
                       "hQGAhKmMIQAAAABJRU5ErkJggg==")


def _ingest(ws: Workspace, raw: bytes) -> int | None:
    return ingest_raw(UnitOfWork(ws.db, None, ws.clock), ws.inboxes["Help Desk"], raw,
                      source="test").ticket_id


@pytest.fixture
def ticket(ws: Workspace) -> int:
    ticket_id = _ingest(ws, mail())
    assert ticket_id is not None
    return ticket_id


@pytest.fixture
def bridge(ws: Workspace) -> Iterator[DeskBridge]:
    bridge = DeskBridge(ws.desk("lead"))
    yield bridge
    bridge.wait_for_idle()


def open_view(bridge: DeskBridge, ticket: int, qtbot: QtBot) -> TicketView:
    view = TicketView(bridge)
    qtbot.addWidget(view)
    view.resize(1024, 768)
    view.show()
    with qtbot.waitSignal(view.ticketOpened, timeout=5000):  # opening reads off the UI thread
        view.open_ticket(ticket)
    return view


def messages(ws: Workspace) -> list[Message]:
    with ws.db.session() as session:
        rows = session.scalars(select(Message).order_by(Message.id)).all()
        session.expunge_all()
        return list(rows)


def test_a_reply_with_edited_to_and_cc_is_stored_and_queued(
        ws: Workspace, bridge: DeskBridge, ticket: int, qtbot: QtBot) -> None:
    _connect_help_desk(ws)
    view = open_view(bridge, ticket, qtbot)
    composer = view.composer
    assert composer.to_edit.isVisible() and composer.to_edit.text() == "marie@dupont.fr"
    qtbot.keyClicks(composer.cc_edit, "boss@dupont.fr")
    qtbot.keyClicks(composer.editor, "We are on it.")
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: composer.text() == "")
    assert composer.status.text() == "Reply queued."
    assert "sent" not in composer.status.text().lower()
    reply = messages(ws)[-1]
    assert (reply.kind, reply.body_text) == (MessageKind.REPLY, "We are on it.")
    assert (reply.to_addresses, reply.cc_addresses) == ("marie@dupont.fr", "boss@dupont.fr")
    bridge.wait_for_idle()
    qtbot.waitUntil(lambda: "Cc: boss@dupont.fr" in view.conversation.browser.toPlainText())
    assert "Delivery: Queued" in view.conversation.browser.toPlainText()


def test_a_reply_in_an_unconnected_inbox_says_it_was_not_sent(
        ws: Workspace, bridge: DeskBridge, ticket: int, qtbot: QtBot) -> None:
    view = open_view(bridge, ticket, qtbot)
    qtbot.keyClicks(view.composer.editor, "We are on it.")
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.composer.text() == "")
    assert view.composer.status.text() == (
        "Reply saved; it was not sent because the inbox 'Help Desk' is not connected to a "
        "mailbox.")
    bridge.wait_for_idle()
    assert "Delivery:" not in view.conversation.browser.toPlainText()


def test_a_failed_reply_shows_the_error_and_retry_queues_it_again(
        ws: Workspace, bridge: DeskBridge, ticket: int, qtbot: QtBot) -> None:
    _connect_help_desk(ws)
    outbox_id = ws.desk("lead").reply(ticket, "We are on it.").payload.outbox_id
    with ws.db.session() as session:  # as the sender leaves it after a 5xx refusal
        item = session.get(OutboxItem, outbox_id)
        assert item is not None
        item.state, item.last_error = OutboxState.FAILED, "The server refused: 554 no."
        session.commit()
    view = open_view(bridge, ticket, qtbot)
    bridge.wait_for_idle()
    qtbot.waitUntil(lambda: "Delivery: Failed" in view.conversation.browser.toPlainText())
    assert "554 no." in view.conversation.browser.toPlainText()
    assert f'href="retry-send:{outbox_id}"' in view.conversation.browser.toHtml()
    view.conversation.browser.anchorClicked.emit(QUrl(f"retry-send:{outbox_id}"))
    bridge.wait_for_idle()
    with ws.db.session() as session:
        item = session.get(OutboxItem, outbox_id)
        assert item is not None and item.state is OutboxState.QUEUED
    qtbot.waitUntil(lambda: "Delivery: Queued" in view.conversation.browser.toPlainText())


def test_a_bad_cc_is_one_sentence_and_keeps_the_text(
        ws: Workspace, bridge: DeskBridge, ticket: int, qtbot: QtBot) -> None:
    view = open_view(bridge, ticket, qtbot)
    qtbot.keyClicks(view.composer.cc_edit, "not an address")
    qtbot.keyClicks(view.composer.editor, "Keep me")
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(view.error_banner.isVisible)
    assert "Cc: 'not an address' is not a valid e-mail address." in view.error_banner.message()
    assert view.composer.text() == "Keep me" and len(messages(ws)) == 1


def test_a_comment_mentions_an_agent_by_completion_and_notifies_them(
        ws: Workspace, bridge: DeskBridge, ticket: int, qtbot: QtBot) -> None:
    view = open_view(bridge, ticket, qtbot)
    composer = view.composer
    qtbot.mouseClick(composer.comment_button, Qt.MouseButton.LeftButton)
    assert not composer.to_edit.isVisible()
    composer.editor.setFocus()
    qtbot.keyClicks(composer.editor, "Please check @Arn")
    popup = composer.editor.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert composer.editor.completer.currentCompletion() == "Arno Agent"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert composer.text() == "Please check @Arno Agent "
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: composer.text() == "")
    assert composer.status.text() == "Comment added; Arno Agent notified."
    comment = messages(ws)[-1]
    assert comment.kind is MessageKind.COMMENT and comment.to_addresses == ""
    with ws.db.session() as session:
        assert session.scalars(select(Notification.user_id)).all() == [ws.users["agent"]]


def test_a_draft_survives_closing_the_ticket_and_a_restart(
        ws: Workspace, bridge: DeskBridge, ticket: int, qtbot: QtBot) -> None:
    view = open_view(bridge, ticket, qtbot)
    qtbot.keyClicks(view.composer.cc_edit, "x@y.example")
    qtbot.keyClicks(view.composer.editor, "Half-written answer")
    qtbot.wait(DRAFT_DELAY_MS + 200)
    bridge.wait_for_idle()
    with ws.db.session() as session:
        draft = session.get(Draft, (ticket, ws.users["lead"]))
        assert draft is not None and draft.body == "Half-written answer"
    qtbot.keyClicks(view.composer.editor, " and more")
    view.close()  # before the pause: the close itself keeps it
    # "Restart": a new desk and bridge on the same database, a new view.
    restarted = DeskBridge(ws.desk("lead"))
    try:
        again = open_view(restarted, ticket, qtbot)
        assert again.composer.text() == "Half-written answer and more"
        assert again.composer.cc_edit.text() == "x@y.example"
        # Sending removes the draft.
        qtbot.mouseClick(again.composer.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: again.composer.text() == "")
        restarted.wait_for_idle()
        with ws.db.session() as session:
            assert session.scalars(select(Draft)).all() == []
    finally:
        restarted.wait_for_idle()


def test_the_signature_goes_below_replies_only(ws: Workspace, bridge: DeskBridge, ticket: int,
                                               qtbot: QtBot) -> None:
    bridge.desk.set_signature("Léa Lead\nSupport team")
    view = open_view(bridge, ticket, qtbot)
    assert view.composer.signature_label.text() == "Signature: Léa Lead…"
    qtbot.keyClicks(view.composer.editor, "Fixed.")
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.composer.text() == "")
    assert messages(ws)[-1].body_text == "Fixed.\n\n-- \nLéa Lead\nSupport team"
    qtbot.mouseClick(view.composer.note_button, Qt.MouseButton.LeftButton)
    assert not view.composer.signature_label.isVisible()
    qtbot.keyClicks(view.composer.editor, "Note.")
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.composer.text() == "")
    assert messages(ws)[-1].body_text == "Note."


def test_the_signature_is_edited_in_preferences(ws: Workspace, bridge: DeskBridge,
                                                qtbot: QtBot) -> None:
    dialog = PreferencesDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.signature_edit, "Lea from Support")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    with ws.db.session() as session:
        user = session.get(User, ws.users["lead"])
        assert user is not None and user.signature == "Lea from Support"


def test_a_warning_when_the_customer_wrote_again(ws: Workspace, bridge: DeskBridge,
                                                 ticket: int, qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    view = open_view(bridge, ticket, qtbot)
    qtbot.keyClicks(view.composer.editor, "Here is the fix.")
    _ingest(ws, mail("Re: Oven", message_id="<m2@d>", body="Never mind, it works now!",
                     headers={"In-Reply-To": "<m1@dupont.fr>"}))
    checked_on: list[bool] = []  # whether the check ran on the UI thread
    check = Desk.latest_customer_message_id

    def on_which_thread(desk: Desk, ticket_id: int) -> int | None:
        checked_on.append(QThread.currentThread() is QCoreApplication.instance().thread())
        return check(desk, ticket_id)

    monkeypatch.setattr(Desk, "latest_customer_message_id", on_which_thread)
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.wrote_again_box is not None)
    box = view.wrote_again_box
    assert box is not None and box.isVisible()
    assert checked_on == [False]  # the question's query ran off the UI thread
    assert "wrote again" in box.text()
    review = box.findChild(QPushButton, "WroteAgainReview")
    assert review is not None
    qtbot.mouseClick(review, Qt.MouseButton.LeftButton)
    assert len(messages(ws)) == 2  # nothing sent
    assert view.composer.text() == "Here is the fix."
    # Review First reloads the ticket (off the UI thread) to show the new message.
    qtbot.waitUntil(lambda: "Never mind, it works now!" in view.conversation.browser.toPlainText())
    # Asked once per new message: the next send goes.
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.composer.text() == "")
    assert messages(ws)[-1].body_text == "Here is the fix."


def test_inline_images_show_from_the_stored_part_and_dropped_files_are_noted(
        ws: Workspace, bridge: DeskBridge, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_parse, "MAX_ATTACHMENTS_BYTES", 2000)
    message = EmailMessage()
    message["From"] = "marie@dupont.fr"
    message["Subject"] = "Look"
    message["Message-ID"] = "<look@d>"
    message.set_content('<p>See <img src="cid:shot@d" alt="shot">'
                        '<img src="https://tracker.example/p.gif" alt="pixel"></p>',
                        subtype="html")
    message.add_related(PNG, maintype="image", subtype="png", cid="<shot@d>")
    message.add_attachment(b"z" * 5000, maintype="application", subtype="zip",
                           filename="huge.zip")
    ticket = _ingest(ws, message.as_bytes())
    assert ticket is not None
    view = open_view(bridge, ticket, qtbot)
    view.conversation.browser.grab()
    document = view.conversation.browser.safe_document()
    assert not any("shot" in url for url in document.refused)
    message_id = messages(ws)[-1].id
    image = document.resource(int(QTextDocument.ResourceType.ImageResource),
                              QUrl(f"cid:{message_id}/shot@d"))
    assert isinstance(image, QImage) and image.width() == 1
    assert not any("tracker" in url for url in document.refused)  # never even asked for
    assert "tracker.example" not in view.conversation.browser.toHtml()
    text = view.conversation.browser.toPlainText()
    assert "Not kept (over the size limit per message): huge.zip (4 KB)" in text


def test_to_follows_the_conversation_switcher_unless_edited(
        ws: Workspace, bridge: DeskBridge, ticket: int, qtbot: QtBot) -> None:
    other = _ingest(ws, mail("Second question", sender="john@smith.example",
                             message_id="<j1@s>"))
    assert other is not None
    ws.desk("admin").merge(ticket, other)
    view = open_view(bridge, ticket, qtbot)
    switcher = view.conversation.switcher
    assert switcher.count() == 2
    shown = view.conversation.current_conversation()
    assert shown is not None and shown.contact is not None
    assert view.composer.to_edit.text() == shown.contact.email
    switcher.setCurrentIndex(1 - switcher.currentIndex())
    now = view.conversation.current_conversation()
    assert now is not None and now.contact is not None and now.contact.email != shown.contact.email
    assert view.composer.to_edit.text() == now.contact.email
    view.composer.to_edit.setText("someone@else.example")
    switcher.setCurrentIndex(1 - switcher.currentIndex())
    assert view.composer.to_edit.text() == "someone@else.example"


def test_a_send_waits_for_a_draft_save_in_flight(ws: Workspace, bridge: DeskBridge,
                                                 ticket: int, qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow draft save must not land after the send and bring back text already sent."""
    desk = bridge.desk
    real_save = desk.save_draft

    def slow_save(*args: object, **kwargs: object) -> None:
        time.sleep(0.5)
        real_save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(desk, "save_draft", slow_save)
    view = open_view(bridge, ticket, qtbot)
    view.composer.editor.setPlainText("Sent once, never a draft again")
    view.composer.draftEdited.emit()  # the pause after typing: a save starts
    qtbot.mouseClick(view.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.composer.text() == "", timeout=5000)
    bridge.wait_for_idle()
    assert messages(ws)[-1].body_text == "Sent once, never a draft again"
    with ws.db.session() as session:
        assert session.scalars(select(Draft)).all() == []


def test_the_delivery_line_reads_as_sentences() -> None:
    from types import SimpleNamespace

    from PySide6.QtGui import QTextDocumentFragment

    from helpdesk_desktop.ui.ticket_view.conversation import _delivery_line

    def line(state: str, error: str | None) -> str:
        message = SimpleNamespace(send_state=state, send_error=error, outbox_id=7)
        html = _delivery_line(message, "#777", "#00f")  # type: ignore[arg-type]
        return " ".join(QTextDocumentFragment.fromHtml(html).toPlainText().split())

    error = "No password is stored for the SMTP account support; enter it in Settings › Inboxes."
    assert line("queued", error) == f"Delivery: Queued, will retry. Last error: {error}"
    assert line("failed", error) == f"Delivery: Failed. Last error: {error} Retry"
    assert line("queued", None) == "Delivery: Queued"


def test_each_mode_looks_different_and_the_reply_hint_says_what_send_does(
        qtbot: QtBot) -> None:
    from PySide6.QtGui import QPalette

    from helpdesk_desktop.ui.ticket_view.composer import ComposeMode as Mode
    from helpdesk_desktop.ui.ticket_view.composer import Composer

    composer = Composer()
    qtbot.addWidget(composer)
    backgrounds = {}
    for mode in (Mode.REPLY, Mode.NOTE, Mode.COMMENT):
        composer.set_mode(mode)
        backgrounds[mode] = composer.editor.palette().color(QPalette.ColorRole.Base).name()
        if mode is Mode.REPLY:
            # Nothing typed yet: the hint says what Send will do, not that something is queued.
            assert composer.hint.text() == "Your reply goes to the customer by e-mail."
            assert not composer.send_button.isEnabled()
    assert len(set(backgrounds.values())) == 3, backgrounds


def test_in_a_narrow_panel_the_hint_goes_under_the_modes(qtbot: QtBot) -> None:
    from helpdesk_desktop.ui.ticket_view.composer import Composer

    composer = Composer()
    qtbot.addWidget(composer)
    composer.resize(900, 220)
    composer.show()
    qtbot.waitExposed(composer)
    assert not composer.hint_wrapped()
    assert composer.hint.isVisible() and composer.hint.width() > 200
    composer.resize(300, 260)
    qtbot.wait(20)
    assert composer.hint_wrapped()
    assert composer.hint.y() > composer.reply_button.y() and composer.hint.width() > 200
    assert composer.minimumSizeHint().width() <= 300
    # Send sits under the text, not in the mode row
    assert composer.send_button.y() > composer.editor.y()
