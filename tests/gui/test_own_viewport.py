"""Views given a viewport made from Python (ui/layouts/own_viewport.py) are set up as with
Qt's own: same object name, background, attributes, focus proxy and stacking order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListView, QSplitter, QTableView
from pytestqt.qtbot import QtBot

from helpdesk_desktop.ui.layouts.own_viewport import give_own_viewport

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.mark.parametrize("kind", [QTableView, QListView])
def test_a_view_s_own_viewport_is_set_up_as_qt_s(qtbot: QtBot,
                                                 kind: type[QTableView | QListView]) -> None:
    splitter = QSplitter()
    qtbot.addWidget(splitter)
    theirs, ours = kind(), kind()
    made = give_own_viewport(ours)
    for view in (theirs, ours):  # what Qt passes on to the viewport of the moment
        view.setDragDropMode(QListView.DragDropMode.DragDrop)
        view.setMouseTracking(True)
    splitter.addWidget(theirs)
    splitter.addWidget(ours)
    splitter.show()
    qtbot.waitExposed(splitter)
    a, b = theirs.viewport(), ours.viewport()
    assert b is made
    assert [attr for attr in Qt.WidgetAttribute if attr != Qt.WidgetAttribute.WA_UnderMouse
            and a.testAttribute(attr) != b.testAttribute(attr)] == []
    for read in ("objectName", "backgroundRole", "autoFillBackground", "hasMouseTracking",
                 "focusPolicy", "acceptDrops", "palette", "isVisible"):
        assert getattr(a, read)() == getattr(b, read)(), read
    assert a.focusProxy() is theirs and b.focusProxy() is ours
    assert theirs.children()[0] is a and ours.children()[0] is b  # lowest in the stack
