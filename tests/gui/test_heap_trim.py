"""Once every background job has reported, the memory the work freed is handed back to the
system (``heap.trim``), at most once per ``jobs.TRIM_INTERVAL``; never while work runs."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from helpdesk_desktop.ui import jobs

pytestmark = [pytest.mark.gui]


@pytest.fixture
def trims(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each trim, as the number of jobs in flight when it ran."""
    done: list[int] = []
    monkeypatch.setattr(jobs.heap, "trim", lambda: done.append(jobs.in_flight()) or True)
    relay = jobs._the_relay()
    monkeypatch.setattr(relay, "trimmed_at", 0.0)  # the last trim long ago
    return done


def _run(qtbot: QtBot, gate: threading.Event | None = None) -> list[object]:
    reported: list[object] = []

    def work(_progress: jobs.ProgressCallback) -> int:
        if gate is not None:
            gate.wait(5)
        return 1

    jobs.start(work, reported.append, reported.append)
    return reported


def test_the_last_report_trims_and_a_second_waits_for_the_interval(
        qtbot: QtBot, trims: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "TRIM_INTERVAL", 0.3)
    first = _run(qtbot)
    qtbot.waitUntil(lambda: first == [1])
    assert trims == [0]
    second = _run(qtbot)
    qtbot.waitUntil(lambda: second == [1])
    assert trims == [0]  # too soon after the first: waits for the interval's end
    qtbot.waitUntil(lambda: len(trims) == 2, timeout=3000)
    assert trims == [0, 0]


def test_no_trim_while_a_job_is_still_running(qtbot: QtBot, trims: list[int],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "TRIM_INTERVAL", 0.2)
    gate = threading.Event()
    slow = _run(qtbot, gate)
    quick = _run(qtbot)
    qtbot.waitUntil(lambda: quick == [1])
    qtbot.wait(400)  # past the interval: still nothing, the slow job is running
    assert trims == []
    gate.set()
    qtbot.waitUntil(lambda: slow == [1])
    QApplication.processEvents()
    assert trims == [0]
