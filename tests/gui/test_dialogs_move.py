"""The Move dialog (help desk ⇄ conversations inbox) and the inbox view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

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


def test_move_from_the_help_desk_to_an_inbox_and_back(qtbot: QtBot, dws: Workspace,
                                                      make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Wholesale prices", owner="agent")
    bridge = make_bridge("admin")  # type: ignore[operator]
    detail = bridge.desk.ticket(ticket_id)
    conversation = detail.conversations[0]
    dialog = MoveDialog(bridge, conversation, None, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.inbox_combo.isVisible() and dialog.pipeline_combo.isVisible()
    choose(qtbot, dialog.inbox_combo, "Sales inbox")
    choose(qtbot, dialog.owner_combo, "Sofia Seller")
    choose(qtbot, dialog.pipeline_combo, "Escalations")
    choose(qtbot, dialog.status_combo, "Triage")
    qtbot.keyClicks(dialog.comment_edit, "Sales should answer this one.")
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
    assert back.to_help_desk and not back.inbox_combo.isVisible()
    choose(qtbot, back.owner_combo, "Arno Agent")
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
    choose(qtbot, dialog.owner_combo, "Otto Outsider")
    assert dialog.warning_label.isVisible()
    assert "Otto Outsider has no access to the help desk" in dialog.warning_label.text()
    assert not dialog.accept_button.isEnabled()
    choose(qtbot, dialog.owner_combo, "Unassigned")
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
