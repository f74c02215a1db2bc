"""The Spam dialog: tick conversations; all of them sends the whole ticket to Spam."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import TicketState, View
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.ui.dialogs.spam_dialog import SpamDialog
from tests.factories import Workspace, make_ticket
from tests.gui.dialog_support import GUI_MARKS, toggle_check

pytestmark = GUI_MARKS


def open_dialog(qtbot: QtBot, bridge: object, ticket_id: int) -> SpamDialog:
    dialog = SpamDialog(bridge, bridge.desk.ticket(ticket_id))  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_some_conversations_to_spam_the_ticket_stays(qtbot: QtBot, dws: Workspace,
                                                     make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Offers", conversations=3)
    dialog = open_dialog(qtbot, make_bridge("lead"), ticket_id)  # type: ignore[operator]
    assert not dialog.accept_button.isEnabled()
    first, second, third = dialog.conversation_items
    toggle_check(qtbot, dialog.conversation_list, dialog.conversation_items[second])
    assert "Moving to Spam: 1 conversation." in dialog.consequence_label.text()
    assert "keeps the other 2 conversations." in dialog.consequence_label.text()
    assert "deleted" not in dialog.consequence_label.text()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    detail = dws.desk("admin").ticket(ticket_id)
    assert detail.row.state is TicketState.LIVE
    assert [c.id for c in detail.conversations] == [first, third]


def test_ticking_every_conversation_says_the_ticket_is_deleted(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Cheap watches", conversations=2)
    dialog = open_dialog(qtbot, make_bridge("lead"), ticket_id)  # type: ignore[operator]
    for item in dialog.conversation_items.values():
        toggle_check(qtbot, dialog.conversation_list, item)
    assert dialog.whole_ticket
    assert f"ticket #{ticket_id} will be deleted" in dialog.consequence_label.text()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    desk = dws.desk("admin")
    assert ticket_id not in desk.matching_ids(TicketQuery(view=View.ALL))
    assert desk.matching_ids(TicketQuery(view=View.SPAM)) == [ticket_id]


def test_a_single_conversation_ticket_comes_ticked(qtbot: QtBot, dws: Workspace,
                                                   make_bridge: object) -> None:
    ticket_id = make_ticket(dws, conversations=1)
    dialog = open_dialog(qtbot, make_bridge("lead"), ticket_id)  # type: ignore[operator]
    assert dialog.whole_ticket and dialog.accept_button.isEnabled()
    toggle_check(qtbot, dialog.conversation_list,
                 next(iter(dialog.conversation_items.values())))
    assert not dialog.accept_button.isEnabled()
    assert dialog.accept_button.toolTip() == "Tick at least one conversation."
