"""The window's ticket list has every row once the count is known, and reads only the rows
where the view looks: jumping to the end or the middle of a long list (Ctrl+End, the scroll
bar) shows the right tickets (goal B3 of docs/PERFORMANCE.md), and scrolling everything keeps
a bounded number of rows (M3)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.storage.database import (
    Database,
    copy_sqlite_file,
    create_db_engine,
    open_database,
)
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.models.held_rows import HELD, SLACK
from helpdesk_desktop.ui.models.list_reads import wait_for_reads
from helpdesk_desktop.ui.models.positional import FILL_AT_ONCE
from helpdesk_desktop.ui.models.ticket_model import PLACEHOLDER, Column, TicketListModel

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

TICKETS = 8000


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace of a few thousand tickets, built once (each test copies it)."""
    path = tmp_path_factory.mktemp("positional") / "big.sqlite3"
    database = open_database(str(path))
    generate_demo(database, tickets=TICKETS, seed=3, bulk=True)
    database.dispose()
    return path


class Big:
    def __init__(self, path: Path, qtbot: QtBot) -> None:
        engine = create_db_engine(str(path))
        self.db = Database(engine=engine, bind=engine)
        user_id = startup.default_user_id(self.db)
        assert user_id is not None
        self.bridge = DeskBridge(Desk(self.db, user_id))
        self.qtbot = qtbot
        self.windows: list[object] = []

    def window(self, layout: str | None = None):  # type: ignore[no-untyped-def]
        from helpdesk_desktop.ui.main_window import MainWindow

        window = MainWindow(self.bridge)
        self.qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        if layout is not None:
            window.set_layout(layout)
        self.windows.append(window)
        self.qtbot.waitUntil(lambda: window.model.is_positional(), timeout=10_000)
        return window

    def settle(self) -> None:
        for _ in range(3):
            wait_for_reads(self.bridge)
            self.bridge.wait_for_idle()
            self.qtbot.wait(15)


@pytest.fixture
def big(big_template: Path, tmp_path: Path, qtbot: QtBot) -> Iterator[Big]:
    path = tmp_path / "big.sqlite3"
    copy_sqlite_file(big_template, path)
    big = Big(path, qtbot)
    yield big
    for window in big.windows:
        window.close()  # type: ignore[attr-defined]
    wait_for_reads(big.bridge)
    big.bridge.wait_for_idle()
    big.db.dispose()


def shown_rows(view) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The first and last rows the view shows."""
    first = view.rowAt(0) if hasattr(view, "rowAt") else view.indexAt(
        view.viewport().rect().topLeft()).row()
    bottom = view.viewport().height() - 1
    last = view.rowAt(bottom) if hasattr(view, "rowAt") else view.indexAt(
        view.viewport().rect().bottomLeft()).row()
    if last < 0:
        last = view.model().rowCount() - 1
    return first, last


def wait_shown(big: Big, model: TicketListModel, view) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """Wait until every row the view shows is read; its first row and the ids shown."""
    def read() -> bool:
        first, last = shown_rows(view)
        return first >= 0 and all(model.id_at(r) is not None for r in range(first, last + 1))

    big.qtbot.waitUntil(read, timeout=10_000)
    first, last = shown_rows(view)
    return first, [model.ticket_id(r) for r in range(first, last + 1)]


def test_ctrl_end_shows_the_last_tickets(big: Big) -> None:
    window = big.window()
    model, view = window.model, window.table.view
    expected = big.bridge.desk.matching_ids(model.query)
    assert model.rowCount() == len(expected) > 1000
    view.setFocus()
    view.setCurrentIndex(model.index(0, Column.NAME))
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    # The rows of the end are placeholders until their page is read (off the UI thread).
    last = model.rowCount() - 1
    assert model.id_at(last) is None
    assert model.index(last, Column.NAME).data() == PLACEHOLDER
    # The delegate's one span, a read row's cell painted just before: nothing of that cell
    # is left in the placeholder's (each role the model answers is set or cleared).
    delegate = QStyledItemDelegate()
    for column in (Column.CHECK, Column.PRIORITY, Column.NAME):
        read, hole = QStyleOptionViewItem(), QStyleOptionViewItem()
        delegate.initStyleOption(read, model.index(0, column))
        delegate.initStyleOption(hole, model.index(last, column))
        assert hole.text == (PLACEHOLDER if column is Column.NAME else "")
        assert not hole.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        assert hole.palette.color(hole.palette.ColorRole.Text) == \
            QStyleOptionViewItem().palette.color(hole.palette.ColorRole.Text)
    assert read.text  # (the read row's name)
    first, ids = wait_shown(big, model, view)
    assert ids == expected[first:first + len(ids)]
    assert ids[-1] == expected[-1]
    assert window.table.current_ticket_id() == expected[-1]
    # Only the rows near the two places looked at were read.
    assert len(model.ids()) <= 4 * model.page_size


@pytest.mark.parametrize("sort", [SortKey.LAST_ACTIVITY, SortKey.NAME, SortKey.STATUS,
                                  SortKey.CONTACT])
def test_the_scroll_bar_jumps_to_the_middle(big: Big, sort: SortKey) -> None:
    window = big.window()
    model, view = window.model, window.table.view
    if sort is not SortKey.LAST_ACTIVITY:
        column = {SortKey.NAME: Column.NAME, SortKey.STATUS: Column.STATUS,
                  SortKey.CONTACT: Column.CONTACT}[sort]
        header = view.horizontalHeader()
        big.qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                             pos=QPoint(header.sectionViewportPosition(column) + 8, 5))
        big.qtbot.waitUntil(lambda: model.query.sort is sort and not model.is_loading()
                            and model.is_positional(), timeout=10_000)
    expected = big.bridge.desk.matching_ids(model.query)
    assert model.rowCount() == len(expected)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    first, ids = wait_shown(big, model, view)
    assert len(expected) // 3 < first < 2 * len(expected) // 3
    assert ids == expected[first:first + len(ids)]
    # Scrolling a little up and down from there reads the neighbours by key.
    bar.setValue(bar.value() - 150)
    first, ids = wait_shown(big, model, view)
    assert ids == expected[first:first + len(ids)]
    bar.setValue(bar.value() + 400)
    first, ids = wait_shown(big, model, view)
    assert ids == expected[first:first + len(ids)]


def test_an_edit_refreshes_a_row_read_by_position(big: Big) -> None:
    window = big.window()
    model, view = window.model, window.table.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    first, ids = wait_shown(big, model, view)
    ticket_id = ids[3]
    # Written through the facade, as the ticket view or another window of the program does.
    big.bridge.desk.update(ticket_id, TicketChanges(name="Renamed far down the list"))
    big.qtbot.waitUntil(lambda: model.index(first + 3, Column.NAME).data()
                        == "Renamed far down the list", timeout=10_000)
    assert model.ticket_id(first + 3) == ticket_id


def test_the_selection_survives_jumps_and_a_new_ticket(big: Big) -> None:
    window = big.window()
    model, view, table = window.model, window.table.view, window.table
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    first, ids = wait_shown(big, model, view)
    chosen = ids[5]
    row = model.row_of(chosen)
    big.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.visualRect(model.index(row, Column.NAME)).center())
    assert table.current_ticket_id() == chosen
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    wait_shown(big, model, view)
    last = model.rowCount() - 1
    # The selection runs from the chosen row to the end (as Shift+click would where Qt can
    # find both rows on screen): rows never shown are in it.
    flags = QItemSelectionModel.SelectionFlag
    view.selectionModel().select(QItemSelection(model.index(row, 0),
                                                model.index(last, Column.NAME)),
                                 flags.Select | flags.Rows)
    selected = sorted({i.row() for i in view.selectionModel().selectedRows()})
    assert selected == list(range(row, model.rowCount()))
    # An action on the selection reads the rows it never showed, in the list's order.
    expected = big.bridge.desk.matching_ids(model.query)
    assert [r.id for r in table.selected_rows()] == expected[row:]
    # Back to the ticket chosen; scrolling everywhere else kept it selected and current.
    assert table.select_ticket(chosen)
    bar.setValue(0)
    wait_shown(big, model, view)
    bar.setValue(bar.maximum())
    wait_shown(big, model, view)
    assert table.current_ticket_id() == chosen
    assert view.selectionModel().isRowSelected(model.row_of(chosen))
    # A ticket leaves the top and comes back (restored): the list is counted and read
    # again, and the choice stays.
    top = expected[0]
    assert top != chosen
    big.bridge.desk.delete([top], confirm_count=1)
    big.qtbot.waitUntil(lambda: model.rowCount() == len(expected) - 1, timeout=10_000)
    big.settle()
    assert table.current_ticket_id() == chosen
    big.bridge.desk.restore([top])
    big.qtbot.waitUntil(lambda: model.rowCount() == len(expected), timeout=10_000)
    big.settle()
    assert table.current_ticket_id() == chosen
    assert view.selectionModel().isRowSelected(model.row_of(chosen))
    first, ids = wait_shown(big, model, view)
    assert ids == big.bridge.desk.matching_ids(model.query)[first:first + len(ids)]


def test_held_rows_stay_bounded_after_scrolling_everything(big: Big) -> None:
    window = big.window()
    model, view = window.model, window.table.view
    expected = big.bridge.desk.matching_ids(model.query)
    bar = view.verticalScrollBar()
    seen: list[int] = []
    while True:
        _first, ids = wait_shown(big, model, view)
        seen.extend(ids)
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + bar.pageStep())
    assert list(dict.fromkeys(seen)) == expected  # every ticket, once, in order
    assert len(model.ids()) <= HELD + SLACK + 2 * model.page_size
    assert model.held_count() <= HELD + SLACK + 2 * model.page_size


def test_the_split_list_jumps_too(big: Big) -> None:
    window = big.window(layout="split")
    model = window.model
    view = window.parts.layout("split").view
    expected = big.bridge.desk.matching_ids(model.query)
    view.scrollToBottom()
    first, ids = wait_shown(big, model, view)
    assert ids == expected[first:first + len(ids)] and ids[-1] == expected[-1]


def test_a_view_change_pages_forward_until_counted(big: Big) -> None:
    """Until its count is known a new query's list pages forward, as before."""
    window = big.window()
    model = window.model
    query = dataclasses.replace(model.query, sort=SortKey.CREATED, descending=False)
    model.set_query(query)
    big.qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)
    assert not model.is_positional() or model.rowCount() == \
        big.bridge.desk.count_tickets(query)
    big.settle()



def test_the_positional_model_passes_the_model_tester(big: Big, qtmodeltester: Any) -> None:
    window = big.window()
    bar = window.table.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)
    wait_shown(big, window.model, window.table.view)
    qtmodeltester.check(window.model)


def test_check_all_loaded_then_every_ticket_matching(big: Big) -> None:
    window = big.window()
    model, table = window.model, window.table
    total = model.rowCount()
    table.selection_bar.check_all.click()
    loaded = model.loaded_count()
    assert len(model.checked_ids()) == loaded < total
    offer = table.selection_bar.all_matching
    assert offer.isVisibleTo(table) and str(total) in offer.text().replace(",", "")
    offer.click()
    assert table.all_matching
    assert window.current_selection().all_matching_count == total
    # Scrolling far away (rows read and forgotten) keeps the choice.
    bar = table.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    wait_shown(big, model, table.view)
    assert table.all_matching


def test_a_search_in_newest_match_order_pages_forward(big: Big) -> None:
    """A search's newest-match order has no other end to read from: its list stays forward
    paged (no placeholders) even once "N matching" is counted, and the service refuses to
    read it by position."""
    from helpdesk_desktop.domain.errors import InvalidInput

    window = big.window()
    big.qtbot.keyClicks(window.search_field, "invoice")
    big.qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    model = window.model
    big.qtbot.waitUntil(lambda: model.query.search == "invoice" and not model.is_loading(),
                        timeout=10_000)
    big.settle()
    assert model.query.sort is SortKey.NEWEST_HIT
    assert big.bridge.desk.count_tickets(model.query) > model.rowCount() > 0
    assert not model.is_positional()
    assert all(model.id_at(r) is not None for r in range(model.rowCount()))
    with pytest.raises(InvalidInput, match="newest-match order"):
        big.bridge.desk.list_slice(model.query, backward=True, limit=10)


def test_rows_far_from_the_view_are_read_for_an_action(big: Big) -> None:
    """After a jump to the end, a row near the top (opened by its position) and a selection
    of more rows than the list keeps around the view (an action on all of them) are read
    whole: the rows read for them are not forgotten before the action has them."""
    window = big.window()
    model, view = window.model, window.table.view
    expected = big.bridge.desk.matching_ids(model.query)
    view.setFocus()
    view.setCurrentIndex(model.index(0, Column.NAME))
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    wait_shown(big, model, view)
    big.settle()
    assert model.id_at(300) is None  # forgotten: far from the view
    assert model.ticket_id(300) == expected[300]
    span = min(len(expected) - 100, FILL_AT_ONCE)
    assert span > HELD + SLACK + 2 * model.page_size
    rows = model.rows_at(range(span))
    assert [r.id for r in rows] == expected[:span]
