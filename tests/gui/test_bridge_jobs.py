"""Jobs run through the bridge: a stale count still waiting for a thread is dropped, and the
read the user waits for goes first. (That a job lets go of what it read once it reported is
checked through the list's read-ahead: tests/test_list_read_ahead.py.)"""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.jobs import Job
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


def _live_jobs() -> int:
    gc.collect()
    return sum(isinstance(o, Job) for o in gc.get_objects())


def test_jobs_are_freed_once_they_reported(bridge: DeskBridge, qtbot: QtBot) -> None:
    """``QThreadPool.start(job)`` kept a reference to each job for as long as the pool lived,
    and each job's slots (closures that refer to it) a cycle through Qt: every facade call of a
    session stayed in memory with its callbacks (issue 11, M3: 100 more per 100 tickets
    opened)."""
    before = _live_jobs()
    done: list[int] = []
    for n in range(50):
        bridge.run(lambda _d, _p, n=n: n, done.append, on_progress=lambda _a, _b: None)
    bridge.wait_for_idle()
    qtbot.waitUntil(lambda: len(done) == 50)
    assert _live_jobs() - before <= 2


def test_jobs_taken_back_are_freed_and_never_run(bridge: DeskBridge, qtbot: QtBot) -> None:
    gate = threading.Event()
    for _ in range(2):
        bridge.run(lambda _d, _p: gate.wait(10))
    ran: list[int] = []
    before = _live_jobs()
    stale = [bridge.run(lambda _d, _p, n=n: ran.append(n)) for n in range(20)]
    assert all(bridge.take_back(job) for job in stale)
    assert not any(bridge.take_back(job) for job in stale)
    del stale
    gate.set()
    bridge.wait_for_idle()
    qtbot.wait(20)
    assert ran == []
    assert _live_jobs() - before <= 2


def test_list_reads_are_freed_once_they_reported(bridge: DeskBridge, qtbot: QtBot) -> None:
    owner = QObject()
    reads = ListReads(bridge, owner)
    before = _live_jobs()
    done: list[int] = []
    for n in range(30):
        reads.run(lambda _desk, n=n: n, done.append, lambda _message: None)
    qtbot.waitUntil(lambda: len(done) == 30)
    wait_for_reads(bridge)
    qtbot.wait(20)
    assert _live_jobs() - before <= 2
