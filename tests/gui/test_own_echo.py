"""Every operation run from the window skips its own change echo: the ticket view reads the
ticket back in the operation's own job (one read, not a second one when the change report
comes back), and the notification count is not re-read after one's own operations (they never
notify oneself). The window's list, board and view counts read what the typed result names in
the operation's own job, once, and start no read of their own when its report comes back. A
change from elsewhere (another window, the mail service) is still followed. Reads and
background jobs are counted on the facade and the bridge."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import MessageKind, Priority, TicketState, View
from helpdesk_desktop.services.dto import TicketChanges, TicketQuery
from helpdesk_desktop.ui import undo
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.models.ticket_model import Column
from helpdesk_desktop.ui.models.views_model import ViewRole
from helpdesk_desktop.ui.notifications.center import NotificationCenter
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS, click_index

pytestmark = GUI_MARKS

COUNTED = ("ticket", "open_ticket", "unread_notification_count")
LIST_READS = ("rows_in", "list_tickets", "count_tickets", "board_counts", "view_counts")


@pytest.fixture(autouse=True)
def no_notification_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bell's 30-second poll reads the count and runs a job whenever it fires; on a loaded
    machine it fired inside a measurement now and then (one centre of this test, or one left by
    an earlier test). What is counted here is what an operation causes, so no centre polls."""
    defaults = dict(NotificationCenter.__init__.__kwdefaults__ or {})
    monkeypatch.setattr(NotificationCenter.__init__, "__kwdefaults__",
                        {**defaults, "poll_ms": 24 * 3600 * 1000})
    for centre in [o for o in gc.get_objects() if isinstance(o, NotificationCenter)]:
        if isValid(centre):
            centre.poll_timer.stop()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch, gui_ws: GuiWorkspace) -> Counter[str]:
    """How often each counted read of the facade ran on this test's workspace (on any
    thread). Reads of another database, by what an earlier test in the same process left
    running, are counted apart (``elsewhere: …``) and not asserted on."""
    calls: Counter[str] = Counter()
    for name in COUNTED:
        original = getattr(Desk, name)

        def counted(self: Desk, *args: Any, _original: Any = original, _name: str = name,
                    **kwargs: Any) -> Any:
            ours = self._database is gui_ws.db
            calls[_name if ours else f"elsewhere: {_name}"] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Desk, name, counted)
    return calls


def reads_after(gui_ws: GuiWorkspace, qtbot: QtBot, reads: Counter[str],
                act: Callable[[], None], done: Callable[[], bool]) -> dict[str, int]:
    """The counted reads that ``act`` causes until ``done`` and every follow-up has run."""
    gui_ws.settle()
    qtbot.wait(50)
    reads.clear()
    act()
    qtbot.waitUntil(done)
    for _ in range(3):  # change reports, coalescing timers and the reads they start
        gui_ws.settle()
        qtbot.wait(30)
    # Opening reads the ticket with ``open_ticket``, the rest with ``ticket``: one read each.
    return {"ticket": reads["ticket"] + reads["open_ticket"],
            "unread_notification_count": reads["unread_notification_count"]}


def open_window(gui_ws: GuiWorkspace, ticket: int) -> Any:
    window = gui_ws.window("admin", layout="split")
    window.open_ticket(ticket)
    gui_ws.settle()
    return window


def test_a_header_edit_reads_the_ticket_once(gui_ws: GuiWorkspace, qtbot: QtBot,
                                             reads: Counter[str]) -> None:
    ticket = gui_ws.tickets["Printer on fire"]
    window = open_window(gui_ws, ticket)
    view = window.ticket_view
    priority = view.findChild(QComboBox, "PriorityCombo")
    assert view.current_detail().row.priority is Priority.URGENT
    before = len(view.current_detail().activities)

    def edit() -> None:
        priority.setFocus()
        qtbot.keyClick(priority, Qt.Key.Key_Up)  # Urgent -> High

    counted = reads_after(gui_ws, qtbot, reads, edit,
                          lambda: view.current_detail().row.priority is Priority.HIGH)
    assert counted == {"ticket": 1, "unread_notification_count": 0}
    assert gui_ws.desk().ticket(ticket).row.priority is Priority.HIGH
    assert len(view.current_detail().activities) == before + 1  # the read-back is shown


def test_a_reply_reads_the_ticket_once(gui_ws: GuiWorkspace, qtbot: QtBot,
                                       reads: Counter[str]) -> None:
    ticket = gui_ws.tickets["Printer on fire"]
    window = open_window(gui_ws, ticket)
    editor = window.ticket_view.composer.editor

    def reply() -> None:
        editor.setFocus()
        qtbot.keyClicks(editor, "Fixed on our side.")
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    counted = reads_after(
        gui_ws, qtbot, reads, reply,
        lambda: "Fixed on our side." in window.ticket_view.conversation.browser.toPlainText())
    assert counted == {"ticket": 1, "unread_notification_count": 0}
    assert (MessageKind.REPLY, "Fixed on our side.") in [
        (m.kind, m.text) for c in gui_ws.desk().ticket(ticket).conversations
        for m in c.messages]


def test_opening_a_ticket_reads_it_once(gui_ws: GuiWorkspace, qtbot: QtBot,
                                        reads: Counter[str]) -> None:
    window = open_window(gui_ws, gui_ws.tickets["Printer on fire"])
    other = window.model.ticket_id(1)
    assert gui_ws.desk().rows([other])[other].unread  # opening marks it read: a write

    def click() -> None:
        click_index(qtbot, window.split.view,
                    window.model.index(window.model.row_of(other), Column.NAME))

    counted = reads_after(gui_ws, qtbot, reads, click,
                          lambda: window.ticket_view.current_detail() is not None
                          and window.ticket_view.current_detail().id == other)
    assert counted == {"ticket": 1, "unread_notification_count": 0}
    assert not gui_ws.desk().rows([other])[other].unread


def test_changes_the_view_did_not_make_are_still_followed(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                          reads: Counter[str]) -> None:
    ticket = gui_ws.tickets["Printer on fire"]
    window = open_window(gui_ws, ticket)
    view = window.ticket_view
    # From the list of the same window: the view did not make it, so it reads it (once);
    # the notification count is not read (one's own operation).
    assert window.split.select_ticket(ticket)
    gui_ws.settle()
    counted = reads_after(gui_ws, qtbot, reads,
                          lambda: window.registry.actions["priority_low"].trigger(),
                          lambda: view.current_detail().row.priority is Priority.LOW)
    assert counted == {"ticket": 1, "unread_notification_count": 0}
    # From elsewhere on the same desk (as the mail service reports mail): both are read.
    bridge = gui_ws.bridges[-1]
    counted = reads_after(
        gui_ws, qtbot, reads,
        lambda: bridge.run(lambda desk, _p: desk.update(ticket, TicketChanges(
            priority=Priority.URGENT))),
        lambda: view.current_detail().row.priority is Priority.URGENT)
    assert counted == {"ticket": 1, "unread_notification_count": 1}


# -- the lists, the board and the view counts ------------------------------------------------

@pytest.fixture
def list_reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the lists' reads of the facade ran, and how many background jobs started
    (``jobs``: ``DeskBridge.run`` calls, the operation's own included)."""
    calls: Counter[str] = Counter()
    for name in LIST_READS:
        original = getattr(Desk, name)

        def counted(self: Desk, *args: Any, _original: Any = original, _name: str = name,
                    **kwargs: Any) -> Any:
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Desk, name, counted)
    run = DeskBridge.run

    def counted_run(self: DeskBridge, *args: Any, **kwargs: Any) -> Any:
        # Per bridge: a window left over from an earlier test may still run a timer's job.
        calls[f"jobs@{id(self)}"] += 1
        return run(self, *args, **kwargs)

    monkeypatch.setattr(DeskBridge, "run", counted_run)
    return calls


def list_reads_after(gui_ws: GuiWorkspace, qtbot: QtBot, calls: Counter[str],
                     act: Callable[[], None], done: Callable[[], bool]) -> dict[str, int]:
    gui_ws.settle()
    qtbot.wait(500)  # the view counts' and board counts' coalescing timers of the set-up
    gui_ws.settle()
    calls.clear()
    act()
    qtbot.waitUntil(done)
    for _ in range(3):
        gui_ws.settle()
        qtbot.wait(30)
    qtbot.wait(500)  # a count timer started by the report would fire by now
    gui_ws.settle()
    bridges = {id(window.bridge) for window in gui_ws.windows}
    jobs = sum(calls[f"jobs@{bridge}"] for bridge in bridges)
    return {"jobs": jobs, **{name: calls[name] for name in LIST_READS}}


def check(window: Any, ticket_ids: list[int]) -> None:
    for ticket_id in ticket_ids:
        window.model.setData(window.model.index(window.model.row_of(ticket_id), Column.CHECK),
                             True, Qt.ItemDataRole.CheckStateRole)


def view_count(window: Any, view: View) -> int | None:
    model = window.sidebar.model
    return model.index(model.row_of(f"view:{view}")).data(ViewRole.COUNT)


def priority_shown(window: Any, ticket_id: int) -> str:
    model = window.model
    return model.index(model.row_of(ticket_id), Column.PRIORITY).data()


def test_a_bulk_edit_refreshes_the_list_and_counts_in_its_own_job(
        gui_ws: GuiWorkspace, qtbot: QtBot, list_reads: Counter[str]) -> None:
    window = gui_ws.window("admin", layout="table")
    chosen = [gui_ws.tickets["Printer on fire"], gui_ws.tickets["Cannot log in"]]
    check(window, chosen)
    counted = list_reads_after(
        gui_ws, qtbot, list_reads, lambda: window.registry.actions["priority_low"].trigger(),
        lambda: all(priority_shown(window, t) == "Low" for t in chosen))
    # One job: the edit, then the list's rows and the view counts, once each.
    assert counted == {"jobs": 1, "rows_in": 1, "list_tickets": 0, "count_tickets": 0,
                       "board_counts": 0, "view_counts": 1}
    rows = gui_ws.desk().rows(chosen)
    assert all(rows[t].priority is Priority.LOW for t in chosen)
    assert all(priority_shown(window, t) == "Low" for t in chosen)


def test_a_board_drag_refreshes_the_cards_and_counts_in_its_own_job(
        gui_ws: GuiWorkspace, qtbot: QtBot, list_reads: Counter[str]) -> None:
    window = gui_ws.window("admin", layout="board")
    board = window.board
    ticket = gui_ws.tickets["Printer on fire"]
    source = next(c for c in board.columns if c.model.row_of(ticket) >= 0)
    target = next(c for c in board.columns if c is not source)
    before = {c.status.id: c.model.rowCount() for c in board.columns}
    counted = list_reads_after(
        gui_ws, qtbot, list_reads, lambda: board.move_tickets([ticket], target.status),
        lambda: target.model.row_of(ticket) >= 0 and source.model.row_of(ticket) < 0)
    # One job: the edit, then the window's list and the board (cards, and every column's
    # count in one read) and the view counts, once each.
    assert counted == {"jobs": 1, "rows_in": 2, "list_tickets": 0, "count_tickets": 0,
                       "board_counts": 1, "view_counts": 1}
    assert gui_ws.desk().rows([ticket])[ticket].status_id == target.status.id
    assert target.model.rowCount() == before[target.status.id] + 1
    assert source.model.rowCount() == before[source.status.id] - 1


def test_undo_of_a_delete_brings_the_rows_back_in_its_own_job(
        gui_ws: GuiWorkspace, qtbot: QtBot, list_reads: Counter[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    slices: list[int] = []
    list_slice = Desk.list_slice

    def counted_slice(self: Desk, *args: Any, **kwargs: Any) -> Any:
        slices.append(1)
        return list_slice(self, *args, **kwargs)

    monkeypatch.setattr(Desk, "list_slice", counted_slice)
    window = gui_ws.window("admin", layout="table")
    chosen = [gui_ws.tickets["Printer on fire"], gui_ws.tickets["Cannot log in"]]
    desk = gui_ws.desk()
    result = window.bridge.desk.delete(chosen, len(chosen))
    gui_ws.settle()
    undo.show_result(window, result, "Delete")
    qtbot.waitUntil(lambda: all(window.model.row_of(t) < 0 for t in chosen))
    all_open = desk.count_tickets(TicketQuery(view=View.ALL_OPEN))
    qtbot.waitUntil(lambda: view_count(window, View.ALL_OPEN) == all_open)
    slices.clear()
    counted = list_reads_after(
        gui_ws, qtbot, list_reads, window.bridge.undo_stack.undo,
        lambda: all(window.model.row_of(t) >= 0 for t in chosen))
    # The restored tickets entered the view: the named rows and the counts are read in the
    # undo's job. The window's list has every row (counted): it counts again and reads the
    # rows around the view by position on the lists' thread (not the list reloaded from its
    # start, which the undo's job read for a list paging forward).
    assert window.model.is_positional()
    assert counted["jobs"] == 1
    assert counted["rows_in"] == 1 and counted["view_counts"] == 1
    assert slices and counted["list_tickets"] == 0
    rows = desk.rows(chosen)
    assert all(rows[t].state is TicketState.LIVE for t in chosen)
    assert all(window.model.row_for_id(t).state is TicketState.LIVE for t in chosen)
    assert view_count(window, View.ALL_OPEN) == all_open + 2  # the counts came with it


def test_another_windows_edit_is_still_followed(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                list_reads: Counter[str]) -> None:
    bridge = gui_ws.bridge("admin")
    first = gui_ws.window("admin", layout="table", bridge=bridge)
    second = gui_ws.window("admin", layout="table", bridge=bridge)  # same user, same bridge
    ticket = gui_ws.tickets["Printer on fire"]
    check(second, [ticket])
    counted = list_reads_after(
        gui_ws, qtbot, list_reads, lambda: second.registry.actions["priority_low"].trigger(),
        lambda: priority_shown(first, ticket) == "Low" and priority_shown(second, ticket) == "Low")
    # The second window's job reads its own list and counts; the first window did not make
    # the change, so it reads its rows (one job) and its counts (one job) itself.
    assert counted == {"jobs": 3, "rows_in": 2, "list_tickets": 0, "count_tickets": 0,
                       "board_counts": 0,
                       "view_counts": 2}
    assert gui_ws.desk().rows([ticket])[ticket].priority is Priority.LOW


def test_a_change_from_elsewhere_refreshes_the_list(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                   list_reads: Counter[str]) -> None:
    window = gui_ws.window("admin", layout="table")
    ticket = gui_ws.tickets["Printer on fire"]
    window.set_view(View.ALL_OPEN)
    bridge = window.bridge
    counted = list_reads_after(
        gui_ws, qtbot, list_reads,
        lambda: bridge.run(lambda desk, _p: desk.update(ticket, TicketChanges(
            priority=Priority.LOW))),  # no origin: as the mail service reports its writes
        lambda: priority_shown(window, ticket) == "Low")
    # The write, then the list's rows, the view counts and the notification count, each in
    # its own job (the extra jobs once seen here under load were the bell's poll, now off).
    assert counted["jobs"] == 4
    assert {name: counted[name] for name in LIST_READS} == {
        "rows_in": 1, "list_tickets": 0, "count_tickets": 0, "board_counts": 0,
        "view_counts": 1}
    assert gui_ws.desk().count_tickets(TicketQuery(view=View.ALL_OPEN)) > 0
