"""Message HTML in the conversation view: sanitized in the background job that reads the ticket
(never on the UI thread), and still sanitized when it reaches the pane another way."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import MessageKind, Priority
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.ticket_view import TicketView, safe_html
from helpdesk_desktop.ui.ticket_view.conversation import ConversationPane
from tests.factories import Workspace, make_ticket

pytestmark = pytest.mark.gui

BLOCK = ('<div style="color:#333"><h2>News {i}</h2><p>Paragraph {i} with a '
         '<a href="https://example.com/article/{i}">link</a> and a tracking pixel '
         '<img src="https://tracker.example/p/{i}.gif" alt="">'
         '<script>alert("owned {i}")</script></p></div>\n')
BLOCKS = 4_500  # about 1 MB of HTML


@pytest.fixture
def bridge(ws: Workspace, qtbot: QtBot) -> Iterator[DeskBridge]:
    bridge = DeskBridge(ws.desk("agent"))
    yield bridge
    bridge.wait_for_idle()


def settle(bridge: DeskBridge, qtbot: QtBot) -> None:
    for _ in range(3):
        bridge.wait_for_idle()
        qtbot.wait(20)


def _store_raw_html(ws: Workspace, ticket_id: int, html: str) -> None:
    """Writes unsanitized HTML into the ticket's customer e-mail, as an older version might
    have stored it."""
    from helpdesk_desktop.domain.models import Message  # test set-up only: a raw stored row
    with ws.db.session() as session:
        message = session.query(Message).filter(Message.kind == MessageKind.EMAIL).order_by(
            Message.id.desc()).first()
        assert message is not None
        message.body_html = html
        session.commit()
    assert ws.desk("agent").ticket(ticket_id).conversations[0].messages[0].html == html


def test_a_large_html_body_is_sanitized_off_the_ui_thread_and_shown(
        ws: Workspace, bridge: DeskBridge, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    ui_thread = threading.current_thread()
    threads: list[threading.Thread] = []
    sanitize = safe_html.sanitize_html

    def recording(html: str) -> str:
        threads.append(threading.current_thread())
        return sanitize(html)

    monkeypatch.setattr(safe_html, "sanitize_html", recording)
    ticket = make_ticket(ws, owner="agent")
    big = "".join(BLOCK.format(i=i) for i in range(BLOCKS))
    assert len(big) > 1_000_000
    _store_raw_html(ws, ticket, big)
    view = TicketView(bridge)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    view.open_ticket(ticket)  # read and sanitized in a job
    settle(bridge, qtbot)
    text = view.conversation.browser.toPlainText()
    assert "News 0\n" in text and f"Paragraph {BLOCKS - 1} with a link" in text
    html = view.conversation.rendered_html()
    assert "https://example.com/article/0" in html
    assert f"https://example.com/article/{BLOCKS - 1}" in html
    assert "tracker.example" not in html
    assert "alert" not in html and "<script" not in html.lower()
    assert len(threads) == 1
    # A reload, and a write followed by its read in the same job (the priority combo).
    view.reload()
    settle(bridge, qtbot)
    priority = view.findChild(QComboBox, "PriorityCombo")
    assert priority is not None
    priority.setFocus()
    qtbot.keyClick(priority, Qt.Key.Key_Down)  # Medium -> High
    qtbot.waitUntil(lambda: view.current_detail().row.priority is Priority.HIGH, timeout=20000)
    settle(bridge, qtbot)
    assert len(threads) == 3
    assert ui_thread not in threads
    assert f"Paragraph {BLOCKS - 1} with a link" in view.conversation.browser.toPlainText()


def test_html_that_reaches_the_pane_unsanitized_is_sanitized_there(
        ws: Workspace, qtbot: QtBot) -> None:
    ticket = make_ticket(ws, owner="agent")
    _store_raw_html(ws, ticket, '<p>Hello <img src="https://tracker.example/x.gif">'
                                '<script>alert(1)</script>'
                                '<a href="javascript:alert(2)">click</a></p>')
    detail = ws.desk("agent").ticket(ticket)  # the facade's read, not the view's job
    pane = ConversationPane()
    qtbot.addWidget(pane)
    pane.set_conversations(detail.conversations, None)
    html = pane.rendered_html()
    assert "Hello" in html
    assert "tracker.example" not in html
    assert "alert" not in html and "javascript:" not in html


def test_read_ticket_sanitizes_once(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    sanitize = safe_html.sanitize_html
    monkeypatch.setattr(safe_html, "sanitize_html",
                        lambda html: calls.append(html) or sanitize(html))
    ticket = make_ticket(ws, owner="agent")
    _store_raw_html(ws, ticket, "<p>hi<script>x()</script></p>")
    detail = safe_html.read_ticket(ws.desk("agent"), ticket)
    message = detail.conversations[0].messages[0]
    assert isinstance(message.html, safe_html.SafeHtml) and message.html == "<p>hi</p>"
    assert safe_html.with_safe_html(detail) == detail  # already safe: not sanitized again
    assert len(calls) == 1
    plain = detail.conversations[0].messages[1]
    assert plain.html is None  # a message without HTML is left alone
