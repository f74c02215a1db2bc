"""The defects a walk-through in a real window found (issue 10), each reproduced through the
window's own widgets: what a spam or deleted ticket offers, stale lists and panes, the window
title, auto-advance marking a ticket read, the list's time zone and the owner choices."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import TicketState, View
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.ui import formatting
from helpdesk_desktop.ui.actions.spec import MenuKind, menu_entries
from helpdesk_desktop.ui.dialogs.property_dialog import PropertyDialog, TicketProperty
from helpdesk_desktop.ui.models.ticket_model import Column
from tests.factories import make_ticket
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS

pytestmark = GUI_MARKS


def action(window: object, name: str) -> QAction:
    found = window.findChild(QAction, f"action.{name}")  # type: ignore[attr-defined]
    assert found is not None, name
    return found


def offered(window: object) -> set[str]:
    ctx = window.list_context()  # type: ignore[attr-defined]
    return {e.name for e in menu_entries(window.registry.specs,  # type: ignore[attr-defined]
                                         ctx, MenuKind.MENU_BAR) if e is not None}


def test_spam_and_deleted_tickets_offer_only_what_works_on_them(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    spam, deleted = gui_ws.tickets["Cannot log in"], gui_ws.tickets["Where is my parcel"]
    desk = gui_ws.desk("admin")
    desk.mark_spam(spam)
    desk.delete([deleted], 1)
    window = gui_ws.window("admin")
    for view, ticket, back in ((View.SPAM, spam, "not_spam"),
                               (View.RECENTLY_DELETED, deleted, "restore")):
        window.set_view(view)
        gui_ws.settle()
        assert window.table.select_ticket(ticket)
        gui_ws.settle()
        names = offered(window)
        assert names == {"open_new_window", "print", "export_pdf", back, "delete_permanently"}
        for edit in ("set_status", "set_owner", "priority_high", "assign_to_me", "follow"):
            assert not action(window, edit).isEnabled(), edit
        assert action(window, back).isEnabled()
        # Ctrl+Shift+T (Set Status…) does nothing but say why.
        window.registry.trigger("set_status")
        assert window.status.message.text() in ("Mark the ticket as not spam first.",
                                                "Restore the ticket first.")


def test_not_spam_leaves_the_spam_list(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    ticket = gui_ws.tickets["Cannot log in"]
    gui_ws.desk("admin").mark_spam(ticket)
    window = gui_ws.window("admin")
    window.set_view(View.SPAM)
    gui_ws.settle()
    assert window.table.select_ticket(ticket)
    gui_ws.settle()
    action(window, "not_spam").trigger()
    qtbot.waitUntil(lambda: gui_ws.desk().rows([ticket])[ticket].state is TicketState.LIVE)
    qtbot.waitUntil(lambda: window.model.row_of(ticket) == -1)


def test_undo_of_a_bulk_delete_shows_the_tickets_again(gui_ws: GuiWorkspace,
                                                       qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    desk = gui_ws.desk()
    total = desk.count_tickets(TicketQuery(view=View.ALL_OPEN))
    bar = window.table.selection_bar
    qtbot.mouseClick(bar.check_all, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, bar.check_all.height() // 2))
    gui_ws.settle()
    qtbot.mouseClick(bar.all_matching, Qt.MouseButton.LeftButton)
    gui_ws.settle()
    window.fill_actions_menu()
    action(window, "delete").trigger()
    dialog = window.findChild(object, "DeleteDialog")
    qtbot.waitUntil(lambda: dialog.counts is not None)
    qtbot.keyClicks(dialog.count_edit, str(total))
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.undo_button.isVisible(), timeout=30_000)
    gui_ws.settle()
    assert window.model.rowCount() == 0
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.count_tickets(TicketQuery(view=View.ALL_OPEN)) == total,
                    timeout=30_000)
    qtbot.waitUntil(lambda: window.model.rowCount() >= 100)  # no F5 needed
    assert window.model.ticket_row(0).state is TicketState.LIVE


def test_restore_does_not_open_and_mark_read_the_next_ticket(gui_ws: GuiWorkspace,
                                                             qtbot: QtBot) -> None:
    first = make_ticket(gui_ws.ws, "Deleted first")
    second = make_ticket(gui_ws.ws, "Deleted second")
    admin = gui_ws.desk("admin")
    admin.delete([first, second], 2)
    window = gui_ws.window("admin", layout="split")
    window.set_view(View.RECENTLY_DELETED)
    gui_ws.settle()
    assert window.split.select_ticket(first)
    window.open_ticket(first)
    gui_ws.settle()
    assert admin.rows([second])[second].unread
    action(window, "restore").trigger()
    qtbot.waitUntil(lambda: admin.rows([first])[first].state is TicketState.LIVE)
    gui_ws.settle()
    qtbot.wait(300)  # longer than the split list's open delay
    gui_ws.settle()
    assert window.ticket_view.ticket_id() != second
    assert admin.rows([second])[second].unread  # never chosen, so not read


def test_mark_as_spam_does_not_open_and_mark_read_the_next_ticket(gui_ws: GuiWorkspace,
                                                                  qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="split")
    model = window.model
    ticket = model.ticket_id(0)
    following = model.ticket_id(1)
    admin = gui_ws.desk("admin")
    assert window.split.select_ticket(ticket)
    window.open_ticket(ticket)
    gui_ws.settle()
    assert admin.rows([following])[following].unread
    action(window, "spam").trigger()
    qtbot.waitUntil(lambda: window.findChild(QDialog, "SpamDialog") is not None)
    dialog = window.findChild(QDialog, "SpamDialog")
    qtbot.waitUntil(lambda: dialog.accept_button.isEnabled())
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: admin.rows([ticket])[ticket].state is TicketState.SPAM)
    qtbot.waitUntil(lambda: model.row_of(ticket) == -1)
    gui_ws.settle()
    qtbot.wait(300)  # longer than the split list's open delay
    gui_ws.settle()
    assert window.ticket_view.ticket_id() != following
    assert admin.rows([following])[following].unread  # never chosen, so not read


def test_the_pane_and_title_drop_a_ticket_deleted_elsewhere(gui_ws: GuiWorkspace,
                                                            qtbot: QtBot) -> None:
    ticket = gui_ws.tickets["Please add dark mode"]
    window = gui_ws.window("agent", layout="table")
    window.open_ticket(ticket)
    gui_ws.settle()
    assert window.windowTitle() == "Please add dark mode — Help Desk"
    # Another program (no change report reaches this window) deletes it.
    gui_ws.desk("admin").delete([ticket], 1)
    window.set_view(View.UNASSIGNED)  # a view change
    gui_ws.settle()
    assert window.ticket_view.current_detail() is None
    assert "deleted" in window.ticket_view.placeholder_label.text()
    assert window.windowTitle() == "Help Desk"


def test_switching_user_clears_the_pane_instead_of_a_refusal(gui_ws: GuiWorkspace,
                                                             qtbot: QtBot) -> None:
    ticket = gui_ws.tickets["Printer on fire"]  # the agent's: sales cannot see it
    window = gui_ws.window("admin", layout="split")
    window.open_ticket(ticket)
    gui_ws.settle()
    window.bridge.switch_user(gui_ws.ws.users["sales"])
    gui_ws.settle()
    text = window.ticket_view.placeholder_label.text()
    assert "does not exist" not in text
    assert text == "Select a ticket to see its conversation."
    assert window.windowTitle() == "Help Desk"


def test_the_list_shows_times_in_the_agents_zone(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")  # Ada's zone: Europe/Paris
    ticket = gui_ws.tickets["Printer on fire"]
    row = window.model.row_for_id(ticket)
    index = window.model.index(window.model.row_of(ticket), Column.CREATED)
    paris = row.created_at.astimezone(dt.timezone(dt.timedelta(hours=1)))  # March: UTC+1
    # The locale's short date and time (issue 12), of the time in Paris.
    assert index.data(Qt.ItemDataRole.ToolTipRole) == formatting.date_time(paris)
    detail = gui_ws.desk("admin").ticket(ticket)
    window.open_ticket(ticket)
    gui_ws.settle()
    card = window.ticket_view.details_card.values["created"].text()
    assert card == index.data(Qt.ItemDataRole.ToolTipRole) == formatting.date_time(paris)
    assert detail.row.created_at == row.created_at


def test_header_and_assign_to_offer_the_same_owners(gui_ws: GuiWorkspace) -> None:
    ticket = gui_ws.tickets["Please add dark mode"]
    window = gui_ws.window("admin", layout="table")
    window.open_ticket(ticket)
    gui_ws.settle()
    header = window.ticket_view.findChild(QComboBox, "OwnerCombo")
    in_header = [header.itemText(i) for i in range(header.count())]
    assert window.table.select_ticket(ticket)
    dialog = PropertyDialog(window.bridge, TicketProperty.OWNER, window.current_selection(),
                            window)
    in_dialog = [dialog.value_combo.itemText(i) for i in range(dialog.value_combo.count())]
    dialog.close()
    assert in_header == in_dialog
    assert "Sam Sales" in in_header  # help desk access without a seat may own tickets
    assert "Otto Outsider" not in in_header


def test_a_shortcut_acts_on_the_place_that_has_the_focus(gui_ws: GuiWorkspace,
                                                         qtbot: QtBot) -> None:
    in_list, opened = gui_ws.tickets["Please add dark mode"], gui_ws.tickets["Printer on fire"]
    window = gui_ws.window("admin", layout="table")
    window.open_ticket(opened)
    gui_ws.settle()
    assert window.table.select_ticket(in_list)  # the list's selection is another ticket
    gui_ws.settle()
    desk = gui_ws.desk("admin")
    # Focus in the ticket view: Follow (Ctrl+Shift+F) follows the ticket shown there.
    window.activateWindow()
    window.ticket_view.header.name_edit.setFocus()
    qtbot.keyClick(window.ticket_view.header.name_edit, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: desk.rows([opened])[opened].following)
    gui_ws.settle()
    assert not desk.rows([in_list])[in_list].following
    # Focus in the list: the same keys follow the list's selection.
    window.table.view.setFocus()
    qtbot.keyClick(window.table.view, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: desk.rows([in_list])[in_list].following)
