"""A job lets go of itself, its work and its callbacks once it has reported (PySide's
``QThreadPool.start(runnable)`` kept every job it was given, with the callbacks connected to
it: docs/PERFORMANCE.md, M3), and a window closed with jobs in flight is left in peace."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.ui import jobs
from helpdesk_desktop.ui.bridge import DeskBridge
from tests.factories import Workspace
from tests.gui.conftest import GuiWorkspace

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")]


class _Held:
    """Something a job's work and callbacks capture (a page of rows, a widget)."""


def _released(refs: list[weakref.ref[Any]]) -> list[bool]:
    QApplication.processEvents()
    gc.collect()
    return [ref() is None for ref in refs]


@pytest.mark.parametrize("fails", [False, True])
def test_a_bridge_job_and_its_callbacks_are_freed_once_it_reported(
        ws: Workspace, qtbot: QtBot, fails: bool) -> None:
    bridge = DeskBridge(ws.desk("agent"))
    read, seen = _Held(), _Held()
    reported: list[object] = []

    def work(_desk: object, progress: jobs.ProgressCallback) -> _Held:
        progress(1, 1)
        if fails:
            raise ValueError("boom")
        return read

    def on_done(result: object) -> None:
        reported.append((seen, result))

    def on_error(message: str) -> None:
        reported.append((seen, message))

    job = bridge.run(work, on_done, on_error)
    refs: list[weakref.ref[Any]] = [weakref.ref(job), weakref.ref(job.signals),
                                    weakref.ref(on_done), weakref.ref(on_error),
                                    weakref.ref(work)]
    del job, work, on_done, on_error
    qtbot.waitUntil(lambda: len(reported) == 1, timeout=5000)
    assert reported[0][0] is seen
    assert (reported[0][1] is read) != fails
    reported.clear()
    assert _released(refs) == [True] * len(refs)
    assert jobs.in_flight() == 0


def test_a_list_read_lets_go_of_its_callbacks(ws: Workspace, qtbot: QtBot) -> None:
    from helpdesk_desktop.ui.models.list_reads import ListReads

    bridge = DeskBridge(ws.desk("agent"))
    reads = ListReads(bridge, bridge)
    done: list[bool] = []
    owner = _Held()

    def on_done(_result: object, owner: _Held = owner) -> None:
        done.append(True)

    job = reads.run(lambda desk: desk.me(), on_done, lambda _message: None)
    refs: list[weakref.ref[Any]] = [weakref.ref(job), weakref.ref(on_done), weakref.ref(owner)]
    del job, on_done, owner
    qtbot.waitUntil(lambda: done == [True], timeout=5000)
    assert _released(refs) == [True, True, True]


def test_a_job_taken_back_before_it_started_never_reports_and_is_freed(
        ws: Workspace, qtbot: QtBot) -> None:
    bridge = DeskBridge(ws.desk("agent"))
    gates = [threading.Event(), threading.Event()]
    for gate in gates:  # both threads busy
        bridge.run(lambda _d, _p, gate=gate: gate.wait(10))
    ran: list[str] = []
    waiting = bridge.run(lambda _d, _p: ran.append("taken"), lambda _r: ran.append("reported"))
    ref = weakref.ref(waiting)
    assert bridge.take_back(waiting)
    assert not bridge.take_back(waiting)  # once
    del waiting
    for gate in gates:
        gate.set()
    bridge.wait_for_idle()
    qtbot.waitUntil(lambda: jobs.in_flight() == 0, timeout=5000)
    assert ran == []
    assert _released([ref]) == [True]


def test_opening_tickets_leaves_no_job_behind(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    gui_ws.loaded()
    view = window.ticket_view
    ticket = gui_ws.tickets["Printer on fire"]
    with gui_ws.qtbot.waitSignal(view.ticketOpened, timeout=10_000):
        view.open_ticket(ticket)
    gui_ws.settle()
    gc.collect()
    before = sum(isinstance(o, jobs.Job) for o in gc.get_objects())
    for _ in range(10):
        for name in ("Invoice charged twice", "Printer on fire"):
            with gui_ws.qtbot.waitSignal(view.ticketOpened, timeout=10_000):
                view.open_ticket(gui_ws.tickets[name])
    gui_ws.settle()
    QApplication.processEvents()
    gc.collect()
    after = sum(isinstance(o, jobs.Job) for o in gc.get_objects())
    # 20 opens ran ~40 jobs (the read, the mark-read, the lists' reads of the change); only
    # the last job a widget keeps as "the one running" may be left.
    assert after - before <= 2
    assert jobs.in_flight() == 0


def test_closing_a_window_with_jobs_in_flight(gui_ws: GuiWorkspace) -> None:
    from helpdesk_desktop.ui.main_window import MainWindow

    bridge = gui_ws.bridge("admin")
    window = MainWindow(bridge)  # not handed to qtbot: this test deletes it
    window.resize(1024, 768)
    window.show()
    gui_ws.qtbot.waitUntil(lambda: not window.model.is_loading(), timeout=10_000)
    gate = threading.Event()
    seen: list[str] = []
    # A slow job whose callback touches the window, and the window's own reads, in flight.
    bridge.run(lambda _d, _p: gate.wait(10), lambda _r: seen.append(window.windowTitle()),
               owner=window)
    window.ticket_view.open_ticket(gui_ws.tickets["Printer on fire"])
    window.set_view(View.ALL)
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gate.set()
    gui_ws.settle()
    gui_ws.qtbot.waitUntil(lambda: jobs.in_flight() == 0, timeout=5000)
    QApplication.processEvents()
    assert seen == []  # the owner was deleted: its callback is skipped


def test_many_jobs_all_report_and_none_stays(qtbot: QtBot) -> None:
    """Every report arrives: a job's QObject freed on a worker thread (the pool letting go of
    the function last) lost its queued report (6 of 20,000 arrived in a reduced script)."""
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    got: list[object] = []
    started: list[weakref.ref[Any]] = []
    for n in range(500):
        started.append(weakref.ref(
            jobs.start(lambda _p, n=n: [n] * 20, got.append, got.append, pool=pool)))
        if n % 50 == 0:
            QApplication.processEvents()
    pool.waitForDone()
    qtbot.waitUntil(lambda: len(got) == 500, timeout=10_000)
    assert _released(started) == [True] * 500
