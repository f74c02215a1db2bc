"""The Move dialog (help desk ⇄ conversations inbox) and the inbox view."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import InboxKind, MessageKind
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.ui.dialogs.move_dialog import MoveDialog, MoveResult
from helpdesk_desktop.ui.inbox_view import InboxView
from tests.factories import Workspace, make_ticket
from tests.gui.dialog_support import GUI_MARKS, find_top_level

pytestmark = GUI_MARKS


def choose(qtbot: QtBot, combo: object, text: str) -> None:
    """Pick the entry of a combo box that reads ``text`` (the user's choice in the list;
    typing into a closed combo box searches with a timer, which tests cannot rely on)."""
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def ready(qtbot: QtBot, dialog: MoveDialog) -> None:
    """Wait until the dialog has read its choices and checked the chosen owner."""
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.checking_owner)


def test_move_from_the_help_desk_to_an_inbox_and_back(qtbot: QtBot, dws: Workspace,
                                                      make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Wholesale prices", owner="agent")
    bridge = make_bridge("admin")  # type: ignore[operator]
    detail = bridge.desk.ticket(ticket_id)
    conversation = detail.conversations[0]
    dialog = MoveDialog(bridge, conversation, None, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    ready(qtbot, dialog)
    assert dialog.inbox_combo.isVisible() and dialog.pipeline_combo.isVisible()
    choose(qtbot, dialog.inbox_combo, "Sales inbox")
    choose(qtbot, dialog.owner_combo, "Sofia Seller")
    choose(qtbot, dialog.pipeline_combo, "Escalations")
    choose(qtbot, dialog.status_combo, "Triage")
    qtbot.keyClicks(dialog.comment_edit, "Sales should answer this one.")
    ready(qtbot, dialog)
    assert not dialog.warning_label.isVisible()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)

    desk = dws.desk("admin")
    sales_inbox = dws.inboxes["Sales inbox"]
    moved = [c for c in desk.inbox_conversations(sales_inbox) if c.id == conversation.id]
    assert moved and moved[0].messages[-1].kind is MessageKind.COMMENT
    assert moved[0].messages[-1].text == "Sales should answer this one."
    row = desk.rows([ticket_id])[ticket_id]
    assert (row.pipeline, row.status, row.owner_id) == (
        "Escalations", "Triage", dws.users["seller"])

    # Back, from the inbox view's button.
    view = InboxView(bridge, None, sales_inbox)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded):  # the conversations are read in the background
        pass
    assert not view.move_button.isEnabled()
    view.select_conversation(conversation.id)
    assert view.move_button.isEnabled()
    qtbot.mouseClick(view.move_button, Qt.MouseButton.LeftButton)
    back = find_top_level("MoveDialog")
    assert isinstance(back, MoveDialog)
    ready(qtbot, back)
    assert back.to_help_desk and not back.inbox_combo.isVisible()
    choose(qtbot, back.owner_combo, "Arno Agent")
    ready(qtbot, back)
    with qtbot.waitSignals([view.moved, view.loaded]):
        qtbot.mouseClick(back.accept_button, Qt.MouseButton.LeftButton)
    detail = desk.ticket(ticket_id)
    assert detail.conversations[0].inbox_kind is InboxKind.HELP_DESK
    assert detail.row.owner_id == dws.users["agent"]
    assert all(c.id != conversation.id for c in desk.inbox_conversations(sales_inbox))
    assert view.model.rowCount() == 0


def test_warns_and_refuses_when_the_owner_could_not_see_the_result(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws)
    bridge = make_bridge("admin")  # type: ignore[operator]
    detail = bridge.desk.ticket(ticket_id)
    dialog = MoveDialog(bridge, detail.conversations[0], None, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    ready(qtbot, dialog)
    choose(qtbot, dialog.owner_combo, "Otto Outsider")
    assert not dialog.accept_button.isEnabled()  # until the check answers
    ready(qtbot, dialog)
    assert dialog.warning_label.isVisible()
    assert "Otto Outsider has no access to the help desk" in dialog.warning_label.text()
    assert not dialog.accept_button.isEnabled()
    choose(qtbot, dialog.owner_combo, "Unassigned")
    ready(qtbot, dialog)
    assert not dialog.warning_label.isVisible() and dialog.accept_button.isEnabled()


def test_inbox_view_lists_conversations_and_checks_account_access(
        qtbot: QtBot, qtmodeltester: object, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Partnership")
    admin = dws.desk("admin")
    conversation = admin.ticket(ticket_id).conversations[0]
    admin.move_conversation(conversation.id, dws.inboxes["Shared inbox"],
                            pipeline_id=dws.pipelines["Support Pipeline"],
                            status_id=dws.status("New"))
    view = InboxView(make_bridge("lead"), None)  # type: ignore[operator]
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded):
        pass
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    assert view.inbox_combo.currentText() == "Shared inbox"
    assert [c.id for c in view.model.conversations] == [conversation.id]
    view.select_conversation(conversation.id)
    assert "Partnership" in view.preview.toPlainText()
    assert not view.move_button.isEnabled()
    assert view.move_button.toolTip() == "Needs account access (super admin)."


def test_a_conversation_without_ticket_becomes_a_ticket_in_the_help_desk(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    generate_demo(dws.db, tickets=20, seed=3)  # also fills the conversations inboxes
    bridge = make_bridge("admin")  # type: ignore[operator]
    view = InboxView(bridge, None)
    qtbot.addWidget(view)
    view.show()
    loose = next((i, c) for i in range(view.inbox_combo.count())
                 for c in bridge.desk.inbox_conversations(view.inbox_combo.itemData(i))
                 if c.ticket_id is None)
    with qtbot.waitSignal(view.loaded):
        view.inbox_combo.setCurrentIndex(loose[0])
    conversation = loose[1]
    view.select_conversation(conversation.id)
    dialog = view.move_selected()
    assert isinstance(dialog, MoveDialog)
    ready(qtbot, dialog)
    assert "becomes a new ticket" in dialog.intro_label.text()
    moved: list[MoveResult] = []
    view.moved.connect(moved.append)
    with qtbot.waitSignals([view.moved, view.loaded]):
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    result = moved[0]
    assert result.created_ticket and result.ticket_id is not None
    detail = bridge.desk.ticket(result.ticket_id)
    assert detail.row.name == conversation.subject
    assert [c.id for c in detail.conversations] == [conversation.id]
    assert all(c.id != conversation.id for c in view.model.conversations)


def test_the_dialog_reads_off_the_ui_thread_and_shows_it(
        qtbot: QtBot, dws: Workspace, make_bridge: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is read on the UI thread: while the choices are read the dialog says so, its
    choices and Move wait; the owner is checked in the background too."""
    ticket_id = make_ticket(dws, "Wholesale prices", owner="agent")
    bridge = make_bridge("admin")  # type: ignore[operator]
    detail = bridge.desk.ticket(ticket_id)
    ui_thread = threading.current_thread()
    on_ui_thread: list[str] = []
    release = threading.Event()
    for name in ("inboxes", "pipelines", "users", "rows", "owner_can_see"):
        original = getattr(Desk, name)

        def spy(self: Desk, *args: Any, _original: Any = original, _name: str = name,
                **kwargs: Any) -> Any:
            if threading.current_thread() is ui_thread:
                on_ui_thread.append(_name)
            release.wait(10)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Desk, name, spy)
    dialog = MoveDialog(bridge, detail.conversations[0], None, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.loaded and not dialog.accept_button.isEnabled()
    assert dialog.accept_button.toolTip() == "Reading the inboxes, pipelines and users…"
    assert not dialog.owner_combo.isEnabled() and dialog.inbox_combo.count() == 0
    release.set()
    ready(qtbot, dialog)
    assert dialog.owner_combo.isEnabled() and dialog.inbox_combo.count() > 0
    assert dialog.owner_combo.currentText() == "Arno Agent"  # the ticket's owner
    assert dialog.accept_button.isEnabled()
    assert on_ui_thread == []


def test_closed_before_the_answer_the_dialog_ignores_it(
        qtbot: QtBot, dws: Workspace, make_bridge: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(dws)
    bridge = make_bridge("admin")  # type: ignore[operator]
    detail = bridge.desk.ticket(ticket_id)
    release = threading.Event()
    original = Desk.inboxes

    def slow(self: Desk) -> Any:
        release.wait(10)
        return original(self)

    monkeypatch.setattr(Desk, "inboxes", slow)
    dialog = MoveDialog(bridge, detail.conversations[0], None, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # closed while reading (nothing is being written)
    assert dialog.closed and not dialog.isVisible()
    release.set()
    assert bridge.wait_for_idle()
    qtbot.wait(20)
    assert not dialog.loaded and dialog.inbox_combo.count() == 0  # the late answer ignored
    assert dws.desk("admin").ticket(ticket_id).conversations[0].inbox_kind is InboxKind.HELP_DESK
