"""Fixtures and helpers for the dialog, notification and undo GUI tests (SQLite only: these
tests drive widgets; the services' SQL is covered on both backends by the service tests)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTreeWidget, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from helpdesk_desktop.storage.database import Database, copy_sqlite_file, create_db_engine
from helpdesk_desktop.ui.bridge import DeskBridge
from tests.factories import FakeClock, Workspace, seed_workspace

# The offscreen platform plugin reports what it cannot do (size hints of shown windows, raising
# them, a popup menu's keyboard grab): properties of the test platform, not of our widgets.
GUI_MARKS = [pytest.mark.gui,
             pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise",
                                       "does not support grabbing the keyboard")]


@pytest.fixture
def dws(sqlite_template: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Workspace]:
    """A seeded workspace in a fresh SQLite file."""
    path = tmp_path / f"dialogs-{uuid.uuid4().hex[:8]}.sqlite3"
    copy_sqlite_file(sqlite_template, path)
    engine = create_db_engine(str(path))
    try:
        yield seed_workspace(Database(engine=engine, bind=engine), clock)
    finally:
        engine.dispose()


@pytest.fixture
def make_bridge(dws: Workspace) -> Iterator[object]:
    """``make_bridge("admin")``: a DeskBridge signed in as that workspace user."""
    bridges: list[DeskBridge] = []

    def make(user: str = "admin") -> DeskBridge:
        bridge = DeskBridge(dws.desk(user))
        bridges.append(bridge)
        return bridge

    yield make
    for bridge in bridges:
        bridge.wait_for_idle()


def toggle_check(qtbot: QtBot, tree: QTreeWidget, item: QTreeWidgetItem) -> None:
    """Tick or untick ``item`` the way a keyboard user does: make it current, press Space."""
    tree.setFocus()
    tree.setCurrentItem(item)
    qtbot.keyClick(tree, Qt.Key.Key_Space)


def click_index(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    """Click the centre of ``index`` in ``view``."""
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())


def find_top_level(object_name: str) -> QWidget | None:
    """The visible top-level widget (a dialog) with this object name, if any."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == object_name and widget.isVisible():
            return widget
    return None
