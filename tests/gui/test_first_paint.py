"""The main window's start: the first frame needs the table only; the other layouts are built
on first use, what the first frame does not show is read after it (``MainWindow.finish_start``),
and the ticket view is built ahead, hidden, a part per event-loop turn once the start has
finished (``WindowParts.build_ticket_view_ahead``), or at once by an open that comes first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.ui import main_window as main_window_module
from helpdesk_desktop.ui import settings as opts
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.main_window import MainWindow
from helpdesk_desktop.ui.models.ticket_model import Column
from helpdesk_desktop.ui.models.views_model import ViewRole
from tests.gui.conftest import GuiWorkspace

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _counting(bridge: DeskBridge, *names: str) -> dict[str, int]:
    """Count the calls of the bridge's desk methods ``names`` (on any thread)."""
    calls = dict.fromkeys(names, 0)
    desk = bridge.desk
    for name in names:
        real: Callable[..., Any] = getattr(desk, name)

        def counted(*args: Any, _real: Callable[..., Any] = real, _name: str = name,
                    **kwargs: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kwargs)

        setattr(desk, name, counted)
    return calls


def _new_window(gui_ws: GuiWorkspace, bridge: DeskBridge) -> MainWindow:
    window = MainWindow(bridge)
    gui_ws.qtbot.addWidget(window)
    gui_ws.windows.append(window)
    return window


def test_the_first_frame_needs_the_table_only(gui_ws: GuiWorkspace, qtbot: QtBot,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # No fallback within the test: what starts, starts because a frame was painted.
    monkeypatch.setattr(main_window_module, "FINISH_START_FALLBACK_MS", 600_000)
    bridge = gui_ws.bridge("admin")
    calls = _counting(bridge, "view_counts", "count_tickets", "users", "inboxes")
    window = _new_window(gui_ws, bridge)
    assert window.model.rowCount() > 0  # the first page is there for the first frame
    assert list(window.parts.layouts) == ["table"]
    assert not window.parts.has_ticket_view and window.parts.ticket_panel_if_built() is None
    assert window.content_splitter.count() == 1
    qtbot.wait(50)
    bridge.wait_for_idle()
    # Not shown yet: nothing that waits for the first frame was read or built.
    assert calls == {"view_counts": 0, "count_tickets": 0, "users": 0, "inboxes": 0}
    assert window.notifications is None
    assert window.filter_bar.buttons["owner_ids"].values == []
    with qtbot.waitSignal(window.started, timeout=10_000):
        window.resize(1024, 768)
        window.show()
    gui_ws.settle()
    assert calls["view_counts"] == 1 and calls["count_tickets"] == 1  # views, "N matching"
    assert calls["users"] == 1 and calls["inboxes"] == 1  # the filter menus' choices
    assert window.notifications is not None and window.notifications.bell is not None
    assert len(window.filter_bar.buttons["owner_ids"].values) > 1
    model = window.sidebar.model
    assert model.index(0).data(ViewRole.COUNT) is not None  # the views' counts arrived
    assert list(window.parts.layouts) == ["table"]
    # After the start: the ticket view is built ahead, hidden, with nothing opened or read.
    qtbot.waitUntil(lambda: window.parts.has_ticket_view, timeout=10_000)
    assert window.ticket_panel.isHidden() and window.content_splitter.count() == 2
    assert window.ticket_view.ticket_id() is None and window.windowTitle() == "Help Desk"
    window.finish_start()  # runs once
    gui_ws.settle()
    assert calls["view_counts"] == 1


def test_a_window_never_painted_finishes_its_start_anyway(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A window started hidden (e.g. to the tray) still counts and gets its bell."""
    monkeypatch.setattr(main_window_module, "FINISH_START_FALLBACK_MS", 50)
    bridge = gui_ws.bridge("admin")
    calls = _counting(bridge, "view_counts")
    window = _new_window(gui_ws, bridge)
    with qtbot.waitSignal(window.started, timeout=10_000):
        pass
    assert not window.isVisible()
    gui_ws.settle()
    assert calls["view_counts"] == 1 and window.notifications is not None


def test_layouts_are_built_on_first_use(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    assert list(window.parts.layouts) == ["table"]
    window.set_view(View.UNASSIGNED)  # the board is not built: it reads the query when it is
    gui_ws.settle()
    window.set_layout("board")
    gui_ws.settle()
    assert window.parts.has("board") and window.board.query.view is View.UNASSIGNED
    assert window.board.columns and window.board.pipelines  # loaded with its pipelines
    assert window.stack.currentWidget() is window.board
    assert window.ticket_panel.isHidden()  # built ahead, not shown by the board
    window.set_layout("split")
    gui_ws.settle()
    assert window.parts.has("split") and window.parts.has_ticket_view
    assert window.ticket_panel.isVisible() and not window.ticket_panel.close_button.isVisible()
    assert window.content_splitter.count() == 2
    window.set_layout("table")
    assert not window.ticket_panel.isVisible()
    window.open_ticket(gui_ws.tickets["Printer on fire"])
    gui_ws.settle()
    assert window.ticket_panel.isVisible() and window.ticket_panel.close_button.isVisible()
    assert window.ticket_view.ticket_id() == gui_ws.tickets["Printer on fire"]


def test_opening_a_ticket_first_shows_the_panel_beside_the_table(
        gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    ticket_id = gui_ws.tickets["Cannot log in"]
    window.table.select_ticket(ticket_id)
    assert window.list_context().detail is None
    assert not window.parts.has_ticket_view or window.ticket_panel.isHidden()
    window.open_ticket(ticket_id)
    gui_ws.settle()
    assert window.ticket_panel.isVisible() and window.content_splitter.count() == 2
    assert window.list_context().detail is not None  # the opened ticket is the selected one
    window.close_ticket_panel()
    assert not window.ticket_panel.isVisible()
    assert not window.parts.has("split") and not window.parts.has("board")


def test_a_window_remembered_in_the_board_layout_starts_in_it(gui_ws: GuiWorkspace) -> None:
    first = gui_ws.window("admin", layout="board")
    first.save_settings()
    window = gui_ws.window("admin")
    assert window.layout_name == "board" and window.stack.currentWidget() is window.board
    assert window.board.columns and not window.parts.has("split")
    assert window.settings.get(opts.LAYOUT) == "board"


def test_a_window_with_a_saved_column_sort_reads_its_first_page_once(
        gui_ws: GuiWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The header's saved state, restored while the window is made, sorts the list before
    its first query: that sort is the first query's, not a read of its own."""
    from helpdesk_desktop.application.desk import Desk

    first = gui_ws.window("admin")
    first.table.view.horizontalHeader().setSortIndicator(int(Column.NAME),
                                                         Qt.SortOrder.AscendingOrder)
    gui_ws.settle()
    first.save_settings()
    reads: list[object] = []
    original = Desk.list_tickets

    def counted(desk: Desk, query: object, *args: object, **kwargs: object) -> object:
        reads.append(query)
        return original(desk, query, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Desk, "list_tickets", counted)
    window = MainWindow(gui_ws.bridge("admin"))
    gui_ws.qtbot.addWidget(window)
    assert len(reads) == 1 and window.model.rowCount() > 0
    assert window.model.query.sort is SortKey.NAME and not window.model.query.descending
    window.close()


def test_a_window_opening_on_its_board_reads_its_list_when_the_table_is_shown(
        gui_ws: GuiWorkspace) -> None:
    """The list's first page is not read (on the UI thread, before the board's cards) by a
    window that opens on its board; showing the table or split reads it then, and counts."""
    first = gui_ws.window("admin", layout="board")
    first.save_settings()
    window = gui_ws.window("admin")
    assert window.layout_name == "board" and window.board.columns
    assert window.model.rowCount() == 0
    window.set_view(View.UNASSIGNED)  # the board follows; the list still reads nothing
    gui_ws.settle()
    assert window.board.query.view is View.UNASSIGNED and window.model.rowCount() == 0
    window.set_layout("table")
    assert window.model.query.view is View.UNASSIGNED
    assert window.model.rowCount() > 0  # read as the table is shown (its first frame)
    gui_ws.settle()
    assert window.table.matching_count == gui_ws.desk().count_tickets(window.model.query)


def test_the_program_starts_mail_after_the_first_frame(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from helpdesk_desktop.ui import app as app_module
    from helpdesk_desktop.ui.mail_service import MailService

    monkeypatch.setattr(main_window_module, "FINISH_START_FALLBACK_MS", 600_000)
    started: list[MailService] = []
    monkeypatch.setattr(MailService, "start", lambda self: started.append(self))
    launcher = app_module.Launcher(gui_ws.db, argparse.Namespace(upkeep=False))
    window = launcher.open_main(gui_ws.ws.users["admin"])
    qtbot.addWidget(window)
    gui_ws.windows.append(window)
    assert launcher.bridge is not None
    gui_ws.bridges.append(launcher.bridge)
    assert started == []  # shown, not painted yet
    with qtbot.waitSignal(window.started, timeout=10_000):
        pass
    assert launcher.mail is not None and started == [launcher.mail]
    launcher.mail.shutdown()


def _unstarted_window(gui_ws: GuiWorkspace, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    """A window whose start never finishes within the test: nothing is built ahead by
    itself; the test steps the ahead build."""
    monkeypatch.setattr(main_window_module, "FINISH_START_FALLBACK_MS", 600_000)
    return _new_window(gui_ws, gui_ws.bridge("admin"))


def _parts_made(window: MainWindow) -> tuple[int, int, int]:
    from helpdesk_desktop.ui.actions.registry import ActionRegistry
    from helpdesk_desktop.ui.layouts.ticket_panel import TicketPanel
    from helpdesk_desktop.ui.ticket_view import TicketView

    views = window.findChildren(TicketView)
    registries = [r for view in views for r in view.findChildren(ActionRegistry)]
    return len(views), len(window.findChildren(TicketPanel)), len(registries)


def test_the_ticket_view_is_built_ahead_one_part_per_turn(
        gui_ws: GuiWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _unstarted_window(gui_ws, monkeypatch)
    parts = window.parts
    for _ in parts._modules:  # the imports, stepped by prepare_ticket_view
        pass
    made = [_parts_made(window)]
    seen = [parts.has_ticket_view]
    for _ in parts._building:
        made.append(_parts_made(window))
        seen.append(parts.has_ticket_view)
        assert not parts.ticket_view_finished
    made.append(_parts_made(window))
    assert parts.ticket_view_finished
    # The view, its panel, its actions: each in a turn of its own, and each made once.
    assert made[:4] == [(0, 0, 0), (1, 0, 0), (1, 1, 0), (1, 1, 1)]
    assert made[-1] == (1, 1, 1) and len(made) <= 6
    # Its last turn styled and laid out the hidden panel, the ticket's page included.
    content = window.ticket_view.stack.widget(1)
    assert window.ticket_view.header.testAttribute(Qt.WidgetAttribute.WA_WState_Polished)
    assert content.width() > 300 and window.ticket_view.header.width() > 300
    # The window sees the view only when it is whole (placed in the splitter, wired).
    assert seen[:3] == [False, False, False] and parts.has_ticket_view
    assert window.content_splitter.count() == 2 and window.ticket_panel.isHidden()
    assert window.ticket_view.ticket_id() is None


def test_an_open_during_the_ahead_build_finishes_it_at_once(
        gui_ws: GuiWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _unstarted_window(gui_ws, monkeypatch)
    parts = window.parts
    for _ in parts._modules:
        pass
    next(parts._building)
    next(parts._building)  # the view and its panel are made, not yet the actions
    assert not parts.has_ticket_view
    ticket_id = gui_ws.tickets["Printer on fire"]
    window.open_ticket(ticket_id)
    gui_ws.settle()
    assert _parts_made(window) == (1, 1, 1)  # finished, nothing made twice
    # Shown in the (never shown) window; the panel is open on the ticket.
    assert not window.ticket_panel.isHidden() and window.ticket_view.ticket_id() == ticket_id
    assert window.ticket_view.current_detail() is not None
    assert next(parts._building, None) is None  # nothing left for the idle steps
    assert parts.ticket_view_finished
    window.ticket_registry.refresh()
    assert window.ticket_registry.context is not None
    assert window.ticket_registry.context.detail is not None


def test_the_window_builds_the_ticket_view_after_it_started(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never for the first frame: the ahead build starts with ``started`` and a part per
    event-loop turn."""
    monkeypatch.setattr(main_window_module, "FINISH_START_FALLBACK_MS", 600_000)
    window = _new_window(gui_ws, gui_ws.bridge("admin"))
    parts_at_start: list[tuple[int, int, int]] = []
    window.started.connect(lambda: parts_at_start.append(_parts_made(window)))
    with qtbot.waitSignal(window.started, timeout=10_000):
        window.resize(1024, 768)
        window.show()
    assert parts_at_start == [(0, 0, 0)]
    qtbot.waitUntil(lambda: window.parts.has_ticket_view, timeout=10_000)
    assert _parts_made(window) == (1, 1, 1) and window.ticket_panel.isHidden()


def test_the_ahead_build_waits_for_the_jobs_in_flight(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its parts do not share the turns that show the start's reads (counts, filter menus)."""
    from types import SimpleNamespace

    from helpdesk_desktop.ui import main_parts

    busy = [True]
    monkeypatch.setattr(main_parts, "jobs", SimpleNamespace(in_flight=lambda: int(busy[0])))
    monkeypatch.setattr(main_parts, "AHEAD_WAIT_MS", 600_000)
    monkeypatch.setattr(main_window_module, "FINISH_START_FALLBACK_MS", 600_000)
    window = _new_window(gui_ws, gui_ws.bridge("admin"))
    with qtbot.waitSignal(window.started, timeout=10_000):
        window.resize(1024, 768)
        window.show()
    gui_ws.settle()
    qtbot.wait(5 * main_parts.AHEAD_POLL_MS)
    assert not window.parts.has_ticket_view and _parts_made(window) == (0, 0, 0)
    busy[0] = False
    qtbot.waitUntil(lambda: window.parts.has_ticket_view, timeout=10_000)
    assert _parts_made(window) == (1, 1, 1)


def test_the_ahead_build_waits_while_the_list_scrolls(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part built ahead is 5–30 ms of the UI thread: it waits until a scroll pauses, so
    that no page of it pays for one (B2). An open that comes first still builds at once."""
    import inspect
    from types import SimpleNamespace

    from helpdesk_desktop.ui import main_parts

    monkeypatch.setattr(main_parts, "jobs", SimpleNamespace(in_flight=lambda: 0))
    monkeypatch.setattr(main_parts, "SCROLL_QUIET_MS", 2_000)
    window = _unstarted_window(gui_ws, monkeypatch)
    window.resize(1024, 260)  # a list taller than its view
    window.show()
    qtbot.waitExposed(window)
    bar = window.table.view.verticalScrollBar()
    assert bar.maximum() > 5
    parts = window.parts
    bar.setValue(1)  # the user scrolls ...
    parts.prepare_ticket_view()
    parts.build_ticket_view_ahead()
    for value in range(2, 6):  # ... on, a step every 50 ms
        qtbot.wait(50)
        bar.setValue(value)
    assert inspect.getgeneratorstate(parts._modules) == inspect.GEN_CREATED
    assert _parts_made(window) == (0, 0, 0)
    # The scroll paused: the imports and the parts follow, one per turn.
    qtbot.waitUntil(lambda: parts.ticket_view_finished, timeout=15_000)
    assert _parts_made(window) == (1, 1, 1)
# -- the split layout's first frame: a stand-in beside the list -------------------------------

def _stand_ins(window: MainWindow) -> list[QWidget]:
    from helpdesk_desktop.ui.layouts.panel_stand_in import PanelStandIn

    return list(window.findChildren(PanelStandIn))


def _split_window(gui_ws: GuiWorkspace, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    """A window remembered in the split layout, built and shown; its start (and so the ticket
    view's ahead build) waits for the test's ``finish_start``."""
    first = gui_ws.window("admin", layout="split")
    first.save_settings()
    monkeypatch.setattr(main_window_module, "after_first_frame", lambda _window, _call, _at=None: None)
    window = _unstarted_window(gui_ws, monkeypatch)
    window.resize(1280, 800)
    window.show()
    return window


def test_the_split_layout_starts_with_a_stand_in_for_the_ticket_panel(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _split_window(gui_ws, monkeypatch)
    assert window.layout_name == "split" and window.stack.currentWidget() is window.split
    # The first frame: the list and the stand-in, no ticket view built.
    assert _parts_made(window) == (0, 0, 0) and not window.parts.has_ticket_view
    stand_in = window.parts.panel_slot()
    assert stand_in is not None and stand_in in _stand_ins(window)
    assert window.content_splitter.count() == 2 and window.content_splitter.widget(1) is stand_in
    assert stand_in.isVisible() and stand_in.width() > 300
    text = stand_in.label.text()
    assert text == "Select a ticket to see its conversation."
    sizes = window.content_splitter.sizes()
    # After the start: the panel built ahead takes its place, size and visibility.
    window.finish_start()
    qtbot.waitUntil(lambda: window.parts.ticket_view_finished, timeout=10_000)
    gui_ws.settle()
    assert _parts_made(window) == (1, 1, 1)
    assert window.content_splitter.count() == 2
    assert window.content_splitter.widget(1) is window.ticket_panel
    assert window.content_splitter.sizes() == sizes
    assert window.ticket_panel.isVisible() and not window.ticket_panel.close_button.isVisible()
    assert window.ticket_view.ticket_id() is None
    assert window.ticket_view.placeholder_label.text() == text
    assert not _stand_ins(window)  # deleted
    # It works as the split layout always did: choosing a ticket opens it beside the list.
    ticket_id = gui_ws.tickets["Printer on fire"]
    window.split.select_ticket(ticket_id)
    window.split._open_current()
    gui_ws.settle()
    assert window.ticket_view.ticket_id() == ticket_id
    assert window.ticket_view.current_detail() is not None


def test_an_open_before_the_ticket_view_is_built_replaces_the_stand_in(
        gui_ws: GuiWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _split_window(gui_ws, monkeypatch)
    assert window.parts.panel_slot() in _stand_ins(window)
    ticket_id = gui_ws.tickets["Cannot log in"]
    window.split.select_ticket(ticket_id)
    window.split._open_current()  # what a click does once the list's timer fires
    gui_ws.settle()
    assert _parts_made(window) == (1, 1, 1) and window.parts.ticket_view_finished
    assert window.content_splitter.count() == 2
    assert window.content_splitter.widget(1) is window.ticket_panel
    assert window.ticket_panel.isVisible() and not window.ticket_panel.close_button.isVisible()
    assert window.ticket_view.ticket_id() == ticket_id
    assert window.ticket_view.current_detail() is not None
    assert window.list_context().detail is not None


def test_leaving_the_split_layout_before_the_panel_is_built_hides_the_stand_in(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _split_window(gui_ws, monkeypatch)
    stand_in = window.parts.panel_slot()
    window.set_layout("table")
    assert stand_in is not None and stand_in.isHidden()
    window.set_layout("split")
    assert window.parts.panel_slot() is stand_in and stand_in.isVisible()
    window.set_layout("board")
    gui_ws.settle()
    assert stand_in.isHidden() and _parts_made(window) == (0, 0, 0)
    window.finish_start()
    qtbot.waitUntil(lambda: window.parts.ticket_view_finished, timeout=10_000)
    gui_ws.settle()
    # Built hidden in its place; the board opens a ticket in it as before, with its ✕.
    assert window.content_splitter.count() == 2 and window.ticket_panel.isHidden()
    window.open_ticket(gui_ws.tickets["Printer on fire"])
    gui_ws.settle()
    assert window.ticket_panel.isVisible() and window.ticket_panel.close_button.isVisible()
    window.close_ticket_panel()
    assert window.ticket_panel.isHidden()
    window.set_layout("split")
    assert window.ticket_panel.isVisible() and not window.ticket_panel.close_button.isVisible()
