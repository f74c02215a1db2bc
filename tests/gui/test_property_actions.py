"""Set Status…, Assign To… and Set Category…: each opens the property dialog from a real menu,
the choice is written to every selected ticket in the background, and Undo puts it back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import Category
from helpdesk_desktop.services.dto import TicketFilters, TicketQuery, TicketRow, UserInfo
from helpdesk_desktop.ui.actions.spec import ActionContext, MenuKind, Selection, menu_entries
from helpdesk_desktop.ui.actions.ticket_actions import TICKET_ACTIONS, needs_one_pipeline
from helpdesk_desktop.ui.main_window import MainWindow
from helpdesk_desktop.ui.models.ticket_model import Column
from tests.factories import make_ticket
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS

pytestmark = GUI_MARKS

CHOOSERS = ("action.set_status", "action.set_owner", "action.set_category")
ONE_PIPELINE = "Select tickets of one pipeline."


def check_rows(qtbot: QtBot, window: MainWindow, ticket_ids: list[int]) -> None:
    """Tick the rows' check boxes with the mouse, as a user does."""
    view = window.table.view
    for ticket_id in ticket_ids:
        index = window.model.index(window.model.row_of(ticket_id), Column.CHECK)
        view.scrollTo(index)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.visualRect(index).center())
    assert sorted(window.model.checked_ids()) == sorted(ticket_ids)


def menu_bar_action(window: MainWindow, name: str) -> QAction:
    window.actions_menu.aboutToShow.emit()
    found = next((a for a in window.actions_menu.actions() if a.objectName() == f"action.{name}"),
                 None)
    assert found is not None, name
    return found


def property_dialog(window: MainWindow) -> QDialog:
    dialog = window.findChild(QDialog, "PropertyDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def choose(qtbot: QtBot, dialog: QDialog, text: str) -> None:
    """Pick ``text`` in the dialog's combo and click Apply."""
    combo = dialog.findChild(QComboBox, "valueCombo")
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    assert dialog.accept_button.isEnabled(), dialog.accept_button.toolTip()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)


def test_close_two_checked_tickets_from_the_menu_bar_then_undo(gui_ws: GuiWorkspace,
                                                               qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    ids = [gui_ws.tickets["Printer on fire"], gui_ws.tickets["Please add dark mode"]]
    check_rows(qtbot, window, ids)
    action = menu_bar_action(window, "set_status")
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    dialog = property_dialog(window)
    combo = dialog.findChild(QComboBox, "valueCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "New", "Waiting on contact", "Waiting on us", "Closed"]
    assert combo.currentText() == "New"  # both are New
    assert not dialog.accept_button.isEnabled()  # choosing New again changes nothing
    choose(qtbot, dialog, "Closed")
    assert dialog.count_label.text() == "2 tickets will change."
    qtbot.waitUntil(lambda: all(gui_ws.desk().ticket(i).row.status == "Closed" for i in ids))
    assert all(gui_ws.desk().ticket(i).row.closed_at is not None for i in ids)
    qtbot.waitUntil(lambda: window.status.undo_button.isVisible())
    assert window.status.message.text() == "Updated 2 tickets."
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.message.text() == "Undone: Updated 2 tickets.")
    for ticket_id in ids:
        row = gui_ws.desk().ticket(ticket_id).row
        assert (row.status, row.closed_at) == ("New", None)


def test_assign_one_ticket_from_the_context_menu(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("agent")
    ticket = gui_ws.tickets["Please add dark mode"]  # unassigned
    view = window.table.view
    index = window.model.index(window.model.row_of(ticket), Column.NAME)
    view.scrollTo(index)
    window.table._context_menu(view.visualRect(index).center())
    menu = window.context_menu
    assert menu.objectName() == "TicketContextMenu"
    action = next(a for a in menu.actions() if a.objectName() == "action.set_owner")
    menu.close()
    action.trigger()
    dialog = property_dialog(window)
    combo = dialog.findChild(QComboBox, "valueCombo")
    assert combo.currentText() == "Unassigned"  # its current owner
    assert "Ticket #" in dialog.intro_label.text()
    choose(qtbot, dialog, "Léa Lead")
    assert dialog.count_label.text() == "1 ticket will change."
    lead = gui_ws.ws.users["lead"]
    qtbot.waitUntil(lambda: gui_ws.desk().ticket(ticket).row.owner_id == lead)
    qtbot.waitUntil(lambda: window.model.index(
        window.model.row_of(ticket), Column.OWNER).data() == "Léa Lead")


def test_set_category_of_checked_tickets_from_the_bulk_bar(gui_ws: GuiWorkspace,
                                                           qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    ids = [gui_ws.tickets["Printer on fire"], gui_ws.tickets["Cannot log in"],
           gui_ws.tickets["Invoice charged twice"]]
    check_rows(qtbot, window, ids)
    bar = window.table.selection_bar.actions_bar
    assert bar.isVisible()
    action = next(a for a in bar.actions() if a.objectName() == "action.set_category")
    button = bar.widgetForAction(action)
    qtbot.waitUntil(button.isVisible)  # on the bar itself, not folded into its » menu
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = property_dialog(window)
    combo = dialog.findChild(QComboBox, "valueCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Product issue", "Billing issue", "Feature request", "General inquiry", "No category"]
    assert combo.currentIndex() == -1  # they differ: nothing preselected
    assert not dialog.accept_button.isEnabled()
    choose(qtbot, dialog, "Billing issue")
    # One of the three is a billing issue already.
    assert dialog.count_label.text().startswith("2 of 3 tickets will change")
    qtbot.waitUntil(lambda: all(gui_ws.desk().ticket(i).row.category is Category.BILLING_ISSUE
                                for i in ids))
    qtbot.waitUntil(lambda: window.status.message.text() == "Updated 2 tickets.")


def test_no_category_clears_it(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    ticket = gui_ws.tickets["Where is my parcel"]
    window.table.select_ticket(ticket)
    menu_bar_action(window, "set_category").trigger()
    dialog = property_dialog(window)
    assert dialog.findChild(QComboBox, "valueCombo").currentText() == "General inquiry"
    choose(qtbot, dialog, "No category")
    qtbot.waitUntil(lambda: gui_ws.desk().ticket(ticket).row.category is None)


def test_set_status_is_disabled_across_two_pipelines(gui_ws: GuiWorkspace,
                                                     qtbot: QtBot) -> None:
    escalated = make_ticket(gui_ws.ws, "Escalated outage", pipeline="Escalations",
                            status="Triage")
    window = gui_ws.window("admin")
    ids = [escalated, gui_ws.tickets["Printer on fire"]]
    check_rows(qtbot, window, ids)
    action = menu_bar_action(window, "set_status")
    assert not action.isEnabled()
    assert action.toolTip().endswith(ONE_PIPELINE)
    # The bulk bar offers only what is enabled; the other choosers still are.
    names = {a.objectName() for a in window.table.selection_bar.actions_bar.actions()}
    assert "action.set_status" not in names
    assert {"action.set_owner", "action.set_category"} <= names
    window.registry.trigger("set_status")  # the shortcut's path
    assert window.status.message.text() == ONE_PIPELINE
    assert window.findChild(QDialog, "PropertyDialog") is None


def test_status_of_all_tickets_matching_a_one_pipeline_view(gui_ws: GuiWorkspace,
                                                            qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    bar = window.table.selection_bar
    qtbot.keyClick(bar.check_all, Qt.Key.Key_Space)
    qtbot.mouseClick(bar.all_matching, Qt.MouseButton.LeftButton)
    assert not menu_bar_action(window, "set_status").isEnabled()  # the view spans pipelines
    support = gui_ws.ws.pipelines["Support Pipeline"]
    window.filter_bar.buttons["pipeline_ids"].check(support)
    gui_ws.settle()
    qtbot.keyClick(bar.check_all, Qt.Key.Key_Space)
    qtbot.mouseClick(bar.all_matching, Qt.MouseButton.LeftButton)
    selection = window.current_selection()
    assert selection.all_matching is not None and selection.count == 135
    action = menu_bar_action(window, "set_status")
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    dialog = property_dialog(window)
    assert "135" in dialog.intro_label.text()
    assert dialog.findChild(QComboBox, "valueCombo").currentIndex() == -1
    choose(qtbot, dialog, "Waiting on us")
    assert dialog.count_label.text() == "Up to 135 tickets will change."
    qtbot.waitUntil(lambda: window.status.undo_button.isVisible(), timeout=10000)
    rows = gui_ws.desk().rows(gui_ws.fillers)
    assert all(r.status == "Waiting on us" for r in rows.values())


def test_cancel_changes_nothing(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    ticket = gui_ws.tickets["Printer on fire"]
    window.table.select_ticket(ticket)
    menu_bar_action(window, "set_owner").trigger()
    dialog = property_dialog(window)
    dialog.findChild(QComboBox, "valueCombo").setCurrentIndex(0)  # Unassigned
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    gui_ws.settle()
    assert gui_ws.desk().ticket(ticket).row.owner_id == gui_ws.ws.users["agent"]


@pytest.mark.parametrize("user", ["admin", "agent"])
def test_every_menu_kind_offers_the_choosers_alike(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                   user: str) -> None:
    from tests.gui.test_actions_menus import all_menus

    ticket = gui_ws.tickets["Please add dark mode"]
    menus = all_menus(gui_ws, qtbot, user, ticket)
    for kind, found in menus.items():
        by_name = {e[0]: e for e in found if e}
        assert all(by_name[name][1] for name in CHOOSERS), (kind, user)
        assert found == menus["menu bar"], kind


def _row(gui_ws: GuiWorkspace, ticket_id: int) -> TicketRow:
    return gui_ws.desk().rows([ticket_id])[ticket_id]


def test_the_one_pipeline_rule(gui_ws: GuiWorkspace) -> None:
    """Pure: which selections may set a status, in every menu kind alike."""
    user: UserInfo = gui_ws.desk().me()
    support = _row(gui_ws, gui_ws.tickets["Printer on fire"])
    escalated = _row(gui_ws, make_ticket(gui_ws.ws, "Escalated", pipeline="Escalations",
                                         status="Triage"))
    pipeline = gui_ws.ws.pipelines["Support Pipeline"]
    cases = [
        (Selection(rows=(support,)), None),
        (Selection(rows=(support, escalated)), ONE_PIPELINE),
        (Selection(all_matching=TicketQuery(), all_matching_count=9), ONE_PIPELINE),
        (Selection(all_matching=TicketQuery(filters=TicketFilters(pipeline_ids=(pipeline,))),
                   all_matching_count=9), None),
    ]
    for selection, reason in cases:
        ctx = ActionContext(user, selection)
        assert needs_one_pipeline(ctx) == reason, selection
        for kind in MenuKind:
            entry = next(e for e in menu_entries(TICKET_ACTIONS, ctx, kind)
                         if e and e.name == "set_status")
            assert (entry.enabled, entry.reason) == (reason is None, reason)
