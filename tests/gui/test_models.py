"""The item models: checked with qtmodeltester, paged by key, refreshed row by row."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

import pytest
from PySide6.QtCore import QModelIndex, QModelRoleData, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import Priority, SortKey, View
from helpdesk_desktop.services.dto import TicketChanges, TicketQuery
from helpdesk_desktop.ui.models import labels, row_cells
from helpdesk_desktop.ui.models.ticket_model import Column, Role, TicketListModel
from helpdesk_desktop.ui.models.views_model import SIDEBAR_VIEWS, ViewListModel, ViewRole
from tests.gui.conftest import FILLERS, GuiWorkspace

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

OPEN_TICKETS = FILLERS + 5  # the fillers and the five open named tickets


def fetch_next(model: TicketListModel, qtbot: QtBot) -> None:
    """The next page, as a view scrolling down asks for it (read off the UI thread, inserted
    when read)."""
    count = model.rowCount()
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: not model.is_fetching() and model.rowCount() > count)


def test_ticket_model_passes_the_model_tester(gui_ws: GuiWorkspace, qtbot: QtBot,
                                              qtmodeltester: ModelTester) -> None:
    model = TicketListModel(gui_ws.bridge("admin"), page_size=40)
    model.start()
    qtmodeltester.check(model)  # also fetches more pages, as a view would
    qtbot.waitUntil(lambda: model.rowCount() > 40 and not model.is_fetching())  # (read
    # off the UI thread)
    model.set_all_checked(True)
    model.reload()
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not model.is_fetching())


def test_views_model_passes_the_model_tester(gui_ws: GuiWorkspace,
                                             qtmodeltester: ModelTester) -> None:
    model = ViewListModel()
    desk = gui_ws.desk("admin")
    model.set_entries(list(SIDEBAR_VIEWS), [])
    model.set_counts(desk.view_counts())
    qtmodeltester.check(model)
    row = model.row_of(f"view:{View.ALL_OPEN}")
    assert model.index(row).data(ViewRole.COUNT) == OPEN_TICKETS
    assert model.index(row).data() == "All open"


def test_pages_are_fetched_by_key_without_gaps_or_repeats(gui_ws: GuiWorkspace,
                                                          qtbot: QtBot) -> None:
    model = TicketListModel(gui_ws.bridge("admin"), page_size=50)
    model.start()
    assert model.rowCount() == 50  # never everything at once
    while model.canFetchMore(QModelIndex()):
        fetch_next(model, qtbot)
    expected = gui_ws.desk("admin").matching_ids(TicketQuery())
    assert model.ids() == expected
    assert len(expected) == OPEN_TICKETS


def test_sorting_asks_the_database(gui_ws: GuiWorkspace) -> None:
    model = TicketListModel(gui_ws.bridge("admin"), page_size=200)
    model.start()
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert model.query.sort is SortKey.NAME and not model.query.descending
    gui_ws.loaded(model)
    names = [model.ticket_row(r).name for r in range(model.rowCount())]
    assert names == sorted(names, key=str.casefold)
    model.sort(Column.PRIORITY, Qt.SortOrder.DescendingOrder)
    gui_ws.loaded(model)
    first = model.ticket_row(0)
    assert first.priority is Priority.URGENT


def test_a_write_refreshes_only_its_row(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    bridge = gui_ws.bridge("admin")
    model = TicketListModel(bridge, page_size=200)
    model.start()
    target = gui_ws.tickets["Please add dark mode"]
    row = model.row_of(target)
    changed_rows: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles=(): changed_rows.append((a.row(), b.row())))
    with qtbot.assertNotEmitted(model.modelReset):
        bridge.desk.update(target, TicketChanges(priority="urgent"))
        qtbot.waitUntil(lambda: bool(changed_rows))  # read off the UI thread
    assert changed_rows == [(row, row)]
    assert model.index(row, Column.PRIORITY).data() == "Urgent"


def test_a_ticket_that_leaves_the_view_is_removed(gui_ws: GuiWorkspace) -> None:
    bridge = gui_ws.bridge("admin")
    model = TicketListModel(bridge, TicketQuery(view=View.ALL_OPEN), page_size=200)
    model.start()
    target = gui_ws.tickets["Cannot log in"]
    before = model.rowCount()
    bridge.desk.mark_spam(target)
    gui_ws.settle()
    assert model.row_of(target) == -1
    assert model.rowCount() == before - 1


def test_reload_keeps_the_selection_and_follows_the_new_order(gui_ws: GuiWorkspace,
                                                              qtbot: QtBot) -> None:
    bridge = gui_ws.bridge("admin")
    model = TicketListModel(bridge, page_size=200)
    model.start()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    selected = gui_ws.tickets["Invoice charged twice"]
    view.setCurrentIndex(model.index(model.row_of(selected), Column.NAME))
    bumped = gui_ws.fillers[0]
    bridge.desk.reply(bumped, "Any news?")  # newest activity: moves to the top on reload
    model.reload()
    assert model.ticket_id(0) == bumped
    assert model.ticket_id(view.currentIndex().row()) == selected
    assert model.rowCount() == OPEN_TICKETS


def test_unread_is_bold_and_per_user(gui_ws: GuiWorkspace) -> None:
    target = gui_ws.tickets["Printer on fire"]
    admin_bridge = gui_ws.bridge("admin")
    admin_bridge.desk.ticket(target, mark_read=True)
    admin = TicketListModel(admin_bridge, page_size=200)
    lead = TicketListModel(gui_ws.bridge("lead"), page_size=200)
    admin.start()
    lead.start()
    admin_index = admin.index(admin.row_of(target), Column.NAME)
    lead_index = lead.index(lead.row_of(target), Column.NAME)
    assert admin_index.data(Role.UNREAD) is False
    assert admin_index.data(Qt.ItemDataRole.FontRole) is None
    assert lead_index.data(Role.UNREAD) is True
    assert lead_index.data(Qt.ItemDataRole.FontRole).bold()


def test_checking_rows(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    model = TicketListModel(gui_ws.bridge("admin"), page_size=20)
    model.start()
    with qtbot.waitSignal(model.checkedChanged):
        model.setData(model.index(3, Column.CHECK), Qt.CheckState.Checked,
                      Qt.ItemDataRole.CheckStateRole)
    assert model.checked_ids() == [model.ticket_id(3)]
    model.set_all_checked(True)
    assert len(model.checked_ids()) == 20
    query = dataclasses.replace(model.query, search="Invoice")
    model.set_query(query)
    gui_ws.loaded(model)
    assert model.checked_ids() == []  # a new query starts unchecked


def test_a_long_list_is_re_read_off_the_ui_thread(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    bridge = gui_ws.bridge("admin")
    model = TicketListModel(bridge, page_size=20)
    model.start()
    for _ in range(4):
        fetch_next(model, qtbot)
    assert model.rowCount() == 100
    bumped = model.ticket_id(90)
    bridge.desk.reply(bumped, "Any news?")
    with qtbot.waitSignal(bridge.busyChanged):  # the re-read runs in the background
        model.reload()
    qtbot.waitUntil(lambda: model.ticket_id(0) == bumped)
    assert model.rowCount() >= 100
    assert len(set(model.ids())) == model.rowCount()


DELEGATE_ROLES = (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
                  Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.CheckStateRole,
                  Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.DisplayRole,
                  Qt.ItemDataRole.BackgroundRole)


_DELEGATE = QStyledItemDelegate()


def _shown(model: TicketListModel, row: int, column: int) -> tuple[object, ...]:
    """What the table's delegate reads for a cell (its one ``multiData`` call). One delegate
    for every cell, as in the view: it passes the same span each time."""
    option = QStyleOptionViewItem()
    _DELEGATE.initStyleOption(option, model.index(row, column))
    return (option.text, option.font.bold(), option.checkState
            if option.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
            else None, option.palette.color(option.palette.ColorRole.Text).name())


def _asked_one_by_one(model: TicketListModel, row: int, column: int) -> tuple[object, ...]:
    index = model.index(row, column)
    font = index.data(Qt.ItemDataRole.FontRole)
    color = index.data(Qt.ItemDataRole.ForegroundRole)
    option = QStyleOptionViewItem()
    palette = option.palette
    return (index.data() or "", font is not None and font.bold(),
            index.data(Qt.ItemDataRole.CheckStateRole),
            (color or palette.color(palette.ColorRole.Text)).name())


def test_the_delegates_one_call_answers_as_data_does(gui_ws: GuiWorkspace) -> None:
    bridge = gui_ws.bridge("lead")  # some tickets unread: bold
    model = TicketListModel(bridge, page_size=200)
    model.start()
    model.setData(model.index(2, Column.CHECK), Qt.CheckState.Checked,
                  Qt.ItemDataRole.CheckStateRole)
    assert any(model.index(r, 0).data(Role.UNREAD) for r in range(model.rowCount()))
    for row in range(model.rowCount()):
        for column in Column:
            assert _shown(model, row, column) == _asked_one_by_one(model, row, column)
    # Another set of roles is answered role by role, by data().
    index = model.index(0, Column.NAME)
    asked = [QModelRoleData(Qt.ItemDataRole.DisplayRole), QModelRoleData(Role.TICKET_ID)]
    for role_data in asked:
        model.multiData(index, role_data)
    assert [r.data() for r in asked] == [index.data(), model.ticket_id(0)]


def test_a_refreshed_row_and_a_new_day_are_shown_anew(gui_ws: GuiWorkspace,
                                                      qtbot: QtBot) -> None:
    bridge = gui_ws.bridge("admin")
    model = TicketListModel(bridge, page_size=200)
    model.start()
    target = gui_ws.tickets["Printer on fire"]
    row = model.row_of(target)
    assert _shown(model, row, Column.NAME)[0] == "Printer on fire"
    with qtbot.waitSignal(model.dataChanged):
        bridge.desk.update(target, TicketChanges(name="Printer still on fire"))
    row = model.row_of(target)
    assert _shown(model, row, Column.NAME)[0] == "Printer still on fire"
    # Past midnight the short times are made again ("14:05" today, "Mar 2" tomorrow).
    made = model._cells.get(target)
    assert made is not None and model._cells_of(made[0]) is made
    model._cells._until = 0.0
    assert model._cells_of(made[0]) is not made
    assert row_cells.next_midnight("Europe/Paris") > time.time()


@pytest.mark.parametrize("zone", [None, "Europe/Paris", "Pacific/Kiritimati", "America/Adak"])
def test_a_pages_short_times_are_those_of_short_time(zone: str | None) -> None:
    """``ShortTimes`` (a page's moments, one day's text written once) says what
    ``short_time`` says: today's times, this year's days, earlier years' dates."""
    now = dt.datetime.now(dt.UTC)
    moments = [now, now - dt.timedelta(minutes=5), now - dt.timedelta(hours=13),
               now - dt.timedelta(hours=30), now - dt.timedelta(days=40),
               now - dt.timedelta(days=400), now - dt.timedelta(days=3000),
               now + dt.timedelta(hours=20), dt.datetime(2020, 2, 29, 23, 59, tzinfo=dt.UTC)]
    times = labels.ShortTimes(zone, now)
    for moment in moments + moments:  # the second time from its day's text
        assert times.text(moment) == labels.short_time(moment, now, zone)
