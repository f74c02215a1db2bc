"""Jobs run through the bridge: a stale count still waiting for a thread is dropped, and the
read the user waits for goes first. (That a job lets go of what it read once it reported is
checked through the list's read-ahead: tests/test_list_read_ahead.py.)"""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from helpdesk_desktop.ui import jobs
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.models.list_reads import ListReads, wait_for_reads
from tests.factories import Workspace

pytestmark = pytest.mark.gui


@pytest.fixture
def bridge(ws: Workspace) -> DeskBridge:
    return DeskBridge(ws.desk("agent"))


def test_a_count_made_stale_before_it_started_is_dropped(bridge: DeskBridge,
                                                         qtbot: QtBot) -> None:
    gate = threading.Event()
    ran: list[str] = []
    # Both threads busy: the next jobs wait in the queue.
    for _ in range(2):
        bridge.run(lambda _d, _p: gate.wait(10))
    stale = bridge.run(lambda _d, _p: ran.append("stale"))
    bridge.run(lambda _d, _p: ran.append("fresh"), replaces=stale)
    bridge.run(lambda _d, _p: ran.append("urgent"), urgent=True)
    gate.set()
    bridge.wait_for_idle()
    qtbot.wait(20)
    assert ran == ["urgent", "fresh"]


class _Sink:
    """A callback's owner (a widget, a model): it must not outlive the job that reported."""

    def __init__(self, values: list[object]) -> None:
        self.values = values  # shared by the test, which waits on it

    def done(self, value: object) -> None:
        self.values.append(value)

    def error(self, message: str) -> None:
        self.values.append(message)


def _collected(refs: list[weakref.ref[_Sink]]) -> int:
    gc.collect()
    return sum(ref() is None for ref in refs)


def test_a_job_lets_go_of_its_callbacks_once_it_reported(bridge: DeskBridge,
                                                         qtbot: QtBot) -> None:
    """A job object outlives its run (PySide's ``QThreadPool.start`` keeps a reference to it),
    and its slots kept the callbacks' closures, and what they refer to, alive with it
    (issue 11, M3: ~800 closures per 100 tickets opened)."""
    values: list[object] = []
    sinks = [_Sink(values) for _ in range(20)]
    refs = [weakref.ref(sink) for sink in sinks]
    for n, sink in enumerate(sinks):
        bridge.run(lambda _d, _p, n=n: n, sink.done, sink.error,
                   on_progress=lambda _a, _b, sink=sink: sink.values.append("progress"))
    bridge.wait_for_idle()
    qtbot.waitUntil(lambda: len(values) >= 20)
    del sinks, sink
    assert _collected(refs) == 20


def test_a_job_taken_back_lets_go_of_its_callbacks(bridge: DeskBridge, qtbot: QtBot) -> None:
    gate = threading.Event()
    for _ in range(2):
        bridge.run(lambda _d, _p: gate.wait(10))
    sinks = [_Sink([]) for _ in range(10)]
    refs = [weakref.ref(sink) for sink in sinks]
    stale = [bridge.run(lambda _d, _p: None, sink.done, sink.error) for sink in sinks]
    assert all(bridge.take_back(job) for job in stale)
    del sinks, stale
    gate.set()
    bridge.wait_for_idle()
    qtbot.wait(20)
    assert _collected(refs) == 10


def test_a_list_read_lets_go_of_its_callbacks_once_it_reported(bridge: DeskBridge,
                                                               qtbot: QtBot) -> None:
    owner = QObject()
    reads = ListReads(bridge, owner)
    values: list[object] = []
    sinks = [_Sink(values) for _ in range(20)]
    refs = [weakref.ref(sink) for sink in sinks]
    for n, sink in enumerate(sinks):
        reads.run(lambda _desk, n=n: n, sink.done, sink.error)
    qtbot.waitUntil(lambda: len(values) == 20)
    wait_for_reads(bridge)
    del sinks, sink
    assert _collected(refs) == 20


def test_jobs_start_lets_go_of_its_callbacks(qtbot: QtBot) -> None:
    values: list[object] = []
    sink = _Sink(values)
    ref = weakref.ref(sink)
    job = jobs.start(lambda _p: 1, sink.done, sink.error)
    qtbot.waitUntil(lambda: bool(values))
    job.release()
    del sink
    assert _collected([ref]) == 1
