"""Each dialog opened from the main window's real menus, driven, accepted, and the database
checked; the refusal paths (disabled actions with their reason) and the status bar's Undo."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import MessageKind, TicketState, View
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.ui.actions.spec import MenuKind
from helpdesk_desktop.ui.models.ticket_model import Column
from tests.factories import make_ticket
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS, toggle_check

pytestmark = GUI_MARKS

THREAD = ((MessageKind.EMAIL, "First question"), (MessageKind.REPLY, "First answer"),
          (MessageKind.EMAIL, "Second, unrelated question"))


def select(gui_ws: GuiWorkspace, window: object, ticket_id: int) -> None:
    assert window.table.select_ticket(ticket_id)  # type: ignore[attr-defined]
    gui_ws.settle()


def action(window: object, name: str) -> QAction:
    found = window.findChild(QAction, f"action.{name}")  # type: ignore[attr-defined]
    assert found is not None, name
    return found


def trigger_from_menu_bar(window: object, name: str) -> None:
    """Open the menu bar's Actions menu as the user does and trigger the entry."""
    window.fill_actions_menu()  # type: ignore[attr-defined]
    entry = action(window, name)
    assert entry in window.actions_menu.actions()  # type: ignore[attr-defined]
    assert entry.isEnabled(), entry.toolTip()
    entry.trigger()


def open_dialog(qtbot: QtBot, window: object, object_name: str) -> QDialog:
    """The dialog an action opened (once the ticket it shows was read off the UI thread)."""
    qtbot.waitUntil(lambda: window.findChild(QDialog, object_name)  # type: ignore[attr-defined]
                    is not None)
    dialog = window.findChild(QDialog, object_name)  # type: ignore[attr-defined]
    assert dialog is not None and dialog.isVisible()
    return dialog  # owned by the window, deleted when it closes


def test_split_from_the_menu_bar(qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    ticket_id = make_ticket(gui_ws.ws, "Two questions", messages=THREAD)
    window = gui_ws.window("admin")
    select(gui_ws, window, ticket_id)
    trigger_from_menu_bar(window, "split")
    dialog = open_dialog(qtbot, window, "SplitDialog")
    last = list(dialog.message_items.values())[-1]
    toggle_check(qtbot, dialog.message_list, last)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    new_id = dialog.result_value.new_ticket_id
    new = gui_ws.desk().ticket(new_id)
    assert [m.text for c in new.conversations for m in c.messages] == [
        "Second, unrelated question"]
    assert f"#{new_id}" in window.status.message.text()


def test_merge_from_the_context_menu_opens_the_survivor(qtbot: QtBot,
                                                        gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    this, other = gui_ws.tickets["Printer on fire"], gui_ws.tickets["Cannot log in"]
    select(gui_ws, window, this)
    menu = window.popup_menu(MenuKind.CONTEXT, window.mapToGlobal(window.rect().center()))
    merge = action(window, "merge")
    assert merge in menu.actions()
    menu.close()
    merge.trigger()
    dialog = open_dialog(qtbot, window, "MergeDialog")
    qtbot.keyClicks(dialog.search_edit, str(other))
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert dialog.result_ids() == [other]
    dialog.results_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    gui_ws.settle()
    assert window.ticket_view.ticket_id() == this
    survivor = gui_ws.desk().ticket(other)  # the old number opens the survivor
    assert survivor.id == this and len(survivor.conversations) == 2


def test_move_from_the_menu_bar_and_undo(qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    ticket_id = gui_ws.tickets["Where is my parcel"]
    select(gui_ws, window, ticket_id)
    trigger_from_menu_bar(window, "move")
    dialog = open_dialog(qtbot, window, "MoveDialog")
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.checking_owner)  # read off the UI thread
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Shared inbox"))
    qtbot.keyClicks(dialog.comment_edit, "For the shared team")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    desk = gui_ws.desk()
    conversation_id = dialog.result_value.conversation_id
    assert conversation_id in [c.id for c in desk.inbox_conversations(
        gui_ws.ws.inboxes["Shared inbox"])]
    undo = window.status.undo_button
    assert undo.isVisible()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    gui_ws.settle()
    detail = desk.ticket(ticket_id)
    assert detail.conversations[0].inbox == "Help Desk"


def test_spam_then_not_spam_from_the_spam_view(qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    ticket_id = gui_ws.tickets["Please add dark mode"]
    select(gui_ws, window, ticket_id)
    trigger_from_menu_bar(window, "spam")
    dialog = open_dialog(qtbot, window, "SpamDialog")
    assert dialog.whole_ticket  # one conversation: ticked already
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    desk = gui_ws.desk()
    assert desk.matching_ids(TicketQuery(view=View.SPAM)) == [ticket_id]

    window.set_view(View.SPAM)
    gui_ws.settle()
    select(gui_ws, window, ticket_id)
    window.fill_actions_menu()
    assert not action(window, "spam").isVisible()
    assert not action(window, "delete").isVisible()
    trigger_from_menu_bar(window, "not_spam")
    gui_ws.settle()
    assert desk.rows([ticket_id])[ticket_id].state is TicketState.LIVE


def test_delete_one_ticket_with_the_typed_count_then_undo(qtbot: QtBot,
                                                          gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("lead")
    ticket_id = gui_ws.tickets["Invoice charged twice"]
    select(gui_ws, window, ticket_id)
    trigger_from_menu_bar(window, "delete")
    dialog = open_dialog(qtbot, window, "DeleteDialog")
    qtbot.waitUntil(lambda: dialog.counts is not None)
    qtbot.keyClicks(dialog.count_edit, "2")
    assert not dialog.accept_button.isEnabled()
    dialog.count_edit.clear()
    qtbot.keyClicks(dialog.count_edit, "1")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    desk = gui_ws.desk()
    assert desk.matching_ids(TicketQuery(view=View.RECENTLY_DELETED)) == [ticket_id]
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    gui_ws.settle()
    assert desk.rows([ticket_id])[ticket_id].state is TicketState.LIVE


def test_delete_all_matching_this_view_then_restore_from_recently_deleted(
        qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    desk = gui_ws.desk()
    total = desk.count_tickets(TicketQuery(view=View.ALL_OPEN))
    bar = window.table.selection_bar
    # Check all takes the rows read; the list (counted, every row by position) reads ahead
    # off the UI thread and may have read all of this short view: let it finish first.
    gui_ws.settle()
    loaded = window.model.loaded_count()
    # The check box is wider than its box and label: click on the box.
    qtbot.mouseClick(bar.check_all, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, bar.check_all.height() // 2))
    assert len(window.model.checked_ids()) == loaded
    gui_ws.settle()
    if loaded < total:  # the whole view is one click further
        assert bar.all_matching.isVisible()
        qtbot.mouseClick(bar.all_matching, Qt.MouseButton.LeftButton)
        gui_ws.settle()
    assert window.current_selection().count == total
    trigger_from_menu_bar(window, "delete")
    dialog = open_dialog(qtbot, window, "DeleteDialog")
    qtbot.waitUntil(lambda: dialog.counts is not None)
    assert dialog.expected_count == total > 100
    qtbot.keyClicks(dialog.count_edit, str(total))
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=30_000)
    gui_ws.settle()
    assert desk.count_tickets(TicketQuery(view=View.ALL_OPEN)) == 0

    window.set_view(View.RECENTLY_DELETED)
    gui_ws.settle()
    ticket_id = gui_ws.tickets["Printer on fire"]
    select(gui_ws, window, ticket_id)
    window.fill_actions_menu()
    assert action(window, "delete_permanently").isVisible()
    trigger_from_menu_bar(window, "restore")
    gui_ws.settle()
    assert desk.rows([ticket_id])[ticket_id].state is TicketState.LIVE


def test_refusals_disable_the_actions_with_the_reason(gui_ws: GuiWorkspace) -> None:
    ticket_id = gui_ws.tickets["Please add dark mode"]  # unassigned: everyone sees it
    agent = gui_ws.window("agent")  # seat, no delete permission, no account access
    select(gui_ws, agent, ticket_id)
    agent.fill_actions_menu()
    for name, reason in (("delete", "Needs the delete permission."),
                         ("spam", "Needs the delete permission."),
                         ("move", "Needs account access (super admin).")):
        entry = action(agent, name)
        assert not entry.isEnabled() and entry.toolTip().endswith(reason), name
    assert action(agent, "split").isEnabled() and action(agent, "merge").isEnabled()

    sales = gui_ws.window("sales")  # no service seat
    select(gui_ws, sales, ticket_id)
    sales.fill_actions_menu()
    assert not action(sales, "split").isEnabled()
    assert action(sales, "split").toolTip().endswith("Needs a service seat.")

    admin = gui_ws.window("admin")
    admin.table.view.clearSelection()
    admin.table.view.setCurrentIndex(admin.table.model.index(-1, -1))
    gui_ws.settle()
    admin.fill_actions_menu()
    assert not action(admin, "merge").isEnabled()
    assert action(admin, "merge").toolTip().endswith("Select a ticket first.")


def test_the_ticket_views_actions_and_more_menus_offer_the_dialogs(
        qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    ticket_id = make_ticket(gui_ws.ws, "Two questions", messages=THREAD)
    window = gui_ws.window("admin")
    window.open_ticket(ticket_id)
    gui_ws.settle()
    actions_menu = window.findChild(QMenu, "TicketActionsMenu")
    more_menu = window.findChild(QMenu, "TicketBoardMenu")
    for menu in (actions_menu, more_menu):
        menu.aboutToShow.emit()  # what popping it up does
        names = {a.objectName() for a in menu.actions()}
        assert {"action.split", "action.merge", "action.move", "action.spam",
                "action.delete", "action.print", "action.export_pdf"} <= names
        menu.aboutToHide.emit()
    actions_menu.aboutToShow.emit()
    action(window, "split").trigger()
    dialog = open_dialog(qtbot, window, "SplitDialog")
    assert dialog.detail.id == ticket_id
    dialog.reject()


def test_the_delete_key_opens_the_delete_dialog(qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("lead")
    ticket_id = gui_ws.tickets["Invoice charged twice"]
    select(gui_ws, window, ticket_id)
    window.activateWindow()
    window.table.view.setFocus()
    qtbot.keyClick(window.table.view, Qt.Key.Key_Delete)
    dialog = open_dialog(qtbot, window, "DeleteDialog")
    qtbot.waitUntil(lambda: dialog.counts is not None)
    assert dialog.ticket_ids == (ticket_id,)
    dialog.reject()


def test_bulk_delete_of_a_stale_selection_deletes_what_it_can_and_undoes_only_that(
        qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    ids = [window.model.ticket_id(r) for r in range(3)]
    for row in range(3):
        rect = window.table.view.visualRect(window.model.index(row, Column.CHECK))
        qtbot.mouseClick(window.table.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert window.model.checked_ids() == ids
    gone = ids[1]
    desk = gui_ws.desk()
    gui_ws.desk("lead").delete([gone], 1)  # elsewhere: this window hears nothing of it
    trigger_from_menu_bar(window, "delete")
    dialog = open_dialog(qtbot, window, "DeleteDialog")
    qtbot.waitUntil(lambda: dialog.counts is not None)
    assert dialog.expected_count == 2  # the count confirmed is of what will be deleted
    assert dialog.summary_label.text().startswith("To be deleted: 2 tickets and ")
    assert dialog.refusals_label.isVisible()  # apart from the warning, and saying why
    assert dialog.refusals_label.text() == (
        f"1 of the selected tickets cannot be deleted and stays as it is:\n• Ticket #{gone} is "
        "already in the trash. Only live tickets can be deleted.")
    qtbot.keyClicks(dialog.count_edit, "2")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.undo_button.isVisible())
    assert window.status.message.text() == (
        f"Deleted 2 tickets. 1 refused: Ticket #{gone} is already in the trash. Only live "
        "tickets can be deleted.")
    rows = desk.rows(ids)
    assert [rows[i].state for i in ids] == [TicketState.DELETED] * 3
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.rows([ids[0]])[ids[0]].state is TicketState.LIVE)
    gui_ws.settle()
    rows = desk.rows(ids)
    assert [rows[i].state for i in ids] == [TicketState.LIVE, TicketState.DELETED,
                                            TicketState.LIVE]
    assert window.status.message.text() == "Undone: Restored 2 tickets."
