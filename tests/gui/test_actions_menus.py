"""One action system: every menu kind offers the same actions with the same enabled states for
a user, disabled ones say why, and the actions of the main window do what they say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMenu, QToolButton
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import Priority
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.ui.layouts.board_card import menu_button_rect
from helpdesk_desktop.ui.main_window import MainWindow
from helpdesk_desktop.ui.models.ticket_model import Column
from tests.gui.conftest import GuiWorkspace

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                        "grabbing the keyboard")]

Entry = tuple[str, bool, str]


def entries(menu: QMenu) -> list[Entry | None]:
    """What a menu shows: (object name, enabled, tooltip) per action, None per separator."""
    return [None if a.isSeparator() else (a.objectName(), a.isEnabled(), a.toolTip())
            for a in menu.actions()]


def shown(menu: QMenu) -> list[Entry | None]:
    menu.aboutToShow.emit()
    return entries(menu)


def context_menu(window: MainWindow, qtbot: QtBot, ticket_id: int) -> list[Entry | None]:
    view = window.table.view
    index = window.model.index(window.model.row_of(ticket_id), Column.NAME)
    view.scrollTo(index)
    window.table._context_menu(view.visualRect(index).center())
    menu = window.context_menu
    assert menu.objectName() == "TicketContextMenu"
    found = entries(menu)
    menu.close()
    return found


def card_menu(window: MainWindow, qtbot: QtBot, ticket_id: int) -> list[Entry | None]:
    window.set_layout("board")
    qtbot.waitUntil(lambda: not window.board.cards_loading())  # read in a background job
    for column in window.board.columns:
        row = column.model.row_of(ticket_id)
        if row >= 0:
            rect = column.view.visualRect(column.model.index(row, Column.NAME))
            qtbot.mouseClick(column.view.viewport(), Qt.MouseButton.LeftButton,
                             pos=menu_button_rect(rect.adjusted(4, 3, -4, -3)).center())
            break
    menu = window.context_menu
    assert menu.objectName() == "CardMenu"
    found = entries(menu)
    menu.close()
    window.set_layout("table")
    return found


def all_menus(gui_ws: GuiWorkspace, qtbot: QtBot, user: str, ticket_id: int
              ) -> dict[str, list[Entry | None]]:
    window = gui_ws.window(user, layout="table")
    window.table.select_ticket(ticket_id)
    window.open_ticket(ticket_id)
    gui_ws.settle()  # the list learns (in the background) that opening marked it read
    view = window.ticket_view
    header_actions = view.findChild(QToolButton, "ActionsButton").menu()
    header_board = view.findChild(QToolButton, "BoardMenuButton").menu()
    menus = {
        "actions drop-down": shown(header_actions),
        "header ⋮": shown(header_board),
        "menu bar": shown(window.actions_menu),
        "context": context_menu(window, qtbot, ticket_id),
        "card ⋮": card_menu(window, qtbot, ticket_id),
    }
    window.close()
    return menus


@pytest.mark.parametrize("user", ["admin", "agent", "sales"])
def test_every_menu_kind_offers_the_same_actions(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                 user: str) -> None:
    ticket = gui_ws.tickets["Please add dark mode"]  # unassigned: everyone sees it
    menus = all_menus(gui_ws, qtbot, user, ticket)
    reference = menus["menu bar"]
    assert reference, "the menu bar's Actions menu is empty"
    names = {e[0] for e in reference if e}
    assert {"action.set_status", "action.set_owner", "action.set_category"} <= names
    for kind, found in menus.items():
        assert found == reference, f"{kind} differs from the menu bar for {user}"


def test_permissions_change_enabled_states_and_disabled_ones_say_why(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    ticket = gui_ws.tickets["Please add dark mode"]
    by_user = {user: {e[0]: e for e in all_menus(gui_ws, qtbot, user, ticket)["context"] if e}
               for user in ("admin", "agent", "sales")}
    assert by_user["admin"]["action.delete"][1] is True
    _, enabled, tip = by_user["agent"]["action.delete"]
    assert not enabled and "Needs the delete permission." in tip
    _, enabled, tip = by_user["sales"]["action.split"]
    assert not enabled and "Needs a service seat." in tip
    assert by_user["agent"]["action.split"][1] is True
    # The actions of this issue are there for everyone and enabled.
    for user in by_user:
        for action in ("action.follow", "action.mark_unread", "action.open_new_window",
                       "action.assign_to_me"):
            assert by_user[user][action][1], (user, action)


def test_follow_from_the_context_menu_then_undo(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("agent")
    ticket = gui_ws.tickets["Printer on fire"]
    window.table.select_ticket(ticket)
    context_menu(window, qtbot, ticket)
    window.registry.actions["follow"].trigger()
    qtbot.waitUntil(lambda: gui_ws.desk("agent").rows([ticket])[ticket].following)
    qtbot.waitUntil(lambda: window.model.row_for_id(ticket).following)
    # Now the menus offer Unfollow instead of Follow.
    names = [e[0] for e in context_menu(window, qtbot, ticket) if e]
    assert "action.unfollow" in names and "action.follow" not in names
    assert window.status.undo_button.isVisible()
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not gui_ws.desk("agent").rows([ticket])[ticket].following)


def test_mark_unread_by_shortcut_is_for_this_user_only(gui_ws: GuiWorkspace,
                                                       qtbot: QtBot) -> None:
    ticket = gui_ws.tickets["Cannot log in"]
    gui_ws.desk("lead").ticket(ticket, mark_read=True)
    window = gui_ws.window("admin", layout="split")
    window.open_ticket(ticket)
    gui_ws.settle()  # the list's row follows in the background
    assert not gui_ws.desk("admin").rows([ticket])[ticket].unread
    window.activateWindow()
    window.split.view.setFocus()
    qtbot.keyClick(window.split.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: gui_ws.desk("admin").rows([ticket])[ticket].unread)
    assert not gui_ws.desk("lead").rows([ticket])[ticket].unread
    qtbot.waitUntil(lambda: window.model.row_for_id(ticket).unread)


def test_property_edit_from_the_menu_bar_reaches_the_database_and_the_row(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("agent")
    ticket = gui_ws.tickets["Please add dark mode"]
    window.table.select_ticket(ticket)
    window.actions_menu.aboutToShow.emit()
    assign = next(a for a in window.actions_menu.actions()
                  if a.objectName() == "action.assign_to_me")
    assign.trigger()
    agent_id = gui_ws.ws.users["agent"]
    qtbot.waitUntil(lambda: gui_ws.desk().ticket(ticket).row.owner_id == agent_id)
    row = window.model.row_of(ticket)
    qtbot.waitUntil(lambda: window.model.index(row, Column.OWNER).data() == "Arno Agent")


def test_bulk_bar_sets_priority_on_every_checked_ticket(gui_ws: GuiWorkspace,
                                                        qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    window.resize(2400, 900)  # wide enough that the priority buttons are not folded into »
    gui_ws.settle()
    ids = [window.model.ticket_id(r) for r in range(3)]
    for r in range(3):
        index = window.model.index(r, Column.CHECK)
        rect = window.table.view.visualRect(index)
        qtbot.mouseClick(window.table.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert window.model.checked_ids() == ids
    bar = window.table.selection_bar.actions_bar
    assert bar.isVisible()
    urgent = next(a for a in bar.actions() if a.objectName() == "action.priority_urgent")
    button = bar.widgetForAction(urgent)
    qtbot.waitUntil(button.isVisible)  # a person can only click what the bar shows
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(gui_ws.desk().ticket(i).row.priority is Priority.URGENT
                                for i in ids))
    qtbot.waitUntil(lambda: all(window.model.row_for_id(i).priority is Priority.URGENT
                                for i in ids))


def test_bulk_bar_moves_the_conversations_of_every_checked_ticket(gui_ws: GuiWorkspace,
                                                                 qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    window.resize(2400, 900)  # wide enough that the bar's buttons are not folded into »
    gui_ws.settle()
    ids = [window.model.ticket_id(r) for r in range(3)]
    for r in range(3):
        rect = window.table.view.visualRect(window.model.index(r, Column.CHECK))
        qtbot.mouseClick(window.table.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert window.model.checked_ids() == ids
    desk = gui_ws.desk()
    moved = desk.help_desk_conversation_ids(ids)
    assert len(moved) >= 3
    bar = window.table.selection_bar.actions_bar
    move = next(a for a in bar.actions() if a.objectName() == "action.move")
    button = bar.widgetForAction(move)
    qtbot.waitUntil(button.isVisible)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "MoveManyDialog") is not None)
    dialog = window.findChild(QDialog, "MoveManyDialog")
    qtbot.waitUntil(lambda: dialog.loaded)
    assert "of 3 tickets" in dialog.intro_label.text()
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Shared inbox"))
    dialog.pipeline_combo.setCurrentIndex(dialog.pipeline_combo.findText("Escalations"))
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findText("Triage"))
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.undo_button.isVisible())
    assert window.status.message.text() == f"Moved {len(moved)} conversations."
    shared = {c.id for c in desk.inbox_conversations(gui_ws.ws.inboxes["Shared inbox"])}
    assert set(moved) <= shared
    rows = desk.rows(ids)
    assert {rows[i].status for i in ids} == {"Triage"}  # the tickets stay, in the chosen status
    with pytest.raises(InvalidInput, match="None of these tickets has a conversation"):
        desk.help_desk_conversation_ids(ids)
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.rows([ids[-1]])[ids[-1]].status != "Triage")
    gui_ws.settle()
    assert desk.help_desk_conversation_ids(ids) == moved
    assert not set(moved) & {c.id for c in desk.inbox_conversations(
        gui_ws.ws.inboxes["Shared inbox"])}


def test_select_all_matching_acts_on_every_ticket_of_the_view(gui_ws: GuiWorkspace,
                                                              qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    bar = window.table.selection_bar
    gui_ws.settle()  # the rows read ahead (off the UI thread) are in before check all
    bar.check_all.setFocus()
    qtbot.keyClick(bar.check_all, Qt.Key.Key_Space)
    # Check all takes the rows read: the first page, or once the list is counted (it then
    # has every row by position) those read around the view, which in a list this short
    # may be all of them. The whole view is then one click further, or already checked.
    loaded = window.model.loaded_count()
    assert len(window.model.checked_ids()) == loaded >= 100
    if loaded < 135:
        assert bar.all_matching.isVisible()
        assert "135" in bar.all_matching.text()
        qtbot.mouseClick(bar.all_matching, Qt.MouseButton.LeftButton)
        selection = window.current_selection()
        assert selection.all_matching is not None and selection.count == 135
    else:
        assert not bar.all_matching.isVisible()
        assert window.current_selection().count == 135
    window.registry.actions["follow"].trigger()
    qtbot.waitUntil(lambda: len(gui_ws.desk().rows(gui_ws.fillers)) == len(gui_ws.fillers)
                    and all(r.following for r in gui_ws.desk().rows(gui_ws.fillers).values()),
                    timeout=10000)


def test_open_in_new_window(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    ticket = gui_ws.tickets["Invoice charged twice"]
    window.table.select_ticket(ticket)
    window.registry.actions["open_new_window"].trigger()
    opened = window._windows[-1]
    assert opened.objectName() == "TicketWindow"
    assert opened.view.ticket_id() == ticket
    gui_ws.settle()  # the ticket is read off the UI thread
    assert opened.windowTitle() == "Invoice charged twice"
    # Its menus come from the same definitions.
    actions_menu = opened.view.findChild(QToolButton, "ActionsButton").menu()
    names = [e[0] for e in shown(actions_menu) if e]
    assert "action.open_new_window" in names and "action.follow" in names
    opened.close()
    assert opened not in window._windows


def test_disabled_shortcut_says_why_in_the_status_bar(gui_ws: GuiWorkspace,
                                                      qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    window.table.view.clearSelection()
    window.table.view.setCurrentIndex(window.model.index(-1, -1))
    window._selection_changed()
    action = window.registry.actions["open_new_window"]
    assert not action.isEnabled()
    assert "Select a ticket first." in action.toolTip()
    window.registry.trigger("open_new_window")
    assert window.status.message.text() == "Select a ticket first."


def test_undo_of_a_property_edit_spares_a_later_edit(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    first, second = gui_ws.tickets["Cannot log in"], gui_ws.tickets["Where is my parcel"]
    window.model.setData(window.model.index(window.model.row_of(first), Column.CHECK),
                         Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    window.model.setData(window.model.index(window.model.row_of(second), Column.CHECK),
                         Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    window.registry.actions["priority_high"].trigger()
    qtbot.waitUntil(lambda: window.status.undo_button.isVisible())
    assert window.status.message.text() == "Updated 2 tickets."
    gui_ws.desk("lead").update(second, TicketChanges(priority="urgent"))  # someone edits it again
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.message.text().startswith(
        "Undone: Updated 1 ticket. 1 refused: Someone else changed this ticket"))
    assert gui_ws.desk().ticket(first).row.priority is Priority.MEDIUM
    assert gui_ws.desk().ticket(second).row.priority is Priority.URGENT


def test_a_bulk_edit_shows_its_progress_in_the_status_bar(gui_ws: GuiWorkspace,
                                                          qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    seen: list[tuple[int, int, int]] = []  # done, total, the status bar's maximum
    window.bridge.progressed.connect(lambda done, total: seen.append(
        (done, total, window.status.busy.maximum())))
    bar = window.table.selection_bar
    qtbot.keyClick(bar.check_all, Qt.Key.Key_Space)
    qtbot.mouseClick(bar.all_matching, Qt.MouseButton.LeftButton)
    window.registry.actions["priority_high"].trigger()
    # The indicator shows with the first report (a short job never shows it): wait for the
    # last report, then for the indicator to go.
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == 135, timeout=10000)
    qtbot.waitUntil(lambda: not window.status.busy.isVisible(), timeout=10000)
    assert seen and all(total == 135 and shown == 135 for _done, total, shown in seen)
    assert seen[-1][0] == 135  # reported after each of the 135 tickets
    assert window.status.busy.maximum() == 0  # idle again: no stale measure
    assert all(r.priority is Priority.HIGH for r in gui_ws.desk().rows(gui_ws.fillers).values())


def test_edit_undo_and_redo_with_the_keyboard(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    first, second = gui_ws.tickets["Cannot log in"], gui_ws.tickets["Where is my parcel"]
    for ticket_id in (first, second):
        window.model.setData(window.model.index(window.model.row_of(ticket_id), Column.CHECK),
                             Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    undo_action, redo_action = window.edit_actions["undo"], window.edit_actions["redo"]
    assert not undo_action.isEnabled()
    window.registry.actions["priority_low"].trigger()
    qtbot.waitUntil(undo_action.isEnabled)
    assert undo_action.text() == "&Undo Priority: Low (2 tickets)"
    window.table.view.setFocus()
    qtbot.keyClick(window.table.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.status.message.text() == "Undone: Updated 2 tickets.")
    assert {gui_ws.desk().ticket(i).row.priority for i in (first, second)} != {Priority.LOW}
    assert redo_action.isEnabled()
    qtbot.keyClick(window.table.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.status.message.text() == "Redone: Updated 2 tickets.")
    assert {gui_ws.desk().ticket(i).row.priority for i in (first, second)} == {Priority.LOW}
