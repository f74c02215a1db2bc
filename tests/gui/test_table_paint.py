"""The ticket table paints its plain rows in one pass (``layouts/table_paint``) as Qt's
delegate paints them cell by cell, and leaves every other case to Qt."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.ui.layouts import table as table_module
from helpdesk_desktop.ui.layouts.table import DEFAULT_WIDTHS, TicketTableView
from helpdesk_desktop.ui.models.positional import PLACEHOLDER
from helpdesk_desktop.ui.models.ticket_model import Column, Role, TicketListModel
from tests.gui.conftest import GuiWorkspace

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _table(gui_ws: GuiWorkspace, qtbot: QtBot,
           page_size: int = 200) -> tuple[TicketListModel, TicketTableView]:
    bridge = gui_ws.bridge("lead")
    ids = bridge.desk.matching_ids(TicketQuery())
    bridge.desk.mark_read(ids[1:12:2])  # rows read and unread (bold) in view
    model = TicketListModel(bridge, page_size=page_size)
    model.start()
    view = TicketTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    for column, width in DEFAULT_WIDTHS.items():
        view.horizontalHeader().resizeSection(column, width)
    view.horizontalHeader().resizeSection(Column.NAME, 90)  # long names are elided
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    return model, view


def _painted(view: TicketTableView, *, one_pass: bool,
             monkeypatch: pytest.MonkeyPatch) -> tuple[QImage, list[bool]]:
    """The viewport as painted by the one pass (or by Qt alone), and what each paint_rows
    call answered."""
    answers: list[bool] = []
    paint_rows = table_module.paint_rows

    def recorded(*args: Any) -> bool:
        answers.append(paint_rows(*args) if one_pass else False)
        return answers[-1]

    monkeypatch.setattr(table_module, "paint_rows", recorded)
    image = view.viewport().grab().toImage()
    monkeypatch.setattr(table_module, "paint_rows", paint_rows)
    return image, answers


def test_plain_rows_are_painted_in_one_pass_as_qt_paints_them(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    model, view = _table(gui_ws, qtbot)
    unread = [r for r in range(12) if model.index(r, 0).data(Role.UNREAD)]
    assert unread and len(unread) < 12  # bold rows and plain ones are both shown
    model.setData(model.index(1, Column.CHECK), Qt.CheckState.Checked,
                  Qt.ItemDataRole.CheckStateRole)
    view.horizontalHeader().moveSection(Column.PRIORITY, Column.NAME)  # order by the header
    view.setColumnHidden(Column.CATEGORY, True)
    last = model.index(model.rowCount() - 1, 0)
    view.selectionModel().setCurrentIndex(last, QItemSelectionModel.SelectionFlag.Select
                                          | QItemSelectionModel.SelectionFlag.Rows)
    view.scrollToTop()  # the current and selected row far below: not shown
    by_qt, _ = _painted(view, one_pass=False, monkeypatch=monkeypatch)
    in_one_pass, answers = _painted(view, one_pass=True, monkeypatch=monkeypatch)
    assert answers == [True]
    assert in_one_pass == by_qt


def test_rows_not_read_yet_are_painted_in_one_pass_as_qt_paints_them(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page down ahead of its read shows placeholders: painted in the one pass too (with
    the rows read beside them), and asked for as when Qt paints them."""
    model, view = _table(gui_ws, qtbot, page_size=4)
    count = model.bridge.desk.count_tickets(model.query)
    assert count > 12
    # No read from here: on a quiet machine the rows asked for, or read ahead around the
    # rows painted, were read before the paints compared below.
    wanted: list[int] = []
    monkeypatch.setattr(model._positional, "want", wanted.append)
    monkeypatch.setattr(model._positional, "_read_around", lambda *_args, **_kw: None)
    model.set_total(model.query, count)  # counted: rows 4 .. count - 1 not read yet
    assert model.is_positional() and model.id_at(5) is None
    model.setData(model.index(1, Column.CHECK), Qt.CheckState.Checked,
                  Qt.ItemDataRole.CheckStateRole)
    qtbot.wait(50)  # the scroll bar the rows counted in bring, laid out
    assert model.id_at(5) is None
    view.selectionModel().clearCurrentIndex()  # (the rows inserted made row 0 current)
    wanted.clear()
    by_qt, _ = _painted(view, one_pass=False, monkeypatch=monkeypatch)
    asked_by_qt = sorted(set(wanted))
    wanted.clear()
    in_one_pass, answers = _painted(view, one_pass=True, monkeypatch=monkeypatch)
    assert answers == [True]
    assert in_one_pass == by_qt
    assert sorted(set(wanted)) == asked_by_qt and 5 in asked_by_qt
    assert model.index(5, Column.NAME).data() == PLACEHOLDER


@pytest.mark.parametrize("case", ["selected", "current", "not read"])
def test_other_rows_are_left_to_qt(gui_ws: GuiWorkspace, qtbot: QtBot,
                                   monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    model, view = _table(gui_ws, qtbot)
    selection = view.selectionModel()
    selection.clearCurrentIndex()
    if case == "selected":
        selection.select(model.index(2, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    elif case == "current":
        selection.setCurrentIndex(model.index(3, 1),
                                  QItemSelectionModel.SelectionFlag.NoUpdate)
    else:  # a row whose data was dropped (scrolled far away and back)
        model._rows.pop(model.ticket_id(4))
    _image, answers = _painted(view, one_pass=True, monkeypatch=monkeypatch)
    assert answers and not any(answers)


def test_a_style_that_highlights_the_row_under_the_mouse_is_left_to_qt(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    model, view = _table(gui_ws, qtbot)
    last = model.index(model.rowCount() - 1, 0)  # a current row, far below what is shown
    view.selectionModel().setCurrentIndex(last, QItemSelectionModel.SelectionFlag.NoUpdate)
    view.scrollToTop()
    view.setStyleSheet("QTableView::item:hover { background: #ff0000; }")
    viewport = view.viewport()
    assert viewport.testAttribute(Qt.WidgetAttribute.WA_Hover)  # set by the style sheet
    _away, answers = _painted(view, one_pass=True, monkeypatch=monkeypatch)
    assert answers == [True]  # the mouse elsewhere: the plain rows in one pass
    row_middle = view.visualRect(model.index(2, int(Column.NAME))).center()
    QTest.mouseMove(viewport, row_middle)
    qtbot.waitUntil(viewport.underMouse)
    image, answers = _painted(view, one_pass=True, monkeypatch=monkeypatch)
    assert answers and not any(answers)
    other_middle = view.visualRect(model.index(5, int(Column.NAME))).center()
    assert _red_pixels(image, row_middle.y() - 2) > 20  # Qt painted the hovered cell
    assert _red_pixels(image, other_middle.y() - 2) == 0


def _red_pixels(image: QImage, y: int) -> int:
    red = QColor("#ff0000")
    return sum(image.pixelColor(x, y) == red for x in range(image.width()))


def test_texts_elided_once_follow_the_columns_width(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts elided once are reused (a page's statuses and days repeat) for their width only:
    a column made wider or narrower shows them as Qt elides them at the new width."""
    _model, view = _table(gui_ws, qtbot)
    header = view.horizontalHeader()
    for width in (90, 300, 60, 90):
        header.resizeSection(Column.NAME, width)
        header.resizeSection(Column.STATUS, width)
        in_one_pass, answers = _painted(view, one_pass=True, monkeypatch=monkeypatch)
        by_qt, _ = _painted(view, one_pass=False, monkeypatch=monkeypatch)
        assert answers == [True] and in_one_pass == by_qt
