"""The board read in one background job, and a ticket opened from it with one read and marked
read afterwards: the real board clicked and scrolled, every card and count checked against the
database, for users of different scopes, saved views and racing loads."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Category, View
from helpdesk_desktop.services.board import column_query
from helpdesk_desktop.services.dto import TicketChanges, TicketFilters, TicketQuery
from helpdesk_desktop.ui.layouts.board import BoardColumn
from helpdesk_desktop.ui.models.ticket_model import Column
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS

pytestmark = GUI_MARKS


def database_ids(gui_ws: GuiWorkspace, user: str, column: BoardColumn,
                 query: TicketQuery) -> list[int]:
    """Every ticket of the column, in order, as the list reads it from the database."""
    desk = gui_ws.desk(user)
    narrowed = column_query(query, column.status)
    ids: list[int] = []
    page = desk.list_tickets(narrowed, limit=200)
    ids += [r.id for r in page.rows]
    while page.next_cursor is not None:
        page = desk.list_tickets(narrowed, limit=200, after=page.next_cursor)
        ids += [r.id for r in page.rows]
    return ids


def scroll_to_end(qtbot: QtBot, column: BoardColumn) -> None:
    """Scroll the column's view down until it has read every page."""
    view = column.view
    for _ in range(50):
        view.scrollToBottom()
        qtbot.wait(5)
        if not column.model.canFetchMore(QModelIndex()):
            return
    raise AssertionError("the column never read its last page")


def shown_board(gui_ws: GuiWorkspace, user: str):  # type: ignore[no-untyped-def]
    window = gui_ws.window(user, layout="board")
    gui_ws.qtbot.waitUntil(lambda: not window.board.cards_loading())
    return window


@pytest.mark.parametrize("user", ["admin", "agent", "sales"])
def test_every_card_and_count_is_the_databases(gui_ws: GuiWorkspace, qtbot: QtBot,
                                               user: str) -> None:
    window = shown_board(gui_ws, user)
    board = window.board
    assert board.columns
    query = board.query
    desk = gui_ws.desk(user)
    for column in board.columns:
        expected = database_ids(gui_ws, user, column, query)
        first = column.model.ids()
        assert first == expected[:len(first)]
        assert len(first) == min(50, len(expected))  # the first cards came with the board
        scroll_to_end(qtbot, column)
        assert column.model.ids() == expected
        assert column.count == desk.count_tickets(column_query(query, column.status))
        assert f"{column.count:,}" in column.title.text()
        assert all(desk.rows([i])[i].status_id == column.status.id for i in expected[:5])
    seen = {i for c in board.columns for i in c.model.ids()}
    table = set(desk.matching_ids(TicketQuery(view=query.view, filters=TicketFilters(
        pipeline_ids=(window.board.pipeline().id,)))))
    assert seen == table  # the scope of the list, exactly
    if user == "sales":  # owned scope: only the seller's own and unassigned tickets
        assert gui_ws.tickets["Printer on fire"] not in seen
        assert gui_ws.tickets["Cannot log in"] in seen


def test_double_clicking_a_card_opens_it_with_one_read_and_marks_it_read(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = shown_board(gui_ws, "admin")
    ticket = gui_ws.tickets["Printer on fire"]
    admin, lead = gui_ws.desk("admin"), gui_ws.desk("lead")
    assert admin.rows([ticket])[ticket].unread and lead.rows([ticket])[ticket].unread
    column = next(c for c in window.board.columns if c.model.row_of(ticket) >= 0)
    index = column.model.index(column.model.row_of(ticket), Column.NAME)
    assert index.data(Qt.ItemDataRole.FontRole) is not None  # bold: unread
    view = window.ticket_view
    column.view.scrollTo(index)
    centre = column.view.visualRect(index).center()
    with qtbot.waitSignal(view.ticketOpened, timeout=5000) as opened:
        # A double click is a press and release, then the double-click event.
        qtbot.mouseClick(column.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(column.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened.args == [ticket]
    assert view.current_detail().id == ticket
    assert not view.current_detail().row.unread
    assert "Printer on fire: details inside." in view.conversation.browser.toPlainText()
    # Marked read in a job of its own, for this user only; the card is no longer bold.
    qtbot.waitUntil(lambda: not admin.rows([ticket])[ticket].unread)
    assert lead.rows([ticket])[ticket].unread
    qtbot.waitUntil(lambda: column.model.row_for_id(ticket) is not None
                    and not column.model.row_for_id(ticket).unread)


def test_a_saved_view_fills_each_column_with_its_own_tickets(gui_ws: GuiWorkspace,
                                                              qtbot: QtBot) -> None:
    desk = gui_ws.desk("admin")
    saved = desk.save_view("Billing", TicketQuery(
        view=View.ALL_OPEN, filters=TicketFilters(categories=(Category.BILLING_ISSUE,))))
    window = shown_board(gui_ws, "admin")
    window.board.set_query(TicketQuery(saved_view_id=saved.id))
    qtbot.waitUntil(lambda: not window.board.cards_loading())
    shown = [(i, c.status.id) for c in window.board.columns for i in c.model.ids()]
    rows = desk.rows(desk.matching_ids(TicketQuery(saved_view_id=saved.id)))
    pipeline = window.board.pipeline().id
    expected = {(i, r.status_id) for i, r in rows.items() if r.pipeline_id == pipeline}
    assert len(shown) == len(expected) == len(set(shown))  # each card once, in its status
    assert set(shown) == expected
    assert (gui_ws.tickets["Invoice charged twice"], gui_ws.ws.status("Waiting on us")) \
        in expected
    # A category filter is not among the counters' keys: counted in a job of its own.
    qtbot.waitUntil(lambda: all(c.count is not None for c in window.board.columns))
    for column in window.board.columns:
        assert column.count == len(column.model.ids())


def test_the_last_of_racing_loads_wins(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = shown_board(gui_ws, "admin")
    board = window.board
    mine = TicketQuery(view=View.ASSIGNED_TO_ME)
    for query in (TicketQuery(view=View.ALL), TicketQuery(view=View.UNASSIGNED), mine):
        board.set_query(query)  # each load makes the one before it stale
    qtbot.waitUntil(lambda: not board.cards_loading())
    gui_ws.settle()
    admin = gui_ws.desk("admin")
    for column in board.columns:
        assert column.model.ids() == database_ids(gui_ws, "admin", column, mine)
        assert column.count == admin.count_tickets(column_query(mine, column.status))


def test_a_write_while_the_cards_are_read_is_shown_after_them(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cards being read were read before a write reported meanwhile: the tickets it
    named are read again once the cards are shown (they were lost before, a flaky open)."""
    window = shown_board(gui_ws, "admin")
    board = window.board
    ticket = gui_ws.tickets["Printer on fire"]
    read, release = threading.Event(), threading.Event()
    real_board = Desk.board

    def board_read_before_the_write(desk: Desk, *args: Any, **kwargs: Any) -> Any:
        page = real_board(desk, *args, **kwargs)
        read.set()
        release.wait(10)  # the write below commits and is reported meanwhile
        return page

    monkeypatch.setattr(Desk, "board", board_read_before_the_write)
    board.load()
    qtbot.waitUntil(read.is_set)
    bridge = gui_ws.bridges[-1]
    reported: list[object] = []
    bridge.changed.connect(reported.append)
    bridge.run(lambda desk, _p: desk.update(ticket, TicketChanges(name="Printer now cold")))
    qtbot.waitUntil(lambda: bool(reported))
    release.set()
    qtbot.waitUntil(lambda: not board.cards_loading())
    column = next(c for c in board.columns if c.model.row_of(ticket) >= 0)
    qtbot.waitUntil(lambda: column.model.row_for_id(ticket).name == "Printer now cold")


def test_a_search_on_the_board_is_counted_in_one_more_job(gui_ws: GuiWorkspace,
                                                          qtbot: QtBot) -> None:
    window = shown_board(gui_ws, "admin")
    board = window.board
    query = TicketQuery(view=View.ALL, search="parcel")
    board.set_query(query)
    qtbot.waitUntil(lambda: not board.cards_loading())
    qtbot.waitUntil(lambda: all(c.count is not None for c in board.columns))
    cards = [i for c in board.columns for i in c.model.ids()]
    assert cards == [gui_ws.tickets["Where is my parcel"]]
    assert sorted(c.count for c in board.columns) == [0] * (len(board.columns) - 1) + [1]


def test_a_cards_tooltip_reads_its_snippet_when_wanted(gui_ws: GuiWorkspace,
                                                       qtbot: QtBot) -> None:
    """The board's cards come without their snippet; hovering one reads it and shows it as
    the table's tooltip would, once."""
    window = shown_board(gui_ws, "admin")
    column = next(c for c in window.board.columns if c.model.rowCount())
    row = column.model.ticket_row(0)
    assert row.snippet == ""  # not read with the board
    expected = gui_ws.desk("admin").rows([row.id])[row.id].snippet
    assert expected
    view = column.view
    index = column.model.index(0, Column.NAME)
    position = view.visualRect(index).center()

    def hover() -> None:
        QApplication.sendEvent(view.viewport(), QHelpEvent(
            QEvent.Type.ToolTip, position, view.viewport().mapToGlobal(position)))

    hover()
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == expected)
    assert column.model.ticket_row(0).snippet == expected
    assert row.id not in column.without_snippet
    QToolTip.hideText()
    hover()  # read already: the model's tooltip, at once
    assert QToolTip.text() == expected
    QToolTip.hideText()
