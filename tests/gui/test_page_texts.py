"""A page's row texts are made with its read, on the list's thread: the UI thread swaps a
finished page in (one model reset) and paints it; what the table shows is unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QFont, QImage
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.ui.layouts.table import TicketTableView
from helpdesk_desktop.ui.models import labels, row_cells
from helpdesk_desktop.ui.models.ticket_model import Column, TicketListModel
from tests.gui.conftest import GuiWorkspace
from tests.gui.table_support import shown_table

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

FAR_WEST = "Pacific/Pago_Pago"


def _texts_made_on(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for each row whose texts are made, whether on the UI (main) thread."""
    threads: list[bool] = []
    texts = row_cells.CellMaker.texts

    def recorded(self: row_cells.CellMaker, row: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return texts(self, row)

    monkeypatch.setattr(row_cells.CellMaker, "texts", recorded)
    return threads


def _table(gui_ws: GuiWorkspace, qtbot: QtBot, page_size: int = 40,
           user: str = "admin") -> tuple[TicketListModel, TicketTableView]:
    model = TicketListModel(gui_ws.bridge(user), page_size=page_size)
    model.start()
    return model, shown_table(qtbot, model, width=700)


def _shown_rows(view: TicketTableView) -> int:
    last = view.rowAt(view.viewport().height() - 1)
    return (last if last >= 0 else view.model().rowCount() - 1) + 1


def test_a_pages_texts_are_made_on_the_lists_thread(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    model, view = _table(gui_ws, qtbot)
    threads = _texts_made_on(monkeypatch)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(dataclasses.replace(model.query, sort=SortKey.NAME))
    view.viewport().grab()  # painted
    shown = _shown_rows(view)
    assert 5 <= shown <= model.rows_shown <= 40  # the rows a view shows at once ...
    assert threads.count(False) >= shown  # ... got their texts with the read
    assert True not in threads
    # A page read ahead as the view scrolls: its rows' texts too.
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 80, timeout=10_000)
    view.scrollToBottom()
    view.viewport().grab()
    assert _shown_rows(view) > 40 and True not in threads


def test_one_model_reset_per_page(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    model, view = _table(gui_ws, qtbot)
    resets: list[str] = []
    model.modelAboutToBeReset.connect(lambda: resets.append("about"))
    model.modelReset.connect(lambda: resets.append("reset"))
    queries = [TicketQuery(view=View.CLOSED), TicketQuery(view=View.ALL, sort=SortKey.OWNER),
               TicketQuery(view=View.ALL, search="printer", sort=SortKey.NEWEST_HIT)]
    for query in queries:
        resets.clear()
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            model.set_query(query)
        view.viewport().grab()
        qtbot.wait(20)
        assert resets == ["about", "reset"]
    resets.clear()
    model.set_query(TicketQuery())
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)
    model.fetchMore(QModelIndex())  # the next page is inserted, not reset
    qtbot.waitUntil(lambda: model.rowCount() == 80, timeout=10_000)
    assert resets == ["about", "reset"]


def _grab(view: TicketTableView) -> QImage:
    return view.viewport().grab().toImage()


def test_the_table_shows_what_it_showed(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    """The rows whose texts came with the read look as rows whose texts the paint made:
    bold unread rows, names, labels, times, the unassigned owner, an erased ticket's note."""
    bridge = gui_ws.bridge("lead")
    ids = bridge.desk.matching_ids(TicketQuery())
    bridge.desk.mark_read(ids[1:12:2])
    model, view = _table(gui_ws, qtbot, user="lead")
    for query in (TicketQuery(sort=SortKey.OWNER), TicketQuery(view=View.ALL)):
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            model.set_query(query)
        with_read = _grab(view)
        texts = [model.index(r, c).data() for r in range(_shown_rows(view)) for c in Column]
        fonts = [model.index(r, Column.NAME).data(6) for r in range(_shown_rows(view))]
        assert any(isinstance(f, QFont) and f.bold() for f in fonts)
        assert any(f is None for f in fonts)
        model.rows_shown = 0  # no texts with the read: each made when painted
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            model.set_query(dataclasses.replace(query, descending=not query.descending))
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            model.set_query(query)
        assert _grab(view) == with_read
        assert [model.index(r, c).data() for r in range(_shown_rows(view))
                for c in Column] == texts
        model.rows_shown = 40


def test_texts_read_in_another_zone_are_made_again(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The user chose another time zone while a page was read: its times are written in the
    new zone, not in the one its read began in."""
    model, view = _table(gui_ws, qtbot)
    bridge = model.bridge
    old_zone = bridge.user.time_zone
    assert old_zone != FAR_WEST  # (the workspace's tickets fall on another day there)
    started, release = threading.Event(), threading.Event()
    read = bridge.desk.list_tickets

    def slow(*args: Any, **kwargs: Any) -> Any:
        started.set()
        assert release.wait(10)
        return read(*args, **kwargs)

    monkeypatch.setattr(bridge.desk, "list_tickets", slow)
    model.set_query(TicketQuery(view=View.ALL, sort=SortKey.LAST_ACTIVITY, descending=True))
    qtbot.waitUntil(started.is_set, timeout=10_000)
    bridge.update_user(gui_ws.desk("admin").set_time_zone(FAR_WEST))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        release.set()
    view.viewport().grab()
    shown = [(model.ticket_row(r).last_activity_at,
              model.index(r, Column.LAST_ACTIVITY).data()) for r in range(_shown_rows(view))]
    assert [text for _at, text in shown] == [labels.short_time(at, time_zone=FAR_WEST)
                                             for at, _text in shown]
    assert any(text != labels.short_time(at, time_zone=old_zone) for at, text in shown)


def test_cells_made_for_another_zone_or_day_are_not_used() -> None:
    bold = QFont()
    cells = row_cells.PaintedCells(row_cells.CellMaker("Europe/Paris", "Unassigned",
                                                       "{0} · erased {1}", bold))
    west = cells.maker(FAR_WEST).times.today
    row: Any = ("row", (), None, None)
    made = row_cells.PreparedCells("Europe/Paris", west, {1: row})
    cells.adopt(made, FAR_WEST)  # made for Paris: the zone is another now
    assert cells.get(1) is None
    cells.adopt(dataclasses.replace(made, time_zone=FAR_WEST,
                                    today=west - dt.timedelta(days=1)), FAR_WEST)
    assert cells.get(1) is None  # made yesterday (short times change at midnight)
    cells.adopt(dataclasses.replace(made, time_zone=FAR_WEST), FAR_WEST)
    assert cells.get(1) is not None
