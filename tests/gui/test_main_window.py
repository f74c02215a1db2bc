"""The main window: opening, views, searching, filtering, remembering its state."""

from __future__ import annotations

import pytest

from tests.gui.conftest import GuiWorkspace

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_window_opens_on_all_open(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    assert window.objectName() == "MainWindow"
    assert window.model.rowCount() == 100  # one page; more on scrolling
    assert window.model.canFetchMore(window.model.index(-1, -1).parent())
