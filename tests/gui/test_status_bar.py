"""The status bar's message and Undo offer against Qt's own hover status tips."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from helpdesk_desktop.ui import status_bar
from helpdesk_desktop.ui.status_bar import StatusBar
from tests.gui.dialog_support import GUI_MARKS

pytestmark = GUI_MARKS  # the offscreen platform's "does not support propagateSizeHints" only


def test_a_result_replaces_a_hover_tip_instead_of_being_painted_under_it(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = StatusBar(window)
    window.setStatusBar(bar)
    window.resize(800, 200)
    window.show()
    bar.showMessage("Drag cards to another column.")  # what hovering a widget with a tip does
    assert not bar.message.isVisible()  # Qt hides the normal widgets under a tip
    undone: list[bool] = []
    bar.show_status("Status changed.", undo=lambda: undone.append(True))
    assert bar.currentMessage() == ""
    assert bar.message.isVisible() and bar.message.text() == "Status changed."
    assert bar.undo_button.isVisible()
    bar.showMessage("Another tip")  # a later tip hides both, and they come back after it
    assert not bar.undo_button.isVisible()
    bar.clearMessage()
    assert bar.undo_button.isVisible() and bar.message.isVisible()
    bar.undo_button.click()
    assert undone == [True]


_WINDOWS: list[QMainWindow] = []


def _shown_bar(qtbot: QtBot) -> StatusBar:
    window = QMainWindow()
    qtbot.addWidget(window)
    _WINDOWS[:] = [window]  # kept until the next test's
    bar = StatusBar(window)
    window.setStatusBar(bar)
    window.show()
    return bar


def test_a_short_job_never_shows_the_busy_indicator(qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    bar = _shown_bar(qtbot)
    shown: list[bool] = []
    monkeypatch.setattr(bar.busy, "show", lambda: shown.append(True))
    bar.set_busy(True)
    qtbot.wait(20)
    bar.set_busy(False)
    qtbot.wait(status_bar.BUSY_DELAY_MS + 100)
    assert shown == [] and not bar.busy.isVisible()


def test_a_long_job_shows_the_busy_indicator_until_it_ends(qtbot: QtBot) -> None:
    bar = _shown_bar(qtbot)
    bar.set_busy(True)
    assert not bar.busy.isVisible()
    qtbot.waitUntil(bar.busy.isVisible, timeout=status_bar.BUSY_DELAY_MS + 2000)
    bar.set_busy(True)  # another job meanwhile: still shown
    assert bar.busy.isVisible()
    bar.set_busy(False)
    assert not bar.busy.isVisible() and bar.busy.maximum() == 0


def test_progress_shows_the_busy_indicator_at_once(qtbot: QtBot) -> None:
    bar = _shown_bar(qtbot)
    bar.set_busy(True)
    bar.show_progress(3, 10)
    assert bar.busy.isVisible() and bar.busy.value() == 3
    bar.set_busy(False)
    bar.show_progress(4, 10)  # a report delivered after the job: not shown again
    assert not bar.busy.isVisible()
