"""The three layouts of one ticket list: same tickets, switching and remembering, sorting,
filtering, searching, unread per user, edits reaching the database, and the board's drag."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMenu, QWidget
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import Priority, SortKey
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.ui.layouts.board import BoardColumn
from helpdesk_desktop.ui.layouts.board_card import menu_button_rect
from helpdesk_desktop.ui.models.ticket_model import TICKET_MIME, Column
from tests.gui.conftest import GuiWorkspace

# The offscreen platform warns about window features it lacks when windows and menus show.
pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                        "grabbing the keyboard")]


def load_all(model) -> None:  # type: ignore[no-untyped-def]
    """Every page, as a view scrolling to the end asks for them (a long list reads them off
    the UI thread: waited for)."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    while model.canFetchMore(QModelIndex()) or model.is_fetching():
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        QApplication.processEvents()


def board_ids(window) -> set[int]:  # type: ignore[no-untyped-def]
    ids: set[int] = set()
    for column in window.board.columns:
        load_all(column.model)
        ids.update(column.model.ids())
    return ids


def test_each_layout_shows_the_same_tickets(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    window.filter_bar.buttons["pipeline_ids"].check(gui_ws.ws.pipelines["Support Pipeline"])
    gui_ws.loaded()
    load_all(window.model)
    table_ids = [window.model.ticket_id(r) for r in range(window.table.view.model().rowCount())]
    window.set_layout("split")
    split_view = window.split.view
    split_ids = [split_view.model().index(r, Column.NAME).data(Qt.ItemDataRole.UserRole + 1)
                 for r in range(split_view.model().rowCount())]
    window.set_layout("board")
    gui_ws.settle()
    assert table_ids == split_ids
    assert set(table_ids) == board_ids(window)
    assert len(table_ids) == 135  # fillers and the five open named tickets
    # Each column shows its count.
    for column in window.board.columns:
        assert column.count == column.model.rowCount()
        assert f"{column.count:,}" in column.title.text()


def test_layout_switches_by_menu_and_keyboard_and_is_remembered_per_user(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    assert window.stack.currentWidget().objectName() == "TicketTable"
    window.findChild(type(window.layout_actions["board"]), "action.layout_board").trigger()
    assert window.stack.currentWidget().objectName() == "TicketBoard"
    window.activateWindow()
    window.table.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget().objectName() == "TicketSplit"
    assert window.layout_actions["split"].isChecked()
    # The layout button's menu holds the same three actions.
    names = [a.objectName() for a in window.layout_button.menu().actions()]
    assert names == ["action.layout_table", "action.layout_split", "action.layout_board"]
    window.close()

    again = gui_ws.window("admin")
    assert again.layout_name == "split"
    other = gui_ws.window("lead")
    assert other.layout_name == "table"  # remembered per user


def test_column_order_widths_and_visibility_are_remembered(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    header = window.table.view.horizontalHeader()
    chooser = window.table.column_menu()
    category = next(a for a in chooser.actions() if a.objectName() == "column.category")
    category.trigger()  # hide it
    assert header.isSectionHidden(Column.CATEGORY)
    header.resizeSection(Column.NAME, 333)
    header.moveSection(header.visualIndex(Column.OWNER), 1)
    window.close()
    again = gui_ws.window("admin")
    header = again.table.view.horizontalHeader()
    assert header.isSectionHidden(Column.CATEGORY)
    assert again.table.name_width == 333  # (plus what a wide window lends it)
    assert header.visualIndex(Column.OWNER) == 1


def test_clicking_a_header_sorts_through_the_database(gui_ws: GuiWorkspace,
                                                      qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    header = window.table.view.horizontalHeader()
    x = header.sectionViewportPosition(Column.NAME) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert window.query.sort is SortKey.NAME
    gui_ws.loaded()
    gui_ws.settle()
    # The same tickets in another order: counted already, the list has every row at once.
    assert window.model.is_positional() and window.model.rowCount() == 135
    names = [window.model.ticket_row(r).name for r in range(window.model.rowCount())]
    desk = gui_ws.desk("admin")
    ids = desk.matching_ids(window.query)
    rows = desk.rows(ids)
    expected = [rows[i].name for i in ids]
    assert names == expected
    first_order = window.query.descending
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert window.query.descending is not first_order  # a second click flips it
    gui_ws.loaded()
    assert window.model.ticket_row(0).name != names[0]
    assert header.sortIndicatorSection() == Column.NAME


def test_filters_narrow_every_layout(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    window.filter_bar.buttons["priorities"].check(Priority.URGENT)
    gui_ws.loaded()
    assert window.model.rowCount() == 1
    assert window.model.ticket_row(0).name == "Printer on fire"
    assert "Urgent" in window.filter_bar.buttons["priorities"].text()
    window.set_layout("board")
    gui_ws.settle()
    assert board_ids(window) == {gui_ws.tickets["Printer on fire"]}
    window.filter_bar.clear()
    gui_ws.loaded()
    gui_ws.settle()  # and counted: every open ticket's row
    assert window.model.rowCount() == 135


def test_search_runs_as_you_type_after_a_pause(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    shown = window.model.rowCount()  # every open ticket (counted)
    qtbot.keyClicks(window.search_field, "invoice")
    assert window.model.rowCount() == shown > 1  # not yet: waits for a pause in typing
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=3000)
    assert window.model.ticket_row(0).name == "Invoice charged twice"


def test_unread_is_bold_for_this_user_only_and_opening_marks_read(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    target = gui_ws.tickets["Invoice charged twice"]
    admin = gui_ws.window("admin")
    lead = gui_ws.window("lead")
    row = admin.model.row_of(target)
    font = admin.model.index(row, Column.NAME).data(Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()
    admin.table.view.setFocus()
    admin.table.select_ticket(target)
    qtbot.keyClick(admin.table.view, Qt.Key.Key_Return)  # opens it
    assert admin.ticket_view.ticket_id() == target
    assert admin.ticket_panel.isVisible()
    qtbot.waitUntil(lambda: admin.model.index(row, Column.NAME).data(
        Qt.ItemDataRole.FontRole) is None)
    lead.refresh()
    lead_row = lead.model.row_of(target)
    assert lead.model.index(lead_row, Column.NAME).data(Qt.ItemDataRole.FontRole).bold()


def test_an_edit_in_the_ticket_header_reaches_the_database_and_the_row(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="split")
    target = gui_ws.tickets["Where is my parcel"]
    window.open_ticket(target)
    gui_ws.settle()
    priority = window.ticket_view.findChild(QComboBox, "PriorityCombo")
    priority.setCurrentIndex(priority.findData(Priority.URGENT))
    qtbot.waitUntil(lambda: gui_ws.desk().ticket(target).row.priority is Priority.URGENT)
    row = window.model.row_of(target)
    qtbot.waitUntil(lambda: window.model.index(row, Column.PRIORITY).data() == "Urgent")
    # The header's edit is on the undo stack too: the status bar offers it.
    qtbot.waitUntil(window.status.undo_button.isVisible)
    assert window.edit_actions["undo"].isEnabled()
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gui_ws.desk().ticket(target).row.priority is Priority.MEDIUM)
    qtbot.waitUntil(lambda: window.ticket_view.header.value("priority") is Priority.MEDIUM)


def _drop(target: QWidget, ticket_ids: list[int], source: QWidget) -> None:
    """What a drag and drop delivers to ``target`` (QDrag.exec would block the test)."""
    mime = QMimeData()
    mime.setData(TICKET_MIME, QByteArray(",".join(map(str, ticket_ids)).encode()))
    pos = QPointF(target.rect().center())
    move = Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos.toPoint(), move, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDragMoveEvent(pos.toPoint(), move, mime, buttons, mods))
    drop = QDropEvent(pos, move, mime, buttons, mods)
    # source() is the dragging widget; without a real drag it is None, never the target.
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()
    del source


def _column(window, name: str) -> BoardColumn:  # type: ignore[no-untyped-def]
    return next(c for c in window.board.columns if c.status.name == name)


def test_dropping_a_card_changes_its_status(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="board")
    target = gui_ws.tickets["Printer on fire"]
    new, waiting = _column(window, "New"), _column(window, "Waiting on us")
    assert new.model.row_of(target) >= 0
    before = waiting.count
    _drop(waiting.view.viewport(), [target], new.view)
    qtbot.waitUntil(lambda: waiting.model.row_of(target) >= 0)
    assert new.model.row_of(target) == -1
    assert gui_ws.desk().ticket(target).row.status == "Waiting on us"
    gui_ws.settle()
    qtbot.waitUntil(lambda: waiting.count == before + 1)
    # The status bar offers to put it back.
    assert window.status.undo_button.isVisible()
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gui_ws.desk().ticket(target).row.status == "New")
    qtbot.waitUntil(lambda: new.model.row_of(target) >= 0)
    assert waiting.model.row_of(target) == -1


def test_a_refused_drop_puts_the_card_back_and_says_why(gui_ws: GuiWorkspace,
                                                        qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="board")
    target = gui_ws.tickets["Printer on fire"]
    new, waiting = _column(window, "New"), _column(window, "Waiting on us")
    # Someone else changes the same field meanwhile: the board's copy is now stale. (A change
    # of another field, e.g. the priority, does not conflict: field-level locking.)
    gui_ws.desk("lead").update(
        target, TicketChanges(status=gui_ws.ws.status("Waiting on contact")))
    _drop(waiting.view.viewport(), [target], new.view)
    qtbot.waitUntil(lambda: "put back" in window.status.message.text())
    assert "changed this ticket" in window.status.message.text()
    assert waiting.model.row_of(target) == -1
    assert gui_ws.desk().ticket(target).row.status == "Waiting on contact"


def test_a_drop_after_someone_changed_another_field_succeeds(gui_ws: GuiWorkspace,
                                                             qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="board")
    target = gui_ws.tickets["Printer on fire"]
    new, waiting = _column(window, "New"), _column(window, "Waiting on us")
    gui_ws.desk("lead").update(target, TicketChanges(priority="low"))
    _drop(waiting.view.viewport(), [target], new.view)
    qtbot.waitUntil(lambda: gui_ws.desk().ticket(target).row.status == "Waiting on us")
    row = gui_ws.desk().ticket(target).row
    assert row.priority is not None and row.priority.value == "low"  # both changes kept


def test_the_card_menu_button_opens_the_board_menu(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="board")
    column = _column(window, "New")
    index = column.model.index(0, Column.NAME)
    card = column.view.visualRect(index)
    qtbot.mouseClick(column.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=menu_button_rect(card.adjusted(4, 3, -4, -3)).center())
    menu = window.context_menu
    assert menu is not None and menu.objectName() == "CardMenu"
    assert window.current_selection().single.id == column.model.ticket_id(0)
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert "action.open_new_window" in names and "action.delete" in names
    menu.close()


def test_opening_from_the_table_shows_the_ticket_panel_and_esc_closes_it(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="table")
    assert not window.ticket_panel.isVisible()
    index = window.model.index(0, Column.NAME)
    rect = window.table.view.visualRect(index)
    qtbot.mouseClick(window.table.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.view.viewport(), Qt.MouseButton.LeftButton,
                      pos=rect.center())
    gui_ws.settle()
    assert window.ticket_panel.isVisible()
    assert window.ticket_view.ticket_id() == window.model.ticket_id(0)
    qtbot.mouseClick(window.ticket_panel.close_button, Qt.MouseButton.LeftButton)
    assert not window.ticket_panel.isVisible()
    window.open_ticket(window.model.ticket_id(1))
    assert window.ticket_panel.isVisible()
    window.ticket_view.setFocus()
    qtbot.keyClick(window.ticket_view, Qt.Key.Key_Escape)
    assert not window.ticket_panel.isVisible()


def test_sorting_keeps_the_selected_tickets_selected(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin", layout="table")
    target = gui_ws.tickets["Cannot log in"]  # on the first page in both sorts below
    window.table.select_ticket(target)
    window.model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert window.table.current_ticket_id() == target
    assert [r.id for r in window.table.selected_rows()] == [target]
    window.set_layout("split")
    window.model.sort(Column.PRIORITY, Qt.SortOrder.DescendingOrder)
    assert window.split.current_ticket_id() == target


def test_a_change_keeps_the_scroll_position_and_selection(gui_ws: GuiWorkspace,
                                                          qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="table")
    view = window.table.view
    target = window.model.ticket_id(60)
    window.table.select_ticket(target)
    scroll = view.verticalScrollBar().value()
    assert scroll > 0
    gui_ws.desk("lead").update(window.model.ticket_id(61), TicketChanges(priority="high"))
    window.bridge.desk.follow([window.model.ticket_id(62)])  # reported to this window
    gui_ws.settle()
    assert view.verticalScrollBar().value() == scroll
    assert window.table.current_ticket_id() == target
    assert window.model.row_for_id(window.model.ticket_id(62)).following


def test_view_menu_column_chooser_hides_and_shows_columns(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    columns = window.findChild(QMenu, "ColumnsMenu")
    columns.aboutToShow.emit()
    contact = next(a for a in columns.actions() if a.objectName() == "column.contact")
    assert contact.isChecked()
    contact.trigger()
    assert window.table.view.horizontalHeader().isSectionHidden(Column.CONTACT)
    columns.aboutToShow.emit()
    contact = next(a for a in columns.actions() if a.objectName() == "column.contact")
    assert not contact.isChecked()
    contact.trigger()
    assert not window.table.view.horizontalHeader().isSectionHidden(Column.CONTACT)


def test_an_empty_view_says_so(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("agent")
    assert not window.table.empty_hint.isVisible()
    qtbot.keyClicks(window.search_field, "nothing matches this")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    gui_ws.loaded()
    assert window.model.rowCount() == 0
    assert window.table.empty_hint.isVisible()
    assert window.table.empty_hint.text() == "No tickets in this view."
    window.set_layout("split")
    assert window.split.empty_hint.isVisible()


def test_cards_move_between_columns_from_the_keyboard(gui_ws: GuiWorkspace,
                                                      qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="board")
    target = gui_ws.tickets["Printer on fire"]
    new, contact = _column(window, "New"), _column(window, "Waiting on contact")
    assert window.board.select_ticket(target)
    new.view.setFocus()
    qtbot.keyClick(new.view, Qt.Key.Key_Right,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: contact.model.row_of(target) >= 0)
    assert gui_ws.desk().ticket(target).row.status == "Waiting on contact"


def test_board_cards_fit_their_column(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin", layout="board")
    window.open_ticket(gui_ws.tickets["Printer on fire"])  # the narrowest the columns get
    gui_ws.settle()
    for column in window.board.columns:
        view = column.view
        if view.model().rowCount() == 0:
            continue
        rect = view.visualRect(view.model().index(0, view.modelColumn()))
        assert rect.left() >= 0 and rect.right() < view.viewport().width(), column.status.name
        assert not view.horizontalScrollBar().isVisible()


def test_the_name_column_takes_the_room_of_a_wide_window(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin", layout="table")
    header = window.table.view.horizontalHeader()
    viewport = window.table.view.viewport()
    window.resize(1900, 1000)
    gui_ws.settle()
    assert header.length() >= viewport.width()  # no empty band right of the last column
    assert header.sectionSize(Column.NAME) > 250
    window.resize(1024, 740)
    gui_ws.settle()
    assert header.sectionSize(Column.NAME) == 250  # given back: the other columns stay
    header.resizeSection(Column.NAME, 400)  # the user's width stays when the window grows
    window.resize(1900, 1000)
    gui_ws.settle()
    assert header.sectionSize(Column.NAME) > 400
    window.resize(1024, 740)
    gui_ws.settle()
    assert header.sectionSize(Column.NAME) == 400


def test_a_search_lists_its_newest_matches_first_and_says_so(gui_ws: GuiWorkspace,
                                                              qtbot: QtBot) -> None:
    """Typing a search lists the tickets of the newest matching messages first (not the
    list's last activity: an edit moves a ticket up that order only); the
    header then shows no sort indicator and the bar says the order; a column clicked while
    searching sorts by it, and clearing the search brings the column's sort back."""
    from PySide6.QtCore import QModelIndex

    fillers = gui_ws.fillers
    desk = gui_ws.desk()
    desk.add_note(fillers[5], "Filler follow-up")  # its newest hit: the newest of all
    # The newest activity (an edit), its hit stays its first message's.
    desk.update(fillers[10], TicketChanges(priority=Priority.HIGH))
    window = gui_ws.window("admin")
    header = window.table.view.horizontalHeader()
    bar = window.table.selection_bar
    assert header.sortIndicatorSection() == Column.LAST_ACTIVITY
    assert window.model.ticket_id(0) == fillers[10]
    qtbot.keyClicks(window.search_field, "filler")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    gui_ws.loaded()
    shown = [window.model.ticket_id(r) for r in range(window.model.rowCount())]
    assert len(shown) == 100
    assert shown[:3] == [fillers[5], fillers[129], fillers[128]]
    assert header.sortIndicatorSection() == -1
    assert not bar.order_label.isHidden() and bar.order_label.text() == "Newest matches first"
    # The next page follows: every filler once.
    window.model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: not window.model.is_fetching(), timeout=10_000)
    load_all(window.model)
    qtbot.waitUntil(lambda: window.model.rowCount() == 130, timeout=10_000)
    shown = [window.model.ticket_id(r) for r in range(window.model.rowCount())]
    assert sorted(shown) == sorted(fillers)
    assert shown.index(fillers[10]) == shown.index(fillers[11]) + 1  # at its own hit
    # A column clicked while searching sorts by it.
    name_x = header.sectionViewportPosition(Column.NAME) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(name_x, header.height() // 2))
    gui_ws.loaded()
    assert window.query.sort is SortKey.NAME and header.sortIndicatorSection() == Column.NAME
    assert bar.order_label.isHidden()
    window.search_field.clear()
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    gui_ws.loaded()
    assert window.query.sort is SortKey.NAME and window.query.search == ""
    # A new search, cleared: the column's sort comes back.
    qtbot.keyClicks(window.search_field, "filler")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    gui_ws.loaded()
    assert window.query.sort is SortKey.NEWEST_HIT
    window.search_field.clear()
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    gui_ws.loaded()
    assert window.query.sort is SortKey.NAME and header.sortIndicatorSection() == Column.NAME
    assert bar.order_label.isHidden()
def test_a_view_change_relays_nothing_out_but_checking_does(gui_ws: GuiWorkspace,
                                                            qtbot: QtBot) -> None:
    """The selection bar asks for its geometry again only when what it shows changed: a view
    change (same bar: nothing checked) no longer relays the window out; checking a row still
    shows "1 checked" and the button to clear."""
    from PySide6.QtCore import QEvent, QObject

    from tests.gui.test_main_window import click_view

    window = gui_ws.window("admin")
    bar = window.table.selection_bar
    requests: list[str] = []

    class Requests(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.LayoutRequest:
                requests.append(type(watched).__name__)
            return False

    watcher = Requests()
    QApplication.instance().installEventFilter(watcher)
    try:
        click_view(window, qtbot, "view:all")
        gui_ws.settle()
        assert window.model.rowCount() > 0
        # (The window's own status line may still ask once; the table's chain does not.)
        assert [r for r in requests if r != "MainWindow"] == [], requests
        view = window.table.view
        check = view.visualRect(window.model.index(0, Column.CHECK))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=check.center())
        gui_ws.settle()
    finally:
        QApplication.instance().removeEventFilter(watcher)
    assert bar.count_label.text() == "1 checked" and bar.clear.isVisible()
    assert requests  # its new width asked for
