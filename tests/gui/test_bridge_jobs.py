"""Jobs run through the bridge: a stale count still waiting for a thread is dropped, and the
read the user waits for goes first. (That a job lets go of what it read once it reported is
checked through the list's read-ahead: tests/test_list_read_ahead.py.)"""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from helpdesk_desktop.ui.bridge import DeskBridge
from tests.factories import Workspace

pytestmark = pytest.mark.gui


@pytest.fixture
def bridge(ws: Workspace) -> DeskBridge:
    return DeskBridge(ws.desk("agent"))


def test_a_count_made_stale_before_it_started_is_dropped(bridge: DeskBridge,
                                                         qtbot: QtBot) -> None:
    gates = [threading.Event(), threading.Event()]
    ran: list[str] = []
    # Both threads busy: the next jobs wait in the queue.
    for gate in gates:
        bridge.run(lambda _d, _p, gate=gate: gate.wait(10))
    stale = bridge.run(lambda _d, _p: ran.append("stale"))
    bridge.run(lambda _d, _p: ran.append("fresh"), replaces=stale)
    bridge.run(lambda _d, _p: ran.append("urgent"), urgent=True)
    # One thread freed: it takes the queued jobs one at a time, so their order is the
    # queue's (with both freed at once, the two jobs raced to append).
    gates[0].set()
    qtbot.waitUntil(lambda: len(ran) == 2, timeout=5000)
    gates[1].set()
    bridge.wait_for_idle()
    qtbot.wait(20)
    assert ran == ["urgent", "fresh"]
