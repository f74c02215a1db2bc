"""The status bar's message and Undo offer against Qt's own hover status tips."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

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
