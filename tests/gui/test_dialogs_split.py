"""The Split dialog: tick messages, fill the new ticket's details, create; refusals."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import ActivityKind, Channel, MessageKind, Priority, View
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.ui.dialogs.split_dialog import SplitDialog
from tests.factories import Workspace, make_ticket
from tests.gui.dialog_support import GUI_MARKS, toggle_check

pytestmark = GUI_MARKS

THREAD = (
    (MessageKind.EMAIL, "My invoice is wrong.\nIt says 40 € instead of 30 €."),
    (MessageKind.REPLY, "Sorry, we are on it."),
    (MessageKind.EMAIL, "Also: how do I change my password?"),
)


def open_dialog(qtbot: QtBot, bridge: object, ticket_id: int) -> SplitDialog:
    dialog = SplitDialog(bridge, bridge.desk.ticket(ticket_id))  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_split_moves_ticked_messages_to_a_new_linked_ticket(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Invoice wrong", owner="agent", messages=THREAD)
    bridge = make_bridge("admin")  # type: ignore[operator]
    dialog = open_dialog(qtbot, bridge, ticket_id)
    messages = [m for c in bridge.desk.ticket(ticket_id).conversations for m in c.messages]
    assert not dialog.accept_button.isEnabled()
    assert "at least one message" in dialog.accept_button.toolTip().lower()

    password_question = messages[2]
    toggle_check(qtbot, dialog.message_list, dialog.message_items[password_question.id])
    assert dialog.checked_message_ids() == [password_question.id]
    assert dialog.name_edit.text() == "Invoice wrong"  # prefilled from the subject
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Password change")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findText("Waiting on us"))
    dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findData("high"))
    assert dialog.accept_button.isEnabled()

    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    result = dialog.result_value
    assert result is not None and result.original_id == ticket_id

    desk = dws.desk("admin")
    new = desk.ticket(result.new_ticket_id)
    assert new.row.name == "Password change"
    assert new.row.status == "Waiting on us"
    assert new.row.priority is Priority.HIGH
    assert new.row.owner_id == dws.users["agent"]
    assert [m.id for c in new.conversations for m in c.messages] == [password_question.id]
    old = desk.ticket(ticket_id)
    assert [m.id for c in old.conversations for m in c.messages] == [messages[0].id,
                                                                      messages[1].id]
    # Both tickets show the link to each other.
    assert any(a.kind is ActivityKind.SPLIT_INTO and a.data["ticket_id"] == new.id
               for a in old.activities)
    assert any(a.kind is ActivityKind.SPLIT_FROM and a.data["ticket_id"] == ticket_id
               for a in new.activities)


def test_the_new_ticket_can_be_left_unassigned(qtbot: QtBot, dws: Workspace,
                                               make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Invoice wrong", owner="agent", messages=THREAD)
    bridge = make_bridge("admin")  # type: ignore[operator]
    dialog = open_dialog(qtbot, bridge, ticket_id)
    last = dialog.detail.conversations[0].messages[-1]
    toggle_check(qtbot, dialog.message_list, dialog.message_items[last.id])
    assert dialog.owner_combo.currentData() == dws.users["agent"]  # the original's owner
    unassigned = dialog.owner_combo.findData(None)
    assert unassigned >= 0 and dialog.owner_combo.itemText(unassigned) == "Unassigned"
    dialog.owner_combo.setCurrentIndex(unassigned)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    new = dws.desk("admin").ticket(dialog.result_value.new_ticket_id)
    assert new.row.owner_id is None
    assert dws.desk("admin").ticket(ticket_id).row.owner_id == dws.users["agent"]


def test_create_needs_one_ticked_and_one_staying(qtbot: QtBot, dws: Workspace,
                                                make_bridge: object) -> None:
    ticket_id = make_ticket(dws, messages=THREAD)
    dialog = open_dialog(qtbot, make_bridge("admin"), ticket_id)  # type: ignore[operator]
    for item in dialog.message_items.values():
        toggle_check(qtbot, dialog.message_list, item)
    assert not dialog.accept_button.isEnabled()
    assert f"must stay on ticket #{ticket_id}" in dialog.accept_button.toolTip()
    assert "must stay" in dialog.summary_label.text()
    toggle_check(qtbot, dialog.message_list, next(iter(dialog.message_items.values())))
    assert dialog.accept_button.isEnabled()
    dialog.name_edit.clear()
    assert not dialog.accept_button.isEnabled()
    assert "name" in dialog.accept_button.toolTip()


def test_only_email_tickets_can_be_split(qtbot: QtBot, dws: Workspace,
                                         make_bridge: object) -> None:
    bridge = make_bridge("admin")  # type: ignore[operator]
    detail = bridge.desk.ticket(make_ticket(dws, messages=THREAD))
    chat = dataclasses.replace(detail, row=dataclasses.replace(detail.row, source=Channel.CHAT))
    dialog = SplitDialog(bridge, chat)
    qtbot.addWidget(dialog)
    toggle_check(qtbot, dialog.message_list, next(iter(dialog.message_items.values())))
    assert not dialog.accept_button.isEnabled()
    assert dialog.accept_button.toolTip() == "Only e-mail tickets can be split."


def test_a_refusal_from_the_service_is_a_sentence_in_the_dialog(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, messages=THREAD)
    dialog = open_dialog(qtbot, make_bridge("admin"), ticket_id)  # type: ignore[operator]
    toggle_check(qtbot, dialog.message_list, next(iter(dialog.message_items.values())))
    # Meanwhile someone else deletes the ticket.
    dws.desk("lead").delete([ticket_id], 1)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert f"#{ticket_id}" in dialog.error_label.text()
    assert "Traceback" not in dialog.error_label.text()
    assert dialog.isVisible() and dialog.result_value is None
    assert dws.desk("admin").count_tickets(TicketQuery(view=View.ALL)) == 0
