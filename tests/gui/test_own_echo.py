"""Every operation run from the window skips its own change echo: the ticket view reads the
ticket back in the operation's own job (one read, not a second one when the change report
comes back), and the notification count is not re-read after one's own operations (they never
notify oneself). A change from elsewhere is still followed. Reads are counted on the facade."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import MessageKind, Priority
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.ui.models.ticket_model import Column
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS, click_index

pytestmark = GUI_MARKS

COUNTED = ("ticket", "unread_notification_count")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each counted read of the facade ran (on any thread)."""
    calls: Counter[str] = Counter()
    for name in COUNTED:
        original = getattr(Desk, name)

        def counted(self: Desk, *args: Any, _original: Any = original, _name: str = name,
                    **kwargs: Any) -> Any:
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Desk, name, counted)
    return calls


def reads_after(gui_ws: GuiWorkspace, qtbot: QtBot, reads: Counter[str],
                act: Callable[[], None], done: Callable[[], bool]) -> dict[str, int]:
    """The counted reads that ``act`` causes until ``done`` and every follow-up has run."""
    gui_ws.settle()
    qtbot.wait(50)
    reads.clear()
    act()
    qtbot.waitUntil(done)
    for _ in range(3):  # change reports, coalescing timers and the reads they start
        gui_ws.settle()
        qtbot.wait(30)
    return {name: reads[name] for name in COUNTED}


def open_window(gui_ws: GuiWorkspace, ticket: int) -> Any:
    window = gui_ws.window("admin", layout="split")
    window.open_ticket(ticket)
    gui_ws.settle()
    return window


def test_a_header_edit_reads_the_ticket_once(gui_ws: GuiWorkspace, qtbot: QtBot,
                                             reads: Counter[str]) -> None:
    ticket = gui_ws.tickets["Printer on fire"]
    window = open_window(gui_ws, ticket)
    view = window.ticket_view
    priority = view.findChild(QComboBox, "PriorityCombo")
    assert view.current_detail().row.priority is Priority.URGENT
    before = len(view.current_detail().activities)

    def edit() -> None:
        priority.setFocus()
        qtbot.keyClick(priority, Qt.Key.Key_Up)  # Urgent -> High

    counted = reads_after(gui_ws, qtbot, reads, edit,
                          lambda: view.current_detail().row.priority is Priority.HIGH)
    assert counted == {"ticket": 1, "unread_notification_count": 0}
    assert gui_ws.desk().ticket(ticket).row.priority is Priority.HIGH
    assert len(view.current_detail().activities) == before + 1  # the read-back is shown


def test_a_reply_reads_the_ticket_once(gui_ws: GuiWorkspace, qtbot: QtBot,
                                       reads: Counter[str]) -> None:
    ticket = gui_ws.tickets["Printer on fire"]
    window = open_window(gui_ws, ticket)
    editor = window.ticket_view.composer.editor

    def reply() -> None:
        editor.setFocus()
        qtbot.keyClicks(editor, "Fixed on our side.")
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    counted = reads_after(
        gui_ws, qtbot, reads, reply,
        lambda: "Fixed on our side." in window.ticket_view.conversation.browser.toPlainText())
    assert counted == {"ticket": 1, "unread_notification_count": 0}
    assert (MessageKind.REPLY, "Fixed on our side.") in [
        (m.kind, m.text) for c in gui_ws.desk().ticket(ticket).conversations
        for m in c.messages]


def test_opening_a_ticket_reads_it_once(gui_ws: GuiWorkspace, qtbot: QtBot,
                                        reads: Counter[str]) -> None:
    window = open_window(gui_ws, gui_ws.tickets["Printer on fire"])
    other = window.model.ticket_id(1)
    assert gui_ws.desk().rows([other])[other].unread  # opening marks it read: a write

    def click() -> None:
        click_index(qtbot, window.split.view,
                    window.model.index(window.model.row_of(other), Column.NAME))

    counted = reads_after(gui_ws, qtbot, reads, click,
                          lambda: window.ticket_view.current_detail() is not None
                          and window.ticket_view.current_detail().id == other)
    assert counted == {"ticket": 1, "unread_notification_count": 0}
    assert not gui_ws.desk().rows([other])[other].unread


def test_changes_the_view_did_not_make_are_still_followed(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                          reads: Counter[str]) -> None:
    ticket = gui_ws.tickets["Printer on fire"]
    window = open_window(gui_ws, ticket)
    view = window.ticket_view
    # From the list of the same window: the view did not make it, so it reads it (once);
    # the notification count is not read (one's own operation).
    assert window.split.select_ticket(ticket)
    gui_ws.settle()
    counted = reads_after(gui_ws, qtbot, reads,
                          lambda: window.registry.actions["priority_low"].trigger(),
                          lambda: view.current_detail().row.priority is Priority.LOW)
    assert counted == {"ticket": 1, "unread_notification_count": 0}
    # From elsewhere on the same desk (as the mail service reports mail): both are read.
    bridge = gui_ws.bridges[-1]
    counted = reads_after(
        gui_ws, qtbot, reads,
        lambda: bridge.run(lambda desk, _p: desk.update(ticket, TicketChanges(
            priority=Priority.URGENT))),
        lambda: view.current_detail().row.priority is Priority.URGENT)
    assert counted == {"ticket": 1, "unread_notification_count": 1}
